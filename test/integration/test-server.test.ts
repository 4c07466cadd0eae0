import fs from 'fs';
import http from 'http';
import { $iq, Strophe } from 'strophe.js';
import { installXhrShim } from '../helpers/node-xhr';
import {
  createRoom,
  createUserWithContacts,
  freshFriends,
  freshUser,
  getTestServer,
  prosody,
  seedRoster,
  sessionsOf,
  TestServer,
  uniqueUsername,
} from '../helpers/test-server';

// Proves the test rig (scripts/lib/prosody.js + test/helpers/test-server.ts) against the real
// Prosody with strophe.js's Node build: users written as files log in over BOSH and WebSocket with
// SCRAM, seeded rosters come back, the admin-shell helpers see sessions and rooms, and the server
// offers what the widget relies on.
jest.setTimeout(30000);
Strophe.setLogLevel(Strophe.LogLevel.FATAL);
installXhrShim(); // Strophe's BOSH transport needs XMLHttpRequest, which Node lacks

const server = getTestServer();
const OP_TIMEOUT = 10000;

type Connection = InstanceType<typeof Strophe.Connection>;
type Builder = ReturnType<typeof $iq>;
const open = new Set<Connection>();
const statusListeners = new WeakMap<Connection, Set<(status: number, condition?: string | null) => void>>();

