/** Reading group chat presence (XEP-0045 §7.2, §9, §10) into plain objects; no side effects. */
import { childElements, childText, firstChild } from '../../protocol/xml';
import { parseShow } from '../../model/Presence';
import type { Affiliation, Role } from '../../model/Occupant';
import { NS_MUC_USER, NS_STANZAS } from './ns';

export interface MucItem {
  affiliation: Affiliation;
  role: Role;
  /** the occupant's real full JID, if the room tells us */
  jid?: string;
  /** in a nickname change (303): the new nickname */
  nick?: string;
  reason?: string;
  /** who did it (for kick/ban), by nickname */
  actor?: string;
}

export interface MucPresence {
  /** room bare JID */
  room: string;
  /** the occupant's nickname (the resource of the "from") */
  nick: string;
  type: 'available' | 'unavailable' | 'error';
  show: ReturnType<typeof parseShow>;
  status: string;
  item?: MucItem;
  /** status codes (XEP-0045 §15.6), e.g. 110 self-presence, 201 room created, 303 nick change */
  codes: number[];
  /** the room was destroyed: reason and alternative venue */
  destroy?: { reason?: string; jid?: string; password?: string };
  /** for type="error": the XMPP condition and text */
  error?: { condition: string; text?: string };
}

const AFFILIATIONS: Affiliation[] = ['owner', 'admin', 'member', 'outcast', 'none'];
const ROLES: Role[] = ['moderator', 'participant', 'visitor', 'none'];

export function parseError(stanza: Element): { condition: string; text?: string } | undefined {
  const error = firstChild(stanza, 'error');
  if (!error) {
    return undefined;
  }
  let condition = 'undefined-condition';
  let text: string | undefined;
  for (const el of childElements(error)) {
    if (el.localName === 'text') {
      text = el.textContent ?? undefined;
    } else if (el.namespaceURI === NS_STANZAS || el.namespaceURI === null) {
      condition = el.localName;
    }
  }
  return { condition, ...(text ? { text } : {}) };
}

/**
 * Parses a presence from a room occupant (room@service/nick). Returns undefined for a presence
 * that is not from an occupant JID.
 */
export function parseMucPresence(stanza: Element): MucPresence | undefined {
  const from = stanza.getAttribute('from') ?? '';
  const slash = from.indexOf('/');
  const room = (slash >= 0 ? from.slice(0, slash) : from).toLowerCase();
  const nick = slash >= 0 ? from.slice(slash + 1) : '';
  const rawType = stanza.getAttribute('type');
  const type = rawType === 'unavailable' ? 'unavailable' : rawType === 'error' ? 'error' : 'available';
  const presence: MucPresence = {
    room,
    nick,
    type,
    show: parseShow(childText(stanza, 'show')),
    status: childText(stanza, 'status') ?? '',
    codes: [],
  };
  if (type === 'error') {
    presence.error = parseError(stanza);
  }
  const x = firstChild(stanza, 'x', NS_MUC_USER);
  if (x) {
    presence.codes = childElements(x, 'status', NS_MUC_USER)
      .map((s) => Number.parseInt(s.getAttribute('code') ?? '', 10))
      .filter((n) => Number.isFinite(n));
    const item = firstChild(x, 'item', NS_MUC_USER);
    if (item) {
      const affiliation = item.getAttribute('affiliation') as Affiliation;
      const role = item.getAttribute('role') as Role;
      presence.item = {
        affiliation: AFFILIATIONS.includes(affiliation) ? affiliation : 'none',
        role: ROLES.includes(role) ? role : 'none',
      };
      const jid = item.getAttribute('jid');
      if (jid) presence.item.jid = jid;
      const newNick = item.getAttribute('nick');
      if (newNick) presence.item.nick = newNick;
      const reason = childText(item, 'reason', NS_MUC_USER);
      if (reason) presence.item.reason = reason;
      const actor = firstChild(item, 'actor', NS_MUC_USER);
      const actorName = actor?.getAttribute('nick') ?? actor?.getAttribute('jid');
      if (actorName) presence.item.actor = actorName;
    }
    const destroy = firstChild(x, 'destroy', NS_MUC_USER);
    if (destroy) {
      presence.destroy = {};
      const reason = childText(destroy, 'reason', NS_MUC_USER);
      if (reason) presence.destroy.reason = reason;
      const venue = destroy.getAttribute('jid');
      if (venue) presence.destroy.jid = venue;
      const password = childText(destroy, 'password', NS_MUC_USER);
      if (password) presence.destroy.password = password;
    }
  }
  return presence;
}

/** Why an occupant left, from the status codes of its unavailable presence. */
export type LeaveReason = 'left' | 'kicked' | 'banned' | 'affiliation' | 'members-only' | 'shutdown' | 'destroyed' | 'nick-change';

export function leaveReason(p: MucPresence): LeaveReason {
  if (p.destroy) return 'destroyed';
  if (p.codes.includes(303)) return 'nick-change';
  if (p.codes.includes(301)) return 'banned';
  if (p.codes.includes(307)) return 'kicked';
  if (p.codes.includes(321)) return 'affiliation';
  if (p.codes.includes(322)) return 'members-only';
  if (p.codes.includes(332)) return 'shutdown';
  return 'left';
}
