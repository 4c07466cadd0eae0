import { ResolvedOptions } from '../api/Options';
import { Emitter } from './Emitter';
import { Settings } from './Settings';
import { Account } from '../model/Account';
import { JID, JIDError } from '../model/JID';
import { checkServiceUrl } from '../connection/transport';
import { BUILTIN_PLUGINS } from '../plugins/builtin';
import { PluginEntry } from '../plugins/Plugin';
import { PluginRegistry } from '../plugins/PluginRegistry';
import { defaultRosterCache, RosterCache } from './RosterCache';
import { prefetchSessionCode } from './sessionCode';
import { SessionRecord, SessionStore } from './SessionStore';
import { sharedAcrossTabs } from './tabs/leadership';
import { TabCoordinator } from './tabs/TabCoordinator';

/** Why a login could not even be attempted; `code` is a locale key, `values` its parameters. */
export class LoginError extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly values: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'LoginError';
  }
}

interface ClientEvents {
  accountAdded: [Account];
  accountRemoved: [Account];
  /** another tab of the browser logged in, and this one follows that session (docs/session.md) */
  sessionFromOtherTab: [Account];
}

/**
 * Owns the accounts of one JSXC instance. Lower layers are given what they need (no global
 * singletons); the UI subscribes to the events.
 */
export class Client extends Emitter<ClientEvents> {
  private accounts = new Map<string, Account>();
  readonly plugins: PluginRegistry;
  /** the user's options (Settings dialog), loaded through options.loadOptions on login */
  readonly settings: Settings;
  /** the session records in options.storage; also the UI-state API (docs/session.md) */
  readonly sessions: SessionStore;
  private readonly rosterCache: RosterCache;
  /** one connection per account per browser: the other tabs follow (docs/session.md) */
  private readonly tabs: TabCoordinator;

  /** `extraPlugins`: third-party plugins the host page registered (JSXC.registerPlugin). */
  constructor(
    readonly options: ResolvedOptions,
    extraPlugins: PluginEntry[] = [],
  ) {
    super();
    this.plugins = new PluginRegistry([...BUILTIN_PLUGINS, ...extraPlugins], options.disabledPlugins);
    this.settings = new Settings(options.onOptionChange);
    this.settings.define({ id: 'client', key: 'hideOfflineContacts', labelKey: 'Hide_offline_contacts', type: 'boolean', default: options.hideOfflineContacts });
    this.sessions = new SessionStore(options.storage);
    this.rosterCache = defaultRosterCache();
    this.tabs = new TabCoordinator(
      { sessions: this.sessions, logOut: (account) => this.logOut(account), sessionStartedElsewhere: (uid) => this.followSession(uid) },
      sharedAcrossTabs(options.storage),
    );
    // the XEP-0198 state (src/connection/streamManagement.ts) and the roster cache are written
    // lazily: a page that goes away writes them now, so that the next page resumes from the latest
    // counters and paints the latest roster
    const persist = () => this.accounts.forEach((account) => account.persistForPageHide());
    globalThis.addEventListener?.('pagehide', persist);
    globalThis.document?.addEventListener('visibilitychange', () => globalThis.document.visibilityState === 'hidden' && persist());
  }

  /** Whether the tabs of this browser share each account's connection and open windows (docs/session.md). */
  get tabsShared(): boolean {
    return this.tabs.enabled;
  }

  /**
   * Continues every session stored in options.storage (a page load): the accounts exist at once
   * (with their cached rosters soon after), their connections come back in the background.
   * Returns the number of accounts restored.
   */
  restoreSessions(): number {
    return this.sessions.records().filter((record) => this.restoreSession(record)).length;
  }

  private restoreSession(record: SessionRecord): boolean {
    let jid: JID;
    try {
      jid = JID.parse(record.jid);
      checkServiceUrl(record.url);
    } catch {
      this.sessions.remove(record.jid);
      return false;
    }
    if (this.accounts.has(jid.bare)) {
      return false;
    }
    const account = this.createAccount(record.url, jid);
    void this.tabs.restore(account, record);
    return true;
  }

  /** Another tab of the browser logged in: this one shows that session too (docs/session.md). */
  private followSession(uid: string): void {
    const record = this.sessions.get(uid);
    const existing = this.accounts.get(JID.parse(uid).bare);
    if (!record || (existing && existing.state.kind !== 'expired' && existing.state.kind !== 'offline')) {
      return;
    }
    if (existing) {
      this.removeAccount(existing);
    }
    if (this.restoreSession(record)) {
      this.emit('sessionFromOtherTab', this.accounts.get(JID.parse(uid).bare)!);
    }
  }

