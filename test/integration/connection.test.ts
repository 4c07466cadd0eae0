import { $msg, Strophe } from 'strophe.js';
import { Account } from '../../src/model/Account';
import { ConnectionError } from '../../src/connection/errors';
import { JID } from '../../src/model/JID';
import { startBoshRecorder } from '../helpers/bosh-recorder';
import { freshFriends, freshUser, getTestServer, sessionsOf } from '../helpers/test-server';
import { collectMessages, sendChat } from '../helpers/xmpp-node';

// The protocol layer in Node, against the real Prosody, over both transports.
const server = getTestServer();
const TRANSPORTS = [
  ['BOSH', server.boshUrl],
  ['WebSocket', server.wsUrl],
] as const;

const accounts: Account[] = [];
function account(url: string, jid: string, connectTimeout = 10000): Account {
  const a = new Account({ url, jid: JID.parse(jid), connectTimeout });
  accounts.push(a);
  return a;
}

async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

afterEach(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

describe.each(TRANSPORTS)('connection over %s', (_name, url) => {
  it('logs in with SCRAM, fetches the seeded roster and sees contacts come and go', async () => {
    const [me, friend, other] = await freshFriends(3);
    const mine = account(url, me.jid);
    const statuses: number[] = [];
    mine.on('status', (s) => statuses.push(s));
    await mine.connect(me.password);

    expect(statuses).toContain(Strophe.Status.CONNECTED);
    expect(mine.xmpp.saslMechanism).toMatch(/^SCRAM-SHA-/);
    expect(mine.xmpp.transport).toBe(url.startsWith('ws') ? 'websocket' : 'bosh');
    expect(mine.state.kind).toBe('online');
    expect(mine.roster.all().map((c) => c.jid).sort()).toEqual([friend.jid, other.jid].sort());
    expect(mine.getContact(friend.jid)!.subscription).toBe('both');
    expect(mine.getContact(friend.jid)!.presence).toBe('offline');

    const theirs = account(url, friend.jid);
    await theirs.connect(friend.password);
    await until(() => mine.getContact(friend.jid)!.presence === 'online', 5000, 'friend online');
    // and they see us
    await until(() => theirs.getContact(me.jid)!.presence === 'online', 5000, 'us online for the friend');

    const t0 = Date.now();
    await theirs.disconnect();
    await until(() => mine.getContact(friend.jid)!.presence === 'offline', 1000, 'friend offline within a second');
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('sendAcked resolves once the server has the stanza, and the peer receives it', async () => {
    const [me, friend] = await freshFriends(2);
    const mine = account(url, me.jid);
    const theirs = account(url, friend.jid);
    await Promise.all([mine.connect(me.password), theirs.connect(friend.password)]);
    expect(mine.xmpp.usesStreamManagement).toBe(url.startsWith('ws'));
    const received: string[] = [];
    theirs.xmpp.addHandler((m) => received.push(m.getElementsByTagName('body')[0]?.textContent ?? ''), { name: 'message' });
    for (const text of ['one', 'two', 'three']) {
      await mine.xmpp.sendAcked($msg({ to: friend.jid, type: 'chat' }).c('body').t(text).tree());
    }
    await until(() => received.length === 3, 3000, 'three messages');
    expect(received).toEqual(['one', 'two', 'three']);
  });

  it('a wrong password ends in AUTHFAIL', async () => {
    const me = await freshUser();
    const a = account(url, me.jid);
    const statuses: number[] = [];
    a.on('status', (s) => statuses.push(s));
    const error = await a.connect('wrong-' + me.password).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).status).toBe(Strophe.Status.AUTHFAIL);
    expect((error as ConnectionError).message).toMatch(/Authentication failed/);
    expect(statuses).toContain(Strophe.Status.AUTHFAIL);
    expect(a.state.kind).toBe('authfail');
  });

  it('after disconnect the server no longer lists the session', async () => {
    const me = await freshUser();
    const a = account(url, me.jid);
    await a.connect(me.password);
    const full = a.fullJid;
    expect(await sessionsOf(me.jid)).toContain(full);
    await a.disconnect();
    await until(() => a.state.kind === 'offline');
    // BOSH sessions are ended by the terminate request; give the server a moment to drop it
    const end = Date.now() + 3000;
    let sessions = await sessionsOf(me.jid);
    while (sessions.length && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      sessions = await sessionsOf(me.jid);
    }
    expect(sessions).toEqual([]);
  });

  it('an account logs in again after logging out: a new server session that sends and receives', async () => {
    const [me, friend] = await freshFriends(2);
    const a = account(url, me.jid);
    await a.connect(me.password);
    await a.disconnect();
    await a.connect(me.password);
    expect(a.state.kind).toBe('online');
    expect(a.roster.get(friend.jid)).toBeDefined();
    expect(await sessionsOf(me.jid)).toContain(a.fullJid);

    // the second session works both ways
    const other = account(server.wsUrl, friend.jid);
    await other.connect(friend.password);
    const received = collectMessages(other);
    sendChat(a, friend.jid, 'after the second login');
    await until(() => received.includes('after the second login'), 5000, 'the friend to get the message');
    const mine = collectMessages(a);
    sendChat(other, a.fullJid, 'back to you');
    await until(() => mine.includes('back to you'), 5000, 'the message back');

    // and a third time
    await a.disconnect();
    await a.connect(me.password);
    expect(a.state.kind).toBe('online');
  });
});

it('over BOSH: once the account lets go of a connection that was retrying, nothing more is sent for it', async () => {
  const me = await freshUser();
  const proxy = await startBoshRecorder(server.boshUrl);
  try {
    const a = account(proxy.url, me.jid);
    await a.connect(me.password);
    const sid = a.xmpp.boshSession!.sid;
    // the path to the server breaks: strophe retransmits, the second retry after a delay of its own
    proxy.failing = true;
    await until(() => proxy.requests.filter((r) => r.failed).length >= 2, 70000, 'two failed requests');
    a.suspend();
    const letGo = Date.now();
    proxy.failing = false;
    // strophe's retry delay after two errors is 8 s (2³): wait past it
    await new Promise((r) => setTimeout(r, 10000));
    expect(proxy.requests.filter((r) => r.sid === sid && r.at >= letGo)).toEqual([]);
  } finally {
    await proxy.close();
  }
}, 90000);

describe('unreachable servers', () => {
  it.each([
    ['BOSH', 'http://127.0.0.1:9/http-bind'],
    ['WebSocket', 'ws://127.0.0.1:9/xmpp-websocket'],
    ['BOSH at a wrong path', `${server.boshUrl.replace('/http-bind', '/no-such-path')}`],
  ])('%s fails within the connect timeout with a message naming the URL', async (_name, url) => {
    const me = await freshUser();
    const a = account(url, me.jid, 4000);
    const t0 = Date.now();
    const error = (await a.connect(me.password).catch((e: unknown) => e)) as ConnectionError;
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain(url);
    expect(a.state).toEqual({ kind: 'unreachable', url });
  });
});
