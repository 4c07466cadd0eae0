/**
 * Earlier private messages of a room (with its occupants, room@service/nick) from our own archive
 * (XEP-0313 on our account, `with` = the room's bare JID: Prosody's mod_mam keeps both directions
 * there). The room's archive has none of them, so without this a page load or a new session would
 * show the room's history without them. Loaded when the room is joined (the newest page, and on
 * over the time the room's join history covers) and at scroll-back (over the time the room's older
 * page covers), bounded, merged into the timeline as private messages. docs/muc.md, "Private
 * messages after a page load".
 */
import type { XmppConnection } from '../../connection/XmppConnection';
import { JID } from '../../model/JID';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomMessage } from '../../model/RoomMessage';
import { firstChild } from '../../protocol/xml';
import { type ArchiveOwner, queryArchivePage, walkArchiveForward } from './history';
import { delayStamp } from './messages';
import { NS_FORWARD, NS_RSM } from './ns';
import { toPrivateMessage } from './privateMessages';

/** results asked for per query */
export const PRIVATE_PAGE_SIZE = 50;
/** at most this many pages per load (a join or a scroll-back): 200 private messages */
export const PRIVATE_MAX_PAGES = 4;

/** Loaded back to this time (ms); -Infinity: the whole conversation. */
type LoadedFrom = number;

export class PrivateHistory {
  private loadedFrom = new WeakMap<MultiUserContact, LoadedFrom>();
  /** one load at a time per room (a join's and a scroll-back's) */
  private chains = new WeakMap<MultiUserContact, Promise<unknown>>();

  constructor(
    private readonly connection: XmppConnection,
    private readonly ownJid: string,
  ) {}

  /**
   * The room was joined (its join history is in): the newest page of our private messages in it,
   * and older pages while they are still within the time the room's messages cover. Joined again
   * in this page (they were loaded): only what our archive has after the newest of them that we
   * have. Never throws: a server without an archive only logs.
   */
  onJoined(room: MultiUserContact): Promise<RoomMessage[]> {
    return this.serialised(room, async () => {
      const newest = this.loadedFrom.has(room) ? newestArchivedPrivate(room) : undefined;
      if (newest !== undefined) {
        const newer = await this.loadNewer(room, newest).catch((err: unknown) => {
          console.warn(`[jsxc] could not load the newer private messages of ${room.jid}; loading the newest:`, err instanceof Error ? err.message : err);
          return undefined;
        });
        if (newer?.complete) {
          return newer.added;
        }
        // (more than the bound since then: the newest pages as at a first join; what lies between is not loaded)
      }
      const oldestRoom = room.isHistoryComplete ? undefined : oldestRoomMessageTime(room);
      const { added, reachedFrom } = await this.load(room, {}, oldestRoom, 'append');
      this.noteLoaded(room, reachedFrom);
      return added;
    });
  }

  /**
   * Our private messages in the room that our archive has after the one with archive id `after`,
   * oldest first, appended: at most PRIVATE_MAX_PAGES pages. `complete`: up to the newest.
   */
  private async loadNewer(room: MultiUserContact, after: string): Promise<{ added: RoomMessage[]; complete: boolean }> {
    const added: RoomMessage[] = [];
    const end = await walkArchiveForward(this.connection, { from: this.ownJid, with: room.jid }, { after }, PRIVATE_MAX_PAGES, (results) => {
      for (const result of results) {
        const message = this.toRoomPrivate(room, result);
        const stored = message && room.addServerCopy(message, 'append');
        if (stored) added.push(stored);
      }
      return false;
    });
    return { added, complete: end === 'end' };
  }

  /**
   * The room's older page was added (scroll-back): our private messages from the time its oldest
   * message was sent (all of them once the room's history is complete) up to what we have.
   */
  onOlderPage(room: MultiUserContact): Promise<RoomMessage[]> {
    return this.serialised(room, async () => {
      const loaded = this.loadedFrom.get(room);
      if (loaded === -Infinity) {
        return [];
      }
      const from = room.isHistoryComplete ? undefined : oldestRoomMessageTime(room);
      if (from !== undefined && loaded !== undefined && from >= loaded) {
        return []; // we have every private message since then
      }
      const span = { ...(from !== undefined ? { start: new Date(from) } : {}), ...(loaded !== undefined ? { end: new Date(loaded) } : {}) };
      const { added, reachedFrom } = await this.load(room, span, from, 'prepend');
      this.noteLoaded(room, reachedFrom);
      return added;
    });
  }