  /** Prebind (manual §3.1.3): continues a BOSH session that the host's server created. */
  async attach(url: string, jidInput: string, sid: string, rid: number): Promise<Account> {
    const serviceUrl = checkServiceUrl(url);
    const jid = JID.parse(jidInput);
    if (!jid.local || !jid.resource) {
      throw new TypeError(`start(url, jid, sid, rid): jid must be the full JID the server bound for the session (user@domain/resource), got "${jidInput}"`);
    }
    return this.startAccount(serviceUrl, jid, (account) => account.attach(sid, rid));
  }

  /**
   * Replaces any account of this JID (stopped first) with a new one, takes the connection for this
   * tab and starts it with `start` (log in, attach). On failure the new account is dropped again.
   */
  private async startAccount(serviceUrl: string, jid: JID, start: (account: Account) => Promise<void>): Promise<Account> {
    const existing = this.accounts.get(jid.bare);
    if (existing) {
      // e.g. reconnecting or expired: stop it before the new session replaces it
      await existing.disconnect().catch(() => undefined);
      this.removeAccount(existing, true);
    }
    const account = this.createAccount(serviceUrl, jid);
    try {
      await this.tabs.lead(account);
      await start(account);
    } catch (err) {
      this.removeAccount(account);
      throw err;
    }
    return account;
  }

  private createAccount(url: string, jid: JID): Account {
    prefetchSessionCode(); // group chat protocol, tab roles: there before the stream is (src/core/sessionCode.ts)
    const account = new Account({ url, jid, connectTimeout: this.options.connectTimeout, plugins: this.plugins, options: this.options, sessions: this.sessions, rosterCache: this.rosterCache });
    account.on('status', (status, condition) => this.options.connectionCallback?.(account.fullJid, status, condition));
    this.accounts.set(account.uid, account);
    this.emit('accountAdded', account);
    return account;
  }

  getAccount(uid?: string): Account | undefined {
    if (uid === undefined) {
      return this.accounts.values().next().value;
    }
    return this.accounts.get(JID.parse(uid).bare);
  }

  listAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  /**
   * Creates the account and logs in. On failure the account is dropped again, and nothing about
   * it is kept.
   */
  async login(url: string, jidInput: string, password: string): Promise<Account> {
    const serviceUrl = checkServiceUrl(url);
    const jid = JID.parseUser(jidInput);
    if (typeof password !== 'string' || password === '') {
      throw new TypeError('The password must be a non-empty string');
    }
    const existing = this.accounts.get(jid.bare);
    if (existing?.isOnline) {
      return existing;
    }
    const account = await this.startAccount(serviceUrl, jid, (a) => a.connect(password));
    await this.loadOptions(jid.bare, password);
    return account;
  }

  /**
   * A login from a form (the login box, watchForm): connection settings come from
   * options.loadConnectionOptions, or from the URL the user typed.
   */
  async loginWithCredentials(username: string, password: string, typedUrl?: string): Promise<Account> {
    const settings = (await this.options.loadConnectionOptions?.(username, password)) ?? {};
    const url = settings.xmpp?.url ?? typedUrl;
    if (!url) {
      throw new LoginError('error_no_server', 'No XMPP service URL: configure options.loadConnectionOptions or enter the URL');
    }
    let jid = username;
    if (!username.includes('@')) {
      if (!settings.xmpp?.domain) {
        throw new LoginError('error_no_domain', `"${username}" has no domain, and loadConnectionOptions gave none`);
      }
      jid = `${username}@${settings.xmpp.domain}`;
    }
    if (settings.xmpp?.resource && !jid.includes('/')) {
      jid = `${jid}/${settings.xmpp.resource}`;
    }
    try {
      JID.parseUser(jid);
    } catch (err) {
      throw new LoginError('error_malformed_jid', (err as JIDError).message, { jid });
    }
    return this.login(url, jid, password);
  }

  /** The user's stored options from the host (options.loadOptions), merged into the settings. */
  private async loadOptions(jid: string, password: string): Promise<void> {
    if (!this.options.loadOptions) {
      return;
    }
    try {
      this.settings.load(await this.options.loadOptions(jid, password));
    } catch (err) {
      console.warn('[jsxc] options.loadOptions failed; using the defaults:', err);
    }
  }

  async disconnect(): Promise<void> {
    await Promise.all(this.listAccounts().map((account) => this.logOut(account)));
  }

  /** Logs the account out (in every tab of the browser) and drops it. */
  private async logOut(account: Account): Promise<void> {
    try {
      await account.disconnect();
    } finally {
      this.removeAccount(account, true);
    }
  }

  /** `loggedOut`: the session ended, so the other tabs drop the account too. */
  private removeAccount(account: Account, loggedOut = false): void {
    this.tabs.drop(account, loggedOut);
    if (this.accounts.get(account.uid) === account) {
      this.accounts.delete(account.uid);
      this.emit('accountRemoved', account);
    }
  }
}
