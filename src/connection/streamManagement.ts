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

/** strophe's list of what it re-sends on the new session after a failed resumption (private in strophe). */
type ResendList = { _pendingResend?: Array<{ name: string }> };

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
      const list = sm as unknown as ResendList;
      if (resumeFailed && Array.isArray(list._pendingResend)) {
        list._pendingResend = list._pendingResend.filter((entry) => entry.name === 'message');
      }
      failed(view, resumeFailed);
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
   * re-sends what was unacknowledged, and the ack then comes on the new stream.
   */
  whenAcked(id: string): Promise<void> {
    return new Promise((resolve) => {
      const earlier = this.pendingAcks.get(id);
      // the same stanza sent again (e.g. from the outbox): both wait for the newer copy
      this.pendingAcks.set(id, { resolve: earlier ? () => (earlier.resolve(), resolve()) : resolve });
    });
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
