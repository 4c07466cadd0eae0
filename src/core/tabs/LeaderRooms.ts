import type { Account } from '../../model/Account';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { DataForm } from '../../protocol/dataForm';
import type { Affiliation, Role } from '../../model/Occupant';
import type { RoomInvitation, RoomList } from '../../model/RoomList';
import type { RoomMessageIds } from '../../model/RoomMessage';
import type { MucError } from '../../plugins/muc/errors';
import type { Intent, RoomRef, TabMessage } from './messages';
import { mucErrorData, RoomChange, snapshotRoom } from './roomSnapshot';

/**
 * The leader's side of group chats across tabs: every change of `account.rooms` goes to the
 * followers, one tab message per model event (docs/session.md, "Several tabs"). Returns the
 * function that stops it.
 */
export function watchRooms(rooms: RoomList, post: (message: TabMessage) => void): () => void {
  const perRoom = new Map<MultiUserContact, () => void>();
  let invitations = JSON.stringify(rooms.invitations());

  const watch = (room: MultiUserContact) => {
    const send = (change: RoomChange) => post({ type: 'room', jid: room.jid, change });
    let settings = JSON.stringify(room.settings());
    // some settings (wanted, bookmark) change without an event of their own: compared on every event
    const syncSettings = () => {
      const now = room.settings();
      const json = JSON.stringify(now);
      if (json !== settings) {
        settings = json;
        send({ kind: 'settings', settings: now });
      }
    };
    // setState(state, error) emits "state" then "error": the error travels with the state
    let errorSent: MucError | undefined = room.lastError;
    const offs = [
      room.on('change', syncSettings),
      room.on('state', (state) => {
        syncSettings();
        const error = room.lastError !== errorSent ? room.lastError : undefined;
        errorSent = room.lastError;
        send({ kind: 'state', state, ...(error ? { error: mucErrorData(error) } : {}) });
      }),
      room.on('error', (error) => {
        if (error !== errorSent) {
          send({ kind: 'error', error: mucErrorData(error) });
        }
        errorSent = undefined;
      }),
      // one occupant at a time (a big room's join is hundreds of presences); who left comes below
      room.on('occupants', (occupant) => occupant && send({ kind: 'occupant', occupant })),
      room.on('occupant-left', (occupant, reason) => send({ kind: 'occupantLeft', nick: occupant.nick, reason })),
      room.on('occupant-nick', (renamed, oldNick) => send({ kind: 'occupantLeft', nick: oldNick, reason: 'nick-change', newNick: renamed.nick })),
      room.on('nickname', (nick) => {
        send({ kind: 'nickname', nick });
        syncSettings();
      }),
      room.on('subject', (subject, by) => send({ kind: 'subject', subject, ...(by !== undefined ? { by } : {}) })),
      room.on('info', (info) => send({ kind: 'info', info })),
      room.on('message', (message, mode) => send({ kind: 'message', message, mode })),
      room.on('corrected', (message) => send({ kind: 'corrected', uid: message.uid, body: message.body })),
      room.on('message-ids', (message) => send({ kind: 'ids', uid: message.uid, ...(message.stanzaId ? { stanzaId: message.stanzaId } : {}), ...(message.originId ? { originId: message.originId } : {}) })),
      room.on('message-error', (message, error) => send({ kind: 'messageError', uid: message.uid, error: mucErrorData(error) })),
      room.on('message-retry', (message) => send({ kind: 'messageRetry', uid: message.uid })),
      room.on('pending', () => send({ kind: 'pending', pending: room.pendingMessages })),
      room.on('read', () => send({ kind: 'read' })),
      room.on('invitation-declined', (by, reason) => send({ kind: 'invitationDeclined', by, ...(reason !== undefined ? { reason } : {}) })),
    ];
    perRoom.set(room, () => offs.forEach((off) => off()));
  };

  rooms.all().forEach(watch);
  const offs = [
    rooms.on('added', (room) => {
      post({ type: 'room', jid: room.jid, change: { kind: 'added', room: snapshotRoom(room) } });
      watch(room);
    }),
    rooms.on('removed', (room) => {
      perRoom.get(room)?.();
      perRoom.delete(room);
      post({ type: 'room', jid: room.jid, change: { kind: 'removed' } });
    }),
    rooms.on('invitation', (arrived) => {
      invitations = JSON.stringify(rooms.invitations());
      post({ type: 'invitations', invitations: rooms.invitations(), arrived });
    }),
    rooms.on('invitations', () => {
      const now = JSON.stringify(rooms.invitations());
      if (now !== invitations) {
        invitations = now;
        post({ type: 'invitations', invitations: rooms.invitations() });
      }
    }),
  ];
  return () => {
    offs.forEach((off) => off());
    perRoom.forEach((off) => off());
    perRoom.clear();
  };
}

