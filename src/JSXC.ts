import { toElement } from './api/elements';
import { Options, ResolvedOptions } from './api/Options';
import { Client } from './core/Client';
import { SessionStore } from './core/SessionStore';
import { transportFor } from './connection/transport';
import { resolveOptions } from './core/options';
import { Account } from './model/Account';
import { JID } from './model/JID';
import { PluginEntry } from './plugins/Plugin';
import { checkPlugin } from './plugins/PluginRegistry';
import { Widget } from './ui/Widget';

/**
 * The public facade: the API of the JSXC 4 manual, §3. Thin: it validates arguments, then
 * delegates to the Client (protocol) and the Widget (UI).
 */
export default class JSXC {
  /** manual §3.7.3 */
  static readonly version: string = __JSXC_VERSION__;

  private static extraPlugins: PluginEntry[] = [];

  /**
   * Registers a third-party plugin for every JSXC object made afterwards (docs/plugins.md).
   * Throws a TypeError naming what is wrong with the definition.
   */
  static registerPlugin(plugin: PluginEntry): void {
    checkPlugin(plugin);
    if (JSXC.extraPlugins.some((p) => p.id === plugin.id)) {
      throw new Error(`A plugin with the id "${plugin.id}" is registered already`);
    }
    JSXC.extraPlugins.push(plugin);
  }

  private readonly options: ResolvedOptions;
  private readonly client: Client;
  private widgetReady?: Promise<Widget>;
  private readonly restoredAccounts: number;

  /**
   * manual §3.1.1. Throws a TypeError naming the option when one is unknown or mistyped.
   * Continues every session stored in options.storage (docs/session.md): the contact list is shown
   * from the cache at once, the connections come back in the background.
   */
  constructor(options?: Options) {
    this.options = resolveOptions(options);
    this.client = new Client(this.options, JSXC.extraPlugins);
    this.restoredAccounts = this.client.restoreSessions();
    if (this.restoredAccounts > 0) {
      this.ui().catch((err: unknown) => console.error('[jsxc] could not show the restored session:', err instanceof Error ? err.message : err));
    }
  }

  /** manual §3.1.2: the number of accounts restored from a previous page (0 when none). */
  get numberOfCachedAccounts(): number {
    return this.restoredAccounts;
  }

  /**
   * The session records and the UI-state API for views that must survive a page load
   * (e.g. open chat windows): `sessionStore.getUiState(bareJid)` / `setUiState(bareJid, state)`.
   */
  get sessionStore(): SessionStore {
    return this.client.sessions;
  }

  /**
   * manual §3.1.3–3.1.5.
   * - `start()`: show the contact list with a log-in action; resolves once the UI is loaded.
   * - `start(url, jid, password)`: connect; resolves once connected and the UI is loaded.
   * - `start(url, jid, sid, rid)`: attach to a pre-bound BOSH session.
   * Rejects (never throws) on bad arguments, with a message that names the problem.
   */
  start(): Promise<void>;
  start(url: string, jid: string, password: string): Promise<void>;
  start(url: string, jid: string, sid: string, rid: string | number): Promise<void>;
  async start(...args: unknown[]): Promise<void> {
    if (args.length === 0) {
      await this.ui();
      return;
    }
    const [url, jid, passwordOrSid] = args;
    if (args.length === 3) {
      this.checkStrings({ url, jid, password: passwordOrSid });
      JID.parseUser(jid as string);
      await this.ui();
      await this.client.login(url as string, jid as string, passwordOrSid as string);
      return;
    }
    if (args.length === 4) {
      const rid = args[3];
      this.checkStrings({ url, jid, sid: passwordOrSid });
      const ridNumber = typeof rid === 'string' && /^\d+$/.test(rid.trim()) ? Number(rid) : rid;
      if (typeof ridNumber !== 'number' || !Number.isSafeInteger(ridNumber) || ridNumber <= 0) {
        throw new TypeError(`start(url, jid, sid, rid): rid must be a positive integer (or a string of digits), got ${JSON.stringify(rid)}`);
      }
      if (transportFor(url as string) !== 'bosh') {
        throw new TypeError(`start(url, jid, sid, rid): prebind needs a BOSH URL (http(s):// or a path), got "${url as string}"`);
      }
      await this.ui();
      await this.client.attach(url as string, jid as string, passwordOrSid as string, ridNumber);
      return;
    }
    throw new TypeError(`start() takes no arguments, (url, jid, password) or (url, jid, sid, rid); got ${args.length} arguments`);
  }

  /**
   * manual §3.1.7: on submit of the host's login form, log in to XMPP with the same credentials
   * (connection settings from options.loadConnectionOptions), then let the form's own submit go on
   * (the host's handlers and its navigation), whether or not the chat login succeeded.
   */
  watchForm(formElement: unknown, usernameElement: unknown, passwordElement: unknown): void {
    const form = toElement(formElement, 'watchForm(formElement)', HTMLFormElement);
    const username = toElement(usernameElement, 'watchForm(usernameElement)', HTMLInputElement);
    const password = toElement(passwordElement, 'watchForm(passwordElement)', HTMLInputElement);
    if (!this.options.loadConnectionOptions) {
      console.warn('[jsxc] watchForm: options.loadConnectionOptions is not set, so usernames need a full JID and the server URL is unknown');
    }
    let passThrough = false;
    form.addEventListener(
      'submit',
      (ev) => {
        if (passThrough || !username.value || !password.value) {
          return;
        }
        ev.preventDefault();
        ev.stopImmediatePropagation();
        const submitter = (ev as SubmitEvent).submitter ?? undefined;
        const login = this.ui().then(() => this.client.loginWithCredentials(username.value.trim(), password.value));
        void login
          .catch((err: unknown) => console.warn('[jsxc] chat login from the watched form failed:', err instanceof Error ? err.message : err))
          .then(() => {
            // requestSubmit dispatches the submit event synchronously: the host's handlers run now
            passThrough = true;
            try {
              form.requestSubmit(submitter instanceof HTMLElement && form.contains(submitter) ? submitter : undefined);
            } finally {
              passThrough = false;
            }
          });
      },
      { capture: true },
    );
  }

  /** manual §3.1.10: disconnects every account. */
  async disconnect(): Promise<void> {
    await this.client.disconnect();
  }

  /** manual §3.1.9 */
  showLoginBox(username?: string): void {
    if (username !== undefined && typeof username !== 'string') {
      throw new TypeError(`showLoginBox(username): username must be a string, got ${typeof username}`);
    }
    void this.ui().then((widget) => widget.showLoginBox(username));
  }

  /** manual §3.2.2 */
  toggleRoster(): void {
    void this.ui().then((widget) => widget.toggleRoster());
  }

  /** manual §3.3.4: the account with this UID (its bare JID). */
  getAccount(uid: string): Account | undefined {
    if (typeof uid !== 'string') {
      throw new TypeError(`getAccount(uid): uid must be a string (a bare JID), got ${typeof uid}`);
    }
    return this.client.getAccount(uid);
  }

  private checkStrings(args: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(args)) {
      if (typeof value !== 'string' || value === '') {
        throw new TypeError(`start(): ${name} must be a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
      }
    }
  }

  private ui(): Promise<Widget> {
    if (!this.widgetReady) {
      const widget = new Widget(this.client, this.options);
      this.widgetReady = widget.mount().then(() => widget);
      this.widgetReady.catch(() => {
        this.widgetReady = undefined;
      });
    }
    return this.widgetReady;
  }
}
