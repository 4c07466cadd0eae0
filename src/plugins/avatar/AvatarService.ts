import { $iq } from 'strophe.js';
import { XmppConnection } from '../../connection/XmppConnection';
import { Contact } from '../../model/Contact';
import { JID } from '../../model/JID';
import { Roster } from '../../model/Roster';
import { childElements, childText, firstChild } from '../../protocol/xml';
import { sha1, toHex } from '../../util/sha1';
import { NS_MUC_USER } from '../muc/ns';
import { AvatarStore, CachedAvatar } from './AvatarCache';
import { decodeBase64, sniffImageType } from './image';

import { NS_AVATAR_DATA, NS_AVATAR_METADATA, NS_PUBSUB, NS_PUBSUB_EVENT, NS_VCARD, NS_VCARD_UPDATE } from './ns';

export { NS_AVATAR_DATA, NS_AVATAR_METADATA, NS_PUBSUB, NS_PUBSUB_EVENT, NS_VCARD, NS_VCARD_UPDATE };

/** Larger images are refused (a vCard or PEP item of several MB is an attack, not an avatar). */
export const MAX_AVATAR_BYTES = 512 * 1024;

/**
 * Contacts' avatars, for one session: hashes announced in presence (XEP-0153, vcard-temp) or in
 * PEP metadata notifications (XEP-0084). Each hash is looked up in the cache, else fetched once
 * (vCard or PEP data), checked (SHA-1 matches, bytes are PNG/JPEG/GIF/WebP) and cached. No DOM.
 */
export class AvatarService {
  private inflight = new Map<string, Promise<CachedAvatar | undefined>>();
  /**
   * What each contact announced last, per source (null: "no avatar"), so a late fetch does not
   * overwrite a newer announcement. PEP (XEP-0084) wins over the vCard hash in presence: servers
   * that bridge the two (XEP-0398) may still send an empty vCard photo.
   */
  private announced = new Map<string, { pep?: string | null; vcard?: string | null }>();

  constructor(
    private readonly connection: XmppConnection,
    private readonly roster: Roster,
    private readonly cache: AvatarStore,
  ) {}

  /** Presence with <x xmlns='vcard-temp:x:update'><photo>hash</photo></x>. */
  handlePresence(): () => void {
    return this.connection.addHandler(
      (stanza) => {
        const type = stanza.getAttribute('type');
        if (type && type !== 'unavailable') {
          return;
        }
        if (firstChild(stanza, 'x', NS_MUC_USER)) {
          return; // an occupant of a room: their avatar is not the room's
        }
        const x = firstChild(stanza, 'x', NS_VCARD_UPDATE);
        const photo = x ? firstChild(x, 'photo') : undefined;
        if (!photo) {
          return; // no x:update, or "not ready to advertise": nothing changes
        }
        const contact = this.contactOf(stanza.getAttribute('from'));
        if (contact) {
          const hash = (photo.textContent ?? '').trim().toLowerCase();
          void this.announce(contact, hash || null, 'vcard');
        }
      },
      { name: 'presence' },
    );
  }

  /** PEP notifications of urn:xmpp:avatar:metadata (we announce +notify, XEP-0163). */
  handleMetadataNotifications(): () => void {
    return this.connection.addHandler(
      (stanza) => {
        const event = firstChild(stanza, 'event', NS_PUBSUB_EVENT);
        const items = event ? firstChild(event, 'items') : undefined;
        if (!items || items.getAttribute('node') !== NS_AVATAR_METADATA) {
          return;
        }
        const contact = this.contactOf(stanza.getAttribute('from'));
        const item = childElements(items, 'item')[0];
        const metadata = item ? firstChild(item, 'metadata', NS_AVATAR_METADATA) : undefined;
        if (!contact || !metadata) {
          return;
        }
        const infos = childElements(metadata, 'info').filter((info) => !info.getAttribute('url'));
        const hash = (infos[0]?.getAttribute('id') ?? '').trim().toLowerCase();
        void this.announce(contact, hash || null, 'pep');
      },
      { name: 'message' },
    );
  }

