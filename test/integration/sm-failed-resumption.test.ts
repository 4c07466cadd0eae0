import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { MapStorage } from '../helpers/map-storage';
import { useHashedProsody } from '../helpers/node-prosody';
import { prosody, TestServer, TestUser } from '../helpers/test-server';
import { RecordedFrame, startWsRecorder, WsRecorder } from '../helpers/ws-recorder';
import { until } from '../helpers/xmpp-node';

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
afterEach(() => proxy?.close());

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
