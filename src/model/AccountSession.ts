import { backoffDelay } from '../connection/backoff';
import { ConnectionError } from '../connection/errors';
import { resumeSession } from '../connection/resume';
import { ConnectionState, Status, StatusNumber } from '../connection/status';
import { XmppConnection } from '../connection/XmppConnection';
import type { RosterCache } from '../core/RosterCache';
import type { SessionRecord, SessionStore } from '../core/SessionStore';
import { handlePresence, probeContacts } from '../protocol/presence';
import { fetchRoster, handleRosterPushes, NS_ROSTER_VERSIONING } from '../protocol/roster';
import { handleSubscriptionRequests } from '../protocol/subscription';
import type { JID } from './JID';
import type { Roster } from './Roster';

/** What the account's session needs to know and do (the Account, docs/session.md). */
export interface SessionHost {
  readonly roster: Roster;
  /** what a person is told (the Connection status region) */
  readonly state: ConnectionState;
  setState(state: ConnectionState): void;
  /** strophe status numbers, for options.connectionCallback */
  reportStatus(status: StatusNumber, condition: string | undefined): void;
  /** a session became usable */
  sessionEstablished(event: { resumed: boolean; jid: string }): void;
  /** a new session's initial presence: the one we chose (online if it was offline) */
  sendInitialPresence(): Promise<void>;
  /** every enabled plugin attaches to the session on `connection`; teardowns go into `detach` */
  attachPlugins(connection: XmppConnection, resumed: boolean, detach: Array<() => void>): Promise<void>;
  /** the contact list from the roster cache, until the server's */
  paintCachedRoster(): Promise<void>;
}

export interface SessionSettings {
  url: string;
  connectTimeout: number;
  /** our JID, with the resource we ask the server to bind */
  jid: JID;
  sessions: SessionStore;
  rosterCache: RosterCache;
}

/**
 * One account's connection lifecycle (docs/session.md): log in, prebind, restore a stored session
 * after a page load (BOSH attach, XEP-0198 resumption, or a new session with the SCRAM keys), set a
 * session up (handlers, plugins, roster, presence), reconnect with backoff after network trouble,
 * expire, suspend and log out. It owns the strophe connection and the session record; what the
 * user sees goes through the host (the Account). No DOM here.
 */
export class AccountSession {
  private stream: XmppConnection;
  private readonly jid: JID;
  private readonly uid: string;
  private detach: Array<() => void> = [];
  /** true from disconnect() on: a drop is then no reason to reconnect */
  private closing = false;
  private reconnectTimer?: ReturnType<typeof setTimeout>;
  private reconnectAttempt = 0;
  /** true while a restored or reconnected session is being set up (plugins, roster, presence) */
  private establishing = false;
  /** counts the streams that ended: a setup that outlived its stream must not report "online" */
  private streamGeneration = 0;
  /** whether this page has seen our contacts' presence in the current session */
  private presenceKnown = false;
  /** whether `connection` has been used for a session: the next login or prebind makes a new one */
  private connectionUsed = false;
  private offConnection: Array<() => void> = [];
  /** BOSH requests fail while strophe retransmits them: say so, and say when they work again. */
  private streamTrouble = false;

  constructor(
    private readonly settings: SessionSettings,
    private readonly host: SessionHost,
  ) {
    this.jid = settings.jid;
    this.uid = settings.jid.bare;
    this.stream = this.newConnection();
  }

  /** The protocol-level connection of the current (or last) session. */
  get connection(): XmppConnection {
    return this.stream;
  }

  /** Our full JID (as bound by the server once online). */
  get fullJid(): string {
    return this.stream.jid?.full ?? this.jid.full;
  }

