import { SessionStore } from '../../src/core/SessionStore';
import { FollowerRole } from '../../src/core/tabs/FollowerRole';
import { LeaderRole } from '../../src/core/tabs/LeaderRole';
import type { TabMessage } from '../../src/core/tabs/messages';
import type { Account } from '../../src/model/Account';
import type { MultiUserContact } from '../../src/model/MultiUserContact';
import { MemoryStore } from '../../src/model/HistoryStore';
import { queryArchive } from '../../src/plugins/mam/query';
import { findInArchiveSince } from '../../src/plugins/muc/history';
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

/**
 * Two tabs of my account: the first online over BOSH through the proxy and leading, the second
 * following. `historyStore`: the browser's IndexedDB, shared by the tabs (default: one each).
 */
async function twoTabs(me: TestUser, historyStore?: MemoryStore) {
  const sessions = new SessionStore(new MapStorage()); // the browser's storage, shared by its tabs
  const first = accountFor(me, { url: proxy.url, sessions, ...(historyStore ? { historyStore } : {}) });
  await first.connect(me.password);
  const second = accountFor(me, { url: proxy.url, sessions, ...(historyStore ? { historyStore } : {}) });
  /** false: the first tab is closing, nothing it posts reaches the other tab any more */
  const link = { fromLeader: true };
  let follower: FollowerRole | undefined;
  // cloned when posted, as postMessage does (not in the timer, after the model changed further)
  const post = (receive: (m: TabMessage) => void) => (m: TabMessage) => {
    const copy = structuredClone(m);
    setTimeout(() => receive(copy));
  };
  const toFollower = post((m) => follower?.receive(m));
  const leader = new LeaderRole(first, (m: TabMessage) => link.fromLeader && toFollower(m), () => first.disconnect());
  follower = new FollowerRole(second, post((m) => leader.receive(m)));
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

/** Two tabs of a fresh user of mine (twoTabs) in a new room with a friend (roomWithFriend); `room`: the second tab's. */
async function tabsInRoom(prefix: string, historyStore?: MemoryStore) {
  const tabs = await twoTabs(await freshUser(prefix), historyStore);
  const jid = uniqueRoom(prefix);
  const inRoom = await roomWithFriend(tabs.first, tabs.second, jid);
  return { ...tabs, ...inRoom, jid, room: tabs.second.rooms.get(jid)! };
}

const bodyOf = (m: Element) => m.getElementsByTagName('body')[0]?.textContent;

/**
 * How often `body` is in the room's archive, and at the friend once a later message of ours arrived
 * there. Returns once the room's reflection of that later message is back in our timeline too (so
 * the marker itself is no longer pending: what is still pending then stays so wrongly).
 */
async function timesInRoom(friend: Account, friendRoom: MultiUserContact, ours: MultiUserContact, body: string): Promise<{ archive: number; friend: number }> {
  const marker = `marker ${Date.now()}`;
  await ours.sendMessage(marker);
  await until(() => friendRoom.messages.some((m) => m.body === marker), 15000, 'the marker at the friend');
  await until(() => ours.messages.some((m) => m.body === marker && m.stanzaId !== undefined), 15000, 'the room’s reflection of the marker at us');
  // every archived copy, as the room stores it (a timeline would merge two copies with the same id)
  let archive = 0;
  const room = friendRoom.jid;
  await findInArchiveSince(friend.xmpp, { to: room, from: room }, Date.now() - 3600_000, (result) => {
    archive += bodyOf(result) === body ? 1 : 0;
    return false;
  });
  return { archive, friend: friendRoom.messages.filter((m) => m.body === body).length };
}

it('over BOSH: a message the room reflected while the leader tab closed (its answer lost too) is not sent again by the next leader', async () => {
  const { friend, friendRoom, room, link, handOver } = await tabsInRoom('handover');

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

it('over BOSH: a correction (XEP-0308) the room reflected while the leader tab closed is not sent again by the next leader, and corrects the message once', async () => {
  const { first, jid, friend, friendRoom, room, link, handOver } = await tabsInRoom('handover');
  const original = await room.sendMessage('a typo before the hand-over');
  await until(() => first.rooms.get(jid)!.messages.some((m) => m.body === 'a typo before the hand-over' && m.stanzaId !== undefined), 15000, 'the room’s copy at the leader');

  // corrected from the asking tab (the Up key); the leader sends it, the room reflects it, no answer comes back
  proxy.holdingAnswers = true;
  link.fromLeader = false;
  const asked = room.correctLastMessage('no typo after the hand-over');
  await until(() => friendRoom.messages.some((m) => m.body === 'no typo after the hand-over'), 15000, 'the correction in the room');
  proxy.holdingAnswers = false;
  await handOver();

  // asked again of the new leader: found in the room's archive, applied, not sent again
  expect(await asked).toMatchObject({ uid: original.uid, body: 'no typo after the hand-over', corrected: true });
  expect(await timesInRoom(friend, friendRoom, room, 'no typo after the hand-over')).toEqual({ archive: 1, friend: 1 });
  expect(room.messages.filter((m) => m.body.includes('hand-over')).map((m) => m.body)).toEqual(['no typo after the hand-over']);
  expect(friendRoom.messages.filter((m) => m.body.includes('hand-over')).map((m) => m.body)).toEqual(['no typo after the hand-over']);
  expect(room.pendingMessages).toEqual([]);
});

it('over BOSH: a message of the leader tab that never reached the server is sent by the next leader, once, with its ids', async () => {
  const { room, friend, friendRoom, mine, handOver } = await tabsInRoom('handover');

  // typed in the leader tab; the way to the server is broken, and the tab closes
  proxy.failing = true;
  const local = await mine.sendMessage('never got there');
  await until(() => proxy.requests.some((r) => r.failed && r.body.includes('never got there')), 15000, 'a failed attempt to send it');
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

/**
 * Carol in a new room, what she hears from "me" (in the room, and privately), and my first page
 * in the room over the proxy; `nextPage(nick)`: the next page, a new session with the same
 * IndexedDB (the failed or lost requests of the first used up request ids), in the room again.
 */
async function pageWithCarol(prefix: string) {
  const [me, carol] = [await freshUser(prefix), await freshUser('carol')];
  const jid = uniqueRoom(prefix);
  const carolAccount = accountFor(carol);
  await carolAccount.connect(carol.password);
  const carolRoom = carolAccount.createMultiUserContact(jid, 'carol');
  await carolRoom.join();
  const heard: string[] = [];
  const heardPrivately: string[] = [];
  carolRoom.on('message', (m) => m.nick.startsWith('me') && (m.type === 'chat' ? heardPrivately : heard).push(m.body));

  const store = new MemoryStore(); // the browser's IndexedDB, there for the next page
  const first = accountFor(me, { url: proxy.url, historyStore: store });
  await first.connect(me.password);
  const firstRoom = first.createMultiUserContact(jid, 'me');
  await firstRoom.join();
  const nextPage = async (nick = 'me') => {
    const next = accountFor(me, { historyStore: store });
    await next.connect(me.password);
    const room = next.createMultiUserContact(jid, nick);
    await room.join();
    return room;
  };
  return { first, firstRoom, carol: carolAccount, carolRoom, heard, heardPrivately, nextPage };
}

it('over BOSH: a room message that never reached the server before the page went away is sent by the next page, once', async () => {
  const { first, firstRoom, carol, carolRoom, heard, nextPage } = await pageWithCarol('page');
  proxy.failing = true; // the way to the server breaks as the page goes away
  const text = 'typed just before the page went away';
  void firstRoom.sendMessage(text).catch(() => undefined);
  await until(() => proxy.requests.some((r) => r.failed && r.body.includes(text)), 10000, 'a failed attempt to send it');
  first.suspend();
  proxy.failing = false;

  const room = await nextPage();
  await until(() => heard.includes(text), 15000, 'the room to get the message');
  await room.sendMessage('and after it');
  await until(() => heard.includes('and after it'), 15000, 'the next message');
  expect(heard).toEqual([text, 'and after it']);
  expect(room.pendingMessages).toEqual([]);
  expect(await timesInRoom(carol, carolRoom, room, text)).toEqual({ archive: 1, friend: 1 }); // (carol's timeline merges a copy with the same id)
});

it('over BOSH: a room message the room got as the page went away is recognised by the next page under another nickname, and not sent again', async () => {
  const { first, firstRoom, carol, carolRoom, heard, nextPage } = await pageWithCarol('pagenick');
  proxy.holdingAnswers = true; // it gets there; the reflection does not come back
  const text = 'reflection lost, then a new nickname';
  void firstRoom.sendMessage(text).catch(() => undefined);
  await until(() => heard.includes(text), 15000, 'the room to get the message');
  first.suspend();
  proxy.dropPending();
  proxy.holdingAnswers = false;

  const room = await nextPage('me2'); // (e.g. "me" was taken): the archived copy is from room/me
  await until(() => room.pendingMessages.length === 0, 15000, 'the archived copy to settle it');
  await room.sendMessage('and after it');
  await until(() => heard.includes('and after it'), 15000, 'the next message');
  expect(heard).toEqual([text, 'and after it']);
  expect(room.messages.filter((m) => m.body === text)).toEqual([expect.objectContaining({ direction: 'out', nick: 'me' })]);
  expect(await timesInRoom(carol, carolRoom, room, text)).toEqual({ archive: 1, friend: 1 });
});

it('over BOSH: a room message the room got as the page went away, after 600 others since the attempt, is found by the next page and not sent again', async () => {
  const { first, firstRoom, carol, carolRoom, heard, nextPage } = await pageWithCarol('busy');
  // a busy room: the archive walk from the attempt (minus the clock margin) passes 12 pages of others first
  const chatter = async (prefix: string, n: number) => {
    for (let i = 0; i < n; i++) await carolRoom.sendMessage(`${prefix} ${i}`);
    await until(() => carolRoom.messages.some((m) => m.body === `${prefix} ${n - 1}` && m.stanzaId), 30000, `carol's ${prefix}`);
  };
  await chatter('before', 600);
  proxy.holdingAnswers = true;
  const text = 'in a busy room, reflection lost';
  void firstRoom.sendMessage(text).catch(() => undefined);
  await until(() => heard.includes(text), 15000, 'the room to get the message');
  await chatter('after', 25); // (the join history of the next page, 20 messages, does not have it)
  first.suspend();
  proxy.dropPending();
  proxy.holdingAnswers = false;

  const room = await nextPage();
  await until(() => room.pendingMessages.length === 0, 30000, 'the archived copy to settle it');
  await room.sendMessage('and after it');
  await until(() => heard.includes('and after it'), 15000, 'the next message');
  expect(heard).toEqual([text, 'and after it']);
  expect(await timesInRoom(carol, carolRoom, room, text)).toEqual({ archive: 1, friend: 1 });
});

// Private messages to an occupant (room@service/nick, type chat): no reflection, and not in the
// room's archive, but in our own archive and the recipient's (Prosody's mod_mam, with = the room).
// Pending until the server's acknowledgement; looked for in our archive before sending again.

/** How often the friend got the private message `body` (live, and in the friend's own archive) once a later one of ours arrived. */
async function timesPrivately(friend: Account, friendRoom: MultiUserContact, ours: MultiUserContact, body: string): Promise<{ archive: number; friend: number }> {
  const marker = `private marker ${Date.now()}`;
  await ours.sendPrivateMessage(friendRoom.nickname, marker);
  await until(() => friendRoom.messages.some((m) => m.body === marker), 15000, 'the private marker at the friend');
  const page = await queryArchive(friend.xmpp, friend.uid, { with: friendRoom.jid, max: 50 });
  return {
    archive: page.messages.filter((r) => bodyOf(r.message) === body).length,
    friend: friendRoom.messages.filter((m) => m.body === body && m.type === 'chat').length,
  };
}

it('over BOSH: a private message the server got while the leader tab closed (its ack lost) is not sent again by the next leader', async () => {
  const { friend, friendRoom, room, link, handOver } = await tabsInRoom('mucpm');

  // the leader sends it; Prosody delivers it, but neither its ack nor the leader's answer comes back
  proxy.holdingAnswers = true;
  link.fromLeader = false;
  const text = 'private, ack lost';
  const asked = room.sendPrivateMessage('friend', text);
  await until(() => friendRoom.messages.some((m) => m.body === text), 15000, 'the private message at the friend');
  proxy.holdingAnswers = false;
  await handOver();

  const sent = await asked; // asked again of the new leader: found in our archive, not sent again
  expect(sent).toMatchObject({ body: text, type: 'chat', privateWith: 'friend', direction: 'out', stanzaId: expect.any(String) });
  expect(await timesPrivately(friend, friendRoom, room, text)).toEqual({ archive: 1, friend: 1 });
  expect(room.messages.filter((m) => m.body === text)).toHaveLength(1);
  await until(() => room.pendingMessages.length === 0, 15000, 'the marker acknowledged');
});

it('over BOSH: a private message of the leader tab that never reached the server is sent by the next leader, once, with its ids', async () => {
  const { room, friend, friendRoom, mine, handOver } = await tabsInRoom('mucpm');

  proxy.failing = true;
  const text = 'private, never got there';
  const local = await mine.sendPrivateMessage('friend', text);
  await until(() => proxy.requests.some((r) => r.failed && r.body.includes(text)), 15000, 'a failed attempt to send it');
  await until(() => room.pendingMessages.length === 1, 5000, 'the pending private message in the other tab');
  expect(room.pendingMessages[0]).toMatchObject({ id: local.messageId, originId: local.originId, body: text, to: 'friend', attempted: expect.any(Number) });
  proxy.failing = false;
  await handOver(true);

  await until(() => friendRoom.messages.some((m) => m.body === text), 15000, 'the private message at the friend');
  expect(friendRoom.messages.find((m) => m.body === text)).toMatchObject({ messageId: local.messageId, originId: local.originId, type: 'chat', privateWith: 'mine' });
  expect(await timesPrivately(friend, friendRoom, room, text)).toEqual({ archive: 1, friend: 1 });
  await until(() => room.pendingMessages.length === 0, 15000, 'the acknowledgement to settle it');
  expect(room.messages.filter((m) => m.body === text)).toHaveLength(1);
});

it('over BOSH: a private message that never reached the server before the page went away is sent by the next page, once', async () => {
  const { first, firstRoom, carol, carolRoom, heardPrivately, nextPage } = await pageWithCarol('pmpage');
  proxy.failing = true;
  const text = 'private, typed just before the page went away';
  void firstRoom.sendPrivateMessage('carol', text).catch(() => undefined);
  await until(() => proxy.requests.some((r) => r.failed && r.body.includes(text)), 10000, 'a failed attempt to send it');
  first.suspend();
  proxy.failing = false;

  const room = await nextPage();
  await until(() => heardPrivately.includes(text), 15000, 'carol to get the private message');
  await room.sendPrivateMessage('carol', 'and after it');
  await until(() => heardPrivately.includes('and after it'), 15000, 'the next private message');
  expect(heardPrivately).toEqual([text, 'and after it']);
  await until(() => room.pendingMessages.length === 0, 15000, 'both acknowledged');
  expect(room.messages.filter((m) => m.body === text)).toHaveLength(1);
  expect(await timesPrivately(carol, carolRoom, room, text)).toEqual({ archive: 1, friend: 1 });
});

it('over BOSH: a private message the server got just before the page went away (its ack lost) is not sent again by the next page', async () => {
  const { first, firstRoom, carol, carolRoom, heardPrivately, nextPage } = await pageWithCarol('pmpage');
  proxy.holdingAnswers = true; // it gets there; the answers (and the ack) do not come back
  const text = 'private, got there as the page went away';
  void firstRoom.sendPrivateMessage('carol', text).catch(() => undefined);
  await until(() => heardPrivately.includes(text), 15000, 'carol to get the private message');
  first.suspend();
  proxy.dropPending();
  proxy.holdingAnswers = false;

  const room = await nextPage();
  await until(() => room.messages.some((m) => m.body === text), 15000, 'our archived copy in the room');
  await room.sendPrivateMessage('carol', 'and after it');
  await until(() => heardPrivately.includes('and after it'), 15000, 'the next private message');
  expect(heardPrivately).toEqual([text, 'and after it']);
  expect(room.messages.filter((m) => m.body === text)).toEqual([expect.objectContaining({ direction: 'out', privateWith: 'carol', stanzaId: expect.any(String) })]);
  await until(() => room.pendingMessages.length === 0, 15000, 'nothing left pending');
  expect(await timesPrivately(carol, carolRoom, room, text)).toEqual({ archive: 1, friend: 1 });
});

it('over BOSH: a private message that came in the leader tab’s lost last answer comes into the room’s private conversation of the next leader, once', async () => {
  const { second, jid, friendRoom, room, handOver } = await tabsInRoom('pmgap', new MemoryStore());
  await friendRoom.sendPrivateMessage('mine', 'before the gap');
  await until(() => room.messages.some((m) => m.body === 'before the gap'), 15000, 'the first private message in the second tab');

  proxy.holdingAnswers = true; // the server writes it into the leader's pending request, lost with the tab
  await friendRoom.sendPrivateMessage('mine', 'during the gap');
  await until(() => proxy.heldAnswers.some((a) => a.includes('during the gap')), 15000, 'the private message in a held answer');
  proxy.holdingAnswers = false;
  await handOver(); // the same BOSH session: what the lost answer carried comes from our archive

  await until(() => room.messages.some((m) => m.body === 'during the gap'), 15000, 'the private message from the archive');
  expect(room.messages.filter((m) => m.body === 'during the gap')).toEqual([expect.objectContaining({ direction: 'in', type: 'chat', privateWith: 'friend', nick: 'friend' })]);
  await friendRoom.sendPrivateMessage('mine', 'after the gap');
  await until(() => room.messages.some((m) => m.body === 'after the gap'), 15000, 'the next private message');
  expect(room.messages.filter((m) => m.type === 'chat').map((m) => m.body)).toEqual(['before the gap', 'during the gap', 'after the gap']);
  expect(second.chats.has(jid) ? second.chats.get(jid).messages.length : 0).toBe(0); // no one-to-one chat with the room
});
