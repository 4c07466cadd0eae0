/** Room history from the room's archive (XEP-0313 on the room JID), a page at a time, newest first. */
import { $iq } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomMessage, RoomMessageIds } from '../../model/RoomMessage';
import type { HistoryPage } from '../../model/RoomList';
import { firstChild } from '../../protocol/xml';
import type { AccountHooks, IncomingStanza } from '../Plugin';
import { requestError } from './admin';
import { delayStamp, toRoomMessage } from './messages';
import { NS_FORWARD, NS_MAM, NS_RSM, NS_STANZA_ID } from './ns';
import { ownSent } from './roomOutbox';

let queryCounter = 0;

/**
 * Which archive page: after an archive id, else before one ('' = the newest page), else (with a
 * `start` only) the oldest page from that time on; `start` / `end` narrow the query to a time span.
 */
export interface Position {
  before?: string;
  after?: string;
  start?: Date;
  end?: Date;
}

/**
 * Whose archive: the room's (XEP-0313 on the room JID), or our own personal archive (`to` absent,
 * results from our bare JID or without a from) narrowed to one conversation (`with`).
 */
export interface ArchiveOwner {
  to?: string;
  from: string;
  with?: string;
}

const roomArchive = (room: MultiUserContact): ArchiveOwner => ({ to: room.jid, from: room.jid });

/** One archive query: the results (oldest first) and the <fin/>. */
export async function queryArchivePage(connection: XmppConnection, owner: ArchiveOwner, max: number, position: Position): Promise<{ results: Element[]; fin?: Element }> {
  queryCounter += 1;
  const queryid = `mucmam-${queryCounter}`;
  const results: Element[] = [];
  const off = connection.addHandler(
    (stanza) => {
      const result = firstChild(stanza, 'result', NS_MAM);
      const from = stanza.getAttribute('from')?.toLowerCase();
      if (result?.getAttribute('queryid') === queryid && (from === owner.from || (!from && !owner.to))) {
        results.push(result);
      }
    },
    { name: 'message' },
  );
  const iq = $iq({ type: 'set', ...(owner.to ? { to: owner.to } : {}) }).c('query', { xmlns: NS_MAM, queryid });
  const fields: Array<[string, string]> = [];
  if (owner.with) fields.push(['with', owner.with]);
  if (position.start) fields.push(['start', position.start.toISOString()]);
  if (position.end) fields.push(['end', position.end.toISOString()]);
  if (fields.length > 0) {
    iq.c('x', { xmlns: 'jabber:x:data', type: 'submit' }).c('field', { var: 'FORM_TYPE', type: 'hidden' }).c('value').t(NS_MAM).up().up();
    for (const [name, value] of fields) {
      iq.c('field', { var: name }).c('value').t(value).up().up();
    }
    iq.up();
  }
  iq.c('set', { xmlns: NS_RSM }).c('max').t(String(max)).up();
  if (position.after) {
    iq.c('after').t(position.after);
  } else if (position.before) {
    iq.c('before').t(position.before);
  } else if (position.before === '') {
    iq.c('before');
  }
  try {
    const answer = await connection.sendIQ(iq);
    return { results, fin: firstChild(answer, 'fin', NS_MAM) ?? undefined };
  } catch (err) {
    throw requestError(owner.with ?? owner.from, err);
  } finally {
    off();
  }
}

/** Clocks differ: the archive is searched from this long before our attempt. */
const CLOCK_SLACK = 5 * 60 * 1000;
/**
 * At most this many pages of 50 are walked for one message: 10,000 messages in the conversation
 * between the attempt (minus CLOCK_SLACK) and the check. A hand-over or a page load takes seconds,
 * and an entry older than a week is given up (pendingRoomMessages.ts).
 */
const MAX_PAGES = 200;

/**
 * Walks the archive forward (oldest first) from `from` (a `start` time, and/or `after` an archive
 * id), pages of 50, handing each page's results to `take` until it returns true ('stopped'), the
 * archive ends ('end') or `maxPages` pages were read ('bound').
 */
export async function walkArchiveForward(connection: XmppConnection, owner: ArchiveOwner, from: Pick<Position, 'start' | 'after'>, maxPages: number, take: (results: Element[]) => boolean): Promise<'stopped' | 'end' | 'bound'> {
  let after = from.after;
  for (let page = 0; page < maxPages; page += 1) {
    const { results, fin } = await queryArchivePage(connection, owner, 50, { ...(from.start ? { start: from.start } : {}), ...(after ? { after } : {}) });
    if (take(results)) {
      return 'stopped';
    }
    const last = fin && firstChild(firstChild(fin, 'set', NS_RSM) ?? fin, 'last', NS_RSM)?.textContent;
    if (fin?.getAttribute('complete') === 'true' || results.length === 0 || !last) {
      return 'end';
    }
    after = last;
  }
  return 'bound';
}

