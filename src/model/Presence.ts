/** A contact's or our own availability, as shown to a person. */
export type PresenceShow = 'online' | 'chat' | 'away' | 'dnd' | 'xa' | 'offline';

/** What one resource (one client) of a contact last announced. */
export interface ResourcePresence {
  show: Exclude<PresenceShow, 'offline'>;
  status: string;
  priority: number;
}

const RANK: Record<PresenceShow, number> = { chat: 5, online: 4, away: 3, xa: 2, dnd: 1, offline: 0 };

/** Sort order: the more available, the earlier. */
export function presenceRank(show: PresenceShow): number {
  return RANK[show];
}

/** The presence of the "best" resource: highest priority, then most available. */
export function aggregatePresence(resources: Iterable<ResourcePresence>): ResourcePresence | undefined {
  let best: ResourcePresence | undefined;
  for (const r of resources) {
    if (!best || r.priority > best.priority || (r.priority === best.priority && RANK[r.show] > RANK[best.show])) {
      best = r;
    }
  }
  return best;
}

/** Reads the <show/> child of an available presence stanza. */
export function parseShow(value: string | null | undefined): Exclude<PresenceShow, 'offline'> {
  switch (value) {
    case 'chat':
    case 'away':
    case 'dnd':
    case 'xa':
      return value;
    default:
      return 'online';
  }
}
