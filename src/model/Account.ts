import type { ResolvedOptions } from '../api/Options';
import { Emitter } from '../core/Emitter';
import { resolveOptions } from '../core/options';
import { BUILTIN_PLUGINS } from '../plugins/builtin';
import { HookList } from '../plugins/hooks';
import { attachPlugins } from '../plugins/attachPlugins';
import { AccountHooks } from '../plugins/Plugin';
import { PluginRegistry } from '../plugins/PluginRegistry';
import { ConnectionState } from '../connection/status';
import { randomResource, XmppConnection } from '../connection/XmppConnection';
import { RosterCache, MemoryRosterCache } from '../core/RosterCache';
import { SessionRecord, SessionStore } from '../core/SessionStore';
import type { RosterItemUpdate } from '../protocol/rosterEdit';
import type { Alert } from './Alert';
import type { AccountEvents, AccountSettings } from './AccountTypes';
import type { AccountRemote } from './AccountRemote';
import { AccountSession } from './AccountSession';
import type { Contact } from './Contact';
import { ContactListEdits } from './ContactListEdits';
import { Chats, linkChatsToRoster } from './Chats';
import { LastingHandlers, lastingView } from './LastingHandlers';
import { MultiUserContact } from './MultiUserContact';
import { checkOwnPresence, OwnPresence, presenceStanza } from './OwnPresence';
import { Roster } from './Roster';
import { RoomList } from './RoomList';
import { RosterCacheWriter } from './RosterCacheWriter';

export type { AccountSettings, SessionEvent } from './AccountTypes';
export type { OwnPresence } from './OwnPresence';

/**
 * One XMPP account: its connection, its roster and its own presence. The uid is the bare JID.
 * No DOM here: the UI listens to the events.
 */
export class Account extends Emitter<AccountEvents> {
  readonly uid: string;
  /** group chats: joined, bookmarked or created (the "muc" plugin drives them) */
  readonly rooms = new RoomList();
  /** the contact list as the user edits it (getContact, addContact, …) */
  private readonly contacts: ContactListEdits;
  readonly roster: Roster;
  /** the stanza pipeline plugins hook into */
  readonly hooks: AccountHooks = { messageOut: new HookList(), messageIn: new HookList(), presenceOut: new HookList() };
  readonly plugins: PluginRegistry;
  /** one-to-one conversations, their history and the outbox */
  readonly chats: Chats;
  private readonly options: ResolvedOptions;
  private currentState: ConnectionState = { kind: 'offline' };
  private chosenPresence: OwnPresence = { show: 'online', status: '' };
  private services = new Map<string, unknown>();
  private readonly sessions: SessionStore;
  private readonly rosterCache: RosterCache;
  private cacheRead = false;
  private readonly rosterCacheWriter: RosterCacheWriter;
  /** the connection lifecycle: login, prebind, restore, reconnect, suspend, logout */
  private readonly session: AccountSession;
  /** set while another tab of the browser holds the connection (src/core/tabs): intents go there */
  private remote?: AccountRemote;
  /** the stanza handlers added on `account.xmpp`: they last until removed (docs/plugins.md) */
  readonly xmppHandlers: LastingHandlers;
  private xmppView?: { connection: XmppConnection; view: XmppConnection };
  /** several tabs (src/core/tabs): sends an alert to the tab that shows it; false: this tab shows it */
  private alertRouter?: (alert: Alert) => boolean;

  constructor(private readonly settings: AccountSettings) {
    super();
    this.uid = settings.jid.bare;
    const account = () => this;
    this.contacts = new ContactListEdits({
      uid: this.uid,
      get roster() {
        return account().roster;
      },
      rooms: this.rooms,
      get isOnline() {
        return account().isOnline;
      },
      get connection() {
        return account().xmpp;
      },
      get remote() {
        return account().remote;
      },
    });
    this.roster = new Roster(this.contacts.actions);
    this.options = settings.options ?? resolveOptions({});
    this.plugins = settings.plugins ?? new PluginRegistry(BUILTIN_PLUGINS, this.options.disabledPlugins);
    this.sessions = settings.sessions ?? new SessionStore(this.options.storage);
    this.rosterCache = settings.rosterCache ?? new MemoryRosterCache();
    const rosterCache = this.rosterCache;
    const jid = settings.jid.resource ? settings.jid : settings.jid.withResource(randomResource());
    const currentState = () => this.currentState;
    this.session = new AccountSession(
      { url: settings.url, connectTimeout: settings.connectTimeout, jid, sessions: this.sessions, rosterCache },
      {
        roster: this.roster,
        get state() {
          return currentState();
        },
        setState: (state) => this.setState(state),
        reportStatus: (status, condition) => this.emit('status', status, condition),
        sessionEstablished: (event) => this.emit('session', event),
        sendInitialPresence: () => {
          if (this.chosenPresence.show === 'offline') {
            this.chosenPresence = { show: 'online', status: this.chosenPresence.status };
          }
          return this.sendOwnPresence();
        },
        attachPlugins: (connection, resumed, detach) => attachPlugins({ account: this, connection, hooks: this.hooks, options: this.options, plugins: this.plugins, resumed }, detach),
        paintCachedRoster: () => this.paintCachedRoster(),
      },
    );
    this.chats = new Chats(() => this.fullJid, this.uid, settings.historyStore);
    linkChatsToRoster(this.chats, this.roster);
    this.rosterCacheWriter = new RosterCacheWriter(this.uid, this.roster, this.sessions, rosterCache);
    this.xmppHandlers = new LastingHandlers(this);
  }

  get url(): string {
    return this.settings.url;
  }

