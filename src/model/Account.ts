import { $pres } from 'strophe.js';
import { ResolvedOptions } from '../api/Options';
import { Emitter } from '../core/Emitter';
import { resolveOptions } from '../core/options';
import { BUILTIN_PLUGINS } from '../plugins/builtin';
import { HookList } from '../plugins/hooks';
import { attachPlugins } from '../plugins/attachPlugins';
import { AccountContext, AccountHooks } from '../plugins/Plugin';
import { PluginRegistry } from '../plugins/PluginRegistry';
import { backoffDelay } from '../connection/backoff';
import { ConnectionError } from '../connection/errors';
import { resumeSession } from '../connection/resume';
import { ConnectionState, Status, StatusNumber } from '../connection/status';
import { randomResource, XmppConnection } from '../connection/XmppConnection';
import { RosterCache, MemoryRosterCache } from '../core/RosterCache';
import { SessionRecord, SessionStore } from '../core/SessionStore';
import { handlePresence, probeContacts } from '../protocol/presence';
import { fetchRoster, handleRosterPushes, NS_ROSTER_VERSIONING } from '../protocol/roster';
import { removeRosterItem, RosterItemUpdate, setRosterItem } from '../protocol/rosterEdit';
import { acceptSubscription, addRosterItem, declineSubscription, handleSubscriptionRequests, requestSubscription } from '../protocol/subscription';
import type { Alert } from './Alert';
import type { AccountRemote } from './AccountRemote';
import { Contact, ContactActions } from './Contact';
import { Chats, linkChatsToRoster } from './Chats';
import { KeyValueStore } from './HistoryStore';
import { JID } from './JID';
import { MultiUserContact } from './MultiUserContact';
import { Roster } from './Roster';
import { RoomList } from './RoomList';
import { RosterCacheWriter } from './RosterCacheWriter';

export interface AccountSettings {
  url: string;
  jid: JID;
  connectTimeout: number;
  /** the JSXC instance's plugins (default: the built-in ones) */
  plugins?: PluginRegistry;
  /** the JSXC instance's options (default: all defaults) */
  options?: ResolvedOptions;
  /** where chat history lives (default: IndexedDB in a browser, memory elsewhere) */
  historyStore?: KeyValueStore;
  /** where the session record lives (default: options.storage) */
  sessions?: SessionStore;
  /** where the roster is cached (default: memory) */
  rosterCache?: RosterCache;
}

/** A session became usable: a new one (plugins set up from scratch) or a resumed one. */
export interface SessionEvent {
  resumed: boolean;
  /** our full JID in this session */
  jid: string;
}

interface AccountEvents {
  /** strophe status numbers, for options.connectionCallback */
  status: [status: StatusNumber, condition: string | undefined];
  /** what a person should be told, for the Connection status region */
  state: [ConnectionState];
  /** a session was established: after login, prebind, page load or reconnect */
  session: [SessionEvent];
  /** our own chosen presence changed (setPresence) */
  presence: [OwnPresence];
  /** a plugin provided (or withdrew) a service, see provide() */
  service: [id: string];
  /** this tab should show a notification (chime, desktop notification) for something new */
  alert: [Alert];
}

/** The presence we chose for ourselves; `offline` means logged out. */
export interface OwnPresence {
  show: 'online' | 'away' | 'dnd' | 'xa' | 'chat' | 'offline';
  status: string;
}

/**
 * One XMPP account: its connection, its roster and its own presence. The uid is the bare JID.
 * No DOM here: the UI listens to the events.
 */
export class Account extends Emitter<AccountEvents> {
  readonly uid: string;
  private readonly contactActions: ContactActions = { addToContactList: (contact) => this.addToContactList(contact) };
  readonly roster = new Roster(this.contactActions);
  /** contacts handed out by getContact() for JIDs not in the roster */
  private detachedContacts = new Map<string, Contact>();
  /** group chats: joined, bookmarked or created (the "muc" plugin drives them) */
  readonly rooms = new RoomList();
  /** the stanza pipeline plugins hook into */
  readonly hooks: AccountHooks = { messageOut: new HookList(), messageIn: new HookList(), presenceOut: new HookList() };
  readonly plugins: PluginRegistry;
  /** one-to-one conversations, their history and the outbox */
  readonly chats: Chats;
  private readonly options: ResolvedOptions;
  private connection: XmppConnection;
  private jid: JID;
  private currentState: ConnectionState = { kind: 'offline' };
  private detach: Array<() => void> = [];
  private chosenPresence: OwnPresence = { show: 'online', status: '' };
  private services = new Map<string, unknown>();
  private readonly sessions: SessionStore;
  private readonly rosterCache: RosterCache;
  private readonly rosterCacheWriter: RosterCacheWriter;
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
  /** set while another tab of the browser holds the connection (src/core/tabs): intents go there */
  private remote?: AccountRemote;
  /** several tabs (src/core/tabs): sends an alert to the tab that shows it; false: this tab shows it */
  private alertRouter?: (alert: Alert) => boolean;

