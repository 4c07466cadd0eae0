import { checkArgumentCount } from './api/args';
import { toElement } from './api/elements';
import { Options, ResolvedOptions } from './api/Options';
import type { DataForm } from './api/register';
import { BOSH_SERVER_REACHABLE } from './api/boshReachable';

/** What JSXC.testBOSHServer() resolves with when the test fails (manual §3.7.2). */
export type BOSHTestError = Error & { getErrorCode(): string };
import { Client } from './core/Client';
import { deleteDatabases, deleteStoredKeys, isDebugMode, setDebugMode } from './core/debug';
import { MenuEntries } from './core/MenuEntries';
import { SessionStore } from './core/SessionStore';
import { transportFor } from './connection/transport';
import { resolveOptions } from './core/options';
import { Account } from './model/Account';
import { JID } from './model/JID';
import { PluginEntry } from './plugins/Plugin';
import { checkPlugin } from './plugins/PluginRegistry';
import { createTranslator, pickLanguage } from './i18n';
import { loadDialogs } from './ui/lazy';
import { Widget } from './ui/Widget';

/**
 * The public facade: the API of the JSXC 4 manual, §3. Thin: it validates arguments, then
 * delegates to the Client (protocol) and the Widget (UI).
 */
export default class JSXC {
  /** manual §3.7.3 */
  static readonly version: string = __JSXC_VERSION__;

  /** What JSXC.testBOSHServer() resolves with when the server answers (manual §3.7.2). */
  static readonly BOSH_SERVER_REACHABLE = BOSH_SERVER_REACHABLE;

  /**
   * manual §3.7.2: resolves with JSXC.BOSH_SERVER_REACHABLE when `url` is a BOSH service that
   * serves `domain`; otherwise, as the manual says, it resolves with a BOSHServerError
   * (toString(), getErrorCode(); the codes are listed in docs/api.md) — bad arguments too, as a
   * TypeError with the codes invalid-url / invalid-domain. Only an unexpected internal failure rejects.
   */
  static testBOSHServer(url: string, domain: string): Promise<string | BOSHTestError> {
    // the check and in-band registration are rarely used: each is a chunk loaded on the first call (docs/architecture.md)
    return import(/* webpackChunkName: "register" */ './api/testBOSHServer').then(({ testBOSHServer }) => testBOSHServer(url, domain)).catch((err: unknown) => {
      if (err instanceof Error && typeof (err as BOSHTestError).getErrorCode === 'function') {
        return err as BOSHTestError;
      }
      throw err;
    });
  }

