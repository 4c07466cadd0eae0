import { SessionStore } from '../../src/core/SessionStore';
import { FollowerRole } from '../../src/core/tabs/FollowerRole';
import { LeaderRole } from '../../src/core/tabs/LeaderRole';
import type { TabMessage } from '../../src/core/tabs/messages';
import type { Account } from '../../src/model/Account';
import type { MultiUserContact } from '../../src/model/MultiUserContact';
import { MemoryStore } from '../../src/model/HistoryStore';
import { RoomList } from '../../src/model/RoomList';
import { loadRoomHistory } from '../../src/plugins/muc/history';
import { MapStorage } from '../helpers/map-storage';
import { BoshRecorder, startBoshRecorder } from '../helpers/bosh-recorder';
import { accountFor, closeAccounts, until, uniqueRoom } from '../helpers/muc';
import { freshUser, getTestServer, TestUser } from '../helpers/test-server';

// A group chat message across a hand-over of the connection between tabs (docs/muc.md, "Sending
// across a hand-over"): the tab that asks chooses the message's id and origin-id; the tab that
// takes the session over looks for a message that may have gone out (the room's timeline, then
// its archive) and sends it again, with the same ids, only if the room does not have it. Two
// Account objects stand for two tabs, wired through the real tab roles (as the BroadcastChannel
// would: asynchronous, structured clones); the first goes through a BOSH proxy that can lose the
// server's answers or fail to reach the server, as a closing tab's last requests do.

jest.setTimeout(120000);
const server = getTestServer();

let proxy: BoshRecorder;
beforeEach(async () => {
  proxy = await startBoshRecorder(server.boshUrl);
});
afterEach(async () => {
  await closeAccounts();
  await proxy.close();
});

/** Two tabs of my account: the first online over BOSH through the proxy and leading, the second following. */
async function twoTabs(me: TestUser) {
  const sessions = new SessionStore(new MapStorage()); // the browser's storage, shared by its tabs
  const first = accountFor(me, { url: proxy.url, sessions });
  await first.connect(me.password);
  const second = accountFor(me, { url: proxy.url, sessions });
  /** false: the first tab is closing, nothing it posts reaches the other tab any more */
  const link = { fromLeader: true };
  let follower: FollowerRole | undefined;
  const leader = new LeaderRole(first, (m: TabMessage) => link.fromLeader && setTimeout(() => follower?.receive(structuredClone(m))), () => first.disconnect());
  follower = new FollowerRole(second, (m) => setTimeout(() => leader.receive(structuredClone(m))));
  await until(() => second.state.kind === 'online', 15000, 'the second tab following');

  /**
   * The first tab closes; the second continues its BOSH session, as AccountTabs.takeOver does, or
   * (`newSession`) starts a new one: what a browser does when the server no longer takes the old
   * one, with the stored SCRAM keys (this server's accounts have none: the password here).
   */
  const handOver = async (newSession = false) => {
    const record = first.sessionRecord;
    expect(record?.sid).toBeDefined();
    link.fromLeader = false;
    first.suspend();
    proxy.dropPending(); // its requests go with the tab
    leader.dispose();
    follower!.dispose();
    const newLeader = new LeaderRole(second, () => undefined, () => second.disconnect());
    await (newSession ? second.connect(me.password) : second.restore(record!));
    expect(second.state.kind).toBe('online');
    follower!.handOver((intent) => newLeader.execute(intent));
    return newLeader;
  };
  return { first, second, link, handOver };
}

/** A friend in the room, and the room in both of my tabs. */
async function roomWithFriend(first: Account, second: Account, jid: string): Promise<{ friend: Account; friendRoom: MultiUserContact; mine: MultiUserContact }> {
  const mine = first.createMultiUserContact(jid, 'mine');
  await mine.join();
  const friend = await freshUser('mucho-friend');
  const friendAccount = accountFor(friend);
  await friendAccount.connect(friend.password);
  const friendRoom = friendAccount.createMultiUserContact(jid, 'friend');
  await friendRoom.join();
  await until(() => second.rooms.get(jid)?.occupants.length === 2, 15000, 'both occupants in the second tab');
  return { friend: friendAccount, friendRoom, mine };
}

/** How often `body` is in the room's archive, and at the friend once a later message of ours arrived there. */
async function timesInRoom(friend: Account, friendRoom: MultiUserContact, ours: MultiUserContact, body: string): Promise<{ archive: number; friend: number }> {
  const marker = `marker ${Date.now()}`;
  await ours.sendMessage(marker);
  await until(() => friendRoom.messages.some((m) => m.body === marker), 15000, 'the marker at the friend');
  const archived = new RoomList().ensure(friendRoom.jid, 'checker');
  let complete = false;
  while (!complete) {
    ({ complete } = await loadRoomHistory(friend.xmpp, friend.hooks, archived, 50));
  }
  return { archive: archived.messages.filter((m) => m.body === body).length, friend: friendRoom.messages.filter((m) => m.body === body).length };
}

