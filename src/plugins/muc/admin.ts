/**
 * Owner and admin use cases (XEP-0045 §9, §10): configuration form, destroy, roles and
 * affiliations; and disco about rooms (room features, the room browser).
 */
import { $iq } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import { StanzaError } from '../../connection/errors';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { Affiliation, Role } from '../../model/Occupant';
import type { RoomInfo, RoomListing } from '../../model/RoomList';
import { appendSubmitForm, DataForm, formField, NS_DATA, parseDataForm } from '../../protocol/dataForm';
import { childElements, firstChild } from '../../protocol/xml';
import { NS_DISCO_INFO, NS_DISCO_ITEMS } from '../disco';
import { MucError, mucErrorFromCondition } from './errors';
import { NS_MUC, NS_MUC_ADMIN, NS_MUC_OWNER, NS_MUC_ROOMINFO } from './ns';

/** A failed request to a room, as a MucError (forbidden etc. mean "not allowed" here, not "banned"). */
export function requestError(room: string, err: unknown): MucError {
  if (err instanceof MucError) {
    return err;
  }
  const condition = err instanceof StanzaError ? err.condition : 'undefined-condition';
  if (condition === 'forbidden' || condition === 'not-allowed' || condition === 'not-acceptable' || condition === 'not-authorized') {
    return new MucError('not-allowed', { room, condition });
  }
  return mucErrorFromCondition(condition, { room });
}

export class RoomAdmin {
  constructor(private readonly connection: XmppConnection) {}

  private async request(room: string, iq: ReturnType<typeof $iq>): Promise<Element> {
    try {
      return await this.connection.sendIQ(iq, 15000);
    } catch (err) {
      throw requestError(room, err);
    }
  }

  async getConfigurationForm(room: MultiUserContact): Promise<DataForm> {
    const result = await this.request(room.jid, $iq({ type: 'get', to: room.jid }).c('query', { xmlns: NS_MUC_OWNER }));
    const query = firstChild(result, 'query', NS_MUC_OWNER);
    const x = query && firstChild(query, 'x', NS_DATA);
    if (!x) {
      throw new MucError('unknown', { room: room.jid, condition: 'no configuration form in the answer' });
    }
    return parseDataForm(x);
  }

  async submitConfigurationForm(room: MultiUserContact, form: DataForm): Promise<void> {
    const iq = $iq({ type: 'set', to: room.jid }).c('query', { xmlns: NS_MUC_OWNER }).tree();
    appendSubmitForm(firstChild(iq, 'query')!, form);
    await this.request(room.jid, iq as unknown as ReturnType<typeof $iq>);
  }

  /** Changes a few configuration fields (by var) and submits the whole form. */
  async configure(room: MultiUserContact, values: Record<string, string | boolean>): Promise<void> {
    const form = await this.getConfigurationForm(room);
    for (const [name, value] of Object.entries(values)) {
      const field = formField(form, name);
      if (field) {
        field.value = value;
      }
    }
    await this.submitConfigurationForm(room, form);
  }

  async destroy(room: MultiUserContact, reason?: string, alternateVenue?: string): Promise<void> {
    const iq = $iq({ type: 'set', to: room.jid }).c('query', { xmlns: NS_MUC_OWNER }).c('destroy', alternateVenue ? { jid: alternateVenue } : {});
    if (reason) {
      iq.c('reason').t(reason);
    }
    await this.request(room.jid, iq);
  }

  async setRole(room: MultiUserContact, nick: string, role: Role, reason?: string): Promise<void> {
    const iq = $iq({ type: 'set', to: room.jid }).c('query', { xmlns: NS_MUC_ADMIN }).c('item', { nick, role });
    if (reason) {
      iq.c('reason').t(reason);
    }
    await this.request(room.jid, iq);
  }

  async setAffiliation(room: MultiUserContact, jid: string, affiliation: Affiliation, reason?: string): Promise<void> {
    const iq = $iq({ type: 'set', to: room.jid }).c('query', { xmlns: NS_MUC_ADMIN }).c('item', { jid, affiliation });
    if (reason) {
      iq.c('reason').t(reason);
    }
    await this.request(room.jid, iq);
  }

  async getAffiliationList(room: MultiUserContact, affiliation: Affiliation): Promise<Array<{ jid: string; nick?: string }>> {
    const result = await this.request(room.jid, $iq({ type: 'get', to: room.jid }).c('query', { xmlns: NS_MUC_ADMIN }).c('item', { affiliation }));
    const query = firstChild(result, 'query', NS_MUC_ADMIN);
    return (query ? childElements(query, 'item', NS_MUC_ADMIN) : []).map((item) => ({ jid: item.getAttribute('jid') ?? '', ...(item.getAttribute('nick') ? { nick: item.getAttribute('nick')! } : {}) }));
  }

