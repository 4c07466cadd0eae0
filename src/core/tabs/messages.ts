import type { ArchiveCursor } from '../../model/Chats';
import type { StanzaMatch } from '../../connection/stanzaHandlers';
import type { ConnectionState } from '../../connection/status';
import type { OwnPresence } from '../../model/Account';
import type { ChatState } from '../../model/Chat';
import type { AvatarImage, RosterItem } from '../../model/Contact';
import type { Message } from '../../model/Message';
import type { ResourcePresence } from '../../model/Presence';
import type { SubscriptionRequest } from '../../model/Roster';
import type { RosterItemUpdate } from '../../protocol/rosterEdit';
import type { RoomChange, RoomsSnapshot } from './roomSnapshot';
import type { Alert } from '../../model/Alert';

/**
 * The messages tabs of one browser exchange about one account, on its BroadcastChannel
 * (docs/session.md, "Several tabs"). The tab holding the connection is the leader; the others
 * follow. All of it is plain data (structured clone), no functions, no DOM.
 */

/** One contact as the leader knows it: the roster item and what is known beyond it. */
export interface ContactSnapshot {
  item: RosterItem;
  presence: Array<[resource: string, presence: ResourcePresence]>;
  avatar?: AvatarImage;
  blocked: boolean;
}

export interface RosterSnapshot {
  loaded: boolean;
  version?: string;
  contacts: ContactSnapshot[];
  requests: SubscriptionRequest[];
}

/** What a follower's user asks the leader to do. */
export type Intent =
  | { kind: 'setPresence'; show: OwnPresence['show']; status: string }
  | { kind: 'addContact'; contact: RosterItemUpdate }
  | { kind: 'updateContact'; contact: RosterItemUpdate }
  | { kind: 'removeContact'; jid: string }
  | { kind: 'answerSubscription'; jid: string; accept: boolean }
  | { kind: 'addToContactList'; jid: string; name?: string }
  | { kind: 'ownChatState'; peer: string; state: ChatState }
  | { kind: 'displayed'; peer: string }
  /** one page of the one-to-one archive with `peer`, older than `cursor` (Chats.archiveOlderPage) */
  | { kind: 'archiveOlder'; peer: string; cursor: ArchiveCursor }
  | { kind: 'logout' }
  /** a group chat call (RoomProtocol / BookmarkStore method `op`) on the room `room` */
  | { kind: 'room'; op: RoomOp; room?: RoomRef; args: unknown[] }
  /** forget a room, or an invitation (accepted or declined) */
  | { kind: 'forgetRoom'; jid: string }
  | { kind: 'forgetInvitation'; room: string }
  /** the user read the room in the asking tab: its unread count is 0 in every tab */
  | { kind: 'roomRead'; room: string }
  /** a stanza (XML) sent on the account's connection in the asking tab (`account.xmpp.send`) */
  | { kind: 'stanza'; xml: string }
  /** an IQ (XML) sent with `account.xmpp.sendIQ`: answered with `{ result }` or `{ error }` (XML) */
  | { kind: 'iq'; xml: string; timeout: number }
  /** XEP-0191 */
  | { kind: 'block' | 'unblock'; jid: string };

/** What a follower calls on a room: RoomProtocol's methods, and the bookmark store's. */
export type RoomOp =
  | 'join'
  | 'leave'
  | 'destroy'
  | 'getConfigurationForm'
  | 'submitConfigurationForm'
  | 'fetchInfo'
  | 'sendMessage'
  | 'sendPrivateMessage'
  | 'setSubject'
  | 'changeNickname'
  | 'setRole'
  | 'setAffiliation'
  | 'getAffiliationList'
  | 'invite'
  | 'declineInvitation'
  | 'loadHistory'
  | 'browse'
  | 'findConferenceService'
  | 'saveBookmark'
  | 'removeBookmark';

/** A room as the follower has it when it asks: enough for the leader to make it if it is new. */
export interface RoomRef {
  jid: string;
  nickname: string;
  name?: string;
  password?: string;
  bookmark?: { autojoin: boolean; name?: string };
}

/** What the tabs know about this tab's user: is the page shown, does it have the keyboard focus. */
export interface TabAttention {
  tab: string;
  visible: boolean;
  focused: boolean;
  /** the tab is closing */
  gone?: boolean;
}

/** A stanza handler added in a follower tab (`account.xmpp.addHandler`): its id there, what it matches. */
export interface HandlerRegistration {
  id: string;
  match: StanzaMatch;
}

/** A rejection as it crosses the channel (an Error does not clone with its class). */
export interface ErrorData {
  message: string;
  /** for a MucError: its kind and parameters */
  muc?: { kind: string; params: Record<string, unknown> };
}

