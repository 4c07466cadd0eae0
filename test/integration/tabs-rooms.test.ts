import type { Alert } from '../../src/model/Alert';
import type { Blocking } from '../../src/plugins/blocking';
import { MucError } from '../../src/plugins/muc/errors';
import { catchUpRoomHistory } from '../../src/plugins/muc/history';
import { RoomList } from '../../src/model/RoomList';
import { accountFor, closeAccounts, inOneRoom, onlineUsers, uniqueRoom, until } from '../helpers/muc';
import { freshFriends } from '../helpers/test-server';
import { followerOf } from '../helpers/tabs';

// Several tabs (docs/session.md): group chats and blocking in a follower tab, which has no
// connection of its own: it mirrors the leader tab's rooms and acts through the leader's
// connection to the real Prosody. The two roles talk as the BroadcastChannel would (asynchronous,
// structured clones); the browser side is test/e2e/tabs-muc.test.ts.

jest.setTimeout(90000);
afterEach(closeAccounts);

it('a follower joins a room, sees its occupants and messages once, talks, sets the subject and changes its nickname through the leader', async () => {
  const [me, friend] = await onlineUsers(2, 'tabs-muc');
  const jid = uniqueRoom();
  const { follower, leader } = followerOf(me.account, me.user.jid);
  await until(() => follower.state.kind === 'online', 15000, 'the follower online');

  // joined from the follower: the leader's connection joins (and creates) it
  const room = follower.createMultiUserContact(jid, 'mine', 'Tabs room');
  await room.join();
  expect(me.account.rooms.get(jid)?.isJoined).toBe(true);
  await until(() => room.isJoined, 15000, 'joined in the follower');
  const friendRoom = friend.account.createMultiUserContact(jid, 'friend');
  await friendRoom.join();
  await until(() => room.occupants.map((o) => o.nick).join() === 'mine,friend', 15000, 'both occupants in the follower');
  expect(room.self).toMatchObject({ nick: 'mine', role: 'moderator', affiliation: 'owner', self: true });

  // a message of the friend: once in the follower
  const seen: string[] = [];
  room.on('message', (m) => seen.push(m.body));
  await friendRoom.sendMessage('hello both tabs');
  await until(() => seen.includes('hello both tabs'), 15000, 'the friend message in the follower');

  // sent from the follower: the friend gets it once, the follower shows it once (sent, then the room's echo)
  const sent = await room.sendMessage('from the follower tab');
  expect(room.messages).toContain(sent);
  await until(() => friendRoom.messages.some((m) => m.body === 'from the follower tab'), 15000, 'the message at the friend');
  await until(() => me.account.rooms.get(jid)!.messages.find((m) => m.body === 'from the follower tab')?.stanzaId !== undefined, 15000, 'the echo at the leader');
  // the stanza-id the leader learned from the echo is the follower's copy's too
  const learned = me.account.rooms.get(jid)!.messages.find((m) => m.body === 'from the follower tab')!.stanzaId;
  await until(() => room.messages.find((m) => m.body === 'from the follower tab')?.stanzaId === learned, 15000, 'the stanza-id in the follower');
  await new Promise((r) => setTimeout(r, 300));
  expect(friendRoom.messages.filter((m) => m.body === 'from the follower tab')).toHaveLength(1);
  expect(room.messages.filter((m) => m.body === 'from the follower tab')).toHaveLength(1);
  expect(room.messages.filter((m) => m.body === 'hello both tabs')).toHaveLength(1);

  // corrected from the follower (XEP-0308, the Up key): one message with the new text in both tabs and at the friend
  await room.correctLastMessage('from the follower tab, corrected');
  await until(() => friendRoom.messages.some((m) => m.body === 'from the follower tab, corrected' && m.corrected), 15000, 'the correction at the friend');
  await until(() => room.messages.some((m) => m.body === 'from the follower tab, corrected' && m.corrected), 15000, 'the correction in the follower');
  await new Promise((r) => setTimeout(r, 300));
  for (const timeline of [friendRoom.messages, room.messages, me.account.rooms.get(jid)!.messages]) {
    expect(timeline.filter((m) => m.body.startsWith('from the follower tab')).map((m) => m.body)).toEqual(['from the follower tab, corrected']);
  }
  expect(me.account.rooms.get(jid)!.pendingMessages).toEqual([]);

  await room.setSubject('Set in a follower');
  await until(() => friendRoom.subject === 'Set in a follower' && room.subject === 'Set in a follower', 15000, 'the subject everywhere');

  // the room's refusal comes back as the same MucError
  const conflict = await room.changeNickname('friend').catch((e: unknown) => e);
  expect(conflict).toBeInstanceOf(MucError);
  expect((conflict as MucError).kind).toBe('nickname-in-use');
  await room.changeNickname('renamed');
  await until(() => room.nickname === 'renamed' && friendRoom.getOccupant('renamed') !== undefined, 15000, 'the new nickname');

  // moderation: the friend loses voice, as the friend's own client sees
  await room.revokeVoice('friend');
  await until(() => friendRoom.self?.role === 'visitor', 15000, 'the friend a visitor');
  await until(() => room.getOccupant('friend')?.role === 'visitor', 15000, 'the role in the follower');

  // leaving from the follower
  await room.leave();
  await until(() => !me.account.rooms.get(jid)!.isJoined && room.state === 'left', 15000, 'left in both tabs');
  await until(() => friendRoom.getOccupant('renamed') === undefined, 15000, 'gone at the friend');
  leader.dispose();
});

