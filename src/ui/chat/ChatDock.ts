import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import type { Chat } from '../../model/Chat';
import type { UIExtensions } from '../UIExtensions';
import { ChatWindow } from './ChatWindow';

/** Width of one open window incl. its gap (px), matching --jsxc-chat-width in scss/_chat.scss. */
const WINDOW_SPACE = 328;
/** Below this page width a window takes the whole screen (phones). */
export const NARROW_PX = 600;

export interface ChatDockOptions {
  t: Translate;
  lang: string;
  /** space the roster takes at the inline end (px), so windows sit beside it */
  reservedWidth: () => number;
  onUserSent: () => void;
  /** plugins' chat buttons and message renderers */
  extensions?: UIExtensions;
  /** a window opened, closed, was minimised, restored or focused (the open windows are stored) */
  onWindowsChanged?: () => void;
}

/**
 * The row of chat windows at the bottom of the page. Several sit side by side; when the page is
 * too narrow for all of them, the least recently used collapse (minimise) first; on a narrow
 * (phone) screen a window takes the whole screen, one at a time.
 */
export class ChatDock {
  readonly element: HTMLElement;
  private windows = new Map<Chat, ChatWindow>();
  private accounts = new Map<Chat, Account>();
  /** the window that had the keyboard focus last */
  lastFocused?: ChatWindow;

  constructor(private readonly options: ChatDockOptions) {
    this.element = document.createElement('div');
    this.element.className = 'jsxc-chats';
    window.addEventListener('resize', () => this.layout());
    // coming back to the tab: what is in view now counts as seen
    const seen = () => this.all().forEach((w) => w.seenIfInView());
    window.addEventListener('focus', seen);
    document.addEventListener('visibilitychange', seen);
    this.element.addEventListener('focusin', (ev) => {
      this.lastFocused = this.all().find((w) => w.element.contains(ev.target as Node)) ?? this.lastFocused;
      this.options.onWindowsChanged?.();
    });
  }

  /** Opens the windows an account's chats ask for (contact.openChatWindow*, chat.openWindow). */
  addAccount(account: Account): () => void {
    const off = account.chats.on('windowRequested', (chat, prominent) => this.open(account, chat, prominent));
    return () => {
      off();
      for (const [chat, acc] of this.accounts) {
        if (acc === account) {
          this.close(chat);
        }
      }
    };
  }

  get(chat: Chat): ChatWindow | undefined {
    return this.windows.get(chat);
  }

  all(): ChatWindow[] {
    return [...this.windows.values()];
  }

  /** The windows of an account, in the order they were opened (oldest first). */
  windowsOf(account: Account): ChatWindow[] {
    return this.all().filter((w) => this.accounts.get(w.chat) === account);
  }

  /** Opens (or restores) the window of a chat; `prominent`: also brings it forward and focuses it. */
  open(account: Account, chat: Chat, prominent = false): ChatWindow {
    let win = this.windows.get(chat);
    if (!win) {
      win = new ChatWindow({
        t: this.options.t,
        lang: this.options.lang,
        chat,
        // a roster contact names the window; a stranger is shown by their JID
        contact: account.roster.get(chat.peer),
        ownName: account.uid.split('@')[0],
        onClose: () => this.close(chat),
        onMinimizedChange: () => {
          this.layout(win);
          this.options.onWindowsChanged?.();
        },
        onUserSent: this.options.onUserSent,
        extensions: this.options.extensions,
      });
      this.windows.set(chat, win);
      this.accounts.set(chat, account);
      this.element.prepend(win.element);
    }
    win.lastActive = Date.now();
    win.setMinimized(false);
    if (prominent) {
      win.element.dataset.highlight = 'true';
      setTimeout(() => delete win!.element.dataset.highlight, 1500);
      win.focus();
    }
    this.layout(win);
    this.options.onWindowsChanged?.();
    return win;
  }

  close(chat: Chat): void {
    const win = this.windows.get(chat);
    if (!win) {
      return;
    }
    const hadFocus = win.element.contains(document.activeElement);
    win.destroy();
    this.windows.delete(chat);
    this.accounts.delete(chat);
    if (this.lastFocused === win) {
      this.lastFocused = undefined;
    }
    this.layout();
    this.options.onWindowsChanged?.();
    if (hadFocus) {
      // keep the keyboard user somewhere sensible: the contact in the roster, else the toggle
      const root = this.element.closest('.jsxc-root');
      const target = root?.querySelector<HTMLElement>(`.jsxc-contact[data-jid="${CSS.escape(chat.peer)}"]`) ?? root?.querySelector<HTMLElement>('.jsxc-roster__toggle');
      target?.focus();
    }
  }

  /**
   * Collapses the least recently used open windows until the rest fit. `keep` is the window the
   * user just acted on: it stays open.
   */
  layout(keep?: ChatWindow): void {
    const narrow = window.innerWidth <= NARROW_PX;
    this.element.dataset.narrow = String(narrow);
    const open = this.all()
      .filter((w) => !w.minimized)
      .sort((a, b) => (a === keep ? -1 : b === keep ? 1 : b.lastActive - a.lastActive));
    const room = narrow ? 1 : Math.max(1, Math.floor((window.innerWidth - this.options.reservedWidth()) / WINDOW_SPACE));
    open.slice(room).forEach((w) => w.setMinimized(true));
  }
}