  /** disco#info of a room: name, features and muc#roominfo. Rejects with "room-not-found" if there is none. */
  async fetchInfo(jid: string): Promise<RoomInfo> {
    const result = await this.request(jid, $iq({ type: 'get', to: jid }).c('query', { xmlns: NS_DISCO_INFO }));
    return parseRoomInfo(result);
  }

  /** Room browser: the rooms of a conference service, each with its name and occupant count. */
  async browse(service: string): Promise<RoomListing[]> {
    const result = await this.request(service, $iq({ type: 'get', to: service }).c('query', { xmlns: NS_DISCO_ITEMS }));
    const query = firstChild(result, 'query', NS_DISCO_ITEMS);
    const items = query ? childElements(query, 'item', NS_DISCO_ITEMS) : [];
    return Promise.all(
      items.map(async (item) => {
        const jid = item.getAttribute('jid') ?? '';
        const listing: RoomListing = { jid, name: item.getAttribute('name') || jid.split('@')[0] };
        try {
          const info = await this.fetchInfo(jid);
          listing.info = info;
          if (info.name) listing.name = info.name;
          if (info.occupantCount !== undefined) listing.occupantCount = info.occupantCount;
          if (info.description) listing.description = info.description;
        } catch {
          // a room that does not answer disco#info is still listed, by its disco#items name
        }
        return listing;
      }),
    );
  }

  /** The server's conference service: the first disco#items entry with a conference/text identity. */
  async findConferenceService(domain: string): Promise<string | undefined> {
    const result = await this.connection.sendIQ($iq({ type: 'get', to: domain }).c('query', { xmlns: NS_DISCO_ITEMS }));
    const query = firstChild(result, 'query', NS_DISCO_ITEMS);
    for (const item of query ? childElements(query, 'item', NS_DISCO_ITEMS) : []) {
      const jid = item.getAttribute('jid');
      if (!jid) continue;
      try {
        const info = await this.connection.sendIQ($iq({ type: 'get', to: jid }).c('query', { xmlns: NS_DISCO_INFO }));
        const identities = Array.from(info.getElementsByTagName('identity'));
        const features = Array.from(info.getElementsByTagName('feature')).map((f) => f.getAttribute('var'));
        if (identities.some((i) => i.getAttribute('category') === 'conference') && features.includes(NS_MUC)) {
          return jid;
        }
      } catch {
        // not answering: not our service
      }
    }
    return undefined;
  }
}

export function parseRoomInfo(result: Element): RoomInfo {
  const query = firstChild(result, 'query', NS_DISCO_INFO);
  const features = query ? childElements(query, 'feature', NS_DISCO_INFO).map((f) => f.getAttribute('var') ?? '') : [];
  const identity = query ? firstChild(query, 'identity', NS_DISCO_INFO) : undefined;
  const info: RoomInfo = {
    passwordProtected: features.includes('muc_passwordprotected'),
    membersOnly: features.includes('muc_membersonly'),
    moderated: features.includes('muc_moderated'),
    persistent: features.includes('muc_persistent'),
    public: features.includes('muc_public'),
    nonAnonymous: features.includes('muc_nonanonymous'),
    features,
  };
  const name = identity?.getAttribute('name');
  if (name) info.name = name;
  const x = query ? childElements(query, 'x', NS_DATA).find((el) => parseDataForm(el).fields.some((f) => f.var === 'FORM_TYPE' && f.values[0] === NS_MUC_ROOMINFO)) : undefined;
  if (x) {
    const form = parseDataForm(x);
    const count = Number.parseInt(formField(form, 'muc#roominfo_occupants')?.values[0] ?? '', 10);
    if (Number.isFinite(count)) info.occupantCount = count;
    const description = formField(form, 'muc#roominfo_description')?.values[0];
    if (description) info.description = description;
    // XEP-0045 registers muc#roominfo_changesubject; Prosody 0.12 sends muc#roomconfig_changesubject
    // (a boolean without a value is false: Prosody leaves the value out then)
    const changeSubject = formField(form, 'muc#roominfo_changesubject') ?? formField(form, 'muc#roomconfig_changesubject');
    if (changeSubject) info.subjectChangeable = changeSubject.values[0] === '1' || changeSubject.values[0] === 'true';
    const roomName = formField(form, 'muc#roomconfig_roomname')?.values[0];
    if (roomName && !info.name) info.name = roomName;
  }
  return info;
}
