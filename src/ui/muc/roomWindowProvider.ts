import { whenOnline } from '../../plugins/whenOnline';
import type { ChatDock } from '../chat/ChatDock';
import type { WindowProvider } from '../OpenWindows';
import { Reopening } from '../Reopening';
import { defaultNickname } from './nickname';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomWindows } from './RoomWindows';

/**
 * The group chat windows, for OpenWindows (stored and reopened after a page load). A reopened
 * window shows the room at once (not joined yet); the room is joined again once the account is
 * online, under the stored nickname. The room's password is never stored: a password-protected
 * room answers with its error in the window, and the user joins again from there.
 *
 * The window's code is a chunk (src/ui/lazy.ts): a reopened window shows once it is there, and
 * until then it is still listed as stored (Reopening).
 */
export function roomWindowProvider(dock: ChatDock, rooms: RoomWindows): WindowProvider {
  const reopening = new Reopening<MultiUserContact>();
  return {
    kind: 'groupchat',
    list: (account) => [
      ...rooms.windowsOf(account).map((w) => ({
        jid: w.room.jid,
        minimized: w.minimized,
        focused: dock.lastFocused === w,
        nick: w.room.nickname,
        ...(w.room.displayName !== w.room.jid.split('@')[0] ? { name: w.room.displayName } : {}),
      })),
      ...reopening.list(account, (room) => !!rooms.get(room)),
    ],
    reopen: (account, stored) => {
      if (!account.plugins.isEnabled('muc')) {
        return false;
      }
      const room = account.rooms.get(stored.jid) ?? account.rooms.ensure(stored.jid, stored.nick || defaultNickname(account), stored.name);
      // opened in its stored state at once: no other state is told to other tabs in between
      reopening.track(room, account, stored, rooms.open(account, room, false, stored.minimized)).catch(() => undefined); // logged by open()
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
        void rooms.whenLoaded(room).then((w) => w?.focus(), () => undefined);
      }
    },
    close: (account, jid) => {
      const room = account.rooms.get(jid);
      if (room) {
        // a window whose chunk is still loading closes once it is there
        void rooms.whenLoaded(room).then(() => dock.close(room), () => undefined);
      }
    },
  };
}
