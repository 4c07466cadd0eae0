import { Strophe, $pres, MemoryStorageBackend } from 'strophe.js';
import type { SMStorageBackend } from 'strophe.js';
import { Emitter } from '../core/Emitter';
import type { ScramKeys } from '../core/SessionStore';
import { JID } from '../model/JID';
import { ownPath, sendAcked, SendOptions } from './ackedSend';
import { proveAttached } from './boshAttach';
import { boshRidsOf, BoshRids, resendUnanswered, silenceAbandonedRequests, watchBoshRequests } from './boshRequests';
import { EarlyMessages } from './earlyMessages';
import { logFramesInDebugMode } from './protocolLog';
import { handlerArgs, StanzaHandlerRef, StanzaHandlers, StanzaMatch } from './stanzaHandlers';
import { ConnectionError, StanzaError } from './errors';
import { Status, StatusNumber, statusName } from './status';
import { forwardIQ, StanzaForwarder, stanzaXml } from './stanzaForward';
import { openStream } from './streamOpening';
import { BufferedStreamState, StreamManagementTuning } from './streamManagement';
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

export { setProtocolDebugLogging } from './protocolLog';

interface ConnectionEvents {
  /** Every strophe status change, with strophe's condition string where it gives one. */
  status: [status: StatusNumber, condition: string | undefined];
  /**
   * BOSH: a request went out or was answered; the next request id and the oldest unanswered one,
   * for re-attaching after a page load
   */
  rid: [rids: BoshRids];
  /**
   * BOSH: whether the last request failed (network, 5xx): true while strophe retransmits, false
   * once a response arrives again. A WebSocket drops at once instead.
   */
  trouble: [failing: boolean];
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
  /** stanza handlers, and the error reply to IQ requests none of them took (RFC 6120 §8.2.3) */
  private readonly handlers: StanzaHandlers;
  /** XEP-0198 ack requests, acked promises and persistence (WebSocket only) */
  private readonly streamManagement?: StreamManagementTuning;
  /** messages that arrived before the chat plugin's handler (see takeEarlyMessages) */
  private readonly early: EarlyMessages;

