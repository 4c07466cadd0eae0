/**
 * Our room messages not yet reflected by the room, and our private messages to its occupants not
 * yet acknowledged by the server (`to`), kept in the account's message store (IndexedDB) so that
 * none is lost when the page goes away right after sending (docs/muc.md, "Sending across a
 * hand-over"): written before the message is sent, read back into the room when a later page (or
 * session) has the room again, which then looks for each in the room's archive (a private message:
 * in our own) and sends it again if missing. Only the tab holding the connection writes (the
 * plugin runs there).
 */
import type { KeyValueStore } from '../../model/HistoryStore';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { PendingRoomMessage } from '../../model/RoomMessage';

/** Entries older than this are given up (with a warning): the room was never opened again. */
const GIVE_UP_AFTER = 7 * 24 * 3600 * 1000;

const keyOf = (room: string): string => `roomPending:${room}`;

export class PendingRoomMessages {
  /** per room: the stored entries merged into the room, then every write in order */
  private readonly chains = new Map<string, Promise<void>>();
  /** per room: the write queued behind the chain and not started yet */
  private readonly queued = new Map<string, Promise<void>>();

  constructor(private readonly storage: () => Promise<KeyValueStore>) {}

  /**
   * Takes the stored entries of `room` into it (once per room and session), and keeps the store
   * in step with the room's pending list from then on. Returns the stop function.
   */
  track(room: MultiUserContact): () => void {
    if (!this.chains.has(room.jid)) {
      this.chains.set(room.jid, this.restore(room));
    }
    return room.on('pending', () => void this.save(room));
  }

  /** Resolves once the stored entries of a tracked room are in it (and what was written since is stored). */
  restored(room: MultiUserContact): Promise<void> {
    return this.chains.get(room.jid) ?? Promise.resolve();
  }

  /**
   * Resolves once the room's pending list as it is now is stored (or could not be). A write that
   * is queued and not started yet serves every later call: it stores the list as it is when it
   * starts (a message sent is noted, its 'pending' event saves, and the sender waits for that).
   */
  save(room: MultiUserContact): Promise<void> {
    const waiting = this.queued.get(room.jid);
    if (waiting) {
      return waiting;
    }
    const previous = this.chains.get(room.jid) ?? this.restore(room);
    const next = previous.then(() => {
      this.queued.delete(room.jid);
      return this.write(room);
    });
    this.queued.set(room.jid, next);
    this.chains.set(room.jid, next);
    return next;
  }

  private async restore(room: MultiUserContact): Promise<void> {
    try {
      const store = await this.storage();
      const stored = (await store.getItem<PendingRoomMessage[]>(keyOf(room.jid))) ?? [];
      const known = new Set(room.pendingMessages.map((e) => e.id));
      const now = Date.now();
      for (const entry of stored) {
        if (known.has(entry.id)) {
          continue;
        }
        if (now - (entry.attempted ?? entry.requested) > GIVE_UP_AFTER) {
          console.warn(`[jsxc] a message to ${room.jid} was never confirmed by the room and is given up:`, entry.body.slice(0, 80));
          continue;
        }
        room.notePending(entry);
      }
    } catch (err) {
      console.warn(`[jsxc] the unconfirmed messages to ${room.jid} could not be read:`, err instanceof Error ? err.message : err);
    }
  }

  private async write(room: MultiUserContact): Promise<void> {
    try {
      const store = await this.storage();
      const entries = room.pendingMessages;
      await (entries.length > 0 ? store.setItem(keyOf(room.jid), entries) : store.removeItem(keyOf(room.jid)));
    } catch (err) {
      console.warn(`[jsxc] the unconfirmed messages to ${room.jid} could not be stored:`, err instanceof Error ? err.message : err);
    }
  }
}
