import { Strophe, $iq, $pres, MemoryStorageBackend } from 'strophe.js';
import type { SMStorageBackend, StanzaView } from 'strophe.js';
import { Emitter } from '../core/Emitter';
import { JID } from '../model/JID';
import { ConnectionError, StanzaError } from './errors';
import { Status, StatusNumber, statusName } from './status';
import { Transport, transportFor } from './transport';

type StropheConnection = InstanceType<typeof Strophe.Connection>;
type StanzaBuilder = Parameters<StropheConnection['send']>[0];

export interface XmppConnectionOptions {
  /** BOSH or WebSocket URL; see transportFor(). */
  url: string;
  /** Milliseconds a connection attempt may take before it is abandoned. */
  connectTimeout: number;
  /** Where XEP-0198 resumption state lives (WebSocket only); default: memory. */
  streamManagementStorage?: SMStorageBackend;
}

const NS_PING = 'urn:xmpp:ping';

interface PendingAck {
  /** position of the stanza in the outbound XEP-0198 count once tracked */
  seq?: number;
  resolve: () => void;
}

interface ConnectionEvents {
  /** Every strophe status change, with strophe's condition string where it gives one. */
  status: [status: StatusNumber, condition: string | undefined];
}

// strophe logs every frame at DEBUG by default; a host page's console gets only warnings
// unless debug mode is on (jsxc.enableDebugMode()).
Strophe.setLogLevel(Strophe.LogLevel.WARN);

let frameLogging = false;

/** Debug mode: strophe's own debug log, and every frame of connections made from now on. */
export function setProtocolDebugLogging(on: boolean): void {
  Strophe.setLogLevel(on ? Strophe.LogLevel.DEBUG : Strophe.LogLevel.WARN);
  frameLogging = on;
}

/** Random resource part, so two sessions of the same user never collide. */
export function randomResource(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return 'jsxc-' + Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 10);
}

/**
 * One XMPP stream of one account, over BOSH or WebSocket (strophe.js underneath). It knows
 * nothing about rosters or the UI: it connects, authenticates (strophe prefers SCRAM over PLAIN),
 * sends and dispatches stanzas, and reports its status.
 */
export class XmppConnection extends Emitter<ConnectionEvents> {
  readonly transport: Transport;
  private strophe: StropheConnection;
  private state: StatusNumber = Status.DISCONNECTED;
  /** IQ requests some handler took care of; the others get an error reply (RFC 6120 §8.2.3) */
  private handledRequests = new WeakSet<Element>();

  constructor(private readonly options: XmppConnectionOptions) {
    super();
    this.transport = transportFor(options.url);
    const websocket = this.transport === 'websocket';
    this.strophe = new Strophe.Connection(options.url, {
      protocol: websocket ? 'ws' : undefined,
      // XEP-0198 (strophe supports it over WebSocket): server acks for what we send, resumption
      enableStreamManagement: websocket,
      streamManagement: { maxUnacked: 1, requestResume: true, storage: options.streamManagementStorage ?? new MemoryStorageBackend() },
    } as ConstructorParameters<typeof Strophe.Connection>[1]);
    this.watchAcks();
    if (frameLogging) {
      this.strophe.rawInput = (data: string) => console.debug('[jsxc] RECV', data);
      this.strophe.rawOutput = (data: string) => console.debug('[jsxc] SENT', data);
    }
  }

  get url(): string {
    return this.options.url;
  }

  get status(): StatusNumber {
    return this.state;
  }

  get connected(): boolean {
    return this.state === Status.CONNECTED || this.state === Status.ATTACHED;
  }

  /** The full JID the server bound for this stream (after connecting). */
  get jid(): JID | undefined {
    return this.strophe.jid && this.strophe.jid.includes('/') ? JID.parse(this.strophe.jid) : undefined;
  }

  /** Whether XEP-0198 is active on this stream (acks and resumption). */
  get usesStreamManagement(): boolean {
    return this.strophe.sm?.enabled === true;
  }

  /** The SASL mechanism used for the last login, e.g. "SCRAM-SHA-1". */
  get saslMechanism(): string | undefined {
    return this.strophe._sasl_mechanism?.mechname;
  }