it('over BOSH: a message the room reflected while the leader tab closed (its answer lost too) is not sent again by the next leader', async () => {
  const me = await freshUser('mucho');
  const { first, second, link, handOver } = await twoTabs(me);
  const jid = uniqueRoom('handover');
  const { friend, friendRoom } = await roomWithFriend(first, second, jid);
  const room = second.rooms.get(jid)!;

  // the leader sends it; Prosody gets it and reflects it, but no answer comes back, and the
  // leader's tab closes before it can tell the asking tab anything
  proxy.holdingAnswers = true;
  link.fromLeader = false;
  const asked = room.sendMessage('sent once, reflection lost');
  await until(() => friendRoom.messages.some((m) => m.body === 'sent once, reflection lost'), 15000, 'the message in the room');
  proxy.holdingAnswers = false; // (for the next tab's requests)
  await handOver();

  const sent = await asked; // asked again of the new leader: found in the room, not sent again
  expect(await timesInRoom(friend, friendRoom, room, 'sent once, reflection lost')).toEqual({ archive: 1, friend: 1 });
  expect(sent).toMatchObject({ body: 'sent once, reflection lost', stanzaId: expect.any(String) }); // the room's copy
  expect(room.messages.filter((m) => m.body === 'sent once, reflection lost')).toHaveLength(1);
  expect(room.pendingMessages).toEqual([]);
});

it('over BOSH: a message of the leader tab that never reached the server is sent by the next leader, once, with its ids', async () => {
  const me = await freshUser('mucho');
  const { first, second, handOver } = await twoTabs(me);
  const jid = uniqueRoom('handover');
  const { friend, friendRoom, mine } = await roomWithFriend(first, second, jid);

  // typed in the leader tab; the way to the server is broken, and the tab closes
  proxy.failing = true;
  const local = await mine.sendMessage('never got there');
  await until(() => proxy.requests.some((r) => r.failed && r.body.includes('never got there')), 15000, 'a failed attempt to send it');
  const room = second.rooms.get(jid)!;
  await until(() => room.pendingMessages.length === 1, 5000, 'the pending message in the other tab');
  expect(room.pendingMessages[0]).toMatchObject({ id: local.messageId, originId: local.originId, body: 'never got there', attempted: expect.any(Number) });
  proxy.failing = false;
  // the failed requests used up request ids the server never saw: it takes no attach after them
  await handOver(true);

  await until(() => friendRoom.messages.some((m) => m.body === 'never got there'), 15000, 'the message at the friend');
  const arrived = friendRoom.messages.find((m) => m.body === 'never got there')!;
  expect(arrived).toMatchObject({ messageId: local.messageId, originId: local.originId });
  expect(await timesInRoom(friend, friendRoom, room, 'never got there')).toEqual({ archive: 1, friend: 1 });
  await until(() => room.pendingMessages.length === 0, 15000, 'the reflection to settle it');
  expect(room.messages.filter((m) => m.body === 'never got there')).toHaveLength(1);
});

it('over BOSH: a room message that never reached the server before the page went away is sent by the next page, once', async () => {
  const [me, carol] = [await freshUser('page'), await freshUser('carol')];
  const jid = uniqueRoom('page');
  const carolAccount = accountFor(carol);
  await carolAccount.connect(carol.password);
  const carolRoom = carolAccount.createMultiUserContact(jid, 'carol');
  await carolRoom.join();
  const heard: string[] = [];
  carolRoom.on('message', (m) => m.nick === 'me' && heard.push(m.body));

  const store = new MemoryStore(); // the browser's IndexedDB, there for the next page
  const first = accountFor(me, { url: proxy.url, historyStore: store });
  await first.connect(me.password);
  await first.createMultiUserContact(jid, 'me').join();
  proxy.failing = true; // the way to the server breaks as the page goes away
  const text = 'typed just before the page went away';
  void first.rooms.get(jid)!.sendMessage(text).catch(() => undefined);
  await until(() => proxy.requests.some((r) => r.failed && r.body.includes(text)), 10000, 'a failed attempt to send it');
  first.suspend();
  proxy.failing = false;

  // the next page: a new session (the failed requests used up request ids the server never saw)
  const next = accountFor(me, { historyStore: store });
  await next.connect(me.password);
  const room = next.createMultiUserContact(jid, 'me');
  await room.join();
  await until(() => heard.includes(text), 15000, 'the room to get the message');
  await room.sendMessage('and after it');
  await until(() => heard.includes('and after it'), 15000, 'the next message');
  expect(heard).toEqual([text, 'and after it']);
  expect(room.pendingMessages).toEqual([]);
});
