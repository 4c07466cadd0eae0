import { isTabMessage, TabMessage } from '../../src/core/tabs/messages';
import { executeRoomIntent, watchRooms } from '../../src/core/tabs/LeaderRooms';
import { applyRoomChange, applyRoomsSnapshot, snapshotRooms } from '../../src/core/tabs/roomSnapshot';
import { AttentionTable } from '../../src/core/tabs/tabAttention';
import { RoomList } from '../../src/model/RoomList';
import type { Account } from '../../src/model/Account';
import type { Intent } from '../../src/core/tabs/messages';
import { RemoteRooms } from '../../src/core/tabs/RemoteRooms';
import type { RoomMessage } from '../../src/model/RoomMessage';
import { MucError } from '../../src/plugins/muc/errors';

// Group chats across tabs (docs/session.md, "Several tabs"): the leader's room events as tab
// messages, applied to a follower's models; and the choice of the one tab that notifies. The
// protocol side (a follower acting through the leader's connection) is test/integration/tabs-rooms.test.ts.

const JID = 'tea@conference.example.org';

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(check()).toBe(true);
}

function message(uid: string, body: string, second: number, extra: Partial<RoomMessage> = {}): RoomMessage {
  return { uid, nick: 'ann', body, time: new Date(second * 1000), direction: 'in', type: 'groupchat', mentionsMe: false, delayed: false, ...extra };
}

/** A leader's rooms and a follower's, wired as the channel would (structured clones, checked). */
function pair() {
  const leader = new RoomList();
  const follower = new RoomList();
  const sent: TabMessage[] = [];
  const off = watchRooms(leader, (m) => {
    const copy = structuredClone(m);
    expect(isTabMessage(copy)).toBe(true);
    sent.push(copy);
    if (copy.type === 'room') applyRoomChange(follower, copy.jid, copy.change);
    if (copy.type === 'invitations') follower.mirrorInvitations(copy.invitations, copy.arrived);
  });
  return { leader, follower, sent, off };
}

it('a follower sees the leader room events as the same events: state, occupants, who left and why, subject, messages once, refused messages', () => {
  const { leader, follower, off } = pair();
  const room = leader.ensure(JID, 'me');
  const mirrored = follower.get(JID)!;
  expect(mirrored.nickname).toBe('me');
  const events: string[] = [];
  mirrored.on('state', (s) => events.push(`state:${s}`));
  mirrored.on('occupant-joined', (o) => events.push(`joined:${o.nick}`));
  mirrored.on('occupant-left', (o, reason) => events.push(`left:${o.nick}:${reason}`));
  mirrored.on('occupant-nick', (o, old) => events.push(`nick:${old}->${o.nick}`));
  mirrored.on('subject', (s, by) => events.push(`subject:${s}:${by}`));
  mirrored.on('message', (m) => events.push(`message:${m.body}`));
  mirrored.on('message-error', (m, e) => events.push(`refused:${m.body}:${e.kind}`));
  mirrored.on('error', (e) => events.push(`error:${e.kind}`));

  room.setState('joining');
  room.setOccupant({ nick: 'me', role: 'moderator', affiliation: 'owner', presence: 'online', status: '', self: true });
  room.setState('joined');
  room.setOccupant({ nick: 'ann', role: 'participant', affiliation: 'none', presence: 'online', status: '', self: false });
  room.setOccupant({ nick: 'ann', role: 'visitor', affiliation: 'none', presence: 'away', status: 'tea', self: false });
  room.removeOccupant('ann', 'nick-change', 'anna');
  room.setOccupant({ nick: 'bob', role: 'participant', affiliation: 'none', presence: 'online', status: '', self: false });
  room.removeOccupant('bob', 'kicked');
  room.setSubjectFromRoom('Tea at five', 'anna');
  room.addMessage(message(room.newMessageUid(), 'hello', 10, { stanzaId: 's1' }));
  room.addMessage(message(room.newMessageUid(), 'older', 5, { stanzaId: 's0' }), 'prepend');
  const mine = message(room.newMessageUid(), 'mine', 11, { direction: 'out', nick: 'me', messageId: 'x1' });
  room.addMessage(mine);
  room.reportError(new MucError('not-allowed', { room: JID, condition: 'forbidden' }), 'x1');
  room.setState('error', new MucError('kicked', { room: JID, reason: 'enough' }));

  expect(events).toEqual([
    'state:joining',
    'joined:me',
    'state:joined',
    'joined:ann',
    'nick:ann->anna',
    'joined:bob',
    'left:bob:kicked',
    'subject:Tea at five:anna',
    'message:hello',
    'message:older',
    'message:mine',
    'refused:mine:not-allowed',
    'error:not-allowed',
    'state:error',
    'error:kicked',
  ]);
  expect(mirrored.messages.map((m) => m.body)).toEqual(['older', 'hello', 'mine']);
  expect(mirrored.messages.map((m) => m.uid)).toEqual(room.messages.map((m) => m.uid));
  expect(mirrored.messageByUid(mine.uid)?.errorKey).toBe('muc_error_not_allowed');
  expect(mirrored.lastError).toMatchObject({ kind: 'kicked', params: { reason: 'enough' } });
  expect(mirrored.occupants).toEqual([]);
  off();
});

