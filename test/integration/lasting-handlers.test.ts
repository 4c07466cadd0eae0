import { $iq, $msg } from 'strophe.js';
import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import type { AccountContext } from '../../src/plugins/Plugin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { MapStorage } from '../helpers/map-storage';
import { useHashedProsody } from '../helpers/node-prosody';
import { prosody, TestServer, TestUser } from '../helpers/test-server';
import { until } from '../helpers/xmpp-node';

// A handler added on `account.xmpp` outside a plugin's `attach` (docs/plugins.md, "Several tabs")
// lasts until it is removed, in the tab holding the connection too: after the stream dropped and
// the session was resumed, and after the server restarted and a new session was made. A plugin's
// handler added in `attach` still belongs to its stream (attach runs again for each). Over
// WebSocket, on a Prosody of this file's own (it is restarted; hashed accounts, so the stored SCRAM
// keys log in again).

jest.setTimeout(120000);
const own = useHashedProsody();
let server: TestServer;
beforeAll(() => {
  server = own.server;
});
const NS = 'urn:example:lasting-handlers';

/** A plugin that adds a message handler in `attach` and never removes it (strophe drops it with the stream). */
const inAttach: string[] = [];
const attachingPlugin = {
  id: 'attach-handler',
  name: 'Adds a handler in attach',
  xeps: [],
  attach(context: AccountContext) {
    context.connection.addHandler((m) => void inAttach.push(bodyOf(m)), { name: 'message', ns: NS });
  },
};

function user(prefix: string): TestUser {
  const name = prosody.uniqueUsername(prefix);
  return prosody.createUser(server, name, `${name}-pw`);
}

function account(who: TestUser, plugins = false, sessions = new SessionStore(new MapStorage())): Account {
  const registry = plugins ? new PluginRegistry([...BUILTIN_PLUGINS, attachingPlugin], []) : undefined;
  const a = new Account({
    url: server.wsUrl,
    jid: JID.parse(who.jid),
    connectTimeout: 10000,
    historyStore: new MemoryStore(),
    sessions,
    ...(registry ? { plugins: registry } : {}),
  });
  return own.track(a);
}

const bodyOf = (stanza: Element) => stanza.getElementsByTagName('body')[0]?.textContent ?? '';

/** Sends a chat message with our payload; resolves once the server has it (it is not sent again after a restart). */
function sendFrom(from: Account, to: string, body: string): Promise<void> {
  return from.xmpp.sendAcked($msg({ to, type: 'chat' }).c('body').t(body).up().c('x', { xmlns: NS }).tree());
}

/** Me online with the plugin above, and a contact online. */
async function online(prefix: string) {
  const me = user(prefix);
  const friend = user(`${prefix}-friend`);
  prosody.befriend(server, [me.username, friend.username]);
  const mine = account(me, true);
  await mine.connect(me.password);
  const theirs = account(friend);
  await theirs.connect(friend.password);
  const sessions: boolean[] = [];
  mine.on('session', (e) => sessions.push(e.resumed));
  return { me, friend, mine, theirs, sessions };
}

it('handlers added on account.xmpp in the tab holding the connection get a contact’s messages after the stream dropped and the session was resumed; their removers, deleteHandler and returning false remove them', async () => {
  const { me, mine, theirs, sessions } = await online('lasting-r');
  inAttach.length = 0;
  // added outside attach (as a plugin's ui(context) would): the manual form, strophe's form (stays
  // while it returns true), one to remove with its remover, one to remove with deleteHandler
  const all: string[] = [];
  mine.xmpp.addHandler((m) => void all.push(bodyOf(m)), { name: 'message', ns: NS });
  const strophes: string[] = [];
  mine.xmpp.addHandler((m) => strophes.push(bodyOf(m)) < 2, NS, 'message', 'chat');
  const removed: string[] = [];
  const remove = mine.xmpp.addHandler((m) => void removed.push(bodyOf(m)), { name: 'message', ns: NS });
  const deleted: string[] = [];
  const deleteRef = mine.xmpp.addHandler((m) => deleted.push(bodyOf(m)) > 0, NS, 'message');

  await sendFrom(theirs, me.jid, 'first');
  await until('the first message', () => all.length === 1 && strophes.length === 1 && removed.length === 1 && deleted.length === 1);
  expect(inAttach).toEqual(['first']);
  remove();

  // the network goes away under the stream: the session comes back, resumed
  (mine.xmpp as unknown as { strophe: { _proto: { socket: { close(): void } } } }).strophe._proto.socket.close();
  await until('the session resumed', () => mine.state.kind === 'online' && sessions.length === 1, 20000);
  expect(sessions).toEqual([true]);
  await sendFrom(theirs, me.jid, 'after the resumption');
  await until('the message after the resumption', () => all.length === 2 && deleted.length === 2 && inAttach.length === 2);
  expect(all).toEqual(['first', 'after the resumption']);
  expect(strophes).toEqual(['first', 'after the resumption']); // it returned false now: gone
  expect(removed).toEqual(['first']); // removed before the drop: it stays removed
  expect(inAttach).toEqual(['first', 'after the resumption']); // attach ran again: one handler, not two
  mine.xmpp.deleteHandler(deleteRef);

  await sendFrom(theirs, me.jid, 'last');
  await until('the last message', () => all.length === 3 && inAttach.length === 3);
  expect(strophes).toHaveLength(2);
  expect(removed).toHaveLength(1);
  expect(deleted).toHaveLength(2);
});

