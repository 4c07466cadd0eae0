import { ResolvedOptions } from '../api/Options';
import { ConnectionError } from '../connection/errors';
import { ConnectionState } from '../connection/status';
import { Client, LoginError } from '../core/Client';
import { createTranslator, pickLanguage, Translate } from '../i18n';
import { Account } from '../model/Account';
import { LoginDialog } from './LoginDialog';
import { connectionStateText } from './presenceText';
import { RosterView } from './RosterView';

let widgetCounter = 0;

const RTL_LANGUAGES = ['ar', 'fa', 'he', 'ur'];

async function domReady(): Promise<void> {
  if (document.readyState === 'loading') {
    await new Promise<void>((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
  }
}

/**
 * The widget's UI: one root element appended to `options.rosterAppend`, holding the roster
 * panel and the dialogs. Everything is scoped under that root. It renders the client's state
 * and forwards the user's intent to the client.
 */
export class Widget {
  private root!: HTMLElement;
  private roster!: RosterView;
  private t!: Translate;
  private readonly id = `jsxc-${++widgetCounter}`;
  private detachers = new Map<Account, () => void>();
  private loginDialog?: LoginDialog;

  constructor(
    private readonly client: Client,
    private readonly options: ResolvedOptions,
  ) {}

  async mount(): Promise<void> {
    const browserLanguages = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
    const { t, language } = await createTranslator(pickLanguage(this.options.lang, this.options.autoLang, browserLanguages));
    this.t = t;
    await domReady();
    const host = document.querySelector(this.options.rosterAppend);
    if (!host) {
      throw new Error(`JSXC option "rosterAppend": no element matches "${this.options.rosterAppend}"`);
    }
    this.root = document.createElement('div');
    this.root.className = 'jsxc-root';
    this.root.lang = language;
    this.root.dir = RTL_LANGUAGES.includes(language) ? 'rtl' : 'ltr';
    this.roster = new RosterView({
      t,
      id: this.id,
      visibility: this.options.rosterVisibility,
      hideOfflineContacts: this.options.hideOfflineContacts,
      onLoginRequest: () => this.requestOnline(),
    });
    this.root.appendChild(this.roster.element);
    host.appendChild(this.root);
    this.client.on('accountAdded', (account) => this.attach(account));
    this.client.on('accountRemoved', (account) => this.detach(account));
    this.client.listAccounts().forEach((account) => this.attach(account));
  }

  toggleRoster(): void {
    this.roster.toggle();
  }

  showLoginBox(username?: string): void {
    this.loginDialog?.close();
    const dialog = new LoginDialog({
      t: this.t,
      id: `${this.id}-login`,
      username,
      askUrl: !this.options.loadConnectionOptions,
      onSubmit: async ({ username: user, password, url }) => {
        try {
          await this.client.loginWithCredentials(user, password, url);
        } catch (err) {
          throw new Error(this.describeError(err));
        }
      },
    });
    this.loginDialog = dialog;
    dialog.open(this.root);
  }

  /** The user asked to go online: the host's handler, or our login box. */
  private requestOnline(username?: string): void {
    if (this.options.onUserRequestsToGoOnline) {
      this.options.onUserRequestsToGoOnline();
    } else {
      this.showLoginBox(username);
    }
  }

  private describeError(err: unknown): string {
    if (err instanceof LoginError) {
      return this.t(err.code, err.values);
    }
    if (err instanceof ConnectionError) {
      const state: ConnectionState = err.isAuthFailure ? { kind: 'authfail' } : { kind: 'unreachable', url: err.url ?? '' };
      return connectionStateText(this.t, state);
    }
    return err instanceof Error ? err.message : String(err);
  }

  private attach(account: Account): void {
    const offRoster = this.roster.addRoster(account.roster);
    const offState = account.on('state', (state) => this.showState(state, account));
    this.showState(account.state, account);
    this.detachers.set(account, () => {
      offRoster();
      offState();
    });
  }

  private detach(account: Account): void {
    this.detachers.get(account)?.();
    this.detachers.delete(account);
    this.roster.setLoggedIn(this.client.listAccounts().length > 0);
  }

  private showState(state: ConnectionState, account: Account): void {
    this.roster.setConnectionState(state);
    this.roster.setLoggedIn(state.kind === 'online' || state.kind === 'connecting' || state.kind === 'reconnecting');
    if (state.kind === 'expired') {
      // the stored session is gone (docs/session.md): offer to go online again, once
      this.requestOnline(account.uid);
    }
  }
}