  constructor(private readonly settings: AccountSettings) {
    super();
    this.uid = settings.jid.bare;
    this.options = settings.options ?? resolveOptions({});
    this.plugins = settings.plugins ?? new PluginRegistry(BUILTIN_PLUGINS, this.options.disabledPlugins);
    this.sessions = settings.sessions ?? new SessionStore(this.options.storage);
    this.rosterCache = settings.rosterCache ?? new MemoryRosterCache();
    this.jid = settings.jid.resource ? settings.jid : settings.jid.withResource(randomResource());
    this.connection = this.newConnection();
    this.chats = new Chats(() => this.fullJid, this.uid, settings.historyStore);
    linkChatsToRoster(this.chats, this.roster);
    this.rosterCacheWriter = new RosterCacheWriter(this.uid, this.roster, this.sessions, this.rosterCache);
  }

  /** A strophe connection of its own, listened to until the next one replaces it. */
  private newConnection(): XmppConnection {
    const connection = new XmppConnection({
      url: this.settings.url,
      connectTimeout: this.settings.connectTimeout,
      streamManagementStorage: this.sessions.streamManagementStorage(),
    });
    this.offConnection = [
      connection.on('status', (status, condition) => this.onStatus(status, condition)),
      connection.on('rid', (rid) => this.sessions.update(this.uid, { rid, sid: connection.boshSession?.sid })),
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
      this.connection.drop();
      this.streamEnded();
      this.connection = this.newConnection();
    }
    this.connectionUsed = true;
    return this.connection;
  }

  get url(): string {
    return this.settings.url;
  }

