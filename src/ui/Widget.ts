import { ResolvedOptions } from '../api/Options';
import { ConnectionError } from '../connection/errors';
import { ConnectionState } from '../connection/status';
import { Client, LoginError } from '../core/Client';
import { MenuEntries } from '../core/MenuEntries';
import { createTranslator, pickLanguage, Translate } from '../i18n';
import { Account } from '../model/Account';
import { Attention } from './chat/Attention';
import { ChatDock } from './chat/ChatDock';
import { chatWindowProvider } from './chat/chatWindowProvider';
import { ChatSettings } from './chat/settings';
import { loadDialogs, withLazy } from './lazy';
import type { LoginDialog } from './LoginDialog';
import { MucUI } from './muc/MucUI';
import { MainMenu } from './MainMenu';
import { OpenWindows } from './OpenWindows';
import { roomWindowProvider } from './muc/roomWindowProvider';
import { RoomWindows } from './muc/RoomWindows';
import { connectionStateText } from './presenceText';
import { RosterView } from './RosterView';
import { UIExtensions } from './UIExtensions';

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
  /** how often the log-in box was asked for (the dialogs chunk may still be loading) */
  private loginAsked = 0;
  private menu!: MainMenu;
  private chats!: ChatDock;
  private attention!: Attention;
  /** the open windows and the contact list's visibility, kept across page loads */
  private openWindows!: OpenWindows;
  /** group chat windows; `rooms.addAction()` adds to their "Room actions" menu */
  rooms!: RoomWindows;
  /** what the enabled plugins add to the UI (their ui(), docs/plugins.md) */
  private extensions!: UIExtensions;
  /** group chat dialogs and the roster's rooms; only while the "muc" plugin is enabled */
  private muc?: MucUI;
  /** the user's notification and sound choices (docs/chat.md) */
  readonly chatSettings: ChatSettings;

  constructor(
    private readonly client: Client,
    private readonly options: ResolvedOptions,
    private readonly menuEntries: MenuEntries = new MenuEntries(),
  ) {
    this.chatSettings = new ChatSettings(client.settings);
  }

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
    this.extensions = new UIExtensions(this.menuEntries, this.client.settings);
    this.extensions.mountPlugins(this.client.plugins.enabled());
    this.roster = new RosterView({
      t,
      id: this.id,
      visibility: this.options.rosterVisibility,
      hideOfflineContacts: this.client.settings.get<boolean>('client', 'hideOfflineContacts') ?? this.options.hideOfflineContacts,
      onLoginRequest: () => this.requestOnline(),
      getUsers: this.options.getUsers,
      onContactActivate: (contact) => contact.openChatWindowProminently(),
      decorateContact: (contact, el) => this.extensions.decorateContact(contact, el),
    });
    this.client.settings.on('change', (id, key, value) => {
      if (id === 'client' && key === 'hideOfflineContacts') {
        this.roster.setHideOfflineContacts(value === true);
      }
    });
    if (this.client.plugins.isEnabled('muc')) {
      this.muc = new MucUI({ t, id: `${this.id}-muc`, container: this.root, slot: this.roster.roomsSlot });
    }
    this.menu = this.createMenu();
    this.roster.menuSlot.appendChild(this.menu.element);
    this.chats = new ChatDock({
      t,
      lang: language,
      reservedWidth: () => (this.roster.visible ? this.roster.element.getBoundingClientRect().width : 0),
      onUserSent: () => this.attention.userSent(),
      extensions: this.extensions,
      onWindowsChanged: () => this.openWindows?.changed(),
    });
    this.openWindows = new OpenWindows({ sessions: this.client.sessions, shareAcrossTabs: this.client.tabsShared, roster: { visible: () => this.roster.visible, show: (v) => this.roster.toggle(v) } });
    this.openWindows.register(chatWindowProvider(this.chats));
    new MutationObserver(() => this.openWindows.changed()).observe(this.roster.element, { attributeFilter: ['data-visibility'] });
    this.attention = new Attention(t, this.chats, this.chatSettings, (n) => this.roster.setUnreadTotal(n));
    this.rooms = new RoomWindows({ t, dock: this.chats, attention: this.attention, extensions: this.extensions, onUserSent: () => this.attention.userSent() });
    this.muc?.roomActions().forEach((action) => this.rooms.addAction(action));
    this.openWindows.register(roomWindowProvider(this.chats, this.rooms));
    this.root.appendChild(this.chats.element);
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
    this.loginDialog = undefined;
    const asked = (this.loginAsked += 1);
    withLazy(loadDialogs, 'the log-in dialog', ({ LoginDialog }) => {
      if (asked !== this.loginAsked) {
        return; // asked again while the dialogs were loading: the later one shows
      }
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
    });
  }

  private createMenu(): MainMenu {
    return new MainMenu({
      t: this.t,
      id: `${this.id}-menu`,
      entries: this.menuEntries,
      helpUrl: this.options.onlineHelp,
      isOnline: () => this.client.listAccounts().some((a) => a.isOnline),
      onLogin: () => this.requestOnline(),
      onLogout: () => void this.client.disconnect(),
      onSettings: () => withLazy(loadDialogs, 'Settings', (d) => d.openSettingsDialog(this.root, this.client.settings, this.t, `${this.id}-settings`)),
      onAbout: () => withLazy(loadDialogs, 'About', (d) => d.openAboutDialog(this.root, __JSXC_VERSION__, this.client.plugins.enabled(), this.t, `${this.id}-about`)),
      extraItems: () => this.muc?.menuItems() ?? [],
    });
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
    const offRoster = this.roster.addAccount(account);
    const offState = account.on('state', (state) => this.showState(state, account));
    this.showState(account.state, account);
    const offChats = this.chats.addAccount(account);
    const offAttention = this.attention.addAccount(account);
    const offMuc = this.muc?.addAccount(account);
    const offWindows = this.openWindows.addAccount(account);
    const offRooms = this.rooms.addAccount(account);
    this.detachers.set(account, () => {
      offMuc?.();
      offWindows();
      offRooms();
      offRoster();
      offState();
      offChats();
      offAttention();
    });
  }

  private detach(account: Account): void {
    this.detachers.get(account)?.();
    this.detachers.delete(account);
    this.roster.setLoggedIn(this.client.listAccounts().length > 0);
  }

  private showState(state: ConnectionState, account: Account): void {
    this.roster.setConnectionState(state);
    this.menu.refresh();
    this.roster.setLoggedIn(state.kind === 'online' || state.kind === 'connecting' || state.kind === 'reconnecting');
    if (state.kind === 'expired') {
      // the stored session is gone (docs/session.md): offer to go online again, once
      this.requestOnline(account.uid);
    }
  }
}