it('invitations show in the follower, which accepts one and declines another; a follower tab that arrives later gets the rooms in its snapshot', async () => {
  const [me, friend] = await onlineUsers(2, 'tabs-inv');
  const jid = uniqueRoom();
  const { follower, leader } = followerOf(me.account, me.user.jid);
  await until(() => follower.state.kind === 'online', 15000, 'the follower online');
  const [friendRoom] = await inOneRoom([[friend.account, 'host']], jid);
  await friendRoom.invite(me.user.jid, 'come in');
  await until(() => follower.rooms.invitations().length === 1, 15000, 'the invitation in the follower');
  const room = await follower.rooms.accept(follower.rooms.invitations()[0], 'guest');
  expect(room.isJoined || me.account.rooms.get(jid)?.isJoined).toBe(true);
  await until(() => room.isJoined && follower.rooms.invitations().length === 0, 15000, 'joined in the follower');
  await until(() => me.account.rooms.invitations().length === 0, 5000, 'the invitation gone in the leader too');
  await friendRoom.sendMessage('welcome guest');
  await until(() => room.messages.some((m) => m.body === 'welcome guest' && m.mentionsMe), 15000, 'the mention');

  // an invitation to another room, declined in the follower: the inviter hears it, every tab forgets it
  const other = uniqueRoom();
  const [otherRoom] = await inOneRoom([[friend.account, 'host']], other);
  const declines: Array<[string, string | undefined]> = [];
  otherRoom.on('invitation-declined', (by, reason) => declines.push([by, reason]));
  await otherRoom.invite(me.user.jid, 'and this one?');
  await until(() => follower.rooms.invitations().length === 1, 15000, 'the second invitation in the follower');
  await follower.rooms.decline(follower.rooms.invitations()[0], 'one room is enough');
  await until(() => declines.length === 1, 15000, 'the inviter hears the decline');
  expect(declines[0]).toEqual([me.user.jid, 'one room is enough']);
  await until(() => me.account.rooms.invitations().length === 0, 5000, 'the declined invitation gone in the leader');

  // a second follower: everything at once from the leader's snapshot
  const late = followerOf(me.account, me.user.jid);
  await until(() => late.follower.rooms.get(jid)?.isJoined === true, 15000, 'the room in the late follower');
  const lateRoom = late.follower.rooms.get(jid)!;
  expect(lateRoom.occupants.map((o) => o.nick).sort()).toEqual(['guest', 'host']);
  expect(lateRoom.messages.filter((m) => m.body === 'welcome guest')).toHaveLength(1);
  leader.dispose();
  late.leader.dispose();
});

it('a follower blocks and unblocks a contact through the leader; the blocked flag shows in both tabs', async () => {
  const [me, friend] = await freshFriends(2, 'tabs-block');
  const leaderAccount = accountFor(me);
  await leaderAccount.connect(me.password);
  await until(() => leaderAccount.service('blocking') !== undefined, 15000, 'the blocking service');
  const { follower, leader } = followerOf(leaderAccount, me.jid);
  await until(() => follower.service('blocking') !== undefined && follower.roster.get(friend.jid) !== undefined, 15000, 'blocking in the follower');
  const blocking = follower.service<Blocking>('blocking')!;
  expect(blocking.isBlocked(friend.jid)).toBe(false);
  await blocking.block(friend.jid);
  expect(leaderAccount.roster.get(friend.jid)?.blocked).toBe(true);
  await until(() => follower.roster.get(friend.jid)?.blocked === true && blocking.isBlocked(friend.jid), 15000, 'blocked in the follower');
  // the server's list says so too (a fresh session of the same account)
  const other = accountFor(me, { resource: 'check' });
  await other.connect(me.password);
  await until(() => other.service<Blocking>('blocking')?.isBlocked(friend.jid) === true, 15000, 'the blocklist on the server');
  await blocking.unblock(friend.jid);
  await until(() => follower.roster.get(friend.jid)?.blocked === false && !blocking.isBlocked(friend.jid), 15000, 'unblocked in the follower');
  leader.dispose();
});