  private contactOf(from: string | null): Contact | undefined {
    try {
      return from ? this.roster.get(JID.parse(from).bare) : undefined;
    } catch {
      return undefined;
    }
  }

  /** A contact announced an avatar hash (null: no avatar). */
  async announce(contact: Contact, announcedHash: string | null, announcedBy: 'vcard' | 'pep'): Promise<void> {
    const state = this.announced.get(contact.jid) ?? {};
    state[announcedBy] = announcedHash;
    this.announced.set(contact.jid, state);
    const source = state.pep !== undefined ? 'pep' : 'vcard';
    const hash = state[source] ?? null;
    if (hash === null) {
      contact.setAvatar(undefined);
      return;
    }
    if (!/^[0-9a-f]{40}$/.test(hash) || contact.avatar?.hash === hash) {
      return;
    }
    const avatar = await this.load(contact.jid, hash, source);
    const now = this.announced.get(contact.jid);
    if (avatar && (now?.pep !== undefined ? now.pep : now?.vcard) === hash) {
      contact.setAvatar({ hash, ...avatar });
    }
  }

  /** From the cache, else fetched once per hash (concurrent requests share one fetch). */
  load(jid: string, hash: string, source: 'vcard' | 'pep'): Promise<CachedAvatar | undefined> {
    let pending = this.inflight.get(hash);
    if (!pending) {
      pending = (async () => {
        const cached = await this.cache.get(hash);
        if (cached) {
          return cached;
        }
        const bytes = await (source === 'pep' ? this.fetchPep(jid, hash) : this.fetchVCard(jid)).catch(() => undefined);
        const avatar = bytes && checkImage(bytes, hash, jid);
        if (avatar) {
          await this.cache.set(hash, avatar);
        }
        return avatar;
      })();
      this.inflight.set(hash, pending);
      void pending.finally(() => this.inflight.delete(hash));
    }
    return pending;
  }

  /** vcard-temp of the contact: PHOTO/BINVAL. */
  private async fetchVCard(jid: string): Promise<Uint8Array | undefined> {
    const result = await this.connection.sendIQ($iq({ type: 'get', to: jid }).c('vCard', { xmlns: NS_VCARD }));
    const vcard = firstChild(result, 'vCard', NS_VCARD);
    const photo = vcard ? firstChild(vcard, 'PHOTO', NS_VCARD) : undefined;
    const binval = photo ? childText(photo, 'BINVAL', NS_VCARD) : undefined;
    return binval ? decodeBase64(binval) : undefined;
  }

  /** The urn:xmpp:avatar:data item with this id from the contact's PEP. */
  private async fetchPep(jid: string, hash: string): Promise<Uint8Array | undefined> {
    const result = await this.connection.sendIQ(
      $iq({ type: 'get', to: jid }).c('pubsub', { xmlns: NS_PUBSUB }).c('items', { node: NS_AVATAR_DATA }).c('item', { id: hash }),
    );
    const pubsub = firstChild(result, 'pubsub', NS_PUBSUB);
    const items = pubsub ? firstChild(pubsub, 'items') : undefined;
    const item = items ? childElements(items, 'item').find((i) => i.getAttribute('id') === hash) : undefined;
    const data = item ? childText(item, 'data', NS_AVATAR_DATA) : undefined;
    return data ? decodeBase64(data) : undefined;
  }
}

/** The image if its bytes hash to the announced hash and are of an allowed type. */
function checkImage(bytes: Uint8Array, hash: string, jid: string): CachedAvatar | undefined {
  if (bytes.length > MAX_AVATAR_BYTES) {
    console.warn(`[jsxc] avatar of ${jid} refused: ${bytes.length} bytes is more than ${MAX_AVATAR_BYTES}`);
    return undefined;
  }
  if (toHex(sha1(bytes)) !== hash) {
    console.warn(`[jsxc] avatar of ${jid} refused: its SHA-1 is not the announced ${hash}`);
    return undefined;
  }
  const type = sniffImageType(bytes);
  if (!type) {
    console.warn(`[jsxc] avatar of ${jid} refused: not a PNG, JPEG, GIF or WebP image`);
    return undefined;
  }
  return { type, data: bytes };
}