  /**
   * manual §3.7.1: registers a new account on `domain` (XEP-0077 in-band registration) through the
   * BOSH service (or WebSocket, for a ws:// URL). Without `callback` the `Register` dialog asks the
   * user; with `callback(form) => Promise<form>` the host fills the form (docs/api.md). Resolves
   * once registered; rejects with a RegistrationError (`condition`: conflict = username taken,
   * not-acceptable, not-allowed, cancelled…) or a TypeError for bad arguments.
   */
  static register(service: string, domain: string, callback?: (form: DataForm) => Promise<DataForm>): Promise<void> {
    return import(/* webpackChunkName: "register" */ './api/register').then(({ register }) => register(service, domain, callback, async () => {
      const languages = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
      const [{ t, language }, { RegisterDialog }] = await Promise.all([createTranslator(pickLanguage('en', true, languages)), loadDialogs()]);
      const root = document.createElement('div');
      root.className = 'jsxc-root';
      root.lang = language;
      document.body.appendChild(root);
      const dialog = new RegisterDialog(root, t, `jsxc-register-${Date.now().toString(36)}`);
      return {
        fill: (form, error) => dialog.fill(form, error),
        close: () => {
          dialog.close();
          root.remove();
        },
      };
    }));
  }

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
  private readonly menuEntries = new MenuEntries();
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
    if (isDebugMode(this.options.storage)) {
      setDebugMode(this.options.storage, true);
    }
    this.restoredAccounts = this.client.restoreSessions();
    const show = () => this.ui().catch((err: unknown) => console.error('[jsxc] could not show the restored session:', err instanceof Error ? err.message : err));
    if (this.restoredAccounts > 0) {
      void show();
    }
    // a login in another tab of the browser: this tab shows that session too
    this.client.on('sessionFromOtherTab', () => void show());
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
   * manual §3.1.6: connects like start(url, jid, password) but shows no UI, and leaves the session
   * running (it does not disconnect), e.g. to log in to chat right before the host page's own
   * login form navigates away. Resolves once connected.
   */
  async startAndPause(...args: unknown[]): Promise<void> {
    checkArgumentCount('startAndPause(url, jid, password)', args, 3);
    const [url, jid, password] = args;
    this.checkStrings({ url, jid, password }, 'startAndPause()');
    JID.parseUser(jid as string);
    await this.client.login(url as string, jid as string, password as string);
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

  /**
   * manual §3.1.8: a click on the host's logout element (jQuery object, DOM element or selector)
   * first ends the chat session, then goes on as it would have: the host's click handlers run and
   * a link navigates. With no account online the click is not delayed.
   */
  watchLogoutClick(element: unknown): void {
    const el = toElement(element, 'watchLogoutClick(element)', HTMLElement);
    let passThrough = false;
    el.addEventListener(
      'click',
      (ev) => {
        if (passThrough || !this.client.listAccounts().some((a) => a.state.kind !== 'offline')) {
          return;
        }
        ev.preventDefault();
        ev.stopImmediatePropagation();
        const mouse = ev as MouseEvent;
        void this.client
          .disconnect()
          .catch((err: unknown) => console.warn('[jsxc] disconnect before the watched logout click failed:', err))
          .then(() => {
            passThrough = true;
            try {
              // a new click with the same modifiers: handlers run, links follow (target, ctrl-click…)
              el.dispatchEvent(
                new MouseEvent('click', { bubbles: true, cancelable: true, view: window, ctrlKey: mouse.ctrlKey, shiftKey: mouse.shiftKey, altKey: mouse.altKey, metaKey: mouse.metaKey, button: mouse.button }),
              );
            } finally {
              passThrough = false;
            }
          });
      },
      { capture: true },
    );
  }

  /**
   * manual §3.2.1: adds an entry to the main menu: `{id, label, handler, icon?, offlineAvailable?}`.
   * Throws a TypeError naming the field when one is missing or of the wrong type, or the id is taken.
   */
  addMenuEntry(options: unknown): void {
    this.menuEntries.add(options);
  }

  /** manual §3.3.1: strophe.js logs every frame; remembered in options.storage (jsxc:v1:debug). */
  enableDebugMode(): void {
    setDebugMode(this.options.storage, true);
  }

  /** manual §3.3.2 */
  disableDebugMode(): void {
    setDebugMode(this.options.storage, false);
  }

  /**
   * manual §3.3.3, debug mode only (throws otherwise): deletes all data JSXC stored and returns the
   * number of deleted items, as the manual says (a number, synchronously): the `jsxc:` keys in
   * options.storage (session records, XEP-0198 state, UI state, settings…; the debug flag stays).
   * Our IndexedDB databases (history, roster cache) are deleted in the background — not counted;
   * one still open in a page is deleted when that page closes (docs/api.md).
   */
  deleteAllData(): number {
    if (!isDebugMode(this.options.storage)) {
      throw new Error('deleteAllData() is only available in debug mode: call jsxc.enableDebugMode() first');
    }
    const deleted = deleteStoredKeys(this.options.storage);
    deleteDatabases().catch((err: unknown) => console.warn('[jsxc] deleteAllData: could not delete the IndexedDB databases:', err instanceof Error ? err.message : err));
    return deleted;
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

  private checkStrings(args: Record<string, unknown>, method = 'start()'): void {
    for (const [name, value] of Object.entries(args)) {
      if (typeof value !== 'string' || value === '') {
        throw new TypeError(`${method}: ${name} must be a non-empty string, got ${value === '' ? 'an empty string' : typeof value}`);
      }
    }
  }

  private ui(): Promise<Widget> {
    if (!this.widgetReady) {
      const widget = new Widget(this.client, this.options, this.menuEntries);
      this.widgetReady = widget.mount().then(() => widget);
      this.widgetReady.catch(() => {
        this.widgetReady = undefined;
      });
    }
    return this.widgetReady;
  }
}