  /** Our full JID (as bound by the server once online). */
  get fullJid(): string {
    return this.session.fullJid;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get isOnline(): boolean {
    return this.currentState.kind === 'online';
  }

  /**
   * The protocol-level connection, for plugins and tests. A handler added on it lasts until it is
   * removed, across streams, sessions and tabs (LastingHandlers; docs/plugins.md); the rest is the
   * current session's connection.
   */
  get xmpp(): XmppConnection {
    const connection = this.session.connection;
    if (this.xmppView?.connection !== connection) {
      this.xmppView = { connection, view: lastingView(connection, this.xmppHandlers) };
    }
    return this.xmppView.view;
  }

  /** The current session's connection itself: a handler added on it goes with its stream (as in a plugin's `attach`). */
  get stream(): XmppConnection {
    return this.session.connection;
  }

  /**
   * manual §3.4.1: the contact with this JID (its bare JID counts): a known room's MultiUserContact,
   * the roster's contact, or for any other JID a contact outside the list, whose addToContactList()
   * adds it. Throws a TypeError (JIDError) for a malformed JID.
   */
  getContact(jid: string): Contact | MultiUserContact {
    return this.contacts.getContact(jid);
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
   * Shows the cached roster (IndexedDB) until the server's, or another tab's, arrives: a page load
   * paints the contact list at once. Does nothing once a roster is loaded. Afterwards
   * `rosterCacheRead` is true (and the event of that name was sent), whether a cache was there or
   * not: what waits for the contacts' names (reopened windows) need not wait for the server then.
   */
  async paintCachedRoster(): Promise<void> {
    try {
      const cached = await this.rosterCache.load(this.uid);
      if (cached && !this.roster.isLoaded) {
        this.roster.reset(cached.items, cached.version);
      }
    } finally {
      if (!this.cacheRead) {
        this.cacheRead = true;
        this.emit('rosterCacheRead');
      }
    }
  }

  /** Whether the roster cache was read since this account exists (see paintCachedRoster). */
  get rosterCacheRead(): boolean {
    return this.cacheRead;
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

  /**
   * The page is going away (pagehide, or hidden): writes now what is otherwise written a moment
   * later — the XEP-0198 counters and a roster cache write still waiting — so that the next page
   * resumes from the latest state and paints the latest roster.
   */
  persistForPageHide(): void {
    this.session.connection.persistStreamState();
    this.rosterCacheWriter.writeNow();
  }

  /** Announces our availability (through the presenceOut hooks, e.g. entity capabilities). */
  async sendPresence(show?: 'away' | 'dnd' | 'xa' | 'chat', status?: string): Promise<void> {
    const outgoing = { stanza: presenceStanza(show, status) };
    await this.hooks.presenceOut.run(outgoing);
    this.session.connection.send(outgoing.stanza);
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
    checkOwnPresence(show, status);
    this.chosenPresence = { show, status };
    this.emit('presence', this.chosenPresence);
    if (show === 'offline') {
      await this.disconnect();
    } else if (this.remote) {
      await this.remote.setPresence(show, status);
    } else if (this.session.connection.connected) {
      await this.sendOwnPresence();
    }
  }

  private sendOwnPresence(): Promise<void> {
    const { show, status } = this.chosenPresence;
    return this.sendPresence(show === 'online' || show === 'offline' ? undefined : show, status || undefined);
  }

  /** Adds a contact (roster set) and asks to see their presence. */
  addContact(contact: RosterItemUpdate): Promise<void> {
    return this.contacts.addContact(contact);
  }

  /** Renames a contact or changes its groups (roster set). */
  updateContact(contact: RosterItemUpdate): Promise<void> {
    return this.contacts.updateContact(contact);
  }

  /** Removes a contact from the roster; the server cancels the subscriptions both ways. */
  removeContact(jid: string): Promise<void> {
    return this.contacts.removeContact(jid);
  }

  /** Answers an incoming subscription request (roster.requests()). */
  answerSubscription(jid: string, accept: boolean): void {
    this.contacts.answerSubscription(jid, accept);
  }

  /**
   * Logs in, fetches the roster and announces our presence. Resolves when all of that is done;
   * rejects with a ConnectionError otherwise.
   */
  connect(password: string): Promise<void> {
    return this.session.connect(password);
  }

  /**
   * Prebind: continues a BOSH session the host's server created (sid, and the rid of the next
   * request). For us it is a new session: roster, initial presence and plugins are set up.
   */
  attach(sid: string, rid: number): Promise<void> {
    return this.session.attach(sid, rid);
  }

  /**
   * Continues a stored session after a page load: paints the cached roster at once, then attaches
   * (BOSH) or logs in with the stored SCRAM keys and resumes (WebSocket). Never rejects: the outcome
   * is the account's state (online, reconnecting, or expired).
   */
  restore(record: SessionRecord): Promise<void> {
    return this.session.restore(record);
  }

  /**
   * Lets go of the connection but keeps the session on the server and in storage, as when the page
   * unloads (or another tab takes the session over): a later page restores it.
   */
  suspend(): void {
    this.session.suspend();
  }

  /** Logs out: ends the session on the server and forgets everything stored about it. */
  async disconnect(): Promise<void> {
    this.rosterCacheWriter.cancel();
    const remote = this.remote;
    this.remote = undefined;
    // another tab holds the connection: it logs out (and so every tab)
    await this.session.logout(remote ? () => remote.logout().catch((err: unknown) => console.warn('[jsxc] logging out through the tab that holds the connection failed:', err)) : undefined);
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    this.emit('state', state);
  }
}
