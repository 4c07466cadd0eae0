import { $iq, $msg } from 'strophe.js';
import { MemoryRosterCache } from '../../src/core/RosterCache';
import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { MemoryStore } from '../../src/model/HistoryStore';
import { NS_DISCO_INFO } from '../../src/plugins/disco';
import { MapStorage } from '../helpers/map-storage';
import { useHashedProsody } from '../helpers/node-prosody';
import { prosody, TestServer, TestUser } from '../helpers/test-server';

// XEP-0198 over WebSocket after a page load (docs/session.md, "Stream management"): what the next
// page needs to continue the same server session, what happens when the server cannot, and how
// acknowledgements are asked for. Against a Prosody of its own with hashed credentials (the SCRAM
// keys only log in again with them; see session.test.ts).
const own = useHashedProsody();
let server: TestServer;
beforeAll(() => {
  server = own.server;
});
jest.setTimeout(90000);

function account(storage: MapStorage, jid: string): Account {
  const a = new Account({ url: server.wsUrl, jid: JID.parse(jid), connectTimeout: 10000, sessions: new SessionStore(storage), rosterCache: new MemoryRosterCache(), historyStore: new MemoryStore() });
  return own.track(a);
}

function friends(): [TestUser, TestUser] {
  const [a, b] = [prosody.uniqueUsername('res'), prosody.uniqueUsername('res')].map((name) => prosody.createUser(server, name, `${name}-pw`));
  prosody.befriend(server, [a.username, b.username]);
  return [a, b];
}

