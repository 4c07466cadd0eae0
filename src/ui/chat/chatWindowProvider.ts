import type { WindowProvider } from '../OpenWindows';
import type { ChatDock } from './ChatDock';

/** The one-to-one chat windows of the dock, for OpenWindows (stored and reopened after a page load). */
export function chatWindowProvider(dock: ChatDock): WindowProvider {
  return {
    kind: 'chat',
    list: (account) => dock.windowsOf(account).map((w) => ({ jid: w.chat.peer, minimized: w.minimized, focused: dock.lastFocused === w })),
    reopen: (account, stored) => {
      // the window reads its history from IndexedDB at once; the connection is not needed
      dock.open(account, account.chats.get(stored.jid)).setMinimized(stored.minimized);
      return true;
    },
    focus: (account, stored) => dock.get(account.chats.get(stored.jid))?.focus(),
    close: (account, jid) => {
      if (account.chats.has(jid)) {
        dock.close(account.chats.get(jid));
      }
    },
  };
}
