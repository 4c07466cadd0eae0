import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import type { MultiUserContact } from '../../src/model/MultiUserContact';
import { JID } from '../../src/model/JID';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { MapStorage } from '../helpers/map-storage';
import { useHashedProsody } from '../helpers/node-prosody';
import { prosody, TestServer, TestUser } from '../helpers/test-server';
import { RecordedFrame, startWsRecorder, WsRecorder } from '../helpers/ws-recorder';
import { until } from '../helpers/xmpp-node';
import { followerOf } from '../helpers/tabs';

// After the server died and came back, the stream cannot be resumed (XEP-0198 <failed/> without
// h): nobody knows which unacknowledged stanzas the server got before it died. A message an
// outbox owns is then not re-sent blindly by strophe: the outbox looks for it in the archive and
// sends it only if the server does not have it (docs/session.md, "After a failed resumption").
// Our account talks to the server through a WebSocket proxy that loses the server's acks (and,
// for "nothing lost", our message); the server is killed (SIGKILL) and restarted.

jest.setTimeout(150000);
const own = useHashedProsody();
let server: TestServer;
beforeAll(() => {
  server = own.server;
});

let proxy: WsRecorder;
const afterThis: Array<() => void> = [];
afterEach(() => {
  afterThis.splice(0).forEach((undo) => undo());
  proxy?.close();
});

function user(prefix: string): TestUser {
  const name = prosody.uniqueUsername(prefix);
  return prosody.createUser(server, name, `${name}-pw`);
}

function account(who: TestUser, url: string, disabledPlugins: string[] = []): Account {
  const plugins = new PluginRegistry(BUILTIN_PLUGINS, disabledPlugins);
  return own.track(new Account({ url, jid: JID.parse(who.jid), connectTimeout: 10000, historyStore: new MemoryStore(), sessions: new SessionStore(new MapStorage()), plugins }));
}

/** The bodies of the messages `who` gets live (not archive results, not carbons), across restarts. */
async function receiver(who: TestUser): Promise<string[]> {
  // (no receipts or markers: our copy's state is then the server's ack alone)
  const theirs = account(who, server.wsUrl, ['receipts', 'chat-markers']);
  await theirs.connect(who.password);
  const got: string[] = [];
  theirs.xmpp.addHandler(
    (m) => {
      const body = Array.from(m.children).find((c) => c.localName === 'body');
      if (body) got.push(body.textContent ?? '');
    },
    { name: 'message' },
  );
  return got;
}

const isAck = (frame: RecordedFrame) => frame.direction === 'in' && /^<a[\s/>]/.test(frame.data);

/** Kills the server without a word to anyone (SIGKILL) and starts it again on the same ports and data. */
async function killAndRestart(): Promise<void> {
  process.kill(server.pid, 'SIGKILL');
  server = await prosody.restartProsody(server); // (the handle is updated: the file's teardown stops this one)
}

async function online(prefix: string) {
  const me = user(prefix);
  const friend = user(`${prefix}-friend`);
  prosody.befriend(server, [me.username, friend.username]);
  const got = await receiver(friend);
  proxy = await startWsRecorder(server.wsUrl);
  const mine = account(me, proxy.url);
  await mine.connect(me.password);
  const sessions: boolean[] = [];
  mine.on('session', (e) => sessions.push(e.resumed));
  return { me, friend, mine, got, sessions };
}