  /** Our full JID (as bound by the server once online). */
  get fullJid(): string {
    return this.connection.jid?.full ?? this.jid.full;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get isOnline(): boolean {
    return this.currentState.kind === 'online';
  }

  /** The protocol-level connection, for plugins and tests. */
  get xmpp(): XmppConnection {
    return this.connection;
  }

  /**
   * manual §3.4.1: the contact with this JID (its bare JID counts): a known room's MultiUserContact,
   * the roster's contact, or for any other JID a contact outside the list, whose addToContactList()
   * adds it. Throws a TypeError (JIDError) for a malformed JID.
   */
  getContact(jid: string): Contact | MultiUserContact {
    if (typeof jid !== 'string') {
      throw new TypeError(`account.getContact(jid): jid must be a string (a bare JID), got ${jid === null ? 'null' : typeof jid}`);
    }
    const bare = JID.parse(jid).bare;
    const listed = this.rooms.get(bare) ?? this.roster.get(bare);
    if (listed) {
      return listed;
    }
    let detached = this.detachedContacts.get(bare);
    if (!detached) {
      detached = new Contact({ jid: bare, groups: [], subscription: 'none' }, this.contactActions);
      this.detachedContacts.set(bare, detached);
    }
    return detached;
  }

  /** Roster add and subscription request (RFC 6121); resolves once the server has the roster item. */
  private async addToContactList(contact: Contact): Promise<void> {
    if (this.remote) {
      return this.remote.addToContactList(contact.jid, contact.name);
    }
    if (!this.isOnline) {
      throw new Error(`Cannot add ${contact.jid} to the contact list: ${this.uid} is not online`);
    }
    if (contact.jid === this.uid) {
      throw new Error(`Cannot add ${contact.jid} to its own contact list`);
    }
    await addRosterItem(this.connection, contact.jid, contact.name);
    const current = this.roster.get(contact.jid) ?? contact;
    if ((current.subscription === 'none' || current.subscription === 'from') && current.ask !== 'subscribe') {
      requestSubscription(this.connection, contact.jid);
    }
    this.detachedContacts.delete(contact.jid);
  }

  /**
   * manual §3.4.2: a room to create or join (call join() on it). With a password, a room we create
   * is made password-protected; with a display name, it is named so.
   */
  createMultiUserContact(jid: string, nickname: string, displayName?: string, password?: string): MultiUserContact {
    const room = this.rooms.ensure(jid, nickname, displayName, password);
    room.nickname = nickname;
    if (password !== undefined) {
      room.password = password;
    }
    if (displayName !== undefined && displayName !== room.name) {
      room.updateItem({ jid: room.jid, name: displayName, groups: [], subscription: 'none' });
    }
    return room;
  }

  /**
   * Logs in, fetches the roster and announces our presence. Resolves when all of that is done;
   * rejects with a ConnectionError otherwise.
   */
  async connect(password: string): Promise<void> {
    this.closing = false;
    const connection = this.freshConnection();
    this.setState({ kind: 'connecting' });
    try {
      await connection.connect(this.jid, password);
      await this.established(false);
    } catch (err) {
      if (connection !== this.connection) {
        throw err; // a later login or prebind replaced this one: the state is its own
      }
      this.forget(); // a failed login leaves nothing behind
      const error = err as ConnectionError;
      this.setState(
        error.status === Status.AUTHFAIL ? { kind: 'authfail' } : error.status === Status.CONNFAIL || error.status === Status.CONNTIMEOUT ? { kind: 'unreachable', url: this.url } : { kind: 'error', condition: error.condition ?? 'unknown' },
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
    this.setState({ kind: 'connecting' });
    try {
      await connection.attach(this.jid, sid, rid);
      await this.established(false);
    } catch (err) {
      if (connection !== this.connection) {
        throw err;
      }
      this.forget();
      this.setState({ kind: 'error', condition: (err as ConnectionError).condition ?? 'unknown' });
      throw err;
    }
  }

  /**
   * Continues a stored session after a page load: paints the cached roster at once, then attaches
   * (BOSH) or logs in with the stored SCRAM keys and resumes (WebSocket). Never rejects: the outcome
   * is the account's state (online, reconnecting, or expired).
   */
  async restore(record: SessionRecord): Promise<void> {
    this.setState({ kind: 'connecting' });
    // the connection starts at once, side by side with the cache read: the session is set up
    // (roster fetched or not) only once the cached roster is in
    const painted = this.paintCachedRoster().catch((err: unknown) => console.warn('[jsxc] the cached roster could not be read:', err));
    await this.reestablish(record, painted);
  }

  /**
   * Shows the cached roster (IndexedDB) until the server's, or another tab's, arrives: a page load
   * paints the contact list at once. Does nothing once a roster is loaded.
   */
  async paintCachedRoster(): Promise<void> {
    const cached = await this.rosterCache.load(this.uid);
    if (cached && !this.roster.isLoaded) {
      this.roster.reset(cached.items, cached.version);
    }
  }

  /**
   * Several tabs (src/core/tabs): another tab holds the connection and does what this one's user
   * asks (`remote`), or this tab holds it again (`undefined`).
   */
  follow(remote: AccountRemote | undefined): void {
    this.remote = remote;
  }

  /** Whether another tab holds this account's connection. */
  get following(): boolean {
    return this.remote !== undefined;
  }

  /**
   * Something new a person should be told about (the UI calls it: a message, a mention). One tab
   * of the browser shows it: this one (the "alert" event), or the one the tabs chose.
   */
  alert(alert: Alert): void {
    if (!this.alertRouter?.(alert)) {
      this.emit('alert', alert);
    }
  }

  /** Several tabs: which tab shows alerts (src/core/tabs); undefined: this one. */
  routeAlerts(router: ((alert: Alert) => boolean) | undefined): void {
    this.alertRouter = router;
  }

  /** Several tabs: the tab holding the connection chose this tab to show the alert. */
  showAlert(alert: Alert): void {
    this.emit('alert', alert);
  }

  /** Several tabs: shows the state and own presence of the tab that holds the connection. */
  mirror(state: ConnectionState, presence?: OwnPresence): void {
    if (presence && (presence.show !== this.chosenPresence.show || presence.status !== this.chosenPresence.status)) {
      this.chosenPresence = presence;
      this.emit('presence', presence);
    }
    if (state.kind !== this.currentState.kind) {
      this.setState(state);
    }
  }

  /** The stored session record, if this account has one. */
  get sessionRecord(): SessionRecord | undefined {
    return this.sessions.get(this.uid);
  }

  private async reestablish(record = this.sessions.get(this.uid), cachePainted?: Promise<void>): Promise<void> {
    if (!record) {
      this.expire('no stored session');
      return;
    }
    this.connectionUsed = true;
    const outcome = await resumeSession(this.connection, record, () => this.sessions.update(this.uid, { sid: undefined, rid: undefined }));
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
        if (!this.connection.connected && this.reconnectTimer === undefined) {
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
      this.sessions.clearServerState(this.uid); // a new server session: what the previous one had is gone
    }
    this.persist();
    this.detach.push(handleRosterPushes(this.connection, this.jid, this.roster), handlePresence(this.connection, this.roster), handleSubscriptionRequests(this.connection, this.jid, this.roster));
    // the plugins' handlers are in place once attachPlugins returns its promise; what they ask the
    // server (e.g. the blocklist on a new session) travels together with the roster query
    const plugins = this.attachPlugins(resumed);
    const roster = !resumed || !this.roster.isLoaded ? fetchRoster(this.connection, this.roster, this.connection.hasStreamFeature(NS_ROSTER_VERSIONING)) : undefined;
    await Promise.all([plugins, roster]);
    this.connection.takeEarlyMessages(); // nobody took them (chat plugin disabled): stop keeping them
    if (!resumed) {
      if (this.chosenPresence.show === 'offline') {
        this.chosenPresence = { show: 'online', status: this.chosenPresence.status };
      }
      await this.sendOwnPresence();
    }
    if (!this.connection.connected || stream !== this.streamGeneration) {
      // the stream closed while the session was being set up (onStatus schedules the reconnect)
      throw new Error('the stream closed while the session was being set up');
    }
    const probe = resumed && !this.presenceKnown;
    this.presenceKnown = true;
    this.setState({ kind: 'online' });
    this.emit('session', { resumed, jid: this.fullJid });
    if (probe) {
      // the same server session after a page load: the contacts' presence went with the old page.
      // Asked after "online", in batches (the answers fill in the contact list as they come)
      this.detach.push(probeContacts(this.connection, this.roster));
    }
  }

  /**
   * What the previous page of this same server session kept for it under `key` (a plugin's id):
   * something the server session still has, e.g. the blocklist. Undefined after a new session
   * (cleared when one starts) or when nothing was kept. See SessionStore.getServerState.
   */
  serverState<T = unknown>(key: string): T | undefined {
    return this.sessions.getServerState<T>(this.uid, key);
  }

  /** Keeps `value` for the next page that resumes this server session (small JSON; see serverState). */
  keepServerState(key: string, value: unknown): void {
    this.sessions.setServerState(this.uid, key, value);
  }

  /** Writes the session record: never the password (docs/session.md). */
  private persist(): void {
    const previous = this.sessions.get(this.uid);
    const bosh = this.connection.boshSession;
    this.sessions.save({
      jid: this.fullJid,
      url: this.url,
      transport: this.connection.transport,
      ...(bosh ? { sid: bosh.sid, rid: bosh.rid } : {}),
      ...((this.connection.scramKeys ?? previous?.scram) ? { scram: this.connection.scramKeys ?? previous?.scram } : {}),
    });
  }

  /** Forgets the stored session and the roster cache. */
  private forget(): void {
    this.sessions.remove(this.uid);
    void this.rosterCache.remove(this.uid);
  }

  private expire(reason: string): void {
    console.warn(`[jsxc] the session of ${this.uid} expired: ${reason}`);
    this.forget();
    this.setState({ kind: 'expired' });
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    const delay = backoffDelay(this.reconnectAttempt++);
    this.setState({ kind: 'reconnecting' });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.reestablish();
    }, delay);
  }

  /**
   * The page is going away (pagehide, or hidden): writes now what is otherwise written a moment
   * later — the XEP-0198 counters and a roster cache write still waiting — so that the next page
   * resumes from the latest state and paints the latest roster.
   */
  persistForPageHide(): void {
    this.connection.persistStreamState();
    this.rosterCacheWriter.writeNow();
  }

  /** Announces our availability (through the presenceOut hooks, e.g. entity capabilities). */
  async sendPresence(show?: 'away' | 'dnd' | 'xa' | 'chat', status?: string): Promise<void> {
    const pres = $pres();
    if (show) {
      pres.c('show').t(show).up();
    }
    if (status) {
      pres.c('status').t(status).up();
    }
    const outgoing = { stanza: pres.tree() };
    await this.hooks.presenceOut.run(outgoing);
    this.connection.send(outgoing.stanza);
  }

  /**
   * A plugin makes an API available to the UI and the host page (e.g. 'blocking'); undefined
   * withdraws it. Without the plugin (options.disabledPlugins) there is no service, and the UI
   * that needs it does not show.
   */
  provide(id: string, service: unknown): void {
    if (service === undefined) {
      this.services.delete(id);
    } else {
      this.services.set(id, service);
    }
    this.emit('service', id);
  }

  /** The service a plugin provided under this id, if any. */
  service<T>(id: string): T | undefined {
    return this.services.get(id) as T | undefined;
  }

  /** The presence we chose (online unless setPresence said otherwise); kept across reconnects. */
  get ownPresence(): OwnPresence {
    return this.chosenPresence;
  }

  /**
   * Sets our presence and status text as contacts see it, and remembers it for reconnects.
   * `offline` ends the session.
   */
  async setPresence(show: OwnPresence['show'], status = ''): Promise<void> {
    const SHOWS: OwnPresence['show'][] = ['online', 'away', 'dnd', 'xa', 'chat', 'offline'];
    if (!SHOWS.includes(show)) {
      throw new TypeError(`setPresence(show): show must be one of ${SHOWS.join(', ')}, got ${JSON.stringify(show)}`);
    }
    if (typeof status !== 'string') {
      throw new TypeError(`setPresence(show, status): status must be a string, got ${typeof status}`);
    }
    this.chosenPresence = { show, status };
    this.emit('presence', this.chosenPresence);
    if (show === 'offline') {
      await this.disconnect();
    } else if (this.remote) {
      await this.remote.setPresence(show, status);
    } else if (this.connection.connected) {
      await this.sendOwnPresence();
    }
  }

  private sendOwnPresence(): Promise<void> {
    const { show, status } = this.chosenPresence;
    return this.sendPresence(show === 'online' || show === 'offline' ? undefined : show, status || undefined);
  }

  /** Adds a contact (roster set) and asks to see their presence. */
  async addContact(contact: RosterItemUpdate): Promise<void> {
    if (this.remote) {
      return this.remote.addContact(contact);
    }
    await setRosterItem(this.connection, contact);
    requestSubscription(this.connection, contact.jid);
  }

  /** Renames a contact or changes its groups (roster set). */
  updateContact(contact: RosterItemUpdate): Promise<void> {
    return this.remote ? this.remote.updateContact(contact) : setRosterItem(this.connection, contact);
  }

  /** Removes a contact from the roster; the server cancels the subscriptions both ways. */
  removeContact(jid: string): Promise<void> {
    return this.remote ? this.remote.removeContact(jid) : removeRosterItem(this.connection, jid);
  }

  /** Answers an incoming subscription request (roster.requests()). */
  answerSubscription(jid: string, accept: boolean): void {
    if (this.remote) {
      void this.remote.answerSubscription(jid, accept).catch((err: unknown) => console.warn('[jsxc] answering the subscription request failed:', err));
      return;
    }
    (accept ? acceptSubscription : declineSubscription)(this.connection, this.roster, jid);
  }

  /** Attaches every enabled, loaded plugin to this session; lazy ones attach when first loaded. */
  private attachPlugins(resumed: boolean): Promise<void> {
    const context: AccountContext = { account: this, connection: this.connection, hooks: this.hooks, options: this.options, plugins: this.plugins, resumed };
    return attachPlugins(context, this.detach);
  }

  /**
   * Lets go of the connection but keeps the session on the server and in storage, as when the page
   * unloads (or another tab takes the session over): a later page restores it.
   */
  suspend(): void {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.connection.drop();
    this.setState({ kind: 'offline' });
  }

  /** Logs out: ends the session on the server and forgets everything stored about it. */
  async disconnect(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.rosterCacheWriter.cancel();
    const remote = this.remote;
    this.remote = undefined;
    this.forget();
    // another tab holds the connection: it logs out (and so every tab)
    await (remote ? remote.logout().catch((err: unknown) => console.warn('[jsxc] logging out through the tab that holds the connection failed:', err)) : this.connection.disconnect());
    this.setState({ kind: 'offline' });
  }

  private onStatus(status: StatusNumber, condition: string | undefined): void {
    this.emit('status', status, condition);
    if (status === Status.DISCONNECTED) {
      this.streamEnded();
      if (this.currentState.kind === 'online' || this.streamTrouble || this.establishing) {
        this.streamTrouble = false;
        if (!this.closing && this.sessions.get(this.uid)) {
          // the stream dropped (network, server restart): come back, resuming where we can
          this.scheduleReconnect();
        } else {
          this.setState({ kind: 'offline' });
        }
      }
    }
  }

  /** strophe dropped the stream's handlers: so do the session's plugins; presence is unknown now */
  private streamEnded(): void {
    this.streamGeneration++;
    this.detach.splice(0).forEach((off) => off());
    this.roster.clearPresence();
    this.presenceKnown = false;
  }

  /** BOSH requests fail while strophe retransmits them: say so, and say when they work again. */
  private streamTrouble = false;

  private onStreamTrouble(failing: boolean): void {
    if (failing && this.currentState.kind === 'online') {
      this.streamTrouble = true;
      this.setState({ kind: 'reconnecting' });
    } else if (!failing && this.streamTrouble && this.connection.connected) {
      this.streamTrouble = false;
      this.setState({ kind: 'online' });
    }
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    this.emit('state', state);
  }
}