it('an alert is shown by exactly one tab: the leader, unless it hands it to a focused follower', async () => {
  const [me] = await onlineUsers(1, 'tabs-alert');
  const { follower, role, leader } = followerOf(me.account, me.user.jid);
  await until(() => follower.state.kind === 'online', 15000, 'the follower online');
  const shown: string[] = [];
  me.account.on('alert', (a: Alert) => shown.push(`leader:${a.kind === 'chat' ? a.body : ''}`));
  follower.on('alert', (a: Alert) => shown.push(`follower:${a.kind === 'chat' ? a.body : ''}`));

  // what the follower's own UI would alert is the leader's to route: nothing here
  follower.alert({ kind: 'chat', peer: 'someone@localhost', body: 'local' });
  // no tab in view (Node has no page): the leader shows it
  me.account.alert({ kind: 'chat', peer: 'someone@localhost', body: 'one' });
  // the follower's user looks at it: the follower shows the next one
  leader.receive({ type: 'attention', attention: { tab: role.tab, visible: true, focused: true } });
  me.account.alert({ kind: 'chat', peer: 'someone@localhost', body: 'two' });
  await until(() => shown.length === 2, 5000, 'two alerts');
  await new Promise((r) => setTimeout(r, 100));
  expect(shown).toEqual(['leader:one', 'follower:two']);
  leader.dispose();
});

it('a taken-over session fetches what its rooms said after the newest message it has (room archive, once each)', async () => {
  const [me, friend] = await onlineUsers(2, 'tabs-catch');
  const jid = uniqueRoom();
  const [friendRoom, room] = await inOneRoom([[friend.account, 'friend'], [me.account, 'mine']], jid);
  for (const text of ['one', 'two', 'three']) {
    await friendRoom.sendMessage(text);
  }
  await until(() => room.messages.filter((m) => m.stanzaId).length === 3, 15000, 'three messages with their archive ids');
  // what a tab knew before the last response of the previous page was lost: only "one"
  const [one] = room.messages;
  const known = new RoomList().ensure(jid, 'mine');
  known.addMessage({ ...one });
  expect(await catchUpRoomHistory(me.account.xmpp, me.account.hooks, known)).toBe(2);
  expect(known.messages.map((m) => m.body)).toEqual(['one', 'two', 'three']);
  expect(await catchUpRoomHistory(me.account.xmpp, me.account.hooks, known)).toBe(0);
});

it('a follower that takes over catches up after our newest message: the stanza-ids the leader learned from the room’s echoes are its own too', async () => {
  const [me, friend] = await onlineUsers(2, 'tabs-ids');
  const jid = uniqueRoom();
  const { follower, leader } = followerOf(me.account, me.user.jid);
  await until(() => follower.state.kind === 'online', 15000, 'the follower online');
  const room = follower.createMultiUserContact(jid, 'mine');
  await room.join();
  await until(() => room.isJoined, 15000, 'joined in the follower');
  const friendRoom = friend.account.createMultiUserContact(jid, 'friend');
  await friendRoom.join();
  await friendRoom.sendMessage('before ours');
  await until(() => room.messages.some((m) => m.body === 'before ours' && m.stanzaId), 15000, 'the friend message in the follower');
  // ours, sent from the follower: its copy is made before the room's echo gives the leader the stanza-id
  await room.sendMessage('ours 1');
  await room.sendMessage('ours 2');
  const leaderRoom = me.account.rooms.get(jid)!;
  await until(() => leaderRoom.messages.filter((m) => m.body.startsWith('ours') && m.stanzaId).length === 2, 15000, 'the echoes at the leader');
  await until(() => room.messages.filter((m) => m.body.startsWith('ours') && m.stanzaId).length === 2, 15000, 'the stanza-ids in the follower');

  // the leader's tab goes; what the room says meanwhile never reaches the follower
  leader.dispose();
  await friendRoom.sendMessage('said while the tabs changed');
  await until(() => leaderRoom.messages.some((m) => m.body === 'said while the tabs changed'), 15000, 'the message in the room');
  expect(room.messages.map((m) => m.body)).toEqual(['before ours', 'ours 1', 'ours 2']);

  // the follower, now holding the connection (here the same session's), catches up after its newest
  // stanza-id: our "ours 2". (Without it, after "before ours": a page would begin with ours again;
  // a page of 2 here stands for the page of 50 after 50 messages of ours.)
  expect(await catchUpRoomHistory(me.account.xmpp, me.account.hooks, room, 2)).toBe(1);
  expect(room.messages.map((m) => m.body)).toEqual(['before ours', 'ours 1', 'ours 2', 'said while the tabs changed']);
});