export type TabMessage =
  /** a follower (new, or after a hand-over) asks the leader for everything */
  | { type: 'hello' }
  /** leader → followers: everything (also its announcement after becoming leader) */
  | { type: 'snapshot'; state: ConnectionState; presence: OwnPresence; roster: RosterSnapshot; rooms?: RoomsSnapshot; blocklist?: string[] }
  | { type: 'state'; state: ConnectionState; presence: OwnPresence }
  | { type: 'roster'; roster: RosterSnapshot }
  /** leader → followers: the contact's XEP-0085 state */
  | { type: 'peerState'; peer: string; state: ChatState }
  /** any tab → the others: it stored (or changed) this message in the shared history */
  | { type: 'stored'; op: 'add' | 'update'; message: Message; older: boolean }
  /** any tab → the leader: the outbox has a new entry */
  | { type: 'outbox' }
  /** leader → followers: the user has read this conversation */
  | { type: 'read'; peer: string }
  /** follower → leader, answered with a `result` of the same id */
  | { type: 'request'; id: string; intent: Intent }
  | { type: 'result'; id: string; error?: string; errorData?: ErrorData; value?: unknown }
  /** leader → followers: what changed in a group chat */
  | { type: 'room'; jid: string; change: RoomChange }
  /** leader → followers: the pending room invitations (`arrived`: the one that just came) */
  | { type: 'invitations'; invitations: RoomsSnapshot['invitations']; arrived?: RoomsSnapshot['invitations'][number] }
  /** leader → followers: the XEP-0191 blocklist (absent: no blocking service) */
  | { type: 'blocklist'; blocklist?: string[] }
  /** follower → leader: this tab's visibility and focus, to choose the tab that notifies */
  | { type: 'attention'; attention: TabAttention }
  /** leader → one follower (`tab`): show this notification */
  | { type: 'alert'; tab: string; alert: Alert }
  /** follower (`tab`) → leader: all the stanza handlers added there, after a change and after each snapshot */
  | { type: 'handlers'; tab: string; handlers: HandlerRegistration[] }
  /** leader → one follower (`tab`): an incoming stanza (XML) its handler `id` matches */
  | { type: 'handled'; tab: string; id: string; xml: string }
  /** the account logged out (in any tab): every tab lets go of it */
  | { type: 'loggedOut' };

const TYPES = new Set<TabMessage['type']>(['hello', 'snapshot', 'state', 'roster', 'peerState', 'stored', 'outbox', 'read', 'request', 'result', 'loggedOut', 'room', 'invitations', 'blocklist', 'attention', 'alert', 'handlers', 'handled']);

/**
 * Whether `data` is a tab message. Other tabs run the same code, but a tab with an older bundle
 * (or a page script) may post anything on the channel: what is not ours is ignored.
 */
export function isTabMessage(data: unknown): data is TabMessage {
  if (!data || typeof data !== 'object' || !TYPES.has((data as TabMessage).type)) {
    return false;
  }
  const m = data as Record<string, unknown>;
  switch (m.type as TabMessage['type']) {
    case 'snapshot':
      return isState(m.state) && isPresence(m.presence) && isRoster(m.roster) && (m.rooms === undefined || isRooms(m.rooms)) && isOptionalList(m.blocklist);
    case 'state':
      return isState(m.state) && isPresence(m.presence);
    case 'roster':
      return isRoster(m.roster);
    case 'peerState':
    case 'read':
      return typeof m.peer === 'string';
    case 'stored':
      return (m.op === 'add' || m.op === 'update') && isMessage(m.message) && typeof m.older === 'boolean';
    case 'request':
      return typeof m.id === 'string' && !!m.intent && typeof m.intent === 'object' && typeof (m.intent as Intent).kind === 'string';
    case 'result':
      return typeof m.id === 'string' && (m.error === undefined || typeof m.error === 'string');
    case 'room':
      return typeof m.jid === 'string' && !!m.change && typeof m.change === 'object' && typeof (m.change as RoomChange).kind === 'string';
    case 'invitations':
      return Array.isArray(m.invitations);
    case 'blocklist':
      return isOptionalList(m.blocklist);
    case 'attention': {
      const a = m.attention as TabAttention;
      return !!a && typeof a === 'object' && typeof a.tab === 'string' && typeof a.visible === 'boolean' && typeof a.focused === 'boolean';
    }
    case 'handlers':
      return typeof m.tab === 'string' && Array.isArray(m.handlers) && m.handlers.every(isHandlerRegistration);
    case 'handled':
      return typeof m.tab === 'string' && typeof m.id === 'string' && typeof m.xml === 'string';
    case 'alert':
      return typeof m.tab === 'string' && !!m.alert && typeof m.alert === 'object' && typeof (m.alert as Alert).kind === 'string';
    default:
      return true;
  }
}

function isRooms(v: unknown): v is RoomsSnapshot {
  const r = v as RoomsSnapshot;
  return !!r && typeof r === 'object' && Array.isArray(r.rooms) && Array.isArray(r.invitations) && r.rooms.every((room) => !!room && typeof room.jid === 'string' && Array.isArray(room.messages) && Array.isArray(room.occupants));
}

function isHandlerRegistration(v: unknown): v is HandlerRegistration {
  const r = v as HandlerRegistration;
  if (!r || typeof r !== 'object' || typeof r.id !== 'string' || !r.match || typeof r.match !== 'object') {
    return false;
  }
  const { ns, name, type, id, from } = r.match;
  const text = (x: unknown) => x === undefined || typeof x === 'string';
  return text(ns) && text(name) && text(id) && text(from) && (text(type) || (Array.isArray(type) && type.every((t) => typeof t === 'string')));
}

function isOptionalList(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function isState(v: unknown): v is ConnectionState {
  return !!v && typeof v === 'object' && typeof (v as ConnectionState).kind === 'string';
}

function isPresence(v: unknown): v is OwnPresence {
  return !!v && typeof v === 'object' && typeof (v as OwnPresence).show === 'string' && typeof (v as OwnPresence).status === 'string';
}

function isRoster(v: unknown): v is RosterSnapshot {
  const r = v as RosterSnapshot;
  return !!r && typeof r === 'object' && Array.isArray(r.contacts) && Array.isArray(r.requests) && r.contacts.every((c) => !!c && typeof c.item?.jid === 'string' && Array.isArray(c.presence));
}

function isMessage(v: unknown): v is Message {
  const m = v as Message;
  return !!m && typeof m === 'object' && typeof m.id === 'string' && typeof m.peer === 'string' && typeof m.body === 'string' && typeof m.timestamp === 'number' && (m.direction === 'in' || m.direction === 'out');
}
