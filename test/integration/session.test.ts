import { $msg } from 'strophe.js';
import { MapStorage } from '../helpers/map-storage';
import { MemoryRosterCache } from '../../src/core/RosterCache';
import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { prebind } from '../helpers/prebind';
import { restoreOnline } from '../helpers/restore';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { useHashedProsody } from '../helpers/node-prosody';
import { prosody, TestServer, TestUser } from '../helpers/test-server';

// The session model in Node against a separate Prosody whose accounts are stored hashed
// (internal_hashed), as on a production server: only then do the SCRAM salt and keys stay the same
// between logins, so a client can log in again with its stored keys instead of the password.
const own = useHashedProsody();
let server: TestServer;
beforeAll(() => {
  server = own.server;
});


/** What survives a page load: storage and the IndexedDB roster cache. */
interface Browser {
  storage: MapStorage;
  sessions: SessionStore;
  cache: MemoryRosterCache;
}
function browser(): Browser {
  const storage = new MapStorage();
  return { storage, sessions: new SessionStore(storage), cache: new MemoryRosterCache() };
}

/** A plugin that records each attach (per account) and whether its teardown ran. */
const attaches = new Map<string, Array<{ resumed: boolean; tornDown: boolean }>>();
const recorder = {
  id: 'recorder',
  name: 'Records attach calls',
  xeps: [],
  attach(context: { account: Account; resumed: boolean }) {
    const entry = { resumed: context.resumed, tornDown: false };
    const list = attaches.get(context.account.uid) ?? [];
    list.push(entry);
    attaches.set(context.account.uid, list);
    return () => {
      entry.tornDown = true;
    };
  },
};

function account(b: Browser, url: string, jid: string): Account {
  const plugins = new PluginRegistry([...BUILTIN_PLUGINS, recorder], []);
  const a = new Account({ url, jid: JID.parse(jid), connectTimeout: 10000, sessions: b.sessions, rosterCache: b.cache, plugins });
  return own.track(a);
}

function user(prefix = 'sess'): TestUser {
  const name = prosody.uniqueUsername(prefix);
  return prosody.createUser(server, name, `${name}-pw`);
}

/** Two new mutual contacts. */
function friends(): [TestUser, TestUser] {
  const me = user();
  const friend = user();
  prosody.befriend(server, [me.username, friend.username]);
  return [me, friend];
}

async function until(check: () => boolean, ms = 10000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Logs in `user` with a listener that collects the bodies of the messages it receives. */
async function receiver(url: string, who: TestUser): Promise<string[]> {
  const theirs = account(browser(), url, who.jid);
  await theirs.connect(who.password);
  const got: string[] = [];
  theirs.xmpp.addHandler((m) => got.push(m.getElementsByTagName('body')[0]?.textContent ?? ''), { name: 'message' });
  return got;
}

/** Logs in, then lets go of the connection as an unloading page does; returns the stored record. */
async function loginAndLeave(b: Browser, url: string, me: TestUser) {
  const first = account(b, url, me.jid);
  await first.connect(me.password);
  const jid = first.fullJid;
  first.suspend();
  const record = b.sessions.get(me.jid)!;
  return { jid, record };
}

describe.each([
  ['BOSH', () => server.boshUrl],
  ['WebSocket', () => server.wsUrl],
])('over %s', (name, url) => {
  it('stores a session record without the password, and the next page continues the same server session', async () => {
    const b = browser();
    const [me, friend] = friends();
    const got = await receiver(url(), friend); // the friend is online throughout
    const { jid, record } = await loginAndLeave(b, url(), me);
    expect(record).toMatchObject({ jid, url: url(), transport: name === 'BOSH' ? 'bosh' : 'websocket' });
    expect(record.scram).toMatchObject({ name: 'SHA-1', iter: 4096 });
    if (name === 'BOSH') {
      expect(record.sid).toEqual(expect.any(String));
      expect(record.rid).toEqual(expect.any(Number));
    }
    expect(b.storage.dump()).not.toContain(me.password);
    expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);

    const next = account(b, url(), me.jid);
    await restoreOnline(next, b.sessions, me.jid, { resumed: true, jid });
    // the roster came from the cache, and the server still has exactly the one session
    expect(next.roster.all().map((c) => c.jid)).toEqual([friend.jid]);
    expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
    // the friend's presence went with the old page; the new one asks for it (presence probe)
    await until(() => next.getContact(friend.jid)?.presence === 'online', 5000, 'friend online after the reload');
    // and the session works: a message reaches the friend
    await next.xmpp.sendAcked($msg({ to: friend.jid, type: 'chat' }).c('body').t('after the reload').tree());
    await until(() => got.includes('after the reload'), 5000, 'message after the reload');
  });

  it('logs in with the stored SCRAM keys when the server session is gone: a new session, plugins attach afresh', async () => {
    const b = browser();
    const me = user();
    const { jid } = await loginAndLeave(b, url(), me);
    await prosody.runAdminShell(server, `c2s:close(${JSON.stringify(me.jid)})`);
    const next = account(b, url(), me.jid);
    // a new session, with the same resource bound again
    await restoreOnline(next, b.sessions, me.jid, { resumed: false, jid });
    expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
    // first page: attached for the login; next page: attached for a new session
    expect(attaches.get(me.jid)!.map((x) => x.resumed)).toEqual([false, false]);
  });

  it('ends "expired" and forgets the record when neither the session nor the keys work', async () => {
    const b = browser();
    const me = user();
    await loginAndLeave(b, url(), me);
    await prosody.runAdminShell(server, `c2s:close(${JSON.stringify(me.jid)})`);
    prosody.createUser(server, me.username, 'a-new-password'); // new salt: the stored keys are void
    const next = account(b, url(), me.jid);
    const states: string[] = [];
    next.on('state', (s) => states.push(s.kind));
    await next.restore(b.sessions.get(me.jid)!);
    expect(next.state.kind).toBe('expired');
    expect(states).not.toContain('reconnecting');
    expect(b.sessions.get(me.jid)).toBeUndefined();
    expect(b.storage.length).toBe(0);
  });
});

