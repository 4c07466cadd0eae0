import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { BoshRecorder, startBoshRecorder } from '../helpers/bosh-recorder';
import { MapStorage } from '../helpers/map-storage';
import { freshFriends, getTestServer } from '../helpers/test-server';
import { sendChat, until } from '../helpers/xmpp-node';

// A message the server wrote into the last answer of a tab that then closed never reaches that
// tab (BOSH has no acknowledgements). The next page or tab that takes the same server session
// over fetches it from the archive (XEP-0313) — also when nothing at all was stored before, e.g.
// the first message of a fresh login (docs/session.md, "Catching up").
const server = getTestServer();

const accounts: Account[] = [];
afterAll(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

let proxy: BoshRecorder;
beforeEach(async () => {
  proxy = await startBoshRecorder(server.boshUrl);
});
afterEach(() => proxy.close());

/** One tab of a browser: `store` is its IndexedDB history and `sessions` its stored session, both shared by the tabs. */
function tab(url: string, jid: string, store: MemoryStore, sessions: SessionStore): Account {
  const a = new Account({ url, jid: JID.parse(jid), connectTimeout: 10000, historyStore: store, sessions });
  accounts.push(a);
  return a;
}

async function bodies(a: Account, peer: string): Promise<string[]> {
  const history = await a.chats.history();
  return (await history.page(peer, 50)).messages.map((m) => m.body);
}

it.each([
  ['with nothing stored before (the first message after a fresh login)', false],
  ['with an earlier message stored', true],
])('over BOSH: a message lost in the closing tab\'s last answer reaches the next tab, %s', async (_name, earlier) => {
  const [me, friend] = await freshFriends(2);
  const contact = tab(server.wsUrl, friend.jid, new MemoryStore(), new SessionStore(new MapStorage()));
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
