import { $msg } from 'strophe.js';
import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { BoshRecorder, startBoshRecorder } from '../helpers/bosh-recorder';
import { MapStorage } from '../helpers/map-storage';
import { freshFriends, getTestServer, TestUser } from '../helpers/test-server';
import { collectMessages, sendChat, until } from '../helpers/xmpp-node';

// A message whose send reached the server but whose ack never came back (the tab that sent it
// closed, docs/session.md "Several tabs"): the next leader of the account finds it in the archive
// and does not send it again; one that never reached the server is sent. Two Account objects on one
// history store stand for two tabs of a browser (IndexedDB is shared by the tabs).
const server = getTestServer();

const accounts: Account[] = [];
function tab(url: string, jid: string, store: MemoryStore, sessions?: SessionStore): Account {
  const a = new Account({ url, jid: JID.parse(jid), connectTimeout: 10000, historyStore: store, ...(sessions ? { sessions } : {}) });
  accounts.push(a);
  return a;
}

afterAll(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

let proxy: BoshRecorder;
beforeEach(async () => {
  proxy = await startBoshRecorder(server.boshUrl);
});
afterEach(() => proxy.close());

/**
 * Me and a contact who listens (raw stanzas: what the contact's clients would show); my first tab
 * is online over BOSH through the proxy, with `store` as the browser's history.
 */
async function firstTabOnline(): Promise<{ me: TestUser; friend: TestUser; received: string[]; store: MemoryStore; first: Account }> {
  const [me, friend] = await freshFriends(2);
  const listener = tab(server.wsUrl, friend.jid, new MemoryStore());
  await listener.connect(friend.password);
  const store = new MemoryStore();
  const first = tab(proxy.url, me.jid, store);
  await first.connect(me.password);
  return { me, friend, received: collectMessages(listener), store, first };
}

/** How often `body` arrived at the contact, once a later message (sent by `a`) arrived after it. */
async function timesReceived(a: Account, peer: string, received: string[], body: string): Promise<number> {
  const marker = `marker ${Date.now()}`;
  await a.chats.get(peer).send(marker);
  await until(`the contact to get "${marker}"`, () => received.includes(marker), 10000);
  return received.filter((b) => b === body).length;
}

it('over BOSH: the next leader does not send again a message the archive has, though its ack was lost', async () => {
  const { me, friend, received, store, first } = await firstTabOnline();
  // from now on the server gets what this tab sends, but nothing comes back: no ack
  proxy.holdingAnswers = true;
  const sent = await first.chats.get(friend.jid).send('sent once, ack lost');
  await until('the contact to get the message', () => received.includes('sent once, ack lost'), 10000);
  first.suspend(); // the tab closes before the ack
  const history = await first.chats.history();
  expect((await history.outbox()).map((e) => e.id)).toEqual([sent.id]);

  const next = tab(server.boshUrl, me.jid, store);
  await next.connect(me.password);
  await until('the outbox to be empty', async () => (await history.outbox()).length === 0, 10000);
  expect((await history.get(friend.jid, sent.id))?.state).toMatch(/^(sent|delivered)$/);
  expect(await timesReceived(next, friend.jid, received, 'sent once, ack lost')).toBe(1);
});

it('over BOSH: the next leader sends a message that never reached the server', async () => {
  const { me, friend, received, store, first } = await firstTabOnline();
  proxy.failing = true; // the way to the server is broken
  const sent = await first.chats.get(friend.jid).send('never got there');
  await until('a failed attempt to send it', () => proxy.requests.some((r) => r.failed && r.body.includes('never got there')), 10000);
  first.suspend();
  const history = await first.chats.history();
  expect((await history.outbox())[0]).toMatchObject({ id: sent.id, attempted: expect.any(Number) });

  const next = tab(server.boshUrl, me.jid, store);
  await next.connect(me.password);
  await until('the contact to get the message', () => received.includes('never got there'), 10000);
  expect(await timesReceived(next, friend.jid, received, 'never got there')).toBe(1);
  expect((await history.get(friend.jid, sent.id))?.state).toMatch(/^(sent|delivered)$/);
});

it('a message that arrives twice (same origin-id, sent again by the other side) is shown once', async () => {
  const [me, friend] = await freshFriends(2);
  const sender = tab(server.wsUrl, friend.jid, new MemoryStore());
  const receiver = tab(server.wsUrl, me.jid, new MemoryStore());
  await Promise.all([sender.connect(friend.password), receiver.connect(me.password)]);
  const chat = receiver.chats.get(friend.jid);
  await chat.open();
  const twice = () => $msg({ to: me.jid, type: 'chat', id: 'same-id' }).c('body').t('said twice').up().c('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'same-origin-id' });
  sender.xmpp.send(twice());
  sender.xmpp.send(twice());
  sender.xmpp.send($msg({ to: me.jid, type: 'chat' }).c('body').t('after them'));
  await until('the later message', () => chat.messages.some((m) => m.body === 'after them'), 10000);
  expect(chat.messages.filter((m) => m.body === 'said twice')).toHaveLength(1);
});

// A message the server wrote into the last answer of a tab that then closed never reaches that
// tab (BOSH has no acknowledgements). The next tab (or page) that takes the same server session
// over fetches it from the archive (XEP-0313), also when nothing at all was stored before, e.g. the
// first message after a fresh login (docs/session.md, "Catching up").
async function bodies(a: Account, peer: string): Promise<string[]> {
  const history = await a.chats.history();
  return (await history.page(peer, 50)).messages.map((m) => m.body);
}

it.each([
  ['with nothing stored before (the first message after a fresh login)', false],
  ['with an earlier message stored', true],
])('over BOSH: a message lost in the closing tab\'s last answer reaches the next tab, %s', async (_name, earlier) => {
  const [me, friend] = await freshFriends(2);
  const contact = tab(server.wsUrl, friend.jid, new MemoryStore());
  await contact.connect(friend.password);

  const store = new MemoryStore();
  const sessions = new SessionStore(new MapStorage());
  const first = tab(proxy.url, me.jid, store, sessions);
  await first.connect(me.password);
  if (earlier) {
    sendChat(contact, me.jid, 'an earlier message');
    await until('the earlier message to be stored', async () => (await bodies(first, friend.jid)).includes('an earlier message'), 10000);
  }

  // the server answers, the tab never hears it, and closes
  proxy.holdingAnswers = true;
  sendChat(contact, me.jid, 'in the lost answer');
  await until('the server to send the message in an answer', () => proxy.heldAnswers.some((b) => b.includes('in the lost answer')), 10000);
  first.suspend();
  proxy.holdingAnswers = false;
  expect(await bodies(first, friend.jid)).not.toContain('in the lost answer');

  const next = tab(proxy.url, me.jid, store, sessions);
  const resumed: boolean[] = [];
  next.on('session', (e) => resumed.push(e.resumed));
  await next.restore(sessions.get(me.jid)!);
  expect(resumed).toEqual([true]); // the same server session, attached again
  await until('the lost message to be fetched from the archive', async () => (await bodies(next, friend.jid)).includes('in the lost answer'), 10000);
  const shown = await bodies(next, friend.jid);
  expect(shown.filter((b) => b === 'in the lost answer')).toHaveLength(1);
  expect(shown.filter((b) => b === 'an earlier message')).toHaveLength(earlier ? 1 : 0);
});