  /**
   * Opens the stream and logs in. Resolves once the session is established; rejects with a
   * ConnectionError (AUTHFAIL, CONNFAIL, CONNTIMEOUT…) whose message names the cause.
   */
  connect(jid: JID, password: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (status: StatusNumber, condition: string | undefined, message: string) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          reject(new ConnectionError(message, status, condition, this.url));
        }
      };
      const timer = setTimeout(() => {
        if (!settled) {
          fail(Status.CONNTIMEOUT, 'timeout', `Could not reach the XMPP server at ${this.url} within ${Math.round(this.options.connectTimeout / 1000)} s`);
          this.abort(Status.CONNTIMEOUT, 'timeout');
        }
      }, this.options.connectTimeout);

      this.strophe.connect(jid.full, password, (status: number, condition?: string | null) => {
        const cond = condition ?? undefined;
        this.setStatus(status as StatusNumber, cond);
        switch (status) {
          case Status.CONNECTED:
            this.answerUnhandledRequests();
            if (!settled) {
              settled = true;
              clearTimeout(timer);
              resolve();
            }
            break;
          case Status.AUTHFAIL:
            fail(Status.AUTHFAIL, cond, `Authentication failed for ${jid.bare}: wrong username or password`);
            break;
          case Status.CONNFAIL:
          case Status.ERROR:
          case Status.CONNTIMEOUT:
            fail(status, cond, this.describeFailure(cond));
            break;
          case Status.DISCONNECTED:
            fail(Status.CONNFAIL, cond, this.describeFailure(cond));
            break;
        }
      });
    });
  }

  private describeFailure(condition: string | undefined): string {
    return condition && condition !== 'unknown'
      ? `Could not connect to the XMPP server at ${this.url} (${condition})`
      : `Could not reach the XMPP server at ${this.url}`;
  }

  /** Ends the session cleanly (unavailable presence, stream close) and waits for it. */
  disconnect(reason = 'logout'): Promise<void> {
    if (this.state === Status.DISCONNECTED) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const off = this.on('status', (status) => {
        if (status === Status.DISCONNECTED) {
          off();
          clearTimeout(timer);
          resolve();
        }
      });
      // strophe gives up waiting for the server after its own disconnection timeout (3 s)
      const timer = setTimeout(() => {
        off();
        this.abort(Status.DISCONNECTED, 'timeout');
        resolve();
      }, 5000);
      if (this.connected) {
        this.strophe.send($pres({ type: 'unavailable' }));
      }
      this.strophe.disconnect(reason);
    });
  }

  /** Drops the stream at once, without talking to the server, and stops strophe's retries. */
  private abort(status: StatusNumber, condition: string): void {
    if (status !== Status.DISCONNECTED) {
      this.setStatus(status, condition);
    }
    const internals = this.strophe as unknown as { _proto: { _abortAllRequests?: () => void }; _doDisconnect(condition?: string): void };
    try {
      internals._proto._abortAllRequests?.();
      // reports DISCONNECTED through the connect callback
      internals._doDisconnect(condition);
    } catch {
      // a half-open stream may fail to tear down: nothing more to clean up here
    }
    if (this.state !== Status.DISCONNECTED) {
      this.setStatus(Status.DISCONNECTED, condition);
    }
  }

  private setStatus(status: StatusNumber, condition: string | undefined): void {
    this.state = status;
    this.emit('status', status, condition);
  }

  send(stanza: StanzaBuilder): void {
    this.strophe.send(stanza);
  }

  private pendingAcks = new Map<string, PendingAck>();

  /**
   * Sends a stanza and resolves once the server has it: acknowledged by XEP-0198 where the stream
   * has it (WebSocket), otherwise when a ping sent right after it is answered (the server handles a
   * stream's stanzas in order). Under XEP-0198 a stanza still unacknowledged when the stream drops
   * stays pending: strophe re-sends it after a resumption or on the next session, and it resolves
   * when that is acknowledged.
   */
  sendAcked(stanza: Element): Promise<void> {
    let id = stanza.getAttribute('id');
    if (!id) {
      id = this.strophe.getUniqueId('msg');
      stanza.setAttribute('id', id);
    }
    if (this.strophe.sm?.enabled) {
      const key = id;
      return new Promise((resolve) => {
        this.pendingAcks.set(key, { resolve });
        this.strophe.send(stanza);
      });
    }
    this.strophe.send(stanza);
    const ping = $iq({ type: 'get', to: this.strophe.domain ?? '' }).c('ping', { xmlns: NS_PING });
    return this.sendIQ(ping).then(
      () => undefined,
      (err: StanzaError) => {
        if (err.condition === 'timeout') {
          throw err;
        }
        // an error reply to the ping still proves the server processed what came before it
      },
    );
  }

  /** Ties XEP-0198 acknowledgements to the stanzas sendAcked() is waiting for. */
  private watchAcks(): void {
    const sm = this.strophe.sm;
    if (!sm) {
      return;
    }
    const track = sm.trackOutbound.bind(sm);
    sm.trackOutbound = (view: StanzaView) => {
      track(view);
      const pending = view.attrs.id ? this.pendingAcks.get(view.attrs.id) : undefined;
      if (pending) {
        pending.seq = sm.state.hOutAcked + sm.state.unacked.length;
      }
    };
    const input = this.strophe.xmlInput.bind(this.strophe);
    this.strophe.xmlInput = (elem: Node | MessageEvent) => {
      input(elem);
      if (this.pendingAcks.size > 0) {
        // strophe handles the <a/> after xmlInput; look once it has
        setTimeout(() => this.resolveAcked(), 0);
      }
    };
  }

  private resolveAcked(): void {
    const sm = this.strophe.sm;
    if (!sm) {
      return;
    }
    const acked = sm.state.hOutAcked;
    for (const [id, pending] of this.pendingAcks) {
      // counters wrap at 2^32 (XEP-0198 §5); a difference below 2^31 means "not after"
      if (pending.seq !== undefined && (acked - pending.seq + 2 ** 32) % 2 ** 32 < 2 ** 31) {
        this.pendingAcks.delete(id);
        pending.resolve();
      }
    }
  }

  /** Sends an IQ and resolves with the result stanza, or rejects with a StanzaError. */
  sendIQ(stanza: Parameters<StropheConnection['sendIQ']>[0], timeout = 20000): Promise<Element> {
    return new Promise((resolve, reject) => {
      this.strophe.sendIQ(stanza, resolve, (error: Element | null) => reject(StanzaError.from(error)), timeout);
    });
  }

  /**
   * Registers a stanza handler; returns a function that removes it. The handler stays registered
   * until removed (a throwing handler is logged, not dropped).
   */
  addHandler(handler: (stanza: Element) => void, match: { ns?: string; name?: string; type?: string | string[]; from?: string }): () => void {
    const ref = this.strophe.addHandler(
      (stanza: Element) => {
        if (stanza.nodeName === 'iq') {
          this.handledRequests.add(stanza);
        }
        try {
          handler(stanza);
        } catch (err) {
          console.error(`[jsxc] handler for <${match.name ?? '*'}> failed:`, err);
        }
        return true;
      },
      match.ns ?? null,
      match.name ?? null,
      match.type ?? null,
      null,
      match.from ?? null,
    );
    return () => this.strophe.deleteHandler(ref);
  }

  /**
   * An IQ get/set that no handler takes gets a service-unavailable error, as RFC 6120 requires,
   * instead of leaving the requester waiting. Checked after the other handlers have run.
   */
  private answerUnhandledRequests(): void {
    this.strophe.addHandler(
      (iq: Element) => {
        setTimeout(() => {
          if (this.handledRequests.has(iq) || !this.connected) {
            return;
          }
          const reply = $iq({ type: 'error', id: iq.getAttribute('id') ?? '', ...(iq.getAttribute('from') ? { to: iq.getAttribute('from')! } : {}) });
          reply.c('error', { type: 'cancel' }).c('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' });
          this.strophe.send(reply);
        }, 0);
        return true;
      },
      null,
      'iq',
      ['get', 'set'],
    );
  }

  /** Strophe status name, for logs. */
  describeStatus(): string {
    return statusName(this.state);
  }
}
