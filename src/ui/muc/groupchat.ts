// The "groupchat" chunk (src/ui/lazy.ts): the group chat window and the group chat dialogs,
// loaded when the first of them opens. The roster's group chat section (RoomListView), MucUI and
// RoomWindows stay in the main bundle: they show rooms and count unread messages without it.
export { openCreateRoomDialog } from './CreateRoomDialog';
export { openInviteDialog } from './InviteDialog';
export { openJoinRoomDialog } from './JoinRoomDialog';
export { openRoomConfigDialog } from './RoomConfigDialog';
export { RoomWindow } from './RoomWindow';
