/**
 * Bookmarks of rooms on the server, shared by all my clients: XEP-0402 (PEP, with +notify pushes)
 * when the server has it, else XEP-0048 in private storage (XEP-0049). Bookmarks with autojoin are
 * joined on login; `MultiUserContact.addToContactList()` stores one.
 */
import { $iq } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import type { Account } from '../../model/Account';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { BookmarkStore } from '../../model/RoomList';
import { firstChild } from '../../protocol/xml';
import { NS_DISCO_INFO } from '../disco';
import {
  appendConference,
  appendLegacyStorage,
  Bookmark,
  NS_BOOKMARKS,
  NS_BOOKMARKS_LEGACY,
  NS_PRIVATE,
  NS_PUBSUB,
  NS_PUBSUB_EVENT,
  parseBookmarkItems,
  parseLegacyStorage,
} from './stanzas';

const NS_PUBSUB_OWNER_OPTIONS = 'http://jabber.org/protocol/pubsub#publish-options';

export type BookmarkFormat = 'xep-0402' | 'xep-0048';

export class BookmarkService implements BookmarkStore {
  format: BookmarkFormat = 'xep-0048';

  constructor(
    private readonly connection: XmppConnection,
    private readonly account: Account,
    private readonly forcedFormat?: BookmarkFormat,
  ) {}

  /** Learns the format the server supports and loads the bookmarks into account.rooms. */
  async load(): Promise<Bookmark[]> {
    this.format = this.forcedFormat ?? ((await this.serverHas0402()) ? 'xep-0402' : 'xep-0048');
    const list = this.format === 'xep-0402' ? await this.fetch0402() : await this.fetchLegacy();
    for (const b of list) {
      this.apply(b);
    }
    return list;
  }

  /** Pushes from my other clients (XEP-0402 +notify): new, changed and removed bookmarks. */
  listen(): () => void {
    return this.connection.addHandler(
      (stanza) => {
        const from = stanza.getAttribute('from');
        if (from && from.toLowerCase() !== this.account.uid) {
          return; // only my own PEP service may change my bookmarks
        }
        const event = firstChild(stanza, 'event', NS_PUBSUB_EVENT);
        const items = event && firstChild(event, 'items', NS_PUBSUB_EVENT);
        if (!items || items.getAttribute('node') !== NS_BOOKMARKS) {
          return;
        }
        for (const b of parseBookmarkItems(items)) {
          this.apply(b);
        }
        for (const retract of Array.from(items.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === 'retract')) {
          const room = this.account.rooms.get(retract.getAttribute('id') ?? '');
          if (room) {
            room.bookmark = undefined;
            room.updateItem({ jid: room.jid, name: room.name, groups: [], subscription: 'none' });
          }
        }
      },
      { name: 'message' },
    );
  }

  /** Makes the room known, marks it bookmarked, and joins it when autojoin says so. */
  private apply(b: Bookmark): void {
    const nick = b.nick ?? this.account.uid.split('@')[0];
    const room = this.account.rooms.ensure(b.jid, nick);
    room.bookmark = { autojoin: b.autojoin, ...(b.name ? { name: b.name } : {}) };
    if (b.password && !room.password) {
      room.password = b.password;
    }
    room.updateItem({ jid: room.jid, name: room.name, groups: [], subscription: 'none' });
    if (b.autojoin && !room.isJoined && room.state !== 'joining') {
      room.wantJoined = true;
      if (this.account.isOnline) {
        void room.join().catch(() => undefined); // the error is on the room model
      }
    }
  }

  private toBookmark(room: MultiUserContact): Bookmark {
    return {
      jid: room.jid,
      autojoin: room.bookmark?.autojoin ?? false,
      nick: room.nickname,
      ...(room.bookmark?.name || room.name ? { name: room.bookmark?.name ?? room.name } : {}),
      ...(room.password ? { password: room.password } : {}),
    };
  }

