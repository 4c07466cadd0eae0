import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import type { Chat } from '../../model/Chat';
import { loadChat } from '../lazy';
import type { UIExtensions } from '../UIExtensions';
import type { ChatWindow } from './ChatWindow';
import type { DockWindow, DockWindowOptions } from './DockWindow';

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
  /** the open windows by what they show: a Chat, or a group chat (src/ui/muc/RoomWindows.ts) */
  private windows = new Map<object, DockWindow>();
  private accounts = new Map<object, Account>();
  /** the window that had the keyboard focus last */
  lastFocused?: DockWindow;
  /** the accounts whose chats this dock shows (addAccount) */
  private shown = new Set<Account>();

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
    const off = account.chats.on('windowRequested', (chat, prominent) => void this.open(account, chat, prominent).catch(() => undefined));
    this.shown.add(account);
    return () => {
      this.shown.delete(account);
      off();
      for (const [chat, acc] of this.accounts) {
        if (acc === account) {
          this.close(chat);
        }
      }
    };
  }

  /** The window showing `key` (a Chat, or a room), if open. */
  get(key: object): DockWindow | undefined {
    return this.windows.get(key);
  }

  all(): DockWindow[] {
    return [...this.windows.values()];
  }

  /** The one-to-one chat windows of an account, in the order they were opened (oldest first). */
  windowsOf(account: Account): ChatWindow[] {
    const ChatWindow = loadChat.loaded?.ChatWindow;
    return ChatWindow ? this.windowsOfKind(account, ChatWindow) : []; // none before its code was loaded
  }

  /** The windows of one class (e.g. RoomWindow) of an account, in the order they were opened. */
  windowsOfKind<W extends DockWindow>(account: Account, kind: abstract new (...args: never[]) => W): W[] {
    return [...this.windows.entries()].filter(([key, w]) => this.accounts.get(key) === account && w instanceof kind).map(([, w]) => w as W);
  }

  /**
   * Opens (or restores) the window of a chat; `prominent`: also brings it forward and focuses it;
   * `minimized`: shows it minimised (a window reopened as stored, or as another tab has it).
   * The window's code is the "chat" chunk (src/ui/lazy.ts): the first window waits for it.
   */
  async open(account: Account, chat: Chat, prominent = false, minimized = false): Promise<ChatWindow> {
    // nothing stored: the newest archive page is asked for while the window's code loads
    chat.prefetchOlder().catch((err: unknown) => console.warn('[jsxc] could not read the chat history:', err instanceof Error ? err.message : err));
    let ChatWindow;
    try {
      ({ ChatWindow } = await loadChat());
    } catch (err) {
      console.error(`[jsxc] could not load the code for the chat window with ${chat.peer}:`, err);
      throw err;
    }
    if (!this.shown.has(account)) {
      throw new Error(`${account.uid} is no longer shown`); // logged out while the code loaded
    }
    return this.openWindow(
      account,
      chat,
      (frame) =>
        new ChatWindow({
          ...frame,
          chat,
          // a roster contact names the window; a stranger is shown by their JID
          contact: account.roster.get(chat.peer),
          roster: account.roster,
          ownName: account.uid.split('@')[0],
          onUserSent: this.options.onUserSent,
          extensions: this.options.extensions,
        }),
      prominent,
      minimized,
    );
  }

  /**
   * Opens (or restores) the window showing `key`, made by `create` the first time (given what
   * every docked window needs); `prominent`: also brings it forward and focuses it; `minimized`:
   * shows it minimised — set before anything is told of the window, so that no other state is seen
   * in between (other tabs follow what this one tells them).
   */
  openWindow<W extends DockWindow>(account: Account, key: object, create: (frame: DockWindowOptions) => W, prominent = false, minimized = false): W {
    let win = this.windows.get(key) as W | undefined;
    if (!win) {
      const made: W = create({
        t: this.options.t,
        lang: this.options.lang,
        onClose: () => this.close(key),
        onMinimizedChange: () => {
          this.layout(made);
          this.options.onWindowsChanged?.();
        },
      });
      win = made;
      this.windows.set(key, win);
      this.accounts.set(key, account);
      this.element.prepend(win.element);
    }
    win.lastActive = Date.now();
    win.setMinimized(minimized && !prominent);
    if (prominent) {
      win.element.dataset.highlight = 'true';
      setTimeout(() => delete win!.element.dataset.highlight, 1500);
      win.focus();
    }
    this.layout(win);
    this.options.onWindowsChanged?.();
    return win;
  }

  close(key: object): void {
    const win = this.windows.get(key);
    if (!win) {
      return;
    }
    const hadFocus = win.element.contains(document.activeElement);
    win.destroy();
    this.windows.delete(key);
    this.accounts.delete(key);
    if (this.lastFocused === win) {
      this.lastFocused = undefined;
    }
    this.layout();
    this.options.onWindowsChanged?.();
    if (hadFocus) {
      // keep the keyboard user somewhere sensible: the contact in the roster, else the toggle
      const root = this.element.closest('.jsxc-root');
      const jid = (key as { peer?: string; jid?: string }).peer ?? (key as { jid?: string }).jid ?? '';
      const target = root?.querySelector<HTMLElement>(`.jsxc-contact[data-jid="${CSS.escape(jid)}"]`) ?? root?.querySelector<HTMLElement>('.jsxc-roster__toggle');
      target?.focus();
    }
  }

  /**
   * Collapses the least recently used open windows until the rest fit. `keep` is the window the
   * user just acted on: it stays open.
   */
  layout(keep?: DockWindow): void {
    const narrow = window.innerWidth <= NARROW_PX;
    this.element.dataset.narrow = String(narrow);
    const open = this.all()
      .filter((w) => !w.minimized)
      .sort((a, b) => (a === keep ? -1 : b === keep ? 1 : b.lastActive - a.lastActive));
    // the most recent stay open while they fit (always at least one)
    let space = window.innerWidth - this.options.reservedWidth();
    let fit = 0;
    for (const w of open) {
      space -= w.dockWidth;
      if (fit > 0 && (narrow || space < 0)) {
        break;
      }
      fit += 1;
    }
    open.slice(fit).forEach((w) => w.setMinimized(true));
  }
}
