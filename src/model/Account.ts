import { $pres } from 'strophe.js';
import { ResolvedOptions } from '../api/Options';
import { Emitter } from '../core/Emitter';
import { resolveOptions } from '../core/options';
import { BUILTIN_PLUGINS } from '../plugins/builtin';
import { HookList } from '../plugins/hooks';
import { AccountContext, AccountHooks, isLazy } from '../plugins/Plugin';
import { PluginRegistry } from '../plugins/PluginRegistry';
import { ConnectionError } from '../connection/errors';
import { ConnectionState, Status, StatusNumber } from '../connection/status';
import { randomResource, XmppConnection } from '../connection/XmppConnection';
import { handlePresence } from '../protocol/presence';
import { fetchRoster, handleRosterPushes } from '../protocol/roster';
import { removeRosterItem, RosterItemUpdate, setRosterItem } from '../protocol/rosterEdit';
import { acceptSubscription, addRosterItem, declineSubscription, handleSubscriptionRequests, requestSubscription } from '../protocol/subscription';
import { Contact, ContactActions } from './Contact';
import { Chats, linkChatsToRoster } from './Chats';
import { KeyValueStore } from './HistoryStore';
import { JID } from './JID';
import { MultiUserContact } from './MultiUserContact';
import { Roster } from './Roster';
import { RoomList } from './RoomList';

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
}

interface AccountEvents {
  /** strophe status numbers, for options.connectionCallback */
  status: [status: StatusNumber, condition: string | undefined];
  /** what a person should be told, for the Connection status region */
  state: [ConnectionState];
  /** our own chosen presence changed (setPresence) */
  presence: [OwnPresence];
  /** a plugin provided (or withdrew) a service, see provide() */
  service: [id: string];
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

  constructor(private readonly settings: AccountSettings) {
    super();
    this.uid = settings.jid.bare;
    this.options = settings.options ?? resolveOptions({});
    this.plugins = settings.plugins ?? new PluginRegistry(BUILTIN_PLUGINS, this.options.disabledPlugins);
    this.jid = settings.jid.resource ? settings.jid : settings.jid.withResource(randomResource());
    this.connection = new XmppConnection({ url: settings.url, connectTimeout: settings.connectTimeout });
    this.connection.on('status', (status, condition) => this.onStatus(status, condition));
    this.chats = new Chats(() => this.fullJid, this.uid, settings.historyStore);
    linkChatsToRoster(this.chats, this.roster);
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
    this.setState({ kind: 'connecting' });
    try {
      await this.connection.connect(this.jid, password);
    } catch (err) {
      const error = err as ConnectionError;
      this.setState(
        error.status === Status.AUTHFAIL ? { kind: 'authfail' } : error.status === Status.CONNFAIL || error.status === Status.CONNTIMEOUT ? { kind: 'unreachable', url: this.url } : { kind: 'error', condition: error.condition ?? 'unknown' },
      );
      throw err;
    }
    this.detach.push(handleRosterPushes(this.connection, this.jid, this.roster), handlePresence(this.connection, this.roster), handleSubscriptionRequests(this.connection, this.jid, this.roster));
    await this.attachPlugins(false);
    await fetchRoster(this.connection, this.roster);
    if (this.chosenPresence.show === 'offline') {
      this.chosenPresence = { show: 'online', status: this.chosenPresence.status };
    }
    await this.sendOwnPresence();
    this.setState({ kind: 'online' });
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
    await setRosterItem(this.connection, contact);
    requestSubscription(this.connection, contact.jid);
  }

  /** Renames a contact or changes its groups (roster set). */
  updateContact(contact: RosterItemUpdate): Promise<void> {
    return setRosterItem(this.connection, contact);
  }

  /** Removes a contact from the roster; the server cancels the subscriptions both ways. */
  removeContact(jid: string): Promise<void> {
    return removeRosterItem(this.connection, jid);
  }

  /** Answers an incoming subscription request (roster.requests()). */
  answerSubscription(jid: string, accept: boolean): void {
    (accept ? acceptSubscription : declineSubscription)(this.connection, this.roster, jid);
  }

  /** Attaches every enabled, loaded plugin to this session; lazy ones attach when first loaded. */
  private async attachPlugins(resumed: boolean): Promise<void> {
    const context: AccountContext = { account: this, connection: this.connection, hooks: this.hooks, options: this.options, plugins: this.plugins, resumed };
    for (const entry of this.plugins.enabled()) {
      if (isLazy(entry) || !entry.attach) {
        continue;
      }
      try {
        const teardown = await entry.attach(context);
        if (typeof teardown === 'function') {
          this.detach.push(teardown);
        }
      } catch (err) {
        console.error(`[jsxc] plugin "${entry.id}" failed to attach:`, err);
      }
    }
  }

  async disconnect(): Promise<void> {
    await this.connection.disconnect();
    this.setState({ kind: 'offline' });
  }

  private onStatus(status: StatusNumber, condition: string | undefined): void {
    this.emit('status', status, condition);
    if (status === Status.DISCONNECTED) {
      this.detach.splice(0).forEach((off) => off());
      this.roster.clearPresence();
      if (this.currentState.kind === 'online') {
        this.setState({ kind: 'offline' });
      }
    }
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    this.emit('state', state);
  }
}