/**
 * The first archived result since `since` (ms, our clock) that `match` accepts: the archive is
 * walked forward from shortly before `since`, up to MAX_PAGES pages.
 */
export async function findInArchiveSince(connection: XmppConnection, owner: ArchiveOwner, since: number, match: (result: Element) => boolean): Promise<Element | undefined> {
  let found: Element | undefined;
  await walkArchiveForward(connection, owner, { start: new Date(since - CLOCK_SLACK) }, MAX_PAGES, (results) => (found = results.find(match)) !== undefined);
  return found;
}

/** Puts archived results into the room's timeline; returns those that were new to it. */
async function addArchived(hooks: AccountHooks, room: MultiUserContact, results: Element[], mode: 'append' | 'prepend', own?: boolean): Promise<RoomMessage[]> {
  const added: RoomMessage[] = [];
  for (const result of results) {
    const forwarded = firstChild(result, 'forwarded', NS_FORWARD);
    const inner = forwarded && firstChild(forwarded, 'message');
    if (!forwarded || !inner) continue;
    const incoming: IncomingStanza = { stanza: inner };
    await hooks.messageIn.run(incoming);
    if (incoming.handled) continue;
    const time = delayStamp(forwarded);
    const message = toRoomMessage(room, incoming.stanza, { stanzaId: result.getAttribute('id') ?? undefined, ...(time ? { time } : {}), ...(own ? { own } : {}) });
    if (message) {
      message.delayed = true;
      const stored = room.addServerCopy(message, mode);
      if (stored) added.push(stored);
    }
  }
  return added;
}

/**
 * Whether a forwarded archived message is ours with these ids: its origin-id (ours: whatever our
 * nickname was then), else our current nickname and the id (a server that dropped the origin-id).
 */
function isOwnCopy(result: Element, room: MultiUserContact, ids: RoomMessageIds): boolean {
  const inner = firstChild(firstChild(result, 'forwarded', NS_FORWARD) ?? result, 'message');
  if (!inner) {
    return false;
  }
  if (firstChild(inner, 'origin-id', NS_STANZA_ID)?.getAttribute('id') === ids.originId) {
    return true;
  }
  const from = inner.getAttribute('from') ?? '';
  return inner.getAttribute('id') === ids.id && from.slice(from.indexOf('/') + 1) === room.nickname;
}

/**
 * Our message with `ids` in the room's archive since `since` (ms, our clock): a copy sent by an
 * earlier leader tab whose reflection never reached us. Puts it into the timeline as ours (also
 * under an earlier nickname; no longer pending) and returns the timeline's copy, or undefined when
 * the room does not have it.
 */
export async function findOwnInRoomArchive(connection: XmppConnection, hooks: AccountHooks, room: MultiUserContact, ids: RoomMessageIds, since: number): Promise<RoomMessage | undefined> {
  const match = await findInArchiveSince(connection, roomArchive(room), since, (r) => isOwnCopy(r, room, ids));
  if (!match) {
    return undefined;
  }
  await addArchived(hooks, room, [match], 'append', true);
  return ownSent(room, ids);
}

export async function loadRoomHistory(connection: XmppConnection, hooks: AccountHooks, room: MultiUserContact, max: number): Promise<HistoryPage> {
  if (!Number.isInteger(max) || max < 1) {
    throw new TypeError(`The page size must be a positive integer, got ${JSON.stringify(max)}`);
  }
  const { results, fin } = await queryArchivePage(connection, roomArchive(room), max, { before: room.oldestArchivedId ?? '' });
  // newest first, each prepended: the page ends up in its order before what we have
  const added = await addArchived(hooks, room, [...results].reverse(), 'prepend');
  const set = fin && firstChild(fin, 'set', NS_RSM);
  const first = set && firstChild(set, 'first', NS_RSM)?.textContent;
  if (first) {
    room.setArchiveCursor(first);
  }
  const complete = fin?.getAttribute('complete') === 'true' || results.length === 0;
  if (complete) {
    room.markHistoryComplete();
  }
  added.sort((a, b) => a.time.getTime() - b.time.getTime());
  return { messages: added, complete };
}

/**
 * What the room said after the newest message we have (one page of `max`): after a BOSH session
 * was taken over (another tab of the browser, docs/session.md), a response the previous page's
 * last request carried never arrived. Returns the number of messages new to the timeline.
 */
export async function catchUpRoomHistory(connection: XmppConnection, hooks: AccountHooks, room: MultiUserContact, max = 50): Promise<number> {
  // (a private message's stanza-id is our own archive's)
  const newest = [...room.messages].reverse().find((m) => m.stanzaId && m.type === 'groupchat')?.stanzaId;
  if (!newest) {
    return 0;
  }
  const { results } = await queryArchivePage(connection, roomArchive(room), max, { after: newest });
  return (await addArchived(hooks, room, results, 'append')).length;
}
