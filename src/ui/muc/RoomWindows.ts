import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomMessage } from '../../model/RoomMessage';
import type { Attention } from '../chat/Attention';
import type { ChatDock } from '../chat/ChatDock';
import { loadGroupchat } from '../lazy';
import type { UIExtensions } from '../UIExtensions';
import type { RoomAction } from './RoomActions';
import type { RoomWindow } from './RoomWindow';

export interface RoomWindowsOptions {
  t: Translate;
  dock: ChatDock;
  attention: Attention;
  extensions?: UIExtensions;
  onUserSent: () => void;
}

/**
 * The group chat windows of a widget, in the same dock as the one-to-one windows: opens a room's
 * window when `room.openChatWindow()` / `openChatWindowProminently()` (manual §3.5.1–§3.5.2) asks,
 * and gets the user's attention for the rooms: every new message not seen counts on the room
 * (`room.unreadCount`, the window's badge); mentions of my nickname and private messages also count
 * in the page title and on the roster toggle, with a chime and a desktop notification.
 */
export class RoomWindows {
  /** the widget's extra room actions (the extension point for Invite, Configure room…) */
  private readonly actions: RoomAction[] = [];
  /** mentions and private messages not seen yet, per room */
  private mentions = new Map<MultiUserContact, number>();
  private offTotal: () => void;
  /** the rooms of the accounts shown (a window opens only for those) */
  private followed = new Set<MultiUserContact>();

  constructor(private readonly options: RoomWindowsOptions) {
    this.offTotal = options.attention.addUnreadSource(() => [...this.mentions.values()].reduce((a, b) => a + b, 0));
  }

  /**
   * Adds an action to every group chat window's "Room actions" menu (e.g. "Invite", "Configure
   * room"); returns its remover.
   */
  addAction(action: RoomAction): () => void {
    if (this.actions.some((a) => a.id === action.id)) {
      throw new TypeError(`A room action with the id "${action.id}" exists already`);
    }
    this.actions.push(action);
    return () => {
      const at = this.actions.indexOf(action);
      if (at !== -1) this.actions.splice(at, 1);
    };
  }

  /** Follows an account's rooms; returns the function that stops it (and closes their windows). */
  addAccount(account: Account): () => void {
    if (!account.plugins.isEnabled('muc')) {
      return () => undefined; // group chat is off: no room UI
    }
    const perRoom = new Map<MultiUserContact, () => void>();
    const follow = (room: MultiUserContact) => {
      if (perRoom.has(room)) return;
      this.followed.add(room);
      const offs = [room.on('chatWindowRequested', (prominent) => void this.open(account, room, prominent).catch(() => undefined)), room.on('message', (m) => this.onMessage(account, room, m))];
      perRoom.set(room, () => offs.forEach((off) => off()));
    };
    const unfollow = (room: MultiUserContact) => {
      perRoom.get(room)?.();
      perRoom.delete(room);
      this.followed.delete(room);
      this.options.dock.close(room);
      this.seen(room);
    };
    account.rooms.all().forEach(follow);
    const offs = [
      account.rooms.on('added', follow),
      account.rooms.on('removed', unfollow),
      account.on('alert', (alert) => {
        const room = alert.kind === 'room' ? account.rooms.get(alert.room) : undefined;
        if (alert.kind === 'room' && room) {
          this.notify(room, alert.nick, alert.body, alert.private);
        }
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      [...perRoom.keys()].forEach(unfollow);
    };
  }

  get(room: MultiUserContact): RoomWindow | undefined {
    return this.options.dock.get(room) as RoomWindow | undefined;
  }

  /**
   * Opens (or brings forward) the room's window. The window's code is in the "groupchat" chunk
   * (src/ui/lazy.ts): the first window waits for it, later ones open at once.
   */
  async open(account: Account, room: MultiUserContact, prominent = false, minimized = false): Promise<RoomWindow> {
    let groupchat;
    try {
      groupchat = await loadGroupchat();
    } catch (err) {
      console.error(`[jsxc] could not load the code for the group chat window of ${room.jid}:`, err);
      throw err;
    }
    const { RoomWindow } = groupchat;
    if (!this.followed.has(room)) {
      throw new Error(`${room.jid} is no longer shown`); // removed, or its account went, while the code loaded
    }
    return this.options.dock.openWindow(
      account,
      room,
      (frame) =>
        new RoomWindow({
          ...frame,
          room,
          extensions: this.options.extensions,
          actions: () => [...this.actions],
          onUserSent: this.options.onUserSent,
          onSeen: () => this.seen(room),
        }),
      prominent,
      minimized,
    );
  }

  /** The room's window once the window code is there (after the opens asked for before), if open. */
  async whenLoaded(room: MultiUserContact): Promise<RoomWindow | undefined> {
    await loadGroupchat();
    return this.get(room);
  }

  /** The room windows of an account that are open (none before the first was loaded). */
  windowsOf(account: Account): RoomWindow[] {
    const RoomWindow = loadGroupchat.loaded?.RoomWindow;
    return RoomWindow ? this.options.dock.windowsOfKind(account, RoomWindow) : [];
  }

  private onMessage(account: Account, room: MultiUserContact, message: RoomMessage): void {
    if (message.direction !== 'in' || message.delayed) {
      return;
    }
    if (this.get(room)?.inView()) {
      room.markRead(); // seen here: not unread in the other tabs either
      return;
    }
    room.setUnreadCount(room.unreadCount + 1);
    if (!message.mentionsMe && message.type !== 'chat') {
      return;
    }
    this.mentions.set(room, (this.mentions.get(room) ?? 0) + 1);
    this.options.attention.update();
    // one tab of the browser shows it (docs/session.md, "Several tabs"): the account routes it
    account.alert({ kind: 'room', room: room.jid, nick: message.nick, body: message.body, private: message.type === 'chat' });
  }

  /** The chime and desktop notification for a mention or a private message, unless its window is in view. */
  private notify(room: MultiUserContact, nick: string, body: string, isPrivate: boolean): void {
    if (this.get(room)?.inView()) {
      return;
    }
    const { t, attention } = this.options;
    const title = isPrivate ? t('Notification_private', { nick, room: room.displayName }) : t('Notification_mention', { nick, room: room.displayName });
    attention.notify(title, body, `jsxc:${room.jid}`, () => room.openChatWindowProminently());
  }

  private seen(room: MultiUserContact): void {
    if (room.unreadCount > 0) {
      room.markRead(); // in every tab (docs/session.md, "Several tabs")
    }
    if (this.mentions.delete(room)) {
      this.options.attention.update();
    }
  }

  destroy(): void {
    this.offTotal();
  }
}
