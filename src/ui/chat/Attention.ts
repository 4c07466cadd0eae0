import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import type { Chat } from '../../model/Chat';
import { FrameScheduler } from '../FrameScheduler';
import type { ChatDock } from './ChatDock';
import { ChatSettings } from './settings';
import { playChime } from './sound';

/** Messages of one chat in quick succession (a burst) get one notification per this time, for the newest. */
const NOTIFY_GAP_MS = 1500;

/**
 * Getting the user's attention for new messages: the unread total in the page title
 * ("(3) Original title") and on the roster toggle; a desktop notification and an optional chime for
 * messages that arrive while their window is not in view. Notification permission is asked when
 * the user sends their first message (a moment they are engaged with the chat), never on load.
 */
export class Attention {
  private accounts = new Set<Account>();
  private baseTitle: string;
  private titleShown = '';
  private askedPermission = false;
  /** more unread counts for the total (group chats: mentions and private messages) */
  private sources = new Set<() => number>();
  /** the title and the roster toggle are painted once per frame, however many counts changed */
  private painter = new FrameScheduler(() => this.paint());
  /** per notification tag: no other one until `until`; the newest one meanwhile is shown then */
  private quiet = new Map<string, { until: number; latest?: () => void; timer?: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly t: Translate,
    private readonly dock: ChatDock,
    readonly settings: ChatSettings,
    private readonly showTotal: (n: number) => void,
  ) {
    this.baseTitle = document.title;
  }

  addAccount(account: Account): () => void {
    this.accounts.add(account);
    const offs = [
      account.chats.on('unread', () => this.update()),
      // one tab of the browser shows each alert (docs/session.md, "Several tabs"): the account routes it
      account.chats.on('incoming', (chat, message) => account.alert({ kind: 'chat', peer: chat.peer, body: message.body })),
      account.on('alert', (alert) => {
        if (alert.kind === 'chat') {
          this.onIncoming(account, account.chats.get(alert.peer), alert.body);
        }
      }),
    ];
    this.update();
    return () => {
      offs.forEach((off) => off());
      this.accounts.delete(account);
      this.update();
    };
  }

  get total(): number {
    let n = 0;
    for (const account of this.accounts) {
      n += account.chats.totalUnread;
    }
    for (const source of this.sources) {
      n += source();
    }
    return n;
  }

  /** Adds an unread count to the total in the title and on the roster toggle; call update() when it changes. */
  addUnreadSource(count: () => number): () => void {
    this.sources.add(count);
    this.update();
    return () => {
      this.sources.delete(count);
      this.update();
    };
  }

  /** Shows the current total (title, roster toggle) with the next frame. */
  update(): void {
    this.painter.schedule();
  }

  private paint(): void {
    const total = this.total;
    // the host page may have changed its title meanwhile: keep its current one as the base
    if (document.title !== this.titleShown) {
      this.baseTitle = document.title;
    }
    this.titleShown = total > 0 ? `(${total}) ${this.baseTitle}` : this.baseTitle;
    document.title = this.titleShown;
    this.showTotal(total);
  }

  /** The user sent a message: a good moment to ask for notification permission, once. */
  userSent(): void {
    if (this.askedPermission || !this.settings.get('notifications') || typeof Notification === 'undefined' || Notification.permission !== 'default') {
      return;
    }
    this.askedPermission = true;
    void Notification.requestPermission().catch(() => undefined);
  }

  private onIncoming(account: Account, chat: Chat, body: string): void {
    const tag = `jsxc:${account.uid}:${chat.peer}`;
    this.throttled(tag, () => {
      if (this.dock.get(chat)?.inView()) {
        return;
      }
      const name = account.roster.get(chat.peer)?.displayName ?? chat.peer;
      this.notify(this.t('Notification_title', { name }), body, tag, () => chat.openWindow(true));
    });
  }

  /**
   * Runs `show` now, or — when a notification of this tag went out less than NOTIFY_GAP_MS ago —
   * once that time is over, unless a newer one replaces it: a burst of a thousand messages makes
   * two notifications (the first and the newest), not a thousand.
   */
  private throttled(tag: string, show: () => void): void {
    const now = Date.now();
    const slot = this.quiet.get(tag);
    if (!slot || now >= slot.until) {
      this.quiet.set(tag, { until: now + NOTIFY_GAP_MS });
      show();
      return;
    }
    slot.latest = show;
    slot.timer ??= setTimeout(() => {
      const latest = slot.latest;
      this.quiet.set(tag, { until: Date.now() + NOTIFY_GAP_MS });
      latest?.();
    }, slot.until - now);
  }

  /**
   * Chime (if the user wants it) and a desktop notification (if allowed) for something new;
   * clicking the notification focuses the page and runs `onClick`.
   */
  notify(title: string, body: string, tag: string, onClick: () => void): void {
    if (this.settings.get('sound')) {
      playChime();
    }
    if (this.settings.get('notifications') && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      try {
        const notification = new Notification(title, { body: body.slice(0, 200), tag, lang: document.documentElement.lang || undefined });
        notification.addEventListener('click', () => {
          window.focus();
          onClick();
          notification.close();
        });
      } catch (err) {
        // some browsers only allow notifications from a service worker
        console.warn('[jsxc] could not show a notification:', err instanceof Error ? err.message : err);
      }
    }
  }
}