interface Client {
  conn: Connection;
  /** every element received, serialised (stream features included) */
  input: string[];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function onStatus(conn: Connection, listener: (status: number, condition?: string | null) => void): () => void {
  const set = statusListeners.get(conn)!;
  set.add(listener);
  return () => set.delete(listener);
}

function connect(url: string, jid: string, password: string): Promise<Client> {
  const conn = new Strophe.Connection(url);
  const input: string[] = [];
  conn.xmlInput = (el: Node | MessageEvent) => {
    input.push(Strophe.serialize(el as Element));
  };
  open.add(conn);
  statusListeners.set(conn, new Set());
  const failures: number[] = [Strophe.Status.CONNFAIL, Strophe.Status.AUTHFAIL, Strophe.Status.ERROR, Strophe.Status.DISCONNECTED];
  const done = new Promise<Client>((resolve, reject) => {
    const off = onStatus(conn, (status, condition) => {
      if (status === Strophe.Status.CONNECTED) {
        off();
        resolve({ conn, input });
      } else if (failures.includes(status)) {
        off();
        reject(new Error(`connect ${jid} via ${url} failed: status ${status} ${condition ?? ''}`));
      }
    });
  });
  conn.connect(jid, password, (status: number, condition?: string | null) => {
    for (const l of [...statusListeners.get(conn)!]) l(status, condition);
  });
  return withTimeout(done, OP_TIMEOUT, `connect ${jid} via ${url}`);
}

function disconnect(conn: Connection): Promise<void> {
  open.delete(conn);
  if (!conn.connected) return Promise.resolve();
  const done = new Promise<void>((resolve) => {
    const off = onStatus(conn, (status) => {
      if (status === Strophe.Status.DISCONNECTED) {
        off();
        resolve();
      }
    });
  });
  conn.disconnect('test done');
  return withTimeout(done, OP_TIMEOUT, 'disconnect');
}

function iq(conn: Connection, stanza: Builder): Promise<Element> {
  const done = new Promise<Element>((resolve, reject) => {
    conn.sendIQ(stanza, resolve, (err) => reject(new Error(`iq error: ${err ? Strophe.serialize(err) : 'timeout'}`)), OP_TIMEOUT);
  });
  return withTimeout(done, OP_TIMEOUT + 1000, 'iq');
}

function rosterGet(conn: Connection): Promise<Element> {
  return iq(conn, $iq({ type: 'get' }).c('query', { xmlns: 'jabber:iq:roster' }));
}

function features(el: Element): string[] {
  return Array.from(el.getElementsByTagName('feature')).map((f) => f.getAttribute('var') ?? '');
}

function mechanismOf(conn: Connection): string | undefined {
  return (conn as unknown as { _sasl_mechanism?: { mechname: string } })._sasl_mechanism?.mechname;
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  let v = await fn();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}

afterEach(async () => {
  await Promise.all([...open].map((c) => disconnect(c).catch(() => undefined)));
});

describe.each([
  ['BOSH', server.boshUrl],
  ['WebSocket', server.wsUrl],
])('over %s', (_name, url) => {
  it('a user written as a file logs in with SCRAM and gets its seeded roster', async () => {
    const [me, friend] = [await freshUser(), await freshUser()];
    seedRoster(me.username, [{ jid: friend.jid, name: 'My Friend', groups: ['Team', 'Ünicode "quoted"'] }]);
    const { conn, input } = await connect(url, me.jid, me.password);

    expect(mechanismOf(conn)).toMatch(/^SCRAM-SHA-(1|256|512)$/);
    const offered = input.join('\n');
    expect(offered).toContain('<mechanism>SCRAM-SHA-1</mechanism>');

    const items = Array.from((await rosterGet(conn)).getElementsByTagName('item'));
    expect(items).toHaveLength(1);
    expect(items[0].getAttribute('jid')).toBe(friend.jid);
    expect(items[0].getAttribute('subscription')).toBe('both');
    expect(items[0].getAttribute('name')).toBe('My Friend');
    const groups = Array.from(items[0].getElementsByTagName('group')).map((g) => g.textContent);
    expect(groups.sort()).toEqual(['Team', 'Ünicode "quoted"']);
  });

  it('sessionsOf lists the session while connected and not after disconnect()', async () => {
    const me = await freshUser();
    const { conn } = await connect(url, me.jid, me.password);
    const full = conn.jid;
    expect(full.startsWith(`${me.jid}/`)).toBe(true);
    expect(await sessionsOf(me.jid)).toEqual([full]);

    await disconnect(conn);
    expect(await until(() => sessionsOf(me.jid), (s) => s.length === 0)).toEqual([]);
  });
});

describe('server features', () => {
  it('offers in-band registration before auth and stream management after (WebSocket)', async () => {
    const me = await freshUser();
    const { input } = await connect(server.wsUrl, me.jid, me.password);
    const featureSets = input.filter((s) => s.includes('features'));
    expect(featureSets.length).toBeGreaterThanOrEqual(2);
    expect(featureSets[0]).toContain('http://jabber.org/features/iq-register');
    expect(featureSets[0]).toContain('SCRAM-SHA-1');
    expect(featureSets[featureSets.length - 1]).toContain('urn:xmpp:sm:3');
  });

  it('disco#info lists carbons, blocking, ping (and MAM on the account); disco#items the components', async () => {
    const me = await freshUser();
    const { conn } = await connect(server.wsUrl, me.jid, me.password);
    const disco = (to: string, ns: string) => iq(conn, $iq({ type: 'get', to }).c('query', { xmlns: ns }));

    const serverFeatures = features(await disco(server.domain, 'http://jabber.org/protocol/disco#info'));
    expect(serverFeatures).toEqual(expect.arrayContaining(['urn:xmpp:carbons:2', 'urn:xmpp:blocking', 'urn:xmpp:ping', 'jabber:iq:register']));
    // XEP-0313: the archive is the account's, so MAM is advertised on the bare JID
    expect(features(await disco(me.jid, 'http://jabber.org/protocol/disco#info'))).toContain('urn:xmpp:mam:2');

    const items = Array.from((await disco(server.domain, 'http://jabber.org/protocol/disco#items')).getElementsByTagName('item'));
    expect(items.map((i) => i.getAttribute('jid'))).toEqual(expect.arrayContaining([server.mucDomain, server.uploadDomain]));
    expect(features(await disco(server.uploadDomain, 'http://jabber.org/protocol/disco#info'))).toContain('urn:xmpp:http:upload:0');
  });

  it('createRoom makes a persistent, archived room', async () => {
    const me = await freshUser();
    const room = uniqueUsername('room');
    const roomJid = await createRoom(room, { name: 'Test "Room"' });
    expect(roomJid).toBe(`${room}@${server.mucDomain}`);
    const { conn } = await connect(server.wsUrl, me.jid, me.password);
    const info = await iq(conn, $iq({ type: 'get', to: roomJid }).c('query', { xmlns: 'http://jabber.org/protocol/disco#info' }));
    const identity = info.getElementsByTagName('identity')[0];
    expect(identity.getAttribute('category')).toBe('conference');
    expect(identity.getAttribute('name')).toBe('Test "Room"');
    expect(features(info)).toEqual(expect.arrayContaining(['http://jabber.org/protocol/muc', 'muc_persistent', 'muc_public', 'urn:xmpp:mam:2']));
  });

  it('hands out HTTP upload slots that accept a PUT and serve the file', async () => {
    const me = await freshUser();
    const { conn } = await connect(server.wsUrl, me.jid, me.password);
    const body = 'hello upload';
    const slot = await iq(
      conn,
      $iq({ type: 'get', to: server.uploadDomain }).c('request', { xmlns: 'urn:xmpp:http:upload:0', filename: 'hello.txt', size: String(body.length), 'content-type': 'text/plain' }),
    );
    const put = slot.getElementsByTagName('put')[0].getAttribute('url')!;
    const get = slot.getElementsByTagName('get')[0].getAttribute('url')!;
    expect(put.startsWith(`${server.uploadBaseUrl}file_share/`)).toBe(true);
    const headers: Record<string, string> = { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) };
    for (const h of Array.from(slot.getElementsByTagName('header'))) headers[h.getAttribute('name')!] = h.textContent ?? '';
    expect((await httpRequest('PUT', put, headers, body)).status).toBe(201);
    expect(await httpRequest('GET', get)).toEqual({ status: 200, body });
  });
});