it('a private message corrected in the leader (XEP-0308) is corrected in a follower: live, and in a snapshot of a message it had', () => {
  const { leader, follower, off } = pair();
  const room = leader.ensure(JID, 'me');
  const mirrored = follower.get(JID)!;
  const corrected: string[] = [];
  mirrored.on('corrected', (m) => corrected.push(m.body));
  const pm = (body: string, second: number, extra: Partial<RoomMessage>) => message(room.newMessageUid(), body, second, { type: 'chat', privateWith: 'ann', ...extra });
  room.addMessage(pm('a typo', 10, { messageId: 'p1' }));
  room.addMessage(pm('no typo', 11, { messageId: 'p2', replaces: 'p1' }));
  expect(corrected).toEqual(['no typo']);
  expect(mirrored.messages.map((m) => [m.body, m.corrected])).toEqual([['no typo', true]]);
  off();
  // a follower that missed the change gets the corrected text with the next snapshot
  room.addMessage(pm('fixed again', 12, { messageId: 'p3', replaces: 'p1' }));
  applyRoomsSnapshot(follower, structuredClone(snapshotRooms(leader)));
  expect(mirrored.messages.map((m) => [m.body, m.corrected])).toEqual([['fixed again', true]]);
  expect(corrected).toEqual(['no typo', 'fixed again']);
});

it('a snapshot (a new follower, or a new leader) brings rooms and invitations, and applying it again shows nothing twice', () => {
  const leader = new RoomList();
  const room = leader.ensure(JID, 'me', 'Tea room');
  room.bookmark = { autojoin: true };
  room.wantJoined = true;
  room.setState('joined');
  room.setOccupant({ nick: 'me', role: 'moderator', affiliation: 'owner', presence: 'online', status: '', self: true });
  room.setSubjectFromRoom('Tea', undefined);
  room.addMessage(message(room.newMessageUid(), 'no ids at all', 1));
  room.addMessage(message(room.newMessageUid(), 'with a stanza-id', 2, { stanzaId: 's2' }));
  leader.receivedInvitation({ room: 'other@conference.example.org', from: 'ann@example.org', kind: 'direct' });
  room.password = 'secret';

  const follower = new RoomList();
  const snapshot = structuredClone(snapshotRooms(leader));
  expect(JSON.stringify(snapshot)).not.toContain('secret');
  applyRoomsSnapshot(follower, snapshot);
  applyRoomsSnapshot(follower, structuredClone(snapshotRooms(leader)));
  const mirrored = follower.get(JID)!;
  expect(mirrored.displayName).toBe('Tea room');
  expect(mirrored.settings()).toEqual(room.settings());
  expect(mirrored.isJoined).toBe(true);
  expect(mirrored.self?.nick).toBe('me');
  expect(mirrored.subject).toBe('Tea');
  expect(mirrored.messages.map((m) => m.body)).toEqual(['no ids at all', 'with a stanza-id']);
  expect(follower.invitations()).toEqual(leader.invitations());
});

it('room unread counts are one state for the tabs: a tab opened later gets the count, a read in any tab clears it in every tab', async () => {
  const { leader, follower, sent, off } = pair();
  const room = leader.ensure(JID, 'me');
  const mirrored = follower.get(JID)!;
  // each tab counts the messages it shows and did not show in view
  room.setUnreadCount(3);
  mirrored.setUnreadCount(3);
  const late = new RoomList();
  applyRoomsSnapshot(late, structuredClone(snapshotRooms(leader)));
  expect(late.get(JID)!.unreadCount).toBe(3);

  // read in the follower: it asks the leader (as RemoteRooms does), which tells every tab
  new RemoteRooms(follower, (intent) => executeRoomIntent({ rooms: leader } as unknown as Account, intent as Intent & { kind: 'roomRead' }));
  mirrored.markRead();
  expect(mirrored.unreadCount).toBe(0);
  await until(() => room.unreadCount === 0 && sent.some((m) => m.type === 'room' && m.change.kind === 'read'));

  // read in the leader: the follower's count goes too
  room.setUnreadCount(1);
  mirrored.setUnreadCount(1);
  room.markRead();
  expect(mirrored.unreadCount).toBe(1); // told after the event being handled (a message before its read)
  await until(() => mirrored.unreadCount === 0);
  off();
});

