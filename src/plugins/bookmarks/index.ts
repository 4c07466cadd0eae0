import { Plugin } from '../Plugin';
import { whenOnline } from '../whenOnline';
import { loadSessionCode } from '../../core/sessionCode';
import type { BookmarkFormat } from './BookmarkService';
import { NS_BOOKMARKS } from './stanzas';

export interface BookmarksPluginSettings {
  /** use this format whatever the server supports (default: XEP-0402 if the server has it) */
  format?: BookmarkFormat;
}

/** Room bookmarks (XEP-0402, falling back to XEP-0048 private storage), with autojoin. */
export function createBookmarksPlugin(settings: BookmarksPluginSettings = {}): Plugin {
  return {
    id: 'bookmarks',
    name: 'Room bookmarks',
    xeps: [
      { id: 'XEP-0402', name: 'PEP Native Bookmarks', version: '1.1.3' },
      { id: 'XEP-0048', name: 'Bookmarks', version: '1.2' },
      { id: 'XEP-0049', name: 'Private XML Storage', version: '1.2' },
    ],
    features: [`${NS_BOOKMARKS}+notify`],
    requires: ['muc'],
    attach({ connection, account }) {
      // the service's code is in the "session" chunk, which attachPlugins waits for (src/core/sessionCode.ts)
      const code = loadSessionCode.loaded;
      if (!code) {
        throw new Error('the bookmarks code (chunk "session") could not be loaded');
      }
      const service = new code.BookmarkService(connection, account, settings.format);
      const rooms = account.rooms;
      rooms.bookmarks = service;
      const offPushes = service.listen();
      // loading (and autojoin) must not hold up the login: it runs once we are online
      const load = () => void service.load().catch((err) => console.error('[jsxc] could not load bookmarks:', err));
      const offState = whenOnline(account, load);
      return () => {
        offState();
        offPushes();
        if (rooms.bookmarks === service) {
          rooms.bookmarks = undefined;
        }
      };
    },
  };
}

export const bookmarksPlugin = createBookmarksPlugin();
