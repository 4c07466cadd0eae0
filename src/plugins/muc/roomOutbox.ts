/**
 * Our room messages and private messages to occupants across a hand-over (docs/muc.md, "Sending
 * across a hand-over"). The tab that asks to send chooses the message's id and XEP-0359 origin-id;
 * whichever tab holds the connection sends it with them. A message that may have been sent before
 * (an earlier leader tab, an earlier session: `attempted`) is looked for first — in the room's
 * timeline (a copy the server gave back), then in the archive since the attempt (the room's for a
 * room message, our own for a private one) — and sent again, with the same ids, only when it is in
 * neither. Until the server confirms it — the room's reflection of a room message, the server's
 * acknowledgement of a private one — it is pending on the room (stored, and mirrored to the other
 * tabs, so a page or tab that takes over knows it).
 */
import { $msg } from 'strophe.js';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomMessage, RoomMessageIds } from '../../model/RoomMessage';
import { newRoomMessageIds } from '../../model/RoomMessage';
import { MucError } from './errors';
import { NS_CORRECT, NS_MUC_USER, NS_STANZA_ID } from './ns';

/** How long a message for a room we want to be in waits for the (re)join. */
const JOIN_WAIT = 15000;

export class RoomOutbox {
  private inflight = new Map<string, Promise<RoomMessage>>();
  /** ids sent by this session: their copy in the timeline is ours, not a mirrored one of an earlier leader */
  private sentHere = new Set<string>();

  constructor(
    /**
     * our message with these ids in the archive since `since` (ms), put into the timeline: the
     * room's (history.ts), or for a private message to `to` our own (privateMessages.ts)
     */
    private readonly findInArchive: (room: MultiUserContact, ids: RoomMessageIds, since: number, to?: string) => Promise<RoomMessage | undefined>,
    /** sends through the messageOut hooks; false when a hook took it (e.g. sent it another way) */
    private readonly sendStanza: (stanza: Element) => Promise<boolean>,
    /** stores the room's pending list as it is now (before a message is sent: nothing lost at a page load) */
    private readonly persist: (room: MultiUserContact) => Promise<void> = () => Promise.resolve(),
    /** as sendStanza, and then the server's acknowledgement (private messages: no reflection) */
    private readonly sendAcked: (stanza: Element) => Promise<{ acked: Promise<void> } | undefined> = async (stanza) => ((await sendStanza(stanza)) ? { acked: Promise.resolve() } : undefined),
  ) {}

  /** Sends `body` with `ids` unless the room has it already; one attempt at a time per id. */
  send(room: MultiUserContact, body: string, ids: RoomMessageIds = newRoomMessageIds()): Promise<RoomMessage> {
    return this.once(room, ids, () => this.deliver(room, body, ids));
  }

  /** A private message to the occupant `nick`, by the same rules (pending until the server's ack). */
  sendPrivate(room: MultiUserContact, nick: string, body: string, ids: RoomMessageIds = newRoomMessageIds()): Promise<RoomMessage> {
    return this.once(room, ids, () => this.deliver(room, body, ids, nick));
  }

  private once(room: MultiUserContact, ids: RoomMessageIds, deliver: () => Promise<RoomMessage>): Promise<RoomMessage> {
    const key = `${room.jid}\u0000${ids.id}`;
    const running = this.inflight.get(key);
    if (running) {
      return running;
    }
    const run = deliver().finally(() => this.inflight.delete(key));
    this.inflight.set(key, run);
    return run;
  }

  /** What is still pending in `room` (left by an earlier leader or session): looked for, sent again if missing. */
  async flush(room: MultiUserContact): Promise<void> {
    for (const entry of room.pendingMessages) {
      const ids = { ...entry, attempted: entry.attempted ?? entry.requested };
      await (entry.to !== undefined ? this.sendPrivate(room, entry.to, entry.body, ids) : this.send(room, entry.body, ids)).catch((err: unknown) => {
        console.warn(`[jsxc] a message to ${room.jid} stays unsent:`, err instanceof Error ? err.message : err);
      });
    }
  }

