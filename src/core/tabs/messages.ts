import type { ConnectionState } from '../../connection/status';
import type { OwnPresence } from '../../model/Account';
import type { ChatState } from '../../model/Chat';
import type { AvatarImage, RosterItem } from '../../model/Contact';
import type { Message } from '../../model/Message';
import type { ResourcePresence } from '../../model/Presence';
import type { SubscriptionRequest } from '../../model/Roster';
import type { RosterItemUpdate } from '../../protocol/rosterEdit';

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
  | { kind: 'logout' };

export type TabMessage =
  /** a follower (new, or after a hand-over) asks the leader for everything */
  | { type: 'hello' }
  /** leader → followers: everything (also its announcement after becoming leader) */
  | { type: 'snapshot'; state: ConnectionState; presence: OwnPresence; roster: RosterSnapshot }
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
  | { type: 'result'; id: string; error?: string }
  /** the account logged out (in any tab): every tab lets go of it */
  | { type: 'loggedOut' };

const TYPES = new Set<TabMessage['type']>(['hello', 'snapshot', 'state', 'roster', 'peerState', 'stored', 'outbox', 'read', 'request', 'result', 'loggedOut']);

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
      return isState(m.state) && isPresence(m.presence) && isRoster(m.roster);
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
    default:
      return true;
  }
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