  constructor(private readonly options: XmppConnectionOptions) {
    super();
    this.transport = transportFor(options.url);
    const websocket = this.transport === 'websocket';
    const storage = new BufferedStreamState(options.streamManagementStorage ?? new MemoryStorageBackend());
    this.strophe = new Strophe.Connection(options.url, {
      protocol: websocket ? 'ws' : undefined,
      // XEP-0198 (strophe supports it over WebSocket): server acks for what we send, resumption.
      // Ack requests are ours (maxUnacked 0 turns strophe's per-stanza <r/> off): streamManagement.ts
      enableStreamManagement: websocket,
      streamManagement: { maxUnacked: 0, requestResume: true, storage },
    } as ConstructorParameters<typeof Strophe.Connection>[1]);
    this.early = new EarlyMessages(this.strophe);
    this.handlers = new StanzaHandlers(this.strophe, () => this.connected);
    if (this.strophe.sm) {
      this.streamManagement = new StreamManagementTuning(this.strophe.sm as ConstructorParameters<typeof StreamManagementTuning>[0], storage);
      this.on('status', (status) => status === Status.DISCONNECTED && this.streamManagement?.streamEnded());
    }
    if (!websocket) {
      // abandoned BOSH requests stay abandoned (strophe's retry timers would send them later)
      silenceAbandonedRequests(this.strophe._proto);
    }
    logFramesInDebugMode(this.strophe);
    if (!websocket) {
      watchBoshRequests(this.strophe, {
        rids: (rids) => this.connected && this.emit('rid', rids),
        trouble: (failing) => this.emit('trouble', failing),
        onEnded: (ended) => this.on('status', (status) => status === Status.DISCONNECTED && ended()),
      });
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

  /** SCRAM client/server keys of the last SCRAM login: a later login needs them, not the password. */
  get scramKeys(): ScramKeys | undefined {
    const keys = this.strophe.scram_keys as Partial<ScramKeys> | null;
    return keys && typeof keys.ck === 'string' && typeof keys.sk === 'string' && typeof keys.name === 'string' ? (keys as ScramKeys) : undefined;
  }

  /**
   * BOSH: the session id, the next request id and the oldest unanswered one (see BoshRids;
   * undefined over WebSocket or when closed).
   */
  get boshSession(): { sid: string; rid: number; ridUnanswered?: number } | undefined {
    const now = this.transport === 'bosh' ? boshRidsOf(this.strophe) : undefined;
    return now && { sid: now.sid, rid: now.next, ...(now.unanswered !== undefined ? { ridUnanswered: now.unanswered } : {}) };
  }

  /** Whether the current stream continued an earlier XEP-0198 session instead of binding anew. */
  get resumed(): boolean {
    return this.strophe.sm?.resumed === true;
  }

  /** Whether the server announced this stream feature (e.g. XEP-0237 roster versioning). */
  hasStreamFeature(namespace: string): boolean {
    const features = this.strophe.features;
    return !!features && Array.from(features.childNodes).some((n) => (n as Element).namespaceURI === namespace);
  }

  /**
   * Opens the stream and logs in, with the password or with SCRAM keys of an earlier SCRAM login
   * (then only that SCRAM variant is offered to the server). Over WebSocket, strophe resumes the
   * XEP-0198 session stored for this JID instead of binding when it can (see `resumed`). Resolves
   * once the session is established; rejects with a ConnectionError (AUTHFAIL, CONNFAIL,
   * CONNTIMEOUT…) whose message names the cause.
   */
  async connect(jid: JID, credential: string | ScramKeys): Promise<void> {
    const allMechanisms = this.strophe.mechanisms;
    if (typeof credential !== 'string') {
      const name = `SCRAM-${credential.name}`;
      this.strophe.mechanisms = allMechanisms[name] ? { [name]: allMechanisms[name] } : {};
    }
    const login = () => this.open(jid, (callback) => this.strophe.connect(jid.full, credential, callback));
    try {
      await login();
    } catch (err) {
      const { status } = err as ConnectionError;
      if (!this.strophe.sm?.resumePending || status === Status.AUTHFAIL || status === Status.CONNTIMEOUT) {
        throw err;
      }
      // The stream closed while our <resume/> waited for its answer. Prosody 0.12 does that when it
      // cannot resume (more unacknowledged stanzas than its queue keeps: e.g. a reload during the
      // burst after a first presence to 1,000 contacts) — its <failed/> does not reach us, and the
      // session is gone. Ask again at once instead of after a backoff: the server then answers
      // <failed/>, and strophe binds a new session on that stream (re-sending what was unacked).
      await login();
    } finally {
      this.strophe.mechanisms = allMechanisms;
    }
  }

  /**
   * BOSH only: continues a session that exists on the server (prebind by the host's server, or
   * ours before a page load) with its sid and the next rid, and checks that the server still knows
   * it (a ping). `unanswered`: the oldest rid the last page sent without getting an answer — the
   * server may never have got it (lost, or the page went away before it went out), and would hold
   * every later request until it comes; it (and any after it, up to `rid`) is sent again first,
   * empty (docs/session.md, "A request the server never got"). Rejects with a ConnectionError;
   * condition "item-not-found" means the server does not know the session (any more).
   */
  async attach(jid: JID, sid: string, rid: number, unanswered?: number): Promise<void> {
    if (this.transport !== 'bosh') {
      throw new ConnectionError('Attaching to an existing session works over BOSH only', Status.CONNFAIL, 'bad-transport', this.url);
    }
    // strophe has at most two requests open: more than two unanswered ones is no record of ours
    const resend = unanswered !== undefined && unanswered < rid && rid - unanswered <= 2 ? rid - unanswered : 0;
    await this.open(jid, (callback) => this.strophe.attach(jid.full, sid, rid - resend, callback));
    resendUnanswered(this.strophe, resend);
    await proveAttached(this, this.strophe, { jid, sid, timeout: this.options.connectTimeout }, () => this.abort(Status.CONNTIMEOUT, 'timeout'));
  }

  private open(jid: JID, start: (callback: (status: number, condition?: string | null) => void) => void): Promise<void> {
    return openStream({
      jid,
      url: this.url,
      connectTimeout: this.options.connectTimeout,
      start,
      onStatus: (status, condition) => this.setStatus(status, condition),
      onOpen: () => {
        this.handlers.answerUnhandledRequests();
        this.early.collect();
      },
      abort: (status, condition) => this.abort(status, condition),
    });
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

  /**
   * Lets go of the stream without ending the server session, as a page that unloads does: BOSH
   * requests are abandoned (the server keeps the session until its inactivity timeout), a WebSocket
   * closes without </stream> (the server keeps an XEP-0198 session resumable).
   */
  drop(): void {
    if (this.state !== Status.DISCONNECTED) {
      this.abort(Status.DISCONNECTED, 'dropped');
    }
  }

  /**
   * Writes the XEP-0198 state (counters, unacknowledged stanzas) to storage now instead of within
   * the next second, and tells the server our count of handled stanzas (`<a/>`): for a page that is
   * being hidden or unloaded, so the next page resumes (docs/session.md, "Stream management").
   */
  persistStreamState(): void {
    if (this.connected) {
      this.streamManagement?.acknowledge();
    } else {
      this.streamManagement?.persist();
    }
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

  /** Sends a stanza (`forOutbox`: a message an outbox owns, see SendOptions). */
  send(stanza: StanzaBuilder, options: SendOptions = {}): void {
    if (this.forward) {
      this.forward.send(stanzaXml(stanza as Element));
      return;
    }
    const element = stanza && typeof (stanza as { tree?: unknown }).tree === 'function' ? (stanza as { tree(): Element }).tree() : (stanza as Element);
    const id = options.forOutbox ? element?.getAttribute?.('id') : null;
    if (id && this.streamManagement) {
      this.streamManagement.sendForOutbox(id, () => this.strophe.send(stanza));
    } else {
      this.strophe.send(stanza);
    }
  }

  private forward: StanzaForwarder | undefined;

  /**
   * Several tabs: while another tab holds the account's connection, `send` and `sendIQ` go there
   * (`undefined`: this connection again). Handlers: see LastingHandlers.
   */
  forwardTo(forward: StanzaForwarder | undefined): void {
    this.forward = forward;
  }

  /**
   * Sends a stanza and resolves once the server has it: acknowledged by XEP-0198 where the stream
   * has it (WebSocket), otherwise when a ping sent right after it is answered (the server handles a
   * stream's stanzas in order). Under XEP-0198 a stanza still unacknowledged when the stream drops
   * stays pending: strophe re-sends it after a resumption or on the next session, and it resolves
   * when that is acknowledged — except a message an outbox owns (`forOutbox`) when the resumption
   * failed: that rejects (ResumptionFailedError), and its outbox sends it again if the server does
   * not have it.
   */
  sendAcked(stanza: Element, options: SendOptions = {}): Promise<void> {
    const forward = this.forward;
    const path = forward
      ? { send: (s: Element) => forward.send(stanzaXml(s)), uniqueId: () => this.strophe.getUniqueId('msg'), domain: this.strophe.domain, streamManagement: undefined }
      : ownPath(this.strophe, this.streamManagement);
    return sendAcked(path, (ping) => this.sendIQ(ping), stanza, options);
  }

  /** Sends an IQ and resolves with the result stanza, or rejects with a StanzaError. */
  sendIQ(stanza: Parameters<StropheConnection['sendIQ']>[0], timeout = 20000): Promise<Element> {
    if (this.forward) {
      return forwardIQ(this.forward, stanza as Element, timeout);
    }
    return new Promise((resolve, reject) => {
      this.strophe.sendIQ(stanza, resolve, (error: Element | null) => reject(StanzaError.from(error)), timeout);
    });
  }

  /**
   * Registers a stanza handler on this stream; returns a function that removes it
   * (`deleteHandler(ref)` calls it). `addHandler(handler, { ns, name, type, id, from })`: the
   * handler stays registered until removed or the stream ends (a throwing handler is logged, not
   * dropped). Strophe's form `addHandler(handler, ns, name, type, id, from)` (null for any): the
   * handler stays while it returns true, as in strophe. `ns` matches the namespace of the stanza or
   * of one of its direct children (its payload). This is the connection plugins get in `attach`;
   * `account.xmpp.addHandler` (LastingHandlers) keeps its handlers across streams and tabs.
   */
  addHandler(handler: (stanza: Element) => void, match: StanzaMatch): StanzaHandlerRef;
  addHandler(handler: (stanza: Element) => unknown, ns?: string | null, name?: string | null, type?: string | string[] | null, id?: string | null, from?: string | null): StanzaHandlerRef;
  addHandler(handler: (stanza: Element) => unknown, matchOrNs?: StanzaMatch | string | null, name?: string | null, type?: string | string[] | null, id?: string | null, from?: string | null): StanzaHandlerRef {
    const { match, strophe } = handlerArgs(matchOrNs, name, type, id, from);
    return this.handlers.add(handler, match, strophe);
  }

  /** Removes a handler added with `addHandler` (strophe's name for calling its remover). */
  deleteHandler(ref: StanzaHandlerRef): void {
    ref();
  }

  /**
   * The <message/>s that arrived since the stream opened and before this call, in order; from now
   * on only the handlers see them. For the handler that processes messages, right after adding it.
   */
  takeEarlyMessages(): Element[] {
    return this.early.take();
  }

  /**
   * The <message/>s that arrived since the stream opened, without taking them: for a handler of
   * some messages only (group chat), added before the one that takes them (the chat plugin's).
   */
  peekEarlyMessages(): Element[] {
    return this.early.peek();
  }

  /** Strophe status name, for logs. */
  describeStatus(): string {
    return statusName(this.state);
  }
}
