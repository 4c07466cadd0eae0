import { $pres } from 'strophe.js';

/** The presence we chose for ourselves; `offline` means logged out. */
export interface OwnPresence {
  show: 'online' | 'away' | 'dnd' | 'xa' | 'chat' | 'offline';
  status: string;
}

const SHOWS: OwnPresence['show'][] = ['online', 'away', 'dnd', 'xa', 'chat', 'offline'];

/** Account.setPresence's arguments: a TypeError naming what is wrong. */
export function checkOwnPresence(show: unknown, status: unknown): asserts show is OwnPresence['show'] {
  if (!SHOWS.includes(show as OwnPresence['show'])) {
    throw new TypeError(`setPresence(show): show must be one of ${SHOWS.join(', ')}, got ${JSON.stringify(show)}`);
  }
  if (typeof status !== 'string') {
    throw new TypeError(`setPresence(show, status): status must be a string, got ${typeof status}`);
  }
}

/** Our available presence, with `<show/>` and `<status/>` where given (before the presenceOut hooks). */
export function presenceStanza(show?: 'away' | 'dnd' | 'xa' | 'chat', status?: string): Element {
  const pres = $pres();
  if (show) {
    pres.c('show').t(show).up();
  }
  if (status) {
    pres.c('status').t(status).up();
  }
  return pres.tree();
}
