import type { SessionStore } from '../core/SessionStore';
import type { Account } from '../model/Account';
import { SharedWindows } from './SharedWindows';

/**
 * Which windows were open survives a page load (docs/session.md, "Open windows after a page load"):
 * per account, in `options.storage` through SessionStore.setUiState, removed with the session.
 * Only JIDs and window state are stored, never message text or anything else sensitive.
 */

/** What a window shows: a one-to-one chat, or a group chat (a room, MultiUserContact). */
export type WindowKind = 'chat' | 'groupchat';

export interface StoredWindow {
  kind: WindowKind;
  /** the bare JID of the contact or room */
  jid: string;
  minimized: boolean;
  /** the window that had the keyboard focus last */
  focused?: boolean;
  /** group chats: my nickname and the room's name (never its password) */
  nick?: string;
  name?: string;
}

/** The UI state of one account (the value under `jsxc:v1:ui:<bare JID>`). */
export interface StoredUiState {
  /** in the order they were opened (oldest first): reopening them in this order gives the same row */
  windows: StoredWindow[];
  /** the contact list was shown or hidden */
  roster?: 'shown' | 'hidden';
}

/** A window as a provider reports it. */
export type OpenWindow = Omit<StoredWindow, 'kind'>;

/**
 * Something that shows windows of one kind (the chat dock for 'chat'; the group chat windows will
 * register one for 'groupchat'). It lists an account's open windows in opening order (oldest first)
 * and reopens a stored one — before the connection is back, so only from local state.
 */
export interface WindowProvider {
  kind: WindowKind;
  list(account: Account): OpenWindow[];
  /** reopens the window (with its local history), minimised as stored; returns whether it could */
  reopen(account: Account, stored: StoredWindow): boolean;
  /** gives the keyboard focus to the reopened window */
  focus(account: Account, stored: StoredWindow): void;
  /** closes the window of this JID, if open (another tab closed it) */
  close(account: Account, jid: string): void;
}

function isStoredWindow(v: unknown): v is StoredWindow {
  const w = v as StoredWindow;
  return (
    !!w &&
    typeof w === 'object' &&
    (w.kind === 'chat' || w.kind === 'groupchat') &&
    typeof w.jid === 'string' &&
    w.jid.includes('@') &&
    typeof w.minimized === 'boolean' &&
    (w.nick === undefined || typeof w.nick === 'string') &&
    (w.name === undefined || typeof w.name === 'string')
  );
}

/** Reads an account's stored UI state; anything malformed counts as nothing. */
export function readUiState(sessions: SessionStore, uid: string): StoredUiState {
  const raw = sessions.getUiState<StoredUiState>(uid);
  const windows = Array.isArray(raw?.windows) ? raw!.windows.filter(isStoredWindow) : [];
  const roster = raw?.roster === 'shown' || raw?.roster === 'hidden' ? raw.roster : undefined;
  return { windows, ...(roster ? { roster } : {}) };
}

export interface OpenWindowsOptions {
  sessions: SessionStore;
  /** the tabs of the browser share the account (src/core/tabs): its open windows are one state for all */
  shareAcrossTabs?: boolean;
  /** whether the contact list is shown now, and a way to show or hide it */
  roster: { visible(): boolean; show(visible: boolean): void };
}

/**
 * Keeps each account's open windows (and the contact list's visibility) in its stored UI state, and
 * brings them back when the account appears after a page load. Providers call changed() whenever a
 * window opens, closes, is minimised, restored or focused. With several tabs the windows are one
 * state for all of them (SharedWindows), and the tab holding the connection writes it.
 */
export class OpenWindows {
  private providers = new Map<WindowKind, WindowProvider>();
  private accounts = new Set<Account>();
  /** accounts whose stored state has been applied: only those are saved (never an empty row before) */
  private restored = new Set<Account>();
  private written = new Map<Account, string>();
  private shared = new Map<Account, SharedWindows>();
  /** while applying another tab's windows: no telling the tabs what they just told */
  private applying = false;

  constructor(private readonly options: OpenWindowsOptions) {}

  /** The widget registers 'chat' (chat/chatWindowProvider.ts) and 'groupchat' (muc/roomWindowProvider.ts). */
  register(provider: WindowProvider): void {
    this.providers.set(provider.kind, provider);
  }