/**
 * Does a follower's group chat call. Joining, leaving, destroying and bookmarks go through the
 * room model (so this tab's wanted/bookmark state follows); the rest straight to the protocol.
 * The room is made here if this tab does not know it yet (a room joined from a follower).
 */
export async function executeRoomIntent(account: Account, intent: Intent & { kind: 'room' | 'forgetRoom' | 'forgetInvitation' | 'roomRead' }): Promise<unknown> {
  const rooms = account.rooms;
  if (intent.kind === 'roomRead') {
    rooms.get(intent.room)?.markRead(); // told to every tab ("read")
    return undefined;
  }
  if (intent.kind === 'forgetRoom') {
    const room = rooms.get(intent.jid);
    if (room && !room.isJoined && room.state !== 'joining') {
      rooms.delete(room);
    }
    return undefined;
  }
  if (intent.kind === 'forgetInvitation') {
    rooms.forgetInvitation(intent.room);
    return undefined;
  }
  const { op, args } = intent;
  if (op === 'browse') {
    return rooms.browse(args[0] as string | undefined);
  }
  if (op === 'findConferenceService') {
    return rooms.findConferenceService();
  }
  if (op === 'declineInvitation') {
    const invitation = args[0] as RoomInvitation;
    return rooms.requireProtocol(invitation.room).declineInvitation(invitation, args[1] as string | undefined);
  }
  const room = roomFor(rooms, intent.room);
  const protocol = () => rooms.requireProtocol(room.jid);
  switch (op) {
    case 'join':
      return room.join();
    case 'leave':
      return room.leave();
    case 'destroy':
      return room.destroy(args[0] as string | undefined, args[1] as string | undefined);
    case 'saveBookmark':
      return room.addToContactList(intent.room?.bookmark?.autojoin ?? true);
    case 'removeBookmark':
      return room.removeFromContactList();
    case 'getConfigurationForm':
      return protocol().getConfigurationForm(room);
    case 'submitConfigurationForm':
      return protocol().submitConfigurationForm(room, args[0] as DataForm);
    case 'fetchInfo':
      return protocol().fetchInfo(room);
    case 'sendMessage':
      return protocol().sendMessage(room, args[0] as string, args[1] as RoomMessageIds | undefined);
    case 'sendPrivateMessage':
      return protocol().sendPrivateMessage(room, args[0] as string, args[1] as string, args[2] as RoomMessageIds | undefined);
    case 'setSubject':
      return protocol().setSubject(room, args[0] as string);
    case 'changeNickname':
      return protocol().changeNickname(room, args[0] as string);
    case 'setRole':
      return protocol().setRole(room, args[0] as string, args[1] as Role, args[2] as string | undefined);
    case 'setAffiliation':
      return protocol().setAffiliation(room, args[0] as string, args[1] as Affiliation, args[2] as string | undefined);
    case 'getAffiliationList':
      return protocol().getAffiliationList(room, args[0] as Affiliation);
    case 'invite':
      return protocol().invite(room, args[0] as string, args[1] as string | undefined, args[2] as 'direct' | 'mediated');
    case 'loadHistory':
      return protocol().loadHistory(room, args[0] as number);
    default:
      throw new Error(`Unknown group chat request from another tab: ${String(op)}`);
  }
}

/** The room as the follower described it; a new one is made, one not in yet takes its nickname and password. */
function roomFor(rooms: RoomList, ref: RoomRef | undefined): MultiUserContact {
  if (!ref) {
    throw new TypeError('A group chat request from another tab names no room');
  }
  const room = rooms.get(ref.jid) ?? rooms.ensure(ref.jid, ref.nickname, ref.name, ref.password);
  if (!room.isJoined && room.state !== 'joining') {
    room.nickname = ref.nickname;
    if (ref.password !== undefined) {
      room.password = ref.password;
    }
  }
  return room;
}
