import { $msg } from 'strophe.js';
import { resolveOptions } from '../../src/core/options';
import { Account } from '../../src/model/Account';
import { Chat } from '../../src/model/Chat';
import { ChatHistory } from '../../src/model/ChatHistory';
import { MemoryStore } from '../../src/model/HistoryStore';
import { queryArchive } from '../../src/plugins/mam/query';
import { JID } from '../../src/model/JID';
import { Message } from '../../src/model/Message';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { NS_DISCO_INFO } from '../../src/plugins/disco';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { $iq } from 'strophe.js';
import { freshFriends, getTestServer, TestUser } from '../helpers/test-server';

// One-to-one chat between real accounts on the real Prosody: the chat core and its plugins.
const server = getTestServer();
const accounts: Account[] = [];

function account(user: TestUser, { url = server.wsUrl, disabledPlugins = [] as string[], store = new MemoryStore(), resource = '' } = {}): Account {
  const options = resolveOptions({ disabledPlugins });
  const jid = resource ? JID.parse(`${user.jid}/${resource}`) : JID.parse(user.jid);
  const a = new Account({ url, jid, connectTimeout: 10000, options, plugins: new PluginRegistry(BUILTIN_PLUGINS, disabledPlugins), historyStore: store });
  accounts.push(a);
  return a;
}