async function until(what: string, check: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every element the account sends, serialised (strophe's xmlOutput). */
function outgoing(a: Account): string[] {
  const sent: string[] = [];
  const strophe = (a.xmpp as unknown as { strophe: { xmlOutput(el: Element): void } }).strophe;
  const output = strophe.xmlOutput.bind(strophe);
  strophe.xmlOutput = (el: Element) => {
    sent.push(new XMLSerializer().serializeToString(el));
    output(el);
  };
  return sent;
}

/** The network goes away under the stream: no </stream>, no stream management state written. */
function cutOff(a: Account): void {
  (a.xmpp as unknown as { strophe: { _proto: { socket: { close(): void } } } }).strophe._proto.socket.close();
}

/** What a crashed tab leaves in Web Storage: a copy of it as it is right now. */
function snapshot(storage: MapStorage): MapStorage {
  const copy = new MapStorage();
  storage.data.forEach((v, k) => copy.setItem(k, v));
  return copy;
}

/**
 * While the page is away, `friend` sends `jid` more than Prosody keeps for a hibernating session
 * (smacks_max_queue_size, 500 unacknowledged stanzas): the next resumption is refused.
 */
async function overflowWhileAway(friend: TestUser, jid: string): Promise<void> {
  const theirs = account(new MapStorage(), friend.jid);
  await theirs.connect(friend.password);
  for (let i = 0; i < 600; i++) {
    theirs.xmpp.send($msg({ to: jid, type: 'chat', id: `away-${i}` }).c('body').t(`away ${i}`));
  }
  await theirs.xmpp.sendIQ($iq({ type: 'get', to: server.domain }).c('ping', { xmlns: 'urn:xmpp:ping' }));
}

const lastAck = (sent: string[]) => Math.max(-1, ...sent.filter((x) => x.startsWith('<a ')).map((x) => Number(/h="(\d+)"/.exec(x)?.[1])));

it('a page cut off during a burst, without writing its state on the way out, is resumed by the next page as the same server session', async () => {
  const [me, friend] = friends();
  const storage = new MapStorage();
  const first = account(storage, me.jid);
  const sent = outgoing(first);
  await first.connect(me.password);
  const theirs = account(new MapStorage(), friend.jid);
  await theirs.connect(friend.password);
  const jid = first.fullJid;
  for (let i = 0; i < 300; i++) {
    theirs.xmpp.send($msg({ to: jid, type: 'chat', id: `burst-${i}` }).c('body').t(`burst ${i}`));
  }
  // the server asks for acks during the burst; once ours covers it, the tab "crashes": storage is
  // left as it is (no page-hide flush), the socket goes away without a close
  await until('an ack covering the burst', () => lastAck(sent) >= 300);
  const left = snapshot(storage);
  cutOff(first);
  first.suspend(); // this tab is gone: it must not reconnect

  const next = account(left, me.jid);
  const sessions: boolean[] = [];
  next.on('session', (e) => sessions.push(e.resumed));
  await next.restore(new SessionStore(left).get(me.jid)!);
  expect(next.state.kind).toBe('online');
  expect(sessions).toEqual([true]);
  expect(next.fullJid).toBe(jid);
  expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
});

it('when the server cannot resume (more arrived meanwhile than it keeps), the next page is online in a new session at once, without "Reconnecting"', async () => {
  const [me, friend] = friends();
  const storage = new MapStorage();
  const first = account(storage, me.jid);
  await first.connect(me.password);
  const jid = first.fullJid;
  first.suspend(); // the page unloads
  await overflowWhileAway(friend, jid);

  const next = account(storage, me.jid);
  const states: string[] = [];
  const sessions: boolean[] = [];
  next.on('state', (s) => states.push(s.kind));
  next.on('session', (e) => sessions.push(e.resumed));
  await next.restore(new SessionStore(storage).get(me.jid)!);
  expect(next.state.kind).toBe('online');
  expect(sessions).toEqual([false]);
  expect(states).not.toContain('reconnecting');
  expect(next.fullJid).toBe(jid); // the same resource, bound again
  expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
});

it('after a refused resumption the new session sends again only the messages the old page left unacknowledged, not its old requests', async () => {
  const [me, friend] = friends();
  const storage = new MapStorage();
  const first = account(storage, me.jid);
  await first.connect(me.password);
  const jid = first.fullJid;
  // the page goes away right after sending these: none is acknowledged (the stored state keeps them)
  first.xmpp.send($msg({ to: friend.jid, type: 'chat', id: 'left-message' }).c('body').t('sent as the page went away'));
  first.xmpp.send($iq({ type: 'get', to: server.domain, id: 'left-request' }).c('ping', { xmlns: 'urn:xmpp:ping' }));
  first.xmpp.send($msg({ to: friend.jid, type: 'chat', id: 'left-message-2' }).c('body').t('and this one'));
  cutOff(first);
  first.suspend();
  await overflowWhileAway(friend, jid);

  const next = account(storage, me.jid);
  const sent = outgoing(next);
  const sessions: boolean[] = [];
  next.on('session', (e) => sessions.push(e.resumed));
  await next.restore(new SessionStore(storage).get(me.jid)!);
  expect(sessions).toEqual([false]);
  const again = sent.filter((x) => /id="left-/.test(x));
  expect(again.filter((x) => x.startsWith('<message')).length).toBeGreaterThan(0); // the messages, again
  expect(again.filter((x) => !x.startsWith('<message'))).toEqual([]); // not the old ping
});

it('stanzas sent together get one ack request and each resolves when acknowledged; a chat message is still marked sent', async () => {
  const [me, friend] = friends();
  const mine = account(new MapStorage(), me.jid);
  await mine.connect(me.password);
  const sent = outgoing(mine);
  const together = Array.from({ length: 10 }, (_, i) => mine.xmpp.sendAcked($msg({ to: friend.jid, type: 'chat' }).c('body').t(`together ${i}`).tree()));
  await Promise.all(together);
  expect(sent.filter((x) => x.startsWith('<message'))).toHaveLength(10);
  expect(sent.filter((x) => x.startsWith('<r '))).toHaveLength(1);
  // the chat's outbox sends one message at a time, each waiting for its ack
  const chat = mine.chats.get(friend.jid);
  await chat.open();
  const messages = [await chat.send('one'), await chat.send('two')];
  await until('both marked sent', () => messages.every((m) => m.state === 'sent' || m.state === 'delivered'));
});

it('a burst of disco#info requests (one per contact after our presence) is answered in full, with few ack requests', async () => {
  const [me, friend] = friends();
  const mine = account(new MapStorage(), me.jid);
  await mine.connect(me.password);
  const sent = outgoing(mine);
  const theirs = account(new MapStorage(), friend.jid);
  await theirs.connect(friend.password);
  const answers = await Promise.all(Array.from({ length: 200 }, () => theirs.xmpp.sendIQ($iq({ type: 'get', to: mine.fullJid }).c('query', { xmlns: NS_DISCO_INFO }))));
  for (const answer of answers) {
    expect(Array.from(answer.getElementsByTagName('feature')).map((f) => f.getAttribute('var'))).toContain(NS_DISCO_INFO);
  }
  expect(sent.filter((x) => x.startsWith('<iq') && x.includes('type="result"')).length).toBeGreaterThanOrEqual(200);
  expect(sent.filter((x) => x.startsWith('<r ')).length).toBeLessThan(20);
});