  private serialised(room: MultiUserContact, work: () => Promise<RoomMessage[]>): Promise<RoomMessage[]> {
    const run = (this.chains.get(room) ?? Promise.resolve())
      .catch(() => undefined)
      .then(work)
      .catch((err: unknown) => {
        console.warn(`[jsxc] could not load the private messages of ${room.jid} from our archive:`, err instanceof Error ? err.message : err);
        return [] as RoomMessage[];
      });
    this.chains.set(room, run);
    return run;
  }

  private noteLoaded(room: MultiUserContact, reachedFrom: LoadedFrom): void {
    if (reachedFrom === Infinity) {
      return; // (no result had a time)
    }
    this.loadedFrom.set(room, Math.min(this.loadedFrom.get(room) ?? Infinity, reachedFrom));
  }

  /**
   * Walks our archive backwards (newest first) within `span`, pages of PRIVATE_PAGE_SIZE, until a
   * page reaches back to `until` (ms; undefined: to the beginning), the archive ends, or
   * PRIVATE_MAX_PAGES. Returns what was new to the timeline and how far back we now have all.
   */
  private async load(room: MultiUserContact, span: { start?: Date; end?: Date }, until: number | undefined, mode: 'append' | 'prepend'): Promise<{ added: RoomMessage[]; reachedFrom: LoadedFrom }> {
    const owner: ArchiveOwner = { from: this.ownJid, with: room.jid };
    const found: RoomMessage[] = []; // newest first
    let before = '';
    let reachedFrom: LoadedFrom = Infinity;
    let done = false;
    for (let page = 0; page < PRIVATE_MAX_PAGES && !done; page += 1) {
      const { results, fin } = await queryArchivePage(this.connection, owner, PRIVATE_PAGE_SIZE, { ...span, before });
      for (const result of [...results].reverse()) {
        const stamp = delayStamp(firstChild(result, 'forwarded', NS_FORWARD) ?? result)?.getTime();
        reachedFrom = stamp !== undefined ? Math.min(reachedFrom, stamp) : reachedFrom;
        const message = this.toRoomPrivate(room, result);
        if (message) found.push(message);
      }
      const set = fin && firstChild(fin, 'set', NS_RSM);
      const first = set && firstChild(set, 'first', NS_RSM)?.textContent;
      if (fin?.getAttribute('complete') === 'true' || results.length === 0 || !first) {
        // nothing older within the span: we have it all from its start on
        reachedFrom = span.start ? span.start.getTime() : -Infinity;
        done = true;
      } else if (until !== undefined && reachedFrom <= until) {
        done = true;
      }
      before = first ?? '';
    }
    // (bounded: what is older than the oldest we got comes at the next scroll-back)
    // appended oldest first, prepended newest first: messages of the same second keep their order
    const added: RoomMessage[] = [];
    for (const message of mode === 'append' ? [...found].reverse() : found) {
      const stored = room.addServerCopy(message, mode);
      if (stored) added.push(stored);
    }
    return { added: added.sort(byTime), reachedFrom };
  }

  /** An archived result of the conversation with the room as a private message of the room (or undefined). */
  private toRoomPrivate(room: MultiUserContact, result: Element): RoomMessage | undefined {
    const forwarded = firstChild(result, 'forwarded', NS_FORWARD);
    const inner = forwarded && firstChild(forwarded, 'message');
    if (!forwarded || !inner || inner.getAttribute('type') === 'groupchat' || inner.getAttribute('type') === 'error') {
      return undefined;
    }
    const fromRoom = JID.tryParse(inner.getAttribute('from'))?.bare === room.jid;
    const toRoom = JID.tryParse(inner.getAttribute('to'))?.bare === room.jid;
    const fromUs = !inner.getAttribute('from') || JID.tryParse(inner.getAttribute('from'))?.bare === this.ownJid;
    const direction = fromRoom ? 'in' : toRoom && fromUs ? 'out' : undefined;
    if (!direction) {
      return undefined;
    }
    const time = delayStamp(forwarded);
    const message = toPrivateMessage(room, inner, direction, { stanzaId: result.getAttribute('id') ?? undefined, ...(time ? { time } : {}) });
    if (message) {
      message.delayed = true;
    }
    return message;
  }
}

const byTime = (a: RoomMessage, b: RoomMessage) => a.time.getTime() - b.time.getTime();

/** When the oldest message of the room itself (not a private one) in the timeline was sent (ms). */
function oldestRoomMessageTime(room: MultiUserContact): number | undefined {
  return room.messages.find((m) => m.type === 'groupchat')?.time.getTime();
}

/**
 * Our archive's id of the newest private message of the room that has one (an archived copy, or a
 * live one with our server's stanza-id): we have what the archive has up to it.
 */
function newestArchivedPrivate(room: MultiUserContact): string | undefined {
  return [...room.messages].reverse().find((m) => m.type === 'chat' && m.stanzaId !== undefined)?.stanzaId;
}
