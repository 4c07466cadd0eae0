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
import { Chats, linkChatsToRoster } from './Chats';
import { Contact } from './Contact';
import { KeyValueStore } from './HistoryStore';
import { JID } from './JID';
import { Roster } from './Roster';

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
}

/**
 * One XMPP account: its connection, its roster and its own presence. The uid is the bare JID.
 * No DOM here: the UI listens to the events.
 */
export class Account extends Emitter<AccountEvents> {
  readonly uid: string;
  readonly roster = new Roster();
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

  /** manual §3.4.1: the contact with this bare JID, or undefined. */
  getContact(jid: string): Contact | undefined {
    return this.roster.get(JID.parse(jid).bare);
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
    this.detach.push(handleRosterPushes(this.connection, this.jid, this.roster), handlePresence(this.connection, this.roster));
    await this.attachPlugins(false);
    await fetchRoster(this.connection, this.roster);
    await this.sendPresence();
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