it('a chat message the server got, whose ack was lost before the server died, reaches the contact once and becomes "sent"', async () => {
  const { friend, mine, got, sessions } = await online('smf-got');
  let losing = true;
  proxy.drop = (frame) => losing && isAck(frame);
  const chat = mine.chats.get(friend.jid);
  const message = await chat.send('got there before the crash');
  await until('the contact got it', () => got.includes('got there before the crash'), 10000);
  expect(chat.messages.find((m) => m.id === message.id)?.state).toBe('pending'); // no ack came back

  await killAndRestart();
  losing = false;
  await until('a new session after the restart', () => mine.state.kind === 'online' && sessions.length === 1, 90000);
  expect(sessions).toEqual([false]); // the resumption failed
  await until('our copy is sent', () => chat.messages.find((m) => m.id === message.id)?.state === 'sent', 20000);

  // a later message goes after anything re-sent on the new session (and after the contact's offline
  // messages): once it is there, a second copy would be too
  await chat.send('after the restart');
  await until('the contact got the later one', () => got.includes('after the restart'), 60000);
  expect(got.filter((b) => b === 'got there before the crash')).toHaveLength(1);
  expect(got).toEqual(['got there before the crash', 'after the restart']);
});

it('a chat message that never reached the server before it died is sent on the new session: the contact gets it once', async () => {
  const { friend, mine, got, sessions } = await online('smf-lost');
  let losing = true;
  proxy.drop = (frame) => losing && (isAck(frame) || (frame.direction === 'out' && frame.data.includes('never got there')));
  const chat = mine.chats.get(friend.jid);
  const message = await chat.send('never got there');
  await until('the message went into the proxy', () => proxy.frames.some((f) => f.direction === 'out' && f.data.includes('never got there')), 10000);

  await killAndRestart();
  losing = false;
  await until('a new session after the restart', () => mine.state.kind === 'online' && sessions.length === 1, 90000);
  expect(sessions).toEqual([false]);
  await until('our copy is sent', () => chat.messages.find((m) => m.id === message.id)?.state === 'sent', 20000);
  await chat.send('after the restart');
  await until('the contact got the later one', () => got.includes('after the restart'), 60000);
  expect(got).toEqual(['never got there', 'after the restart']);
});

/** The distinct copies of a room message with `body` that the room gave `account` (each copy the room took has its own stanza-id). */
function roomCopies(account: Account, room: string, body: string): Set<string> {
  const copies = new Set<string>();
  account.xmpp.addHandler(
    (m) => {
      const text = Array.from(m.children).find((c) => c.localName === 'body')?.textContent;
      const stanzaId = Array.from(m.children).find((c) => c.localName === 'stanza-id' && c.getAttribute('by') === room)?.getAttribute('id');
      if (text === body && stanzaId) copies.add(stanzaId);
    },
    { name: 'message', type: 'groupchat' },
  );
  return copies;
}

/** `mine` (through the proxy) and `theirs` (the other occupant) in a new persistent room, which outlives the restart. */
async function inRoom(prefix: string) {
  const me = user(prefix);
  const other = user(`${prefix}-other`);
  const roomJid = await prosody.createRoom(server, prosody.uniqueUsername(prefix));
  const theirs = account(other, server.wsUrl);
  await theirs.connect(other.password);
  const theirRoom = theirs.createMultiUserContact(roomJid, 'other');
  await theirRoom.join();
  proxy = await startWsRecorder(server.wsUrl);
  const mine = account(me, proxy.url);
  await mine.connect(me.password);
  const sessions: boolean[] = [];
  mine.on('session', (e) => sessions.push(e.resumed));
  const room = mine.createMultiUserContact(roomJid, 'me');
  await room.join();
  return { roomJid, theirs, theirRoom, mine, sessions, room };
}

/**
 * Kills and restarts the server; our account (behind the proxy) gets through again only once the
 * other occupant is back in the room (else the room refuses a private message to it: not there).
 */
async function restartWhileAway(theirs: Account, theirRoom: MultiUserContact): Promise<void> {
  const drop = proxy.drop;
  proxy.drop = () => true; // (our reconnect attempts time out meanwhile)
  await killAndRestart();
  await until('the other occupant back in the room', () => theirs.state.kind === 'online' && theirRoom.isJoined, 90000);
  proxy.drop = drop;
}

/** The bodies of the private messages `account` gets live from `from` (a room occupant). */
function privateBodies(account: Account, from: string): string[] {
  const got: string[] = [];
  account.xmpp.addHandler(
    (m) => {
      const body = Array.from(m.children).find((c) => c.localName === 'body');
      if (body && m.getAttribute('from') === from) got.push(body.textContent ?? '');
    },
    { name: 'message', type: 'chat' },
  );
  return got;
}