afterEach(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

// generous: the test machine is shared and often loaded
jest.setTimeout(90000);

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function opened(a: Account, peer: string): Promise<Chat> {
  const chat = a.chats.get(peer);
  await chat.open();
  return chat;
}

const lastIn = (chat: Chat) => [...chat.messages].reverse().find((m) => m.direction === 'in');

describe.each([
  ['WebSocket', () => server.wsUrl],
  ['BOSH', () => server.boshUrl],
])('over %s', (_name, url) => {
  it('sends and receives; an outgoing message goes pending → sent → delivered → read', async () => {
    const [alice, bob] = await freshFriends(2);
    const a = account(alice, { url: url() });
    const b = account(bob, { url: url() });
    await Promise.all([a.connect(alice.password), b.connect(bob.password)]);
    const states: string[] = [];
    const chatA = await opened(a, bob.jid);
    chatA.on('updated', (m) => states.push(m.state!));
    const chatB = await opened(b, alice.jid);

    const sent = await chatA.send('Hello Bob 👋');
    expect(sent.state).toBe('pending');
    const got = await until('bob gets it', () => lastIn(chatB));
    expect(got.body).toBe('Hello Bob 👋');
    expect(got.from.startsWith(alice.jid)).toBe(true);
    expect(chatB.unread).toBe(1);
    expect(b.getContact(alice.jid)?.unreadCount).toBe(1);
    await until('delivered', () => sent.state === 'delivered' || sent.state === 'read');
    chatB.markDisplayed();
    expect(chatB.unread).toBe(0);
    await until('read', () => sent.state === 'read');
    // the receipt may overtake the server's ack; states only ever move forward
    expect(states[states.length - 1]).toBe('read');
    expect([['sent', 'delivered', 'read'], ['delivered', 'read']]).toContainEqual(states);
    // the stored copy has the same state
    const stored = await (await a.chats.history()).get(bob.jid, sent.id);
    expect(stored?.state).toBe('read');
  });
});

it('typing notifications go both ways (composing, paused, active)', async () => {
  const [alice, bob] = await freshFriends(2);
  const a = account(alice);
  const b = account(bob);
  await Promise.all([a.connect(alice.password), b.connect(bob.password)]);
  const chatA = await opened(a, bob.jid);
  const chatB = await opened(b, alice.jid);
  chatA.setOwnState('composing');
  await until('bob sees composing', () => chatB.peerState === 'composing');
  chatA.setOwnState('paused');
  await until('bob sees paused', () => chatB.peerState === 'paused');
  chatB.setOwnState('composing');
  await until('alice sees composing', () => chatA.peerState === 'composing');
  await chatB.send('done typing');
  await until('alice sees active', () => chatA.peerState === 'active');
  // typing notices are not messages
  expect(chatB.messages.filter((m) => m.direction === 'in')).toEqual([]);
});

it('carbons: what my other client sends and receives appears here; forged carbons from others are dropped', async () => {
  const [alice, bob, mallory] = await freshFriends(3);
  const web = account(alice, { resource: 'web' });
  const phone = account(alice, { resource: 'phone' });
  const b = account(bob);
  const m = account(mallory);
  await Promise.all([web.connect(alice.password), phone.connect(alice.password), b.connect(bob.password), m.connect(mallory.password)]);
  const chat = await opened(web, bob.jid);
  await phone.chats.get(bob.jid).send('sent from my phone');
  const copy = await until('sent carbon', () => chat.messages.find((x) => x.body === 'sent from my phone'));
  expect(copy.direction).toBe('out');
  await b.chats.get(alice.jid).send('to your phone only');
  // addressed to the phone's full JID: the web client gets a received carbon
  b.xmpp.send($msg({ to: phone.fullJid, type: 'chat', id: 'direct-1' }).c('body').t('to the phone resource'));
  await until('received carbon', () => chat.messages.find((x) => x.body === 'to the phone resource' && x.direction === 'in'));

  // mallory forges a "sent" carbon claiming alice told bob something
  const forged = $msg({ to: web.fullJid, type: 'chat' })
    .c('sent', { xmlns: 'urn:xmpp:carbons:2' })
    .c('forwarded', { xmlns: 'urn:xmpp:forward:0' })
    .c('message', { xmlns: 'jabber:client', from: web.fullJid, to: bob.jid, type: 'chat', id: 'forged' })
    .c('body')
    .t('FORGED');
  m.xmpp.send(forged);
  await m.xmpp.sendAcked($msg({ to: web.fullJid, type: 'chat' }).c('body').t('after the forgery').tree());
  await until('the plain message after it', () => web.chats.get(mallory.jid).messages.length > 0 || web.chats.has(mallory.jid));
  await until('processed', async () => (await (await web.chats.history()).count(mallory.jid)) === 1);
  expect(chat.messages.some((x) => x.body === 'FORGED')).toBe(false);
  await expect((await web.chats.history()).page(bob.jid, 100)).resolves.toEqual(expect.objectContaining({ messages: expect.not.arrayContaining([expect.objectContaining({ body: 'FORGED' })]) }));
});

it('corrections: mine replace my last message at the contact; a contact may only correct its own', async () => {
  const [alice, bob, mallory] = await freshFriends(3);
  const a = account(alice);
  const b = account(bob);
  const m = account(mallory);
  await Promise.all([a.connect(alice.password), b.connect(bob.password), m.connect(mallory.password)]);
  const chatA = await opened(a, bob.jid);
  const chatB = await opened(b, alice.jid);
  const sent = await chatA.send('helo');
  await until('sent', () => sent.state !== 'pending');
  const got = await until('bob has it', () => lastIn(chatB));
  await chatA.correctLast('hello');
  await until('bob sees the correction', () => got.body === 'hello' && got.corrected);
  expect(chatB.messages.filter((x) => x.direction === 'in')).toHaveLength(1);

  // mallory tries to rewrite alice's message at bob's (same id, different sender)
  m.xmpp.send($msg({ to: bob.jid, type: 'chat', id: 'x' }).c('body').t('pwned').up().c('replace', { xmlns: 'urn:xmpp:message-correct:0', id: got.stanzaIdAttr! }));
  await until('mallory message arrives as its own', () => b.chats.has(mallory.jid) && b.chats.get(mallory.jid));
  await until('stored', async () => (await (await b.chats.history()).count(mallory.jid)) === 1);
  expect(got.body).toBe('hello');
});

it('a server error marks the message failed with its text; retry sends it again', async () => {
  const [alice] = await freshFriends(1);
  const a = account(alice);
  await a.connect(alice.password);
  const chat = await opened(a, 'nobody@no-such-domain.invalid');
  const msg = await chat.send('anyone there?');
  await until('failed', () => msg.state === 'failed');
  expect(msg.error).toMatch(/remote domains|remote-server-not-found|unavailable/i);
  const stored = await (await a.chats.history()).get('nobody@no-such-domain.invalid', msg.id);
  expect(stored?.state).toBe('failed');
  await chat.retry(msg.id);
  expect(['pending', 'sent', 'failed']).toContain(msg.state);
  await until('failed again', () => msg.state === 'failed');
  await expect(chat.retry('nope')).rejects.toThrow('No failed outgoing message with the id "nope"');
});

it('duplicates (same stanza-id / origin-id / id) are dropped', async () => {
  const [alice, bob] = await freshFriends(2);
  const a = account(alice);
  const b = account(bob);
  await Promise.all([a.connect(alice.password), b.connect(bob.password)]);
  const chatA = await opened(a, bob.jid);
  const dup = () => $msg({ to: alice.jid, type: 'chat', id: 'same-id' }).c('body').t('once').up().c('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'origin-1' }).tree();
  await b.xmpp.sendAcked(dup());
  await b.xmpp.sendAcked(dup());
  await b.xmpp.sendAcked($msg({ to: alice.jid, type: 'chat', id: 'other' }).c('body').t('twice').tree());
  await until('second body', () => chatA.messages.some((x) => x.body === 'twice'));
  expect(chatA.messages.filter((x) => x.body === 'once')).toHaveLength(1);
});

it('messages written offline stay pending and stored, and go out in order on the next session', async () => {
  const [alice, bob] = await freshFriends(2);
  const store = new MemoryStore();
  const b = account(bob);
  await b.connect(bob.password);
  const offline = account(alice, { store });
  const chat = await opened(offline, bob.jid);
  const one = await chat.send('first');
  const two = await chat.send('second');
  expect([one.state, two.state]).toEqual(['pending', 'pending']);
  expect((await (await offline.chats.history()).outbox()).map((e) => e.id)).toEqual([one.id, two.id]);

  // a new page load: a new Account on the same store
  const later = account(alice, { store });
  await later.connect(alice.password);
  const chatB = await opened(b, alice.jid);
  await until('both arrive', () => chatB.messages.filter((m) => m.direction === 'in').length === 2);
  expect(chatB.messages.map((m) => m.body)).toEqual(['first', 'second']);
  const laterChat = await opened(later, bob.jid);
  await until('marked sent', () => laterChat.messages.every((m) => m.state !== 'pending'));
  expect(await (await later.chats.history()).outbox()).toEqual([]);
});

it('MAM: older history pages in from the archive as the user scrolls up; a new session catches up on the gap', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = account(bob);
  const a = account(alice);
  await Promise.all([a.connect(alice.password), b.connect(bob.password)]);
  const bobChat = await opened(b, alice.jid);
  for (let i = 1; i <= 75; i++) {
    await b.xmpp.sendAcked($msg({ to: alice.jid, type: 'chat', id: `old-${i}` }).c('body').t(`old ${i}`).tree());
  }
  await until('alice has 75', () => a.chats.get(bob.jid).unread === 75);
  expect(bobChat.messages).toHaveLength(0);

  // a fresh browser (empty store): the window starts empty and pages from the archive, 50 a page
  const fresh = account(alice, { resource: 'fresh' });
  await fresh.connect(alice.password);
  const chat = await opened(fresh, bob.jid);
  expect(chat.messages).toHaveLength(0);
  expect(await chat.loadOlder()).toBe(50);
  expect(chat.messages.slice(-50).map((m) => m.body)).toEqual(Array.from({ length: 50 }, (_, i) => `old ${i + 26}`));
  // the next older page comes ahead, while the user reads, without being asked for
  await until('the next page came ahead', () => chat.messages.length === 75);
  expect(chat.messages[0].body).toBe('old 1');
  expect(await chat.loadOlder()).toBe(25); // that page, not another query
  expect(await chat.loadOlder()).toBe(0);
  expect(chat.unread).toBe(0);
  // stored as it came: a page load in this browser reads it back from the store
  const stored = await (await fresh.chats.history()).page(bob.jid, 100);
  expect(stored.messages.map((m) => m.body)).toEqual(Array.from({ length: 75 }, (_, i) => `old ${i + 1}`));

  // offline gap: fresh goes away, bob writes, fresh comes back with the same store
  // archive stamps have whole seconds: let the old ones be a second older than what we "have"
  await new Promise((r) => setTimeout(r, 1100));
  const store = new MemoryStore();
  const first = account(alice, { resource: 'gap', store });
  await first.connect(alice.password);
  await first.chats.get(bob.jid).receive({ id: 'seed', peer: bob.jid, direction: 'in', from: bob.jid, to: alice.jid, body: 'seed', timestamp: Date.now(), type: 'chat' } as Message, true);
  await first.disconnect();
  await new Promise((r) => setTimeout(r, 20));
  await b.xmpp.sendAcked($msg({ to: alice.jid, type: 'chat', id: 'gap-1' }).c('body').t('while you were away').tree());
  const again = account(alice, { resource: 'gap2', store });
  await again.connect(alice.password);
  const gapChat = await opened(again, bob.jid);
  await until('caught up', () => gapChat.messages.some((m) => m.body === 'while you were away'));
  expect(gapChat.unread).toBe(1);
});

it('MAM: a scroll-back page asked for up to a time (the oldest message shown came from the store) places one from that second as the catch-up would, after what is stored from that second, not before everything', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = account(bob);
  await b.connect(bob.password);
  await b.xmpp.sendAcked($msg({ to: alice.jid, type: 'chat', id: 'away-1' }).c('body').t('while you were away').tree());
  // its archive stamp: whole seconds
  const probe = account(alice, { resource: 'probe' });
  await probe.connect(alice.password);
  const archived = await queryArchive(probe.xmpp, alice.jid, { with: bob.jid, max: 10 });
  const second = archived.messages[0].timestamp!;
  expect(second % 1000).toBe(0);
  await probe.disconnect();
  // this browser stored something from that same second, and its catch-up point is past it (so the
  // scroll-back, not the catch-up, is what brings the message, as when it wins the race after a reconnect)
  const store = new MemoryStore();
  const seed = new ChatHistory(store);
  await seed.add({ id: 'mine', peer: bob.jid, direction: 'out', from: alice.jid, to: bob.jid, body: 'mine, that second', timestamp: second + 60, type: 'chat', state: 'sent' } as Message);
  await seed.noteSeen(second + 5000);
  await seed.saved();
  const a = account(alice, { resource: 'page', store });
  await a.connect(alice.password);
  const chat = await opened(a, bob.jid);
  expect(chat.messages.map((m) => m.body)).toEqual(['mine, that second']);
  await chat.loadOlder();
  await until('the archive page is in', () => chat.messages.length === 2);
  expect(chat.messages.map((m) => m.body)).toEqual(['mine, that second', 'while you were away']);
  expect((await (await a.chats.history()).page(bob.jid, 10)).messages.map((m) => m.body)).toEqual(['mine, that second', 'while you were away']);
});

