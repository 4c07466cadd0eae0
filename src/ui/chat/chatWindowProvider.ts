import type { Chat } from '../../model/Chat';
import { loadChat } from '../lazy';
import type { WindowProvider } from '../OpenWindows';
import { Reopening } from '../Reopening';
import type { ChatDock } from './ChatDock';

/**
 * The one-to-one chat windows of the dock, for OpenWindows (stored and reopened after a page load).
 * The window's code is a chunk (src/ui/lazy.ts): a reopened window shows once it is there, and
 * until then it is still listed as stored (Reopening).
 */
export function chatWindowProvider(dock: ChatDock): WindowProvider {
  const reopening = new Reopening<Chat>();
  return {
    kind: 'chat',
    list: (account) => [
      ...dock.windowsOf(account).map((w) => ({ jid: w.chat.peer, minimized: w.minimized, focused: dock.lastFocused === w })),
      ...reopening.list(account, (chat) => !!dock.get(chat)),
    ],
    reopen: (account, stored) => {
      // the window reads its history from IndexedDB at once; the connection is not needed
      const chat = account.chats.get(stored.jid);
      // opened in its stored state at once: no other state is told to other tabs in between
      reopening.track(chat, account, stored, dock.open(account, chat, false, stored.minimized)).catch(() => undefined); // logged by open()
      return true;
    },
    // after the windows asked for before it (same chunk promise, called later)
    focus: (account, stored) => void loadChat().then(() => dock.get(account.chats.get(stored.jid))?.focus(), () => undefined),
    close: (account, jid) => {
      if (account.chats.has(jid)) {
        // a window whose chunk is still loading closes once it is there
        void loadChat().then(() => dock.close(account.chats.get(jid)), () => undefined);
      }
    },
  };
}
