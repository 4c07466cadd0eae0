import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { BoshRecorder, startBoshRecorder } from '../helpers/bosh-recorder';
import { MapStorage } from '../helpers/map-storage';
import { restoreOnline } from '../helpers/restore';
import { freshFriends, getTestServer, prosody } from '../helpers/test-server';
import { collectMessages, until } from '../helpers/xmpp-node';

// A BOSH request that never reached the server when the page went away (lost on the network, or
// the page was torn down before it went out): the server still waits for that rid and would hold
// every later request of the next page. The next page sends that rid again, empty, before its ping
// (docs/session.md, "A request the server never got"): it is online in the same server session at
// once — not after the ping times out — and the message the lost request carried arrives once.
const server = getTestServer();
jest.setTimeout(60000);

// every page of a test, disconnected at the end; the recording proxy is new for each test
const pages: Account[] = [];
let proxy: BoshRecorder;
beforeEach(async () => {
  proxy = await startBoshRecorder(server.boshUrl);
});
afterEach(async () => {
  await Promise.all(pages.splice(0).map((a) => a.disconnect().catch(() => undefined)));
  await proxy.close();
});

/** A page of a browser whose Web Storage is `sessions` and whose history is `store`. */
function page(url: string, jid: string, sessions = new SessionStore(new MapStorage()), store = new MemoryStore()): Account {
  const a = new Account({ url, jid: JID.parse(jid), connectTimeout: 10000, sessions, historyStore: store });
  pages.push(a);
  return a;
}

/** A contact who listens (the bodies it gets), and my first page online over BOSH through the proxy. */
async function firstPageOnline() {
  const [me, friend] = await freshFriends(2);
  const listener = page(server.wsUrl, friend.jid);
  await listener.connect(friend.password);
  const sessions = new SessionStore(new MapStorage());
  const store = new MemoryStore();
  const first = page(proxy.url, me.jid, sessions, store);
  await first.connect(me.password);
  return { me, friend, received: collectMessages(listener), sessions, store, first, jid: first.fullJid };
}

/** The page goes away as a reload does: state written on pagehide, its open requests closed with it. */
function unload(a: Account): void {
  a.persistForPageHide();
  a.suspend();
  proxy.dropPending();
}

const stanzaCount = (body: string) => (body.match(/<(iq|presence|message)\b/g) ?? []).length;

it('over BOSH: after a page load whose last request never reached the server, the next page is online in the same server session and that message arrives once', async () => {
  const { me, friend, received, sessions, store, first, jid } = await firstPageOnline();
  // the way to the server breaks: the request carrying the message never gets there
  proxy.failing = true;
  await first.chats.get(friend.jid).send('lost on the way');
  const lost = await until('a failed attempt to send it', () => proxy.requests.find((r) => r.failed && r.body.includes('lost on the way')), 10000);
  expect(sessions.get(me.jid)).toMatchObject({ rid: lost.rid! + 1, ridUnanswered: expect.any(Number) });
  // the page goes away; the way to the server works again
  unload(first);
  proxy.failing = false;

  const mark = proxy.requests.length;
  const next = page(proxy.url, me.jid, sessions, store);
  // online when restore resolves, the same server session: the attach ping was answered (had it timed
  // out, restore would end "reconnecting" and a new session would follow)
  await restoreOnline(next, sessions, me.jid, { resumed: true, jid });
  expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
  // what the next page sent first: the rid the server never got, without stanzas; then the ping
  const sent = proxy.requests.slice(mark);
  expect(sent[0]).toMatchObject({ rid: lost.rid, failed: false });
  expect(stanzaCount(sent[0].body)).toBe(0);
  expect(sent.find((r) => r.rid === lost.rid! + 1)?.body).toMatch(/urn:xmpp:ping/);

  // the message the lost request carried is sent by the next page, once
  await until('the contact to get the message', () => received.includes('lost on the way'), 10000);
  await next.chats.get(friend.jid).send('after the reload');
  await until('the contact to get the later message', () => received.includes('after the reload'), 10000);
  expect(received.filter((b) => b === 'lost on the way')).toHaveLength(1);
});

it('over BOSH: when the last request did reach the server, sending its rid again costs nothing: the same session, nothing sent twice', async () => {
  const { me, friend, received, sessions, store, first, jid } = await firstPageOnline();
  await first.chats.get(friend.jid).send('got there');
  await until('the contact to get the message', () => received.includes('got there'), 10000);
  // the page goes away with its long poll open at the server (sent, not answered)
  const record = await until('a request open at the server', () => (sessions.get(me.jid)?.ridUnanswered !== undefined ? sessions.get(me.jid) : undefined), 10000);
  unload(first);

  const mark = proxy.requests.length;
  const next = page(proxy.url, me.jid, sessions, store);
  await restoreOnline(next, sessions, me.jid, { resumed: true, jid });
  expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
  expect(proxy.requests.slice(mark)[0]).toMatchObject({ rid: record.ridUnanswered });
  await next.chats.get(friend.jid).send('after the reload');
  await until('the contact to get the later message', () => received.includes('after the reload'), 10000);
  expect(received.filter((b) => b === 'got there')).toHaveLength(1);
});