it('a room message the room got, whose ack and reflection were lost before the server died, is in the room once and becomes confirmed', async () => {
  const { roomJid, theirs, theirRoom, mine, sessions, room } = await inRoom('smf-room');
  const body = 'in the room before the crash';
  const copies = roomCopies(theirs, roomJid, body);

  let losing = true;
  proxy.drop = (frame) => losing && (isAck(frame) || (frame.direction === 'in' && frame.data.includes(body)));
  const sent = await room.sendMessage(body);
  await until('the room gave it to the other occupant', () => copies.size === 1, 10000);
  expect(room.pendingMessages.map((p) => p.id)).toEqual([sent.messageId]); // we never saw it come back

  await restartWhileAway(theirs, theirRoom);
  losing = false;
  await until('a new session after the restart', () => mine.state.kind === 'online' && sessions.length === 1, 90000);
  expect(sessions).toEqual([false]);
  await until('back in the room, our message confirmed', () => room.isJoined && room.pendingMessages.length === 0, 60000);

  // a later message goes after anything re-sent on the new session: once the other occupant has it, a second copy would be there too
  await room.sendMessage('after the restart');
  await until('the later one', () => theirRoom.messages.some((m) => m.body === 'after the restart'), 30000);
  expect(copies.size).toBe(1);
  expect(room.messages.filter((m) => m.body === body)).toHaveLength(1);
  expect(room.messages.find((m) => m.body === body)?.stanzaId).toBeDefined(); // confirmed by the room (from its archive)
  expect(theirRoom.messages.filter((m) => m.body === body)).toHaveLength(1);
});

it.each([
  ['the server got, whose ack was lost', false, false],
  ['that never reached the server', true, false],
  // written in a following tab: sent by the leader's room outbox (a `room` intent), marked as its own
  ['written in a following tab, that never reached the server', true, true],
])('a private message to an occupant %s before the server died reaches the occupant once', async (_name, lostOnTheWay, inFollower) => {
  const { roomJid, theirs, theirRoom, mine, sessions, room } = await inRoom('smf-pm');
  const body = lostOnTheWay ? 'private, lost on the way' : 'private, got there';
  const got = privateBodies(theirs, `${roomJid}/me`);
  let writer = room;
  if (inFollower) {
    const { follower, role, leader } = followerOf(mine, JID.parse(mine.uid).bare, server.wsUrl);
    afterThis.push(() => (role.abandon(), leader.dispose()));
    await until('the room joined in the following tab', () => follower.rooms.get(roomJid)?.isJoined === true, 10000);
    writer = follower.rooms.get(roomJid)!;
  }

  let losing = true;
  proxy.drop = (frame) => losing && (isAck(frame) || (lostOnTheWay && frame.direction === 'out' && frame.data.includes(body)));
  await writer.sendPrivateMessage('other', body);
  if (lostOnTheWay) {
    await until('the message went into the proxy', () => proxy.frames.some((f) => f.direction === 'out' && f.data.includes(body)), 10000);
  } else {
    await until('the other occupant got it', () => got.includes(body), 10000);
  }
  expect(room.pendingMessages).toHaveLength(1); // no ack came back

  await restartWhileAway(theirs, theirRoom);
  losing = false;
  await until('a new session after the restart', () => mine.state.kind === 'online' && sessions.length === 1, 90000);
  expect(sessions).toEqual([false]);
  await until('back in the room, our message confirmed', () => room.isJoined && room.pendingMessages.length === 0, 60000);

  // a later one goes after anything re-sent on the new session: once the occupant has it, a second copy would be there too
  await room.sendPrivateMessage('other', 'private, after the restart');
  await until('the later one', () => got.includes('private, after the restart'), 30000);
  expect(got).toEqual([body, 'private, after the restart']);
});