  async save(room: MultiUserContact): Promise<void> {
    const bookmark = this.toBookmark(room);
    if (this.format === 'xep-0402') {
      const iq = $iq({ type: 'set' }).c('pubsub', { xmlns: NS_PUBSUB }).c('publish', { node: NS_BOOKMARKS }).c('item', { id: room.jid }).tree();
      appendConference(iq.getElementsByTagName('item')[0], bookmark);
      appendPublishOptions(firstChild(iq, 'pubsub')!);
      await this.connection.sendIQ(iq);
      return;
    }
    const list = (await this.fetchLegacy()).filter((b) => b.jid !== room.jid);
    await this.storeLegacy([...list, bookmark]);
  }

  async remove(room: MultiUserContact): Promise<void> {
    if (this.format === 'xep-0402') {
      await this.connection.sendIQ($iq({ type: 'set' }).c('pubsub', { xmlns: NS_PUBSUB }).c('retract', { node: NS_BOOKMARKS, notify: 'true' }).c('item', { id: room.jid }));
      return;
    }
    await this.storeLegacy((await this.fetchLegacy()).filter((b) => b.jid !== room.jid));
  }

  private async serverHas0402(): Promise<boolean> {
    try {
      const info = await this.connection.sendIQ($iq({ type: 'get', to: this.account.uid }).c('query', { xmlns: NS_DISCO_INFO }));
      return Array.from(info.getElementsByTagName('feature')).some((f) => f.getAttribute('var') === `${NS_BOOKMARKS}#compat`);
    } catch {
      return false;
    }
  }

  private async fetch0402(): Promise<Bookmark[]> {
    try {
      const result = await this.connection.sendIQ($iq({ type: 'get' }).c('pubsub', { xmlns: NS_PUBSUB }).c('items', { node: NS_BOOKMARKS }));
      const items = result.getElementsByTagNameNS(NS_PUBSUB, 'items')[0];
      return items ? parseBookmarkItems(items) : [];
    } catch (err) {
      if ((err as { condition?: string }).condition === 'item-not-found') {
        return []; // no bookmark yet: the node does not exist
      }
      throw err;
    }
  }

  private async fetchLegacy(): Promise<Bookmark[]> {
    const result = await this.connection.sendIQ($iq({ type: 'get' }).c('query', { xmlns: NS_PRIVATE }).c('storage', { xmlns: NS_BOOKMARKS_LEGACY }));
    const storage = result.getElementsByTagNameNS(NS_BOOKMARKS_LEGACY, 'storage')[0];
    return storage ? parseLegacyStorage(storage) : [];
  }

  private async storeLegacy(list: Bookmark[]): Promise<void> {
    const iq = $iq({ type: 'set' }).c('query', { xmlns: NS_PRIVATE }).tree();
    appendLegacyStorage(firstChild(iq, 'query')!, list);
    await this.connection.sendIQ(iq);
  }
}

/** XEP-0402 §3.2 publish options: persistent, up to many items, only for me. */
function appendPublishOptions(pubsub: Element): void {
  const doc = pubsub.ownerDocument;
  const options = doc.createElement('publish-options');
  const x = doc.createElement('x');
  x.setAttribute('xmlns', 'jabber:x:data');
  x.setAttribute('type', 'submit');
  const fields: Array<[string, string]> = [
    ['FORM_TYPE', NS_PUBSUB_OWNER_OPTIONS],
    ['pubsub#persist_items', 'true'],
    ['pubsub#max_items', 'max'],
    ['pubsub#send_last_published_item', 'never'],
    ['pubsub#access_model', 'whitelist'],
  ];
  for (const [name, value] of fields) {
    const field = doc.createElement('field');
    field.setAttribute('var', name);
    if (name === 'FORM_TYPE') field.setAttribute('type', 'hidden');
    const v = doc.createElement('value');
    v.appendChild(doc.createTextNode(value));
    field.appendChild(v);
    x.appendChild(field);
  }
  options.appendChild(x);
  pubsub.appendChild(options);
}