it('a wrong password stores nothing', async () => {
  const b = browser();
  const me = user();
  await expect(account(b, server.wsUrl, me.jid).connect('wrong')).rejects.toThrow(/Authentication failed/);
  expect(b.storage.length).toBe(0);
  expect(await b.cache.load(me.jid)).toBeUndefined();
});

it('logout forgets the record, the XEP-0198 state and the roster cache', async () => {
  const b = browser();
  const me = user();
  const a = account(b, server.wsUrl, me.jid);
  await a.connect(me.password);
  await until(() => b.storage.length >= 2, 2000, 'record and SM state');
  await a.disconnect();
  expect(b.storage.length).toBe(0);
  expect(await b.cache.load(me.jid)).toBeUndefined();
});

it('prebind: attaches to a BOSH session the host server created, and a reload attaches again', async () => {
  const b = browser();
  const me = user();
  const session = await prebind(server.boshUrl, me);
  expect(await prosody.sessionsOf(server, me.jid)).toEqual([session.jid]);
  const a = account(b, server.boshUrl, session.jid);
  const sessions: boolean[] = [];
  a.on('session', (e) => sessions.push(e.resumed));
  await a.attach(session.sid, session.rid);
  expect(a.state.kind).toBe('online');
  expect(sessions).toEqual([false]); // new for us: roster and presence were set up
  expect(b.sessions.get(me.jid)).toMatchObject({ jid: session.jid, sid: session.sid });
  expect(b.sessions.get(me.jid)!.scram).toBeUndefined();
  a.suspend();
  const next = account(b, server.boshUrl, me.jid);
  await restoreOnline(next, b.sessions, me.jid, { jid: session.jid });
  expect(await prosody.sessionsOf(server, me.jid)).toEqual([session.jid]);
});

it('roster versioning (XEP-0237): a new session asks with the cached version and keeps the cached items when unchanged', async () => {
  const b = browser();
  const [me, friend] = friends();
  const a = account(b, server.wsUrl, me.jid);
  await a.connect(me.password);
  const version = a.roster.version;
  expect(version).toEqual(expect.any(String));
  await sleep(400); // the cache is written batched
  expect((await b.cache.load(me.jid))?.version).toBe(version);
  a.suspend();
  await prosody.runAdminShell(server, `c2s:close(${JSON.stringify(me.jid)})`);
  const next = account(b, server.wsUrl, me.jid);
  const sent: string[] = [];
  const output = next.xmpp['strophe'].xmlOutput.bind(next.xmpp['strophe']);
  next.xmpp['strophe'].xmlOutput = (el: Element) => {
    sent.push(el.outerHTML ?? new XMLSerializer().serializeToString(el));
    output(el);
  };
  await restoreOnline(next, b.sessions, me.jid, { resumed: false });
  expect(sent.some((x) => x.includes('jabber:iq:roster') && x.includes(`ver="${version}"`))).toBe(true);
  expect(next.roster.all().map((c) => c.jid)).toEqual([friend.jid]);
});

