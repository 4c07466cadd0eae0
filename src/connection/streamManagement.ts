import type { SMState, SMStorageBackend, StanzaView, StreamManagementController } from 'strophe.js';

/**
 * XEP-0198 on top of strophe's engine (`connection.sm`), tuned for a busy stream (docs/session.md,
 * "Stream management"):
 *
 * - **Ack requests** (`<r/>`): strophe would send one after every stanza (`maxUnacked`). We send
 *   one per batch instead: at the end of the task in which a stanza that someone waits for went out
 *   (`sendAcked`, e.g. a chat message: its ack stays prompt), otherwise at most every
 *   `ACK_REQUEST_DELAY` ms while stanzas are unacknowledged, and not while an earlier `<r/>` is
 *   unanswered.
 * - **Persistence**: strophe saves its whole state (counters and every unacknowledged stanza) on
 *   every stanza in and out. Written through to Web Storage, that cost grows with the queue and made
 *   a burst of 2,000 stanzas take seconds — long enough for the server's queue to overflow before
 *   a reload, which then could not resume. `BufferedStreamState` keeps the latest state in memory
 *   and writes it when we acknowledge (`<a/>`: the server's idea of our `h` must never be ahead of
 *   the stored one, or it refuses the resumption), after `PERSIST_DELAY` ms, and on `flush()`
 *   (page hide).
 */

/** Longest wait before unacknowledged stanzas get an `<r/>`. */
export const ACK_REQUEST_DELAY = 250;
/** Longest time the stored state may lag behind the live one (unless the page is hidden first). */
export const PERSIST_DELAY = 1000;

/** Strophe's engine with the members we wrap (instance properties override the class methods). */
type Engine = StreamManagementController & {
  requestAck(): void;
  sendAck(): void;
};

/**
 * An entry of strophe's queue of unacknowledged stanzas; `outbox` (ours, kept with strophe's state
 * and so across a page load) is the id of a message an outbox owns (`sendForOutbox`).
 */
type QueueEntry = { name: string; stanza: string; outbox?: string };

/** strophe's list of what it re-sends on the new session after a failed resumption (private in strophe). */
type ResendList = { _pendingResend?: QueueEntry[] };

/** Why a stanza an outbox owns was not acknowledged: the stream's resumption failed, its outbox sends it again. */
export class ResumptionFailedError extends Error {
  constructor(readonly id: string) {
    super(`the stream could not be resumed: message ${id} is left to its outbox`);
    this.name = 'ResumptionFailedError';
  }
}

/** A Web-Storage-backed SMStorageBackend that writes at most every PERSIST_DELAY ms. */
export class BufferedStreamState implements SMStorageBackend {
  private pending?: { key: string; state: SMState };
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly backend: SMStorageBackend) {}

  load(key: string): SMState | null {
    this.flush();
    return this.backend.load(key);
  }

  /** `state` is strophe's live object: it is serialised when written, so the newest values go. */
  save(key: string, state: SMState): void {
    this.pending = { key, state };
    this.timer ??= setTimeout(() => this.flush(), PERSIST_DELAY);
  }

  clear(key: string): void {
    if (this.pending?.key === key) {
      this.cancel();
    }
    this.backend.clear(key);
  }

  /** Writes the latest state now (on `<a/>`, page hide, suspend). */
  flush(): void {
    const pending = this.pending;
    this.cancel();
    if (pending) {
      this.backend.save(pending.key, pending.state);
    }
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}

interface PendingAck {
  /** position of the stanza in the outbound XEP-0198 count once tracked */
  seq?: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** XEP-0198 counters wrap at 2^32 (§5): a difference below 2^31 means "not after". */
function notAfter(seq: number, acked: number): boolean {
  return (acked - seq + 2 ** 32) % 2 ** 32 < 2 ** 31;
}

/**
 * Ack requests, ack-resolved promises and buffered persistence for one strophe connection's
 * stream management engine. Create it before the stream opens; it lives as long as the connection.
 */
export class StreamManagementTuning {
  private pendingAcks = new Map<string, PendingAck>();
  private requestTimer?: ReturnType<typeof setTimeout>;
  private requestUrgent = false;
  /** an `<r/>` went out and its `<a/>` has not come yet */
  private awaitingAck = false;
  /** the id of the message being sent by `sendForOutbox` right now */
  private outboxId?: string;