it('disabledPlugins removes each chat feature whole: its disco feature and its behaviour', async () => {
  const [alice, bob] = await freshFriends(2);
  const a = account(alice, { disabledPlugins: ['receipts', 'chat-states', 'carbons', 'correction', 'chat-markers', 'stanza-id', 'mam'] });
  const b = account(bob);
  await Promise.all([a.connect(alice.password), b.connect(bob.password)]);
  const result = await b.xmpp.sendIQ($iq({ type: 'get', to: a.fullJid }).c('query', { xmlns: NS_DISCO_INFO }));
  const features = Array.from(result.getElementsByTagName('feature')).map((f) => f.getAttribute('var'));
  for (const ns of ['urn:xmpp:receipts', 'http://jabber.org/protocol/chatstates', 'urn:xmpp:carbons:2', 'urn:xmpp:message-correct:0', 'urn:xmpp:chat-markers:0', 'urn:xmpp:sid:0']) {
    expect(features).not.toContain(ns);
  }
  const chatB = await opened(b, alice.jid);
  const sent = await chatB.send('plain');
  const chatA = await opened(a, bob.jid);
  await until('arrives', () => lastIn(chatA));
  await until('sent', () => sent.state === 'sent');
  await new Promise((r) => setTimeout(r, 300));
  expect(sent.state).toBe('sent'); // no receipt came back
  // and with 'chat' off, nothing arrives at all
  const [carol] = await freshFriends(1);
  const c = account(carol, { disabledPlugins: ['chat'] });
  await c.connect(carol.password);
  await b.xmpp.sendAcked($msg({ to: carol.jid, type: 'chat' }).c('body').t('hi').tree());
  await new Promise((r) => setTimeout(r, 200));
  expect(c.chats.all()).toEqual([]);
});
