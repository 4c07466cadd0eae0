import type { Occupant } from '../../model/Occupant';
import type { RoomInvitation, RoomInfo, RoomList } from '../../model/RoomList';
import type { PendingRoomMessage, RoomMessage } from '../../model/RoomMessage';
import type { RoomModel, RoomSettings, RoomState } from '../../model/RoomModel';
import type { LeaveReason } from '../../plugins/muc/presence';
import { MucError, MucErrorKind, MucErrorParams } from '../../plugins/muc/errors';

/**
 * Group chats across tabs (docs/session.md, "Several tabs"): the leader tab sends its rooms as a
 * snapshot and then as changes, one per model event; a follower tab applies them to its own
 * `account.rooms` through the models' @internal methods, which emit the same events — so the
 * group chat UI of a follower works from the same models as the leader's.
 */

/** A MucError as plain data (an Error does not keep its class through structured clone). */
export interface MucErrorData {
  kind: MucErrorKind;
  params: MucErrorParams;
}

export interface RoomSnapshot {
  jid: string;
  settings: RoomSettings;
  state: RoomState;
  error?: MucErrorData;
  subject: string;
  subjectBy?: string;
  info?: RoomInfo;
  occupants: Occupant[];
  /** the timeline, oldest first */
  messages: RoomMessage[];
  /** our messages not yet reflected by the room (a tab that takes over looks for them, sends what is missing) */
  pending?: PendingRoomMessage[];
  /** messages not read yet (the same count in every tab) */
  unread?: number;
}

export interface RoomsSnapshot {
  rooms: RoomSnapshot[];
  invitations: RoomInvitation[];
}

/** One change of one room, as the leader's model emitted it. */
export type RoomChange =
  | { kind: 'added'; room: RoomSnapshot }
  | { kind: 'removed' }
  | { kind: 'settings'; settings: RoomSettings }
  | { kind: 'state'; state: RoomState; error?: MucErrorData }
  | { kind: 'occupant'; occupant: Occupant }
  | { kind: 'occupantLeft'; nick: string; reason: LeaveReason; newNick?: string }
  | { kind: 'nickname'; nick: string }
  | { kind: 'subject'; subject: string; by?: string }
  | { kind: 'info'; info: RoomInfo }
  | { kind: 'message'; message: RoomMessage; mode: 'append' | 'prepend' }
  | { kind: 'messageError'; uid: string; error: MucErrorData }
  /** a refused message of ours is being sent again (MultiUserContact.retryMessage) */
  | { kind: 'messageRetry'; uid: string }
  /** a message (room or private) was corrected (XEP-0308): its new text */
  | { kind: 'corrected'; uid: string; body: string }
  /** a message learned the ids the server gave it (the room's stanza-id, XEP-0359; our origin-id) */
  | { kind: 'ids'; uid: string; stanzaId?: string; originId?: string }
  | { kind: 'pending'; pending: PendingRoomMessage[] }
  /** the user read the room (in some tab): no unread messages */
  | { kind: 'read' }
  | { kind: 'error'; error: MucErrorData }
  | { kind: 'invitationDeclined'; by: string; reason?: string };

export function mucErrorData(error: MucError): MucErrorData {
  return { kind: error.kind, params: { ...error.params } };
}

export function mucErrorFromData(data: MucErrorData): MucError {
  return new MucError(data.kind, data.params);
}

export function snapshotRoom(room: RoomModel): RoomSnapshot {
  return {
    jid: room.jid,
    settings: room.settings(),
    state: room.state,
    ...(room.lastError ? { error: mucErrorData(room.lastError) } : {}),
    subject: room.subject,
    ...(room.subjectBy !== undefined ? { subjectBy: room.subjectBy } : {}),
    ...(room.info ? { info: room.info } : {}),
    occupants: room.occupants,
    messages: [...room.messages],
    pending: room.pendingMessages,
    unread: room.unreadCount,
  };
}

export function snapshotRooms(rooms: RoomList): RoomsSnapshot {
  return { rooms: rooms.all().map(snapshotRoom), invitations: rooms.invitations() };
}