it('a handler added on account.xmpp in the tab holding the connection gets a contact’s messages after the server restarted and a new session was made', async () => {
  const { me, friend, mine, theirs, sessions } = await online('lasting-n');
  inAttach.length = 0;
  const all: string[] = [];
  mine.xmpp.addHandler((m) => void all.push(bodyOf(m)), { name: 'message', ns: NS });
  await sendFrom(theirs, me.jid, 'before the restart');
  await until('the first message', () => all.length === 1);

  // we tell the server we handled it (XEP-0198 <a/>, then a ping behind it): else Prosody, shutting
  // down, keeps it as unacknowledged and delivers it again to the next session — at least once, as
  // the protocol says, which any handler may see (docs/plugins.md)
  mine.persistForPageHide();
  await mine.xmpp.sendIQ($iq({ type: 'get', to: JID.parse(me.jid).domain }).c('ping', { xmlns: 'urn:xmpp:ping' }).tree());
  server = await prosody.restartProsody(server); // (the handle is updated: the file's teardown stops this one)
  await until('a new session after the restart', () => mine.state.kind === 'online' && sessions.length === 1, 90000);
  expect(sessions).toEqual([false]);
  const again = account(friend);
  await again.connect(friend.password);
  await sendFrom(again, me.jid, 'after the restart');
  await until('the message after the restart', () => all.length >= 2 && inAttach.length >= 2).catch((err: Error) => {
    throw new Error(`${err.message}: the handler got ${JSON.stringify(all)}, the plugin's ${JSON.stringify(inAttach)}, the account is ${mine.state.kind}`);
  });
  expect(all).toEqual(['before the restart', 'after the restart']);
  expect(inAttach).toEqual(['before the restart', 'after the restart']); // the plugin's, on the new stream: once
});

it('handlers added right after a page load, before the tab knows it leads, get a contact’s messages once the session is back, though the server was down at first; removed, they get nothing', async () => {
  const me = user('lasting-p');
  const friend = user('lasting-p-friend');
  prosody.befriend(server, [me.username, friend.username]);
  const sessions = new SessionStore(new MapStorage()); // the browser's storage
  const first = account(me, false, sessions);
  await first.connect(me.password);
  first.suspend(); // the page unloads: the next one continues the session (stored SCRAM keys)
  await prosody.stopProsody(server, { keepDir: true }); // and the server is down when it loads

  const next = account(me, false, sessions);
  const states: string[] = [];
  next.on('state', (state) => states.push(state.kind));
  const got: string[] = [];
  const once: string[] = [];
  const removed: string[] = [];
  next.xmpp.addHandler((m) => void got.push(bodyOf(m)), { name: 'message', ns: NS });
  next.xmpp.addHandler((m) => once.push(bodyOf(m)) === 0, NS, 'message', 'chat');
  const remove = next.xmpp.addHandler((m) => void removed.push(bodyOf(m)), { name: 'message', ns: NS });
  // the tab took the lock: it restores the session (AccountTabs.restore), and tries again later
  await next.restore(sessions.get(me.jid)!);
  expect(states).toContain('reconnecting');
  server = await prosody.restartProsody(server);
  await until('the session back', () => next.state.kind === 'online', 60000);
  const theirs = account(friend);
  await theirs.connect(friend.password);

  await sendFrom(theirs, me.jid, 'once back');
  await until('the message', () => got.length === 1 && once.length === 1 && removed.length === 1);
  remove();
  await sendFrom(theirs, me.jid, 'after the removal');
  await until('the second message', () => got.length === 2);
  expect(got).toEqual(['once back', 'after the removal']);
  expect(once).toEqual(['once back']);
  expect(removed).toEqual(['once back']);
});
