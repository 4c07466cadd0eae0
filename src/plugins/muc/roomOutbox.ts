/**
 * Our room messages across a hand-over (docs/muc.md, "Sending across a hand-over"). The tab that
 * asks to send chooses the message's id and XEP-0359 origin-id; whichever tab holds the connection
 * sends it with them. A message that may have been sent before (an earlier leader tab, an earlier
 * session: `attempted`) is looked for first — in the room's timeline (its reflection came), then in
 * the room's archive since the attempt — and sent again, with the same ids, only when it is in
 * neither. Until the room reflects it, it is pending on the room (mirrored to the other tabs, so
 * a tab that takes over knows it).
 */
import { $msg } from 'strophe.js';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomMessage, RoomMessageIds } from '../../model/RoomMessage';
import { newRoomMessageIds } from '../../model/RoomMessage';
import { MucError } from './errors';
import { NS_STANZA_ID } from './ns';

/** How long a message for a room we want to be in waits for the (re)join. */
const JOIN_WAIT = 15000;

export class RoomOutbox {
  private inflight = new Map<string, Promise<RoomMessage>>();
  /** ids sent by this session: their copy in the timeline is ours, not a mirrored one of an earlier leader */
  private sentHere = new Set<string>();

  constructor(
    /** our message with these ids in the room's archive since `since` (ms), put into the timeline (history.ts) */
    private readonly findInArchive: (room: MultiUserContact, ids: RoomMessageIds, since: number) => Promise<RoomMessage | undefined>,
    /** sends through the messageOut hooks; false when a hook took it (e.g. sent it another way) */
    private readonly sendStanza: (stanza: Element) => Promise<boolean>,
    /** stores the room's pending list as it is now (before a message is sent: nothing lost at a page load) */
    private readonly persist: (room: MultiUserContact) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Sends `body` with `ids` unless the room has it already; one attempt at a time per id. */
  send(room: MultiUserContact, body: string, ids: RoomMessageIds = newRoomMessageIds()): Promise<RoomMessage> {
    const key = `${room.jid}\u0000${ids.id}`;
    const running = this.inflight.get(key);
    if (running) {
      return running;
    }
    const run = this.deliver(room, body, ids).finally(() => this.inflight.delete(key));
    this.inflight.set(key, run);
    return run;
  }

  /** What is still pending in `room` (left by an earlier leader or session): looked for, sent again if missing. */
  async flush(room: MultiUserContact): Promise<void> {
    for (const entry of room.pendingMessages) {
      await this.send(room, entry.body, { ...entry, attempted: entry.attempted ?? entry.requested }).catch((err: unknown) => {
        console.warn(`[jsxc] a message to ${room.jid} stays unsent:`, err instanceof Error ? err.message : err);
      });
    }
  }

  private async deliver(room: MultiUserContact, body: string, ids: RoomMessageIds): Promise<RoomMessage> {
    const known = room.findOwnMessage(ids.originId, ids.id);
    // a copy the room gave back (reflection, archive), or our own from this session: nothing to send
    if (known && (known.stanzaId !== undefined || this.sentHere.has(ids.id))) {
      if (known.stanzaId !== undefined) {
        room.settlePending(ids.originId, ids.id);
      }
      return known;
    }
    await whenJoined(room);
    const attempted = ids.attempted ?? room.pendingMessages.find((e) => e.id === ids.id)?.attempted;
    if (attempted !== undefined) {
      const archived = await this.findInArchive(room, ids, attempted).catch((err: unknown) => {
        console.warn(`[jsxc] could not look for an unconfirmed message in the archive of ${room.jid}; sending it again:`, err instanceof Error ? err.message : err);
        return undefined;
      });
      if (archived) {
        return archived;
      }
    }
    if (!room.isJoined) {
      throw new MucError('not-joined', { room: room.jid });
    }
    room.notePending({ ...ids, body, attempted: attempted ?? Date.now() });
    await this.persist(room);
    this.sentHere.add(ids.id);
    const stanza = $msg({ to: room.jid, type: 'groupchat', id: ids.id }).c('body').t(body).up().c('origin-id', { xmlns: NS_STANZA_ID, id: ids.originId }).tree();
    let sent: boolean;
    try {
      sent = await this.sendStanza(stanza);
    } catch (err) {
      room.settlePending(ids.originId, ids.id);
      throw err;
    }
    if (!sent) {
      room.settlePending(ids.originId, ids.id); // a hook took it: no reflection of ours to wait for
    }
    const message: RoomMessage = { uid: room.newMessageUid(), messageId: ids.id, originId: ids.originId, nick: room.nickname, body, time: new Date(), direction: 'out', type: 'groupchat', mentionsMe: false, delayed: false };
    return room.addMessage(message) ?? room.findOwnMessage(ids.originId, ids.id) ?? message;
  }
}

/** Resolves once we are in the room; a room we want to be in (being rejoined after a hand-over) is waited for. */
function whenJoined(room: MultiUserContact): Promise<void> {
  if (room.isJoined || !room.wantJoined || room.state === 'error') {
    return Promise.resolve(); // not joined: the caller says so
  }
  return new Promise<void>((resolve) => {
    const done = () => {
      off();
      clearTimeout(timer);
      resolve();
    };
    const off = room.on('state', (state) => state !== 'joining' && state !== 'left' && done());
    const timer = setTimeout(done, JOIN_WAIT);
  });
}