/** Makes a follower's room what the leader has (a new follower, or a new leader's snapshot). */
export function applyRoomSnapshot(rooms: RoomList, snapshot: RoomSnapshot): void {
  const room = rooms.get(snapshot.jid) ?? rooms.ensure(snapshot.jid, snapshot.settings.nickname, snapshot.settings.name);
  room.mirrorSettings(snapshot.settings);
  if (room.state !== snapshot.state || snapshot.error) {
    room.setState(snapshot.state, snapshot.error ? mucErrorFromData(snapshot.error) : undefined);
  }
  applyOccupants(room, snapshot.occupants);
  if (room.subject !== snapshot.subject || room.subjectBy !== snapshot.subjectBy) {
    room.setSubjectFromRoom(snapshot.subject, snapshot.subjectBy);
  }
  if (snapshot.info && JSON.stringify(snapshot.info) !== JSON.stringify(room.info)) {
    room.setInfo(snapshot.info);
  }
  for (const message of snapshot.messages) {
    room.addMessage(message); // one copy: the timeline drops what it has (same uid or stanza-id), learning the ids it lacked
    if (message.corrected) {
      room.mirrorCorrection(message.uid, message.body); // (corrected since this tab got it)
    }
  }
  room.mirrorPending(snapshot.pending ?? []);
  room.setUnreadCount(snapshot.unread ?? room.unreadCount);
}

/** The occupants list as the leader has it: who is new or changed is set, who is missing leaves. */
function applyOccupants(room: RoomModel, occupants: Occupant[]): void {
  const listed = new Set(occupants.map((o) => o.nick));
  for (const gone of room.occupants.filter((o) => !listed.has(o.nick))) {
    room.removeOccupant(gone.nick, 'left');
  }
  for (const occupant of occupants) {
    if (JSON.stringify(room.getOccupant(occupant.nick)) !== JSON.stringify(occupant)) {
      room.setOccupant(occupant);
    }
  }
}

export function applyRoomsSnapshot(rooms: RoomList, snapshot: RoomsSnapshot): void {
  snapshot.rooms.forEach((room) => applyRoomSnapshot(rooms, room));
  if (JSON.stringify(rooms.invitations()) !== JSON.stringify(snapshot.invitations)) {
    rooms.mirrorInvitations(snapshot.invitations);
  }
}

/** Applies one change of the leader's room to the follower's. */
export function applyRoomChange(rooms: RoomList, jid: string, change: RoomChange): void {
  if (change.kind === 'added') {
    applyRoomSnapshot(rooms, change.room);
    return;
  }
  const room = rooms.get(jid);
  if (!room) {
    return; // a change of a room this tab never heard of: the next snapshot brings it
  }
  switch (change.kind) {
    case 'removed':
      rooms.mirrorDelete(jid);
      break;
    case 'settings':
      room.mirrorSettings(change.settings);
      break;
    case 'state':
      room.setState(change.state, change.error ? mucErrorFromData(change.error) : undefined);
      break;
    case 'occupant':
      room.setOccupant(change.occupant);
      break;
    case 'occupantLeft':
      room.removeOccupant(change.nick, change.reason, change.newNick);
      break;
    case 'nickname':
      room.setNickname(change.nick);
      break;
    case 'subject':
      room.setSubjectFromRoom(change.subject, change.by);
      break;
    case 'info':
      room.setInfo(change.info);
      break;
    case 'message':
      room.addMessage(change.message, change.mode);
      break;
    case 'corrected':
      room.mirrorCorrection(change.uid, change.body);
      break;
    case 'ids':
      room.mirrorIds(change.uid, { ...(change.stanzaId ? { stanzaId: change.stanzaId } : {}), ...(change.originId ? { originId: change.originId } : {}) });
      break;
    case 'messageError':
      room.mirrorMessageError(change.uid, mucErrorFromData(change.error));
      break;
    case 'messageRetry':
      room.clearMessageError(change.uid);
      break;
    case 'pending':
      room.mirrorPending(change.pending);
      break;
    case 'read':
      room.setUnreadCount(0);
      break;
    case 'error':
      room.reportError(mucErrorFromData(change.error));
      break;
    case 'invitationDeclined':
      room.invitationDeclined(change.by, change.reason);
      break;
  }
}