it.each([
  ['WebSocket', () => server.wsUrl],
  ['BOSH', () => server.boshUrl],
])('over %s: reconnects after the server restarts, with backoff, and a new session re-attaches the plugins', async (_name, url) => {
  const b = browser();
  const me = user();
  const a = account(b, url(), me.jid);
  await a.connect(me.password);
  const states: string[] = [];
  const sessions: boolean[] = [];
  a.on('state', (s) => states.push(s.kind));
  a.on('session', (e) => sessions.push(e.resumed));
  server = await prosody.restartProsody(server);
  await until(() => a.state.kind === 'online' && sessions.length > 0, 80000, 'back online');
  expect(states[0]).toBe('reconnecting');
  expect(sessions).toEqual([false]);
  expect(attaches.get(me.jid)).toEqual([
    { resumed: false, tornDown: true },
    { resumed: false, tornDown: false },
  ]);
  expect(await prosody.sessionsOf(server, me.jid)).toEqual([a.fullJid]);
}, 90000);

it('sendAcked() resolves across an XEP-0198 resumption after the stream dropped, and the message arrives once', async () => {
  const b = browser();
  const [me, friend] = friends();
  const a = account(b, server.wsUrl, me.jid);
  await a.connect(me.password);
  const got = await receiver(server.wsUrl, friend);
  const sessions: boolean[] = [];
  a.on('session', (e) => sessions.push(e.resumed));
  const jid = a.fullJid;
  const acked = a.xmpp.sendAcked($msg({ to: friend.jid, type: 'chat' }).c('body').t('across the drop').tree());
  // the network goes away under the stream (no </stream>, no clean close)
  (a.xmpp as unknown as { strophe: { _proto: { socket: { close(): void } } } }).strophe._proto.socket.close();
  await acked;
  await until(() => a.state.kind === 'online' && sessions.length === 1, 15000, 'resumed');
  expect(sessions).toEqual([true]);
  // strophe dropped every handler with the stream: plugins attached again, once, as resumed
  expect(attaches.get(me.jid)).toEqual([
    { resumed: false, tornDown: true },
    { resumed: true, tornDown: false },
  ]);
  expect(a.fullJid).toBe(jid);
  await sleep(500);
  expect(got.filter((x) => x === 'across the drop')).toHaveLength(1);
  // and the handlers work again on the resumed stream
  await a.xmpp.sendAcked($msg({ to: friend.jid, type: 'chat' }).c('body').t('after').tree());
  await until(() => got.includes('after'), 5000, 'message after the resumption');
});

it('the roster cache is written when the roster changes, not on every presence change', async () => {
  const [me, friend] = friends();
  const b = browser();
  let writes = 0;
  const save = b.cache.save.bind(b.cache);
  b.cache.save = (jid, roster) => {
    writes++;
    return save(jid, roster);
  };
  const mine = account(b, server.wsUrl, me.jid);
  await mine.connect(me.password);
  await until(() => writes === 1, 10000, 'the first write');
  const theirs = account(browser(), server.wsUrl, friend.jid);
  await theirs.connect(friend.password);
  await until(() => mine.roster.get(friend.jid)?.presence === 'online', 10000, 'the friend online');
  await theirs.setPresence('away', 'lunch');
  await until(() => mine.roster.get(friend.jid)?.presence === 'away', 10000, 'the friend away');
  await sleep(500);
  expect(writes).toBe(1);
  await mine.updateContact({ jid: friend.jid, name: 'Renamed', groups: [] });
  await until(() => writes === 2, 10000, 'a write after the rename');
  expect((await b.cache.load(me.jid))?.items.find((i) => i.jid === friend.jid)?.name).toBe('Renamed');
});

it('a page that goes away right after the roster arrived still leaves the roster cache behind (pagehide)', async () => {
  const [me, friend] = friends();
  const b = browser();
  const mine = account(b, server.wsUrl, me.jid);
  await mine.connect(me.password);
  expect(mine.roster.get(friend.jid)).toBeDefined();
  // within the 200 ms the cache waits to batch roster changes, the page is hidden
  mine.persistForPageHide();
  await sleep(20);
  expect((await b.cache.load(me.jid))?.items.map((i) => i.jid)).toContain(friend.jid);
});