  /**
   * Logs out: ends the session on the server (or has `otherTab` do it, when another tab of the
   * browser holds the connection) and forgets everything stored about it.
   */
  async logout(otherTab?: () => Promise<void>): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.forget();
    await (otherTab ? otherTab() : this.stream.disconnect());
    this.host.setState({ kind: 'offline' });
  }

  /** A strophe connection of its own, listened to until the next one replaces it. */
  private newConnection(): XmppConnection {
    const connection = new XmppConnection({
      url: this.settings.url,
      connectTimeout: this.settings.connectTimeout,
      streamManagementStorage: this.settings.sessions.streamManagementStorage(),
    });
    this.offConnection = [
      connection.on('status', (status, condition) => this.onStatus(status, condition)),
      connection.on('rid', ({ next, unanswered }) => this.settings.sessions.update(this.uid, { rid: next, ridUnanswered: unanswered, sid: connection.boshSession?.sid })),
      connection.on('trouble', (failing) => this.onStreamTrouble(failing)),
    ];
    return connection;
  }

  /**
   * A new session (login, prebind) gets a new strophe connection: strophe keeps timers of an ended
   * one (e.g. the close of a WebSocket) that would end the next stream. The old one is let go and
   * no longer heard. Reconnects keep theirs (XEP-0198 state, unacknowledged stanzas).
   */
  private freshConnection(): XmppConnection {
    if (this.connectionUsed) {
      clearTimeout(this.reconnectTimer);
      this.offConnection.forEach((off) => off());
      this.stream.drop();
      this.streamEnded();
      this.stream = this.newConnection();
    }
    this.connectionUsed = true;
    return this.stream;
  }

  /**
   * Logs in, fetches the roster and announces our presence. Resolves when all of that is done;
   * rejects with a ConnectionError otherwise.
   */
  async connect(password: string): Promise<void> {
    this.closing = false;
    const connection = this.freshConnection();
    this.host.setState({ kind: 'connecting' });
    try {
      await connection.connect(this.jid, password);
      await this.established(false);
    } catch (err) {
      if (connection !== this.stream) {
        throw err; // a later login or prebind replaced this one: the state is its own
      }
      this.forget(); // a failed login leaves nothing behind
      const error = err as ConnectionError;
      this.host.setState(
        error.status === Status.AUTHFAIL ? { kind: 'authfail' } : error.status === Status.CONNFAIL || error.status === Status.CONNTIMEOUT ? { kind: 'unreachable', url: this.settings.url } : { kind: 'error', condition: error.condition ?? 'unknown' },
      );
      throw err;
    }
  }

  /**
   * Prebind: continues a BOSH session the host's server created (sid, and the rid of the next
   * request). For us it is a new session: roster, initial presence and plugins are set up.
   */
  async attach(sid: string, rid: number): Promise<void> {
    this.closing = false;
    const connection = this.freshConnection();
    this.host.setState({ kind: 'connecting' });
    try {
      await connection.attach(this.jid, sid, rid);
      await this.established(false);
    } catch (err) {
      if (connection !== this.stream) {
        throw err;
      }
      this.forget();
      this.host.setState({ kind: 'error', condition: (err as ConnectionError).condition ?? 'unknown' });
      throw err;
    }
  }

  /**
   * Continues a stored session after a page load: paints the cached roster at once, then attaches
   * (BOSH) or logs in with the stored SCRAM keys and resumes (WebSocket). Never rejects: the outcome
   * is the account's state (online, reconnecting, or expired).
   */
  async restore(record: SessionRecord): Promise<void> {
    this.host.setState({ kind: 'connecting' });
    // the connection starts at once, side by side with the cache read: the session is set up
    // (roster fetched or not) only once the cached roster is in
    const painted = this.host.paintCachedRoster().catch((err: unknown) => console.warn('[jsxc] the cached roster could not be read:', err));
    await this.reestablish(record, painted);
  }

  private async reestablish(record = this.settings.sessions.get(this.uid), cachePainted?: Promise<void>): Promise<void> {
    if (!record) {
      this.expire('no stored session');
      return;
    }
    this.connectionUsed = true;
    const outcome = await resumeSession(this.stream, record, () => this.settings.sessions.update(this.uid, { sid: undefined, rid: undefined, ridUnanswered: undefined }));
    await cachePainted;
    if (this.closing) {
      return;
    }
    if (outcome.kind === 'expired') {
      this.expire(outcome.reason);
    } else if (outcome.kind === 'retry') {
      this.scheduleReconnect();
    } else {
      this.establishing = true;
      try {
        await this.established(outcome.resumed);
      } catch (err) {
        console.warn(`[jsxc] ${this.uid}: setting up the session failed:`, err instanceof Error ? err.message : err);
        if (!this.stream.connected && this.reconnectTimer === undefined) {
          this.scheduleReconnect();
        }
      } finally {
        this.establishing = false;
      }
    }
  }

  /**
   * A session is usable: stanza handlers and plugins attach (strophe drops every handler when a
   * stream ends, so this runs for resumed sessions too, with `resumed: true`). A new session
   * fetches the roster (versioned where the server can) and sends initial presence.
   */
  private async established(resumed: boolean): Promise<void> {
    this.reconnectAttempt = 0;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const stream = this.streamGeneration;
    if (!resumed) {
      this.settings.sessions.clearServerState(this.uid); // a new server session: what the previous one had is gone
    }
    this.persist();
    this.detach.push(handleRosterPushes(this.stream, this.jid, this.host.roster), handlePresence(this.stream, this.host.roster), handleSubscriptionRequests(this.stream, this.jid, this.host.roster));
    // the plugins' handlers are in place once attachPlugins returns its promise; what they ask the
    // server (e.g. the blocklist on a new session) travels together with the roster query
    const plugins = this.host.attachPlugins(this.stream, resumed, this.detach);
    const roster = !resumed || !this.host.roster.isLoaded ? fetchRoster(this.stream, this.host.roster, this.stream.hasStreamFeature(NS_ROSTER_VERSIONING)) : undefined;
    await Promise.all([plugins, roster]);
    this.stream.takeEarlyMessages(); // nobody took them (chat plugin disabled): stop keeping them
    if (!resumed) {
      await this.host.sendInitialPresence();
    }
    if (!this.stream.connected || stream !== this.streamGeneration) {
      // the stream closed while the session was being set up (onStatus schedules the reconnect)
      throw new Error('the stream closed while the session was being set up');
    }
    const probe = resumed && !this.presenceKnown;
    this.presenceKnown = true;
    this.host.setState({ kind: 'online' });
    this.host.sessionEstablished({ resumed, jid: this.fullJid });
    if (probe) {
      // the same server session after a page load: the contacts' presence went with the old page.
      // Asked after "online", in batches (the answers fill in the contact list as they come)
      this.detach.push(probeContacts(this.stream, this.host.roster));
    }
  }

  /** Writes the session record: never the password (docs/session.md). */
  private persist(): void {
    const previous = this.settings.sessions.get(this.uid);
    const bosh = this.stream.boshSession;
    this.settings.sessions.save({
      jid: this.fullJid,
      url: this.settings.url,
      transport: this.stream.transport,
      ...(bosh ? { sid: bosh.sid, rid: bosh.rid, ridUnanswered: bosh.ridUnanswered } : {}),
      ...((this.stream.scramKeys ?? previous?.scram) ? { scram: this.stream.scramKeys ?? previous?.scram } : {}),
    });
  }

  /** Forgets the stored session and the roster cache. */
  forget(): void {
    this.settings.sessions.remove(this.uid);
    void this.settings.rosterCache.remove(this.uid);
  }

  private expire(reason: string): void {
    console.warn(`[jsxc] the session of ${this.uid} expired: ${reason}`);
    this.forget();
    this.host.setState({ kind: 'expired' });
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.reconnectAttempt++);
    this.host.setState({ kind: 'reconnecting' });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reestablish();
    }, delay);
  }

  /**
   * Lets go of the connection but keeps the session on the server and in storage, as when the page
   * unloads (or another tab takes the session over): a later page restores it.
   */
  suspend(): void {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.stream.drop();
    this.host.setState({ kind: 'offline' });
  }

  private onStatus(status: StatusNumber, condition: string | undefined): void {
    this.host.reportStatus(status, condition);
    if (status === Status.DISCONNECTED) {
      this.streamEnded();
      if (this.host.state.kind === 'online' || this.streamTrouble || this.establishing) {
        this.streamTrouble = false;
        if (!this.closing && this.settings.sessions.get(this.uid)) {
          // the stream dropped (network, server restart): come back, resuming where we can
          this.scheduleReconnect();
        } else {
          this.host.setState({ kind: 'offline' });
        }
      }
    }
  }

  /** strophe dropped the stream's handlers: so do the session's plugins; presence is unknown now */
  private streamEnded(): void {
    this.streamGeneration++;
    this.detach.splice(0).forEach((off) => off());
    this.host.roster.clearPresence();
    this.presenceKnown = false;
  }

  private onStreamTrouble(failing: boolean): void {
    if (failing && this.host.state.kind === 'online') {
      this.streamTrouble = true;
      this.host.setState({ kind: 'reconnecting' });
    } else if (!failing && this.streamTrouble && this.stream.connected) {
      this.streamTrouble = false;
      this.host.setState({ kind: 'online' });
    }
  }
}