  private async deliver(room: MultiUserContact, body: string, ids: RoomMessageIds, to?: string): Promise<RoomMessage> {
    const known = room.findOwnMessage(ids.originId, ids.id);
    if (ids.retry && known) {
      // the user sends again a message the room refused (MultiUserContact.retryMessage): not a copy
      // of ours to keep, one more attempt (once: `once` runs one attempt per id at a time)
      this.sentHere.delete(ids.id);
      room.clearMessageError(known.uid);
    }
    // a copy the server gave back (reflection, archive), or our own from this session: nothing to send
    if (known && (known.stanzaId !== undefined || this.sentHere.has(ids.id))) {
      if (known.stanzaId !== undefined) {
        room.settlePending(ids.originId, ids.id);
      }
      return known;
    }
    await whenJoined(room);
    const attempted = ids.attempted ?? room.pendingMessages.find((e) => e.id === ids.id)?.attempted;
    if (attempted !== undefined) {
      const archived = await this.findInArchive(room, ids, attempted, to).catch((err: unknown) => {
        console.warn(`[jsxc] could not look for an unconfirmed message in the archive (${room.jid}); sending it again:`, err instanceof Error ? err.message : err);
        return undefined;
      });
      if (archived) {
        return archived;
      }
    }
    if (!room.isJoined) {
      throw new MucError('not-joined', { room: room.jid });
    }
    const { retry: _retry, ...kept } = ids; // (a retry is one attempt, not what a later flush does)
    room.notePending({ ...kept, body, attempted: attempted ?? Date.now(), ...(to !== undefined ? { to } : {}) });
    await this.persist(room);
    this.sentHere.add(ids.id);
    const stanza = to === undefined ? $msg({ to: room.jid, type: 'groupchat', id: ids.id }) : $msg({ to: `${room.jid}/${to}`, type: 'chat', id: ids.id });
    stanza.c('body').t(body).up().c('origin-id', { xmlns: NS_STANZA_ID, id: ids.originId });
    if (ids.replaces !== undefined && to === undefined) {
      stanza.up().c('replace', { xmlns: NS_CORRECT, id: ids.replaces }); // a correction of ours (XEP-0308)
    }
    if (to !== undefined) {
      stanza.up().c('x', { xmlns: NS_MUC_USER });
    }
    const settle = () => room.settlePending(ids.originId, ids.id);
    try {
      if (to === undefined) {
        if (!(await this.sendStanza(stanza.tree()))) {
          settle(); // a hook took it: no reflection of ours to wait for
        }
      } else {
        const sent = await this.sendAcked(stanza.tree());
        // no ack (the stream went away): stays pending, looked for in our archive by the next leader, page or session
        void (sent ? sent.acked.then(settle, () => undefined) : settle());
      }
    } catch (err) {
      settle();
      throw err;
    }
    const message: RoomMessage = {
      uid: room.newMessageUid(),
      messageId: ids.id,
      originId: ids.originId,
      nick: room.nickname,
      ...(to !== undefined ? { privateWith: to } : {}),
      body,
      time: new Date(),
      direction: 'out',
      type: to === undefined ? 'groupchat' : 'chat',
      mentionsMe: false,
      delayed: false,
      ...(ids.replaces !== undefined && to === undefined ? { replaces: ids.replaces } : {}),
    };
    // (a correction: the message it corrects, with its new text)
    return room.addMessage(message) ?? ownSent(room, ids) ?? message;
  }
}

/** Our message with these ids in the timeline; for a correction of ours (never a message of its own there), the message it corrected. */
export function ownSent(room: MultiUserContact, ids: RoomMessageIds): RoomMessage | undefined {
  return room.findOwnMessage(ids.originId, ids.id) ?? (ids.replaces !== undefined ? room.findOwnMessage(undefined, ids.replaces) : undefined);
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