  /**
   * An account is shown: once its contacts are known (the roster cache, painted before the
   * connection is back), its stored windows reopen. Without a cache (the page that logged in went
   * away before writing it, or storage was cleared) they reopen as soon as the cache was looked
   * for, not when the server answers, which may be much later: a window takes its contact's name
   * when the roster comes. Returns a function that stops tracking it.
   */
  addAccount(account: Account): () => void {
    this.accounts.add(account);
    const offs: Array<() => void> = [];
    const off = () => offs.splice(0).forEach((f) => f());
    if (account.roster.isLoaded || account.rosterCacheRead) {
      this.restore(account);
    } else {
      const ready = () => {
        off();
        this.restore(account);
      };
      offs.push(account.roster.on('reset', ready), account.on('rosterCacheRead', ready));
    }
    return () => {
      off();
      this.accounts.delete(account);
      this.restored.delete(account);
      this.written.delete(account);
      this.shared.get(account)?.close();
      this.shared.delete(account);
    };
  }

  /** Something changed: writes each account's state (only when it differs from what is stored). */
  changed(): void {
    for (const account of this.restored) {
      this.save(account);
    }
  }

  private restore(account: Account): void {
    if (!this.accounts.has(account) || this.restored.has(account)) {
      return;
    }
    const state = readUiState(this.options.sessions, account.uid);
    if (state.roster) {
      this.options.roster.show(state.roster === 'shown');
    }
    let focus: [WindowProvider, StoredWindow] | undefined;
    for (const stored of state.windows) {
      const provider = this.providers.get(stored.kind);
      try {
        if (provider?.reopen(account, stored) && stored.focused && !stored.minimized) {
          focus = [provider, stored];
        }
      } catch (err) {
        console.warn(`[jsxc] could not reopen the ${stored.kind} window of ${stored.jid}:`, err instanceof Error ? err.message : err);
      }
    }
    this.restored.add(account);
    if (this.options.shareAcrossTabs && typeof BroadcastChannel === 'function') {
      this.shared.set(account, new SharedWindows(account.uid, state.windows, (windows) => this.apply(account, windows)));
    }
    // the host page's own focus (e.g. a form field) wins
    const active = typeof document === 'undefined' ? null : document.activeElement;
    if (focus && (active === null || active === document.body)) {
      focus[0].focus(account, focus[1]);
    }
    this.save(account);
  }

  /** Another tab's windows: this tab opens, closes, minimises and restores its own to match. */
  private apply(account: Account, windows: StoredWindow[]): void {
    if (!this.restored.has(account)) {
      return;
    }
    this.applying = true;
    try {
      for (const provider of this.providers.values()) {
        const wanted = windows.filter((w) => w.kind === provider.kind);
        const open = provider.list(account);
        for (const w of open.filter((o) => !wanted.some((x) => x.jid === o.jid))) {
          provider.close(account, w.jid);
        }
        for (const w of wanted) {
          const here = open.find((o) => o.jid === w.jid);
          if (!here || here.minimized !== w.minimized) {
            try {
              provider.reopen(account, w);
            } catch (err) {
              console.warn(`[jsxc] could not open the ${w.kind} window of ${w.jid}:`, err instanceof Error ? err.message : err);
            }
          }
        }
      }
      // stored (by the leader), not told back: a window whose code is still loading shows its
      // old state here until it opens, and telling that would undo what the other tab just did
      this.save(account);
    } finally {
      this.applying = false;
    }
  }

  private save(account: Account): void {
    const windows: StoredWindow[] = [];
    for (const provider of this.providers.values()) {
      windows.push(
        ...provider.list(account).map((w) => ({
          kind: provider.kind,
          jid: w.jid,
          minimized: w.minimized,
          ...(w.focused ? { focused: true } : {}),
          ...(w.nick !== undefined ? { nick: w.nick } : {}),
          ...(w.name !== undefined ? { name: w.name } : {}),
        })),
      );
    }
    const state: StoredUiState = { windows, roster: this.options.roster.visible() ? 'shown' : 'hidden' };
    const json = JSON.stringify(state);
    // with several tabs, the one holding the connection is the one that writes
    if (this.written.get(account) !== json && !account.following) {
      this.written.set(account, json);
      this.options.sessions.setUiState(account.uid, state);
    }
    if (!this.applying) {
      this.shared.get(account)?.changed(windows);
    }
  }
}