it('the tab that notifies: the focused one, else a shown one (the leader first), else the leader; a closed tab is forgotten', () => {
  const table = new AttentionTable();
  const hidden = { tab: 'leader', visible: false, focused: false };
  expect(table.choose(hidden)).toBeUndefined();
  table.update({ tab: 'a', visible: true, focused: false });
  expect(table.choose({ tab: 'leader', visible: true, focused: false })).toBeUndefined();
  expect(table.choose(hidden)).toBe('a');
  table.update({ tab: 'b', visible: true, focused: true });
  expect(table.choose({ tab: 'leader', visible: true, focused: false })).toBe('b');
  expect(table.choose({ tab: 'leader', visible: true, focused: true })).toBeUndefined();
  table.update({ tab: 'b', visible: false, focused: false, gone: true });
  table.update({ tab: 'a', visible: false, focused: false });
  expect(table.choose(hidden)).toBeUndefined();
});

it('a stanza-id the leader learns later (the room reflects our message) reaches the followers: live, and in a snapshot of a message they had', () => {
  const { leader, follower, sent, off } = pair();
  const room = leader.ensure(JID, 'me');
  const mirrored = follower.get(JID)!;
  const learned: string[] = [];
  mirrored.on('message-ids', (m) => learned.push(`${m.body}:${m.stanzaId}`));
  room.addMessage(message(room.newMessageUid(), 'older', 9, { stanzaId: 's1' }));
  // our copy made when sending: no stanza-id yet; then the room's reflection (a copy with another uid)
  const mine = message(room.newMessageUid(), 'mine', 10, { direction: 'out', nick: 'me', messageId: 'x1', originId: 'o1' });
  room.addMessage(mine);
  expect(mirrored.messageByUid(mine.uid)?.stanzaId).toBeUndefined();
  const reflection = () => message(room.newMessageUid(), 'mine', 10, { direction: 'out', nick: 'me', messageId: 'x1', originId: 'o1', stanzaId: 's2' });
  expect(room.addServerCopy(reflection())).toBeUndefined();
  expect(room.addServerCopy(reflection())).toBeUndefined(); // learned once
  expect(mirrored.messageByUid(mine.uid)?.stanzaId).toBe('s2');
  expect(learned).toEqual(['mine:s2']);
  expect(sent.filter((m) => m.type === 'room' && m.change.kind === 'ids')).toHaveLength(1);

  // the follower takes over: scroll-back and the catch-up go from the same stanza-ids as the leader's
  expect(mirrored.oldestArchivedId).toBe('s1');
  expect([...mirrored.messages].reverse().find((m) => m.stanzaId)?.stanzaId).toBe('s2');
  // an archive copy of our message that only the stanza-id matches (we had another nickname then) is no second message
  expect(mirrored.addServerCopy(message('archived', 'mine', 10, { nick: 'me-before', stanzaId: 's2' }), 'prepend')).toBeUndefined();
  expect(mirrored.messages.map((m) => m.body)).toEqual(['older', 'mine']);
  off();

  // a follower that missed the change (its copy has no stanza-id) learns it with the next snapshot
  const late = new RoomList();
  const lateRoom = late.ensure(JID, 'me');
  lateRoom.addMessage({ ...mine, stanzaId: undefined });
  const lateLearned: string[] = [];
  lateRoom.on('message-ids', (m) => lateLearned.push(`${m.body}:${m.stanzaId}`));
  applyRoomsSnapshot(late, structuredClone(snapshotRooms(leader)));
  expect(lateRoom.messageByUid(mine.uid)?.stanzaId).toBe('s2');
  expect(lateLearned).toEqual(['mine:s2']);
  expect(lateRoom.messages.map((m) => m.body)).toEqual(['older', 'mine']);
});

it('a refused message sent again in the leader (Retry) is no longer failed in a follower', () => {
  const { leader, follower, off } = pair();
  const room = leader.ensure(JID, 'me');
  const mirrored = follower.get(JID)!;
  const mine = message(room.newMessageUid(), 'psst', 10, { direction: 'out', nick: 'me', type: 'chat', privateWith: 'bob', messageId: 'p1', originId: 'o1' });
  room.addMessage(mine);
  room.reportError(new MucError('recipient-not-in-room', { room: JID, nickname: 'bob' }), 'p1');
  expect(mirrored.messageByUid(mine.uid)?.errorKey).toBe('muc_error_recipient_not_in_room');
  room.clearMessageError(mine.uid);
  expect(mirrored.messageByUid(mine.uid)?.errorKey).toBeUndefined();
  off();
});
