import type { PresenceShow } from './Presence';

/** XEP-0045 §5.2: an occupant's long-lived relation to the room. */
export type Affiliation = 'owner' | 'admin' | 'member' | 'outcast' | 'none';
/** XEP-0045 §5.1: an occupant's role while in the room. */
export type Role = 'moderator' | 'participant' | 'visitor' | 'none';

/** One person in a group chat, as the room presents them. Plain data; the room replaces it on change. */
export interface Occupant {
  nick: string;
  /** real full JID, when the room shows it to us (non-anonymous room, or we are a moderator) */
  jid?: string;
  role: Role;
  affiliation: Affiliation;
  presence: Exclude<PresenceShow, 'offline'>;
  status: string;
  /** true for our own occupant */
  self: boolean;
}

const ROLE_RANK: Record<Role, number> = { moderator: 0, participant: 1, visitor: 2, none: 3 };
const AFFILIATION_RANK: Record<Affiliation, number> = { owner: 0, admin: 1, member: 2, none: 3, outcast: 4 };

/** The order of a participants list: moderators first, then by affiliation, then by nickname. */
export function compareOccupants(a: Occupant, b: Occupant): number {
  return (
    ROLE_RANK[a.role] - ROLE_RANK[b.role] ||
    AFFILIATION_RANK[a.affiliation] - AFFILIATION_RANK[b.affiliation] ||
    a.nick.localeCompare(b.nick, undefined, { sensitivity: 'base' }) ||
    (a.nick < b.nick ? -1 : a.nick > b.nick ? 1 : 0)
  );
}