  constructor(
    private readonly sm: Engine,
    private readonly storage: BufferedStreamState,
  ) {
    const track = sm.trackOutbound.bind(sm);
    sm.trackOutbound = (view: StanzaView) => {
      track(view);
      if (!sm.isTracking()) {
        return;
      }
      if (this.outboxId !== undefined && view.attrs.id === this.outboxId) {
        const queue = sm.state.unacked as QueueEntry[];
        queue[queue.length - 1].outbox = this.outboxId; // (the stored state is written later: it has the mark)
      }
      const pending = view.attrs.id ? this.pendingAcks.get(view.attrs.id) : undefined;
      if (pending && pending.seq === undefined) {
        pending.seq = sm.state.hOutAcked + sm.state.unacked.length;
      }
      this.scheduleRequest(pending !== undefined);
    };
    const request = sm.requestAck.bind(sm);
    sm.requestAck = () => {
      this.awaitingAck = true;
      request();
    };
    const ack = sm.sendAck.bind(sm);
    sm.sendAck = () => {
      ack();
      // the server now knows this h: the stored one must not be lower (a resumption would fail)
      this.storage.flush();
    };
    const failed = sm.onFailed.bind(sm);
    sm.onFailed = (view?: StanzaView, resumeFailed?: boolean) => {
      // After a failed resumption strophe re-sends everything the old stream left unacknowledged
      // on the new session, before the new session's own setup. Only messages are worth it (they
      // carry a delay stamp and someone may wait for their ack); old IQs have no handler any more,
      // and an old initial presence would go out before the roster query (RFC 6121 §2.2) and start
      // the server's presence flood (1,000 contacts: ~2,000 stanzas) ahead of the new session's
      // setup, which then waited seconds for its answers. The new session sends its own presence.
      //
      // Nor the messages an outbox owns (a chat message, a room message, a private message to an
      // occupant): whether the server got them before the stream died is unknown when the
      // <failed/> has no h (a server restart), and re-sending blindly delivered a message the
      // contact had already got a second time. Their outbox keeps them until acknowledged and, on
      // the new session, looks for each in the archive before it sends it again (docs/session.md,
      // "After a failed resumption"). The acks they wait for fail, so the outbox knows.
      const list = sm as unknown as ResendList;
      const leftToOutbox: string[] = [];
      if (resumeFailed && Array.isArray(list._pendingResend)) {
        list._pendingResend = list._pendingResend.filter((entry) => {
          if (entry.outbox !== undefined) {
            leftToOutbox.push(entry.outbox);
          }
          return entry.name === 'message' && entry.outbox === undefined;
        });
      }
      failed(view, resumeFailed);
      for (const id of leftToOutbox) {
        const pending = this.pendingAcks.get(id);
        this.pendingAcks.delete(id);
        pending?.reject(new ResumptionFailedError(id));
      }
    };
    const inbound = sm.onInbound.bind(sm);
    sm.onInbound = (view: StanzaView) => {
      const failedH = view.name === 'failed' ? Number.parseInt(view.attrs.h ?? '', 10) : NaN;
      if (Number.isSafeInteger(failedH)) {
        this.resolveAcked(failedH); // before strophe resets its counters
      }
      inbound(view);
      if (view.name === 'a' || view.name === 'resumed' || view.name === 'enabled' || view.name === 'failed') {
        if (view.name !== 'resumed') {
          this.awaitingAck = false; // <resumed/> is followed by strophe's own <r/> when it re-sent anything
        }
        if (view.name === 'enabled') {
          this.renumber();
        }
        this.resolveAcked(sm.state.hOutAcked);
        if (sm.state.unacked.length > 0) {
          this.scheduleRequest([...this.pendingAcks.values()].some((p) => p.seq !== undefined));
        }
      }
    };
  }