describe('bulk data', () => {
  it('createUserWithContacts(2000) is fast and the roster get returns all 2000 (both ways)', async () => {
    const name = uniqueUsername('big');
    const t0 = Date.now();
    const user = createUserWithContacts(name, 'big-pass', 2000, `${name}-c`);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(user.contacts).toHaveLength(2000);

    const { conn } = await connect(server.wsUrl, user.jid, user.password);
    const items = Array.from((await rosterGet(conn)).getElementsByTagName('item'));
    expect(items).toHaveLength(2000);
    expect(items.every((i) => i.getAttribute('subscription') === 'both')).toBe(true);
    expect(new Set(items.map((i) => i.getAttribute('jid')))).toEqual(new Set(user.contacts.map((c) => c.jid)));

    const last = user.contacts[1999];
    const contact = await connect(server.boshUrl, last.jid, last.password);
    const theirs = Array.from((await rosterGet(contact.conn)).getElementsByTagName('item'));
    expect(theirs.map((i) => [i.getAttribute('jid'), i.getAttribute('subscription')])).toEqual([[user.jid, 'both']]);
  });

  it('seedRoster merges with a roster file Prosody itself rewrote', async () => {
    const me = await freshUser();
    const first = await connect(server.wsUrl, me.jid, me.password);
    const added = `${uniqueUsername('x')}@${server.domain}`;
    await iq(first.conn, $iq({ type: 'set' }).c('query', { xmlns: 'jabber:iq:roster' }).c('item', { jid: added, name: 'Added \\ "live"' }).c('group').t('G1'));
    await disconnect(first.conn);

    // Prosody wrote the file with util.serialization; seeding must parse and keep its item.
    const seeded = `${uniqueUsername('y')}@${server.domain}`;
    expect(seedRoster(me.username, [{ jid: seeded, subscription: 'to' }])).toBe(2);
    const again = await connect(server.boshUrl, me.jid, me.password);
    const items = Array.from((await rosterGet(again.conn)).getElementsByTagName('item'));
    const byJid = Object.fromEntries(items.map((i) => [i.getAttribute('jid'), i]));
    expect(Object.keys(byJid).sort()).toEqual([added, seeded].sort());
    expect(byJid[added].getAttribute('name')).toBe('Added \\ "live"');
    expect(byJid[added].getElementsByTagName('group')[0].textContent).toBe('G1');
    expect(byJid[seeded].getAttribute('subscription')).toBe('to');
  });

  it('freshFriends(3) are mutual contacts', async () => {
    const [a, b, c] = await freshFriends(3);
    const { conn } = await connect(server.wsUrl, b.jid, b.password);
    const items = Array.from((await rosterGet(conn)).getElementsByTagName('item'));
    expect(items.map((i) => i.getAttribute('jid')).sort()).toEqual([a.jid, c.jid].sort());
  });

  it('in-band registration accepts many accounts in a row from 127.0.0.1', async () => {
    const names = [1, 2, 3, 4, 5].map(() => uniqueUsername('ibr'));
    const ws = await rawWebSocket(server.wsUrl);
    try {
      ws.send(`<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="${server.domain}" version="1.0"/>`);
      await ws.waitFor(/features/);
      for (const [i, username] of names.entries()) {
        ws.send(
          `<iq type="set" id="reg${i}" xmlns="jabber:client"><query xmlns="jabber:iq:register">` +
            `<username>${username}</username><password>pw-${username}</password></query></iq>`,
        );
        expect(await ws.waitFor(new RegExp(`id=["']reg${i}["']`))).toMatch(/type=["']result["']/);
      }
    } finally {
      ws.close();
    }
    const { conn } = await connect(server.boshUrl, `${names[4]}@${server.domain}`, `pw-${names[4]}`);
    expect(conn.authenticated).toBe(true);
  });
});

describe('a separate instance', () => {
  let instance: TestServer | undefined;
  afterEach(async () => {
    if (instance) await prosody.stopProsody(instance);
    instance = undefined;
  });

  it('starts clean, restartProsody keeps users and rosters, stopProsody removes it', async () => {
    instance = await prosody.startProsody({ c2sPort: await prosody.freePort(), httpPort: await prosody.freePort() });
    expect(instance.pid).not.toBe(server.pid);
    expect(prosody.logErrors(instance)).toEqual([]);
    const [me, friend] = ['me', 'friend'].map((n) => prosody.createUser(instance!, n, `${n}-pw`));
    prosody.befriend(instance, [me.username, friend.username]);

    const oldPid = instance.pid;
    const restarted = await prosody.restartProsody(instance);
    expect(restarted.pid).not.toBe(oldPid);
    expect(prosody.isRunning({ ...instance, pid: oldPid })).toBe(false);

    const { conn } = await connect(instance.wsUrl, me.jid, me.password);
    const items = Array.from((await rosterGet(conn)).getElementsByTagName('item'));
    expect(items.map((i) => i.getAttribute('jid'))).toEqual([friend.jid]);
    await disconnect(conn);

    const { pid, dir } = instance;
    await prosody.stopProsody(instance);
    instance = undefined;
    expect(prosody.isRunning({ ...restarted, pid })).toBe(false);
    expect(fs.existsSync(dir)).toBe(false);
  });
});

// --- small raw clients ---

function httpRequest(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return withTimeout(
    new Promise((resolve, reject) => {
      const req = http.request(url, { method, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    }),
    OP_TIMEOUT,
    `${method} ${url}`,
  );
}

// Uses the WebSocket class strophe.js's Node build installs globally (the `ws` package).
async function rawWebSocket(url: string) {
  const ws = new WebSocket(url, 'xmpp');
  const received: string[] = [];
  let wake: (() => void) | null = null;
  ws.onmessage = (event: MessageEvent) => {
    received.push(String(event.data));
    wake?.();
  };
  await withTimeout(
    new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    }),
    OP_TIMEOUT,
    'ws open',
  );
  return {
    send: (s: string) => ws.send(s),
    close: () => ws.close(),
    /** resolves the first received frame (not yet consumed) matching re */
    async waitFor(re: RegExp): Promise<string> {
      const end = Date.now() + OP_TIMEOUT;
      for (;;) {
        const i = received.findIndex((m) => re.test(m));
        if (i !== -1) return received.splice(i, 1)[0];
        if (Date.now() > end) throw new Error(`no frame matching ${re}; got ${received.join(' ')}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 200);
        });
      }
    },
  };
}
