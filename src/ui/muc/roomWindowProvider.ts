import type { Account } from '../../model/Account';
import { whenOnline } from '../../plugins/whenOnline';
import type { ChatDock } from '../chat/ChatDock';
import type { WindowProvider } from '../OpenWindows';
import { RoomWindow } from './RoomWindow';
import type { RoomWindows } from './RoomWindows';

/**
 * The group chat windows, for OpenWindows (stored and reopened after a page load). A reopened
 * window shows the room at once (not joined yet); the room is joined again once the account is
 * online, under the stored nickname. The room's password is never stored: a password-protected
 * room answers with its error in the window, and the user joins again from there.
 */
export function roomWindowProvider(dock: ChatDock, rooms: RoomWindows): WindowProvider {
  return {
    kind: 'groupchat',
    list: (account) =>
      dock.windowsOfKind(account, RoomWindow).map((w) => ({
        jid: w.room.jid,
        minimized: w.minimized,
        focused: dock.lastFocused === w,
        nick: w.room.nickname,
        ...(w.room.displayName !== w.room.jid.split('@')[0] ? { name: w.room.displayName } : {}),
      })),
    reopen: (account, stored) => {
      if (!account.plugins.isEnabled('muc')) {
        return false;
      }
      const room = account.rooms.get(stored.jid) ?? account.rooms.ensure(stored.jid, stored.nick || defaultNick(account), stored.name);
      rooms.open(account, room).setMinimized(stored.minimized);
      whenOnline(account, () => {
        if (!room.isJoined && room.state !== 'joining' && account.rooms.get(room.jid) === room) {
          room.join().catch((err: unknown) => console.warn(`[jsxc] could not join ${room.jid} again:`, err instanceof Error ? err.message : err));
        }
      });
      return true;
    },
    focus: (account, stored) => {
      const room = account.rooms.get(stored.jid);
      if (room) {
        rooms.get(room)?.focus();
      }
    },
    close: (account, jid) => {
      const room = account.rooms.get(jid);
      if (room) {
        dock.close(room);
      }
    },
  };
}

function defaultNick(account: Account): string {
  return account.uid.split('@')[0];
}
