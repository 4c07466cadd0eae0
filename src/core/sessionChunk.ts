/**
 * The "session" chunk (loaded through `loadSessionCode`, src/core/sessionCode.ts): what only a page
 * with an account runs, out of the main bundle. See docs/architecture.md, "Chunks".
 */
export { ChatHistory } from '../model/ChatHistory';
export { AvatarService } from '../plugins/avatar/AvatarService';
export { BlockingService } from '../plugins/blocking/BlockingService';
export { BookmarkService } from '../plugins/bookmarks/BookmarkService';
export { MucService } from '../plugins/muc/MucService';
export { FollowerRole } from './tabs/FollowerRole';