  /**
   * Resolves once the server acknowledged the stanza with this id, which the caller sends right
   * after (strophe tracks it when it is queued). Stays pending across a resumption: strophe
   * re-sends what was unacknowledged, and the ack then comes on the new stream. Rejects when the
   * resumption failed and the stanza is an outbox's (`sendForOutbox`).
   */
  whenAcked(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const earlier = this.pendingAcks.get(id);
      // the same stanza sent again (e.g. from the outbox): both wait for the newer copy
      this.pendingAcks.set(id, earlier ? { resolve: () => (earlier.resolve(), resolve()), reject: (err) => (earlier.reject(err), reject(err)) } : { resolve, reject });
    });
  }

  /**
   * Sends (through `send`, synchronously) the message with this id for an outbox that keeps it
   * until it is acknowledged: if the stream drops before the ack and cannot be resumed, strophe
   * does not re-send it on the next session (its ack, if awaited, rejects with a
   * ResumptionFailedError); the outbox looks for it in the archive and sends it again only if the
   * server does not have it. Also after a page load: the mark is kept in the stored state.
   */
  sendForOutbox(id: string, send: () => void): void {
    this.outboxId = id;
    try {
      send();
    } finally {
      this.outboxId = undefined;
    }
  }

  /**
   * A new XEP-0198 session after a failed resumption: strophe re-sent the salvaged stanzas as the
   * first of the new count. Find the ones we wait for among them.
   */
  private renumber(): void {
    const { unacked, hOutAcked } = this.sm.state;
    for (const [id, pending] of this.pendingAcks) {
      const index = unacked.findIndex((entry: { stanza: string }) => entry.stanza.includes(`id="${id}"`) || entry.stanza.includes(`id='${id}'`));
      pending.seq = index < 0 ? undefined : hOutAcked + index + 1;
    }
  }

  /** The stream ended: no `<r/>` is outstanding on the next one. */
  streamEnded(): void {
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    this.awaitingAck = false;
    this.storage.flush();
  }

  /** Writes the stream state to storage now (the page is being hidden or let go). */
  persist(): void {
    this.storage.flush();
  }

  /**
   * Tells the server now how many stanzas we handled (an `<a/>` it did not ask for, XEP-0198 §4),
   * and stores that count. For a page that goes away: what it handled since the server's last
   * `<r/>` leaves the server's queue, which must stay under its limit (Prosody: 500) for the next
   * page to resume the session.
   */
  acknowledge(): void {
    if (this.sm.enabled && !this.sm.resumePending) {
      this.sm.sendAck(); // wrapped above: the state is stored with it
    } else {
      this.storage.flush();
    }
  }

  private scheduleRequest(urgent: boolean): void {
    if (urgent && !this.requestUrgent) {
      // someone waits for this ack: at the end of this task (one <r/> for everything sent in it)
      clearTimeout(this.requestTimer);
      this.requestTimer = undefined;
    }
    if (this.requestTimer !== undefined || (!urgent && this.awaitingAck)) {
      return;
    }
    this.requestUrgent = urgent;
    this.requestTimer = setTimeout(
      () => {
        this.requestTimer = undefined;
        this.requestUrgent = false;
        if (this.sm.isTracking() && this.sm.state.unacked.length > 0) {
          this.sm.requestAck();
        }
      },
      urgent ? 0 : ACK_REQUEST_DELAY,
    );
  }

  private resolveAcked(acked: number): void {
    for (const [id, pending] of this.pendingAcks) {
      if (pending.seq !== undefined && notAfter(pending.seq, acked)) {
        this.pendingAcks.delete(id);
        pending.resolve();
      }
    }
  }
}
