import { $msg } from 'strophe.js';
import { MemoryRosterCache } from '../../src/core/RosterCache';
import { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { MemoryStore } from '../../src/model/HistoryStore';
import { BLOCKING_SERVICE, Blocking } from '../../src/plugins/blocking';
import { BoshRecorder, startBoshRecorder } from '../helpers/bosh-recorder';
import { MapStorage } from '../helpers/map-storage';
import { restoreOnline } from '../helpers/restore';
import { useHashedProsody } from '../helpers/node-prosody';
import { prosody, TestServer, TestUser } from '../helpers/test-server';
import { RecordedFrame, startWsRecorder, WsRecorder } from '../helpers/ws-recorder';
import { PROBE_BATCH } from '../../src/protocol/presence';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startWebServer } = require('../../scripts/lib/web-server.js') as {
  startWebServer(options: { proxy: { target: string } }): Promise<{ url: string; close(): Promise<void> }>;
};

// A page load that continues the same server session (docs/session.md, "What a resumed session
// skips"): the new page is the same session and asks the server for nothing the session kept —
// no roster, no blocklist, no disco of the server, no initial presence — and this holds page after
// page. Every frame goes through a recording proxy (BOSH: bosh-recorder; WebSocket: ws-recorder),
// so what is checked is what reached the server. Own Prosody with hashed credentials (the SCRAM
// keys log in again only with them; see session.test.ts).
const own = useHashedProsody();
let server: TestServer;
beforeAll(() => {
  server = own.server;
});
jest.setTimeout(120000);

/** What survives a page load: Web Storage, the roster cache and the history (IndexedDB in a browser). */
interface Browser {
  storage: MapStorage;
  sessions: SessionStore;
  cache: MemoryRosterCache;
  history: MemoryStore;
}
function browser(): Browser {
  const storage = new MapStorage();
  return { storage, sessions: new SessionStore(storage), cache: new MemoryRosterCache(), history: new MemoryStore() };
}

function page(b: Browser, url: string, jid: string): Account {
  const a = new Account({ url, jid: JID.parse(jid), connectTimeout: 10000, sessions: b.sessions, rosterCache: b.cache, historyStore: b.history });
  return own.track(a);
}

function user(): TestUser {
  const name = prosody.uniqueUsername('reload');
  return prosody.createUser(server, name, `${name}-pw`);
}

async function until(what: string, check: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The page goes away as a reload does: state written on pagehide, connection let go (no logout). */
function unload(a: Account): void {
  a.persistForPageHide();
  a.suspend();
}

/** The top-level stanzas in frames (a BOSH body carries several). */
function stanzas(frames: string[]): string[] {
  return frames.flatMap((frame) => frame.match(/<(iq|presence|message)\b[^>]*?(\/>|>[\s\S]*?<\/\1>)/g) ?? []);
}

/** What a client sent that asks the server for what a session keeps (roster, blocklist, server features) or re-announces it. */
function setupRequests(sent: string[], domain: string): string[] {
  return stanzas(sent).filter(
    (frame) =>
      /<query[^>]*jabber:iq:roster/.test(frame) ||
      /<blocklist/.test(frame) ||
      (new RegExp(`<iq[^>]*to=["']${domain}["']`).test(frame) && /disco#info/.test(frame)) ||
      /<enable[^>]*urn:xmpp:carbons/.test(frame) ||
      // initial presence: available, to nobody in particular (probes carry type and to)
      /<presence(?![^>]*\b(type|to)=)[^>]*>/.test(frame),
  );
}

interface Wire {
  url: string;
  /** the frames (WebSocket) or request bodies (BOSH) the client sent since `mark()` */
  sentSince(mark: number): string[];
  mark(): number;
  close(): Promise<void>;
}

async function wire(transport: 'BOSH' | 'WebSocket'): Promise<Wire> {
  if (transport === 'BOSH') {
    const recorder: BoshRecorder = await startBoshRecorder(server.boshUrl);
    return {
      url: recorder.url,
      mark: () => recorder.requests.length,
      sentSince: (mark) => recorder.requests.slice(mark).map((r) => r.body),
      close: () => recorder.close(),
    };
  }
  const recorder: WsRecorder = await startWsRecorder(server.wsUrl);
  return {
    url: recorder.url,
    mark: () => recorder.frames.length,
    sentSince: (mark) =>
      recorder.frames
        .slice(mark)
        .filter((f) => f.direction === 'out')
        .map((f) => f.data),
    close: () => recorder.close(),
  };
}

/** Me and a friend (contacts of each other): the friend online in a browser of its own, my first page online through `url`. */
async function meAndFriendOnline(url: string) {
  const me = user();
  const friend = user();
  prosody.befriend(server, [me.username, friend.username]);
  const b = browser();
  const theirs = page(browser(), server.wsUrl, friend.jid);
  await theirs.connect(friend.password);
  const first = page(b, url, me.jid);
  await first.connect(me.password);
  return { me, friend, b, theirs, first, jid: first.fullJid };
}

describe.each(['BOSH', 'WebSocket'] as const)('over %s', (transport) => {
  let net: Wire;
  beforeAll(async () => {
    net = await wire(transport);
  });
  afterAll(() => net.close());

  it('after a reload the same server session is online without asking again for the roster, the blocklist or the server features; blocks and presence are shown', async () => {
    const { me, friend, b, theirs, first, jid } = await meAndFriendOnline(net.url);
    const spammer = user();
    await until('the blocking service', () => first.service<Blocking>(BLOCKING_SERVICE) !== undefined);
    await first.service<Blocking>(BLOCKING_SERVICE)!.block(spammer.jid);
    await until('the friend shown online', () => first.getContact(friend.jid).presence === 'online');
    unload(first);

    const mark = net.mark();
    const next = page(b, net.url, me.jid);
    await restoreOnline(next, b.sessions, me.jid, { resumed: true, jid });
    expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
    // what the user sees came back without asking: the contact list (cache), the block, and — by
    // presence probes after "online" — the friend's presence
    expect(next.roster.all().map((c) => c.jid)).toEqual([friend.jid]);
    expect(next.service<Blocking>(BLOCKING_SERVICE)?.isBlocked(spammer.jid)).toBe(true);
    await until('the friend shown online again', () => next.getContact(friend.jid).presence === 'online');
    // the session works: a message from the friend arrives
    const got: string[] = [];
    next.xmpp.addHandler((m) => got.push(m.getElementsByTagName('body')[0]?.textContent ?? ''), { name: 'message' });
    await theirs.xmpp.sendAcked($msg({ to: me.jid, type: 'chat' }).c('body').t('hello again').tree());
    await until('the friend’s message', () => got.includes('hello again'));

    const sent = net.sentSince(mark);
    expect(sent.some((frame) => /type=["']probe["']/.test(frame))).toBe(true); // the recording works
    expect(setupRequests(sent, server.domain)).toEqual([]);
  });

  it('ten reloads in a row each continue the same server session, and a message sent between two reloads arrives', async () => {
    const { me, friend, b, theirs, first, jid } = await meAndFriendOnline(net.url);
    let current = first;
    for (let reload = 1; reload <= 10; reload++) {
      unload(current);
      // while no page is there, the friend writes: the server keeps it for the session
      await theirs.xmpp.sendAcked($msg({ to: jid, type: 'chat' }).c('body').t(`between ${reload}`).tree());
      const next = page(b, net.url, me.jid);
      // each page continues the same server session
      await restoreOnline(next, b.sessions, me.jid, { resumed: true, jid });
      await next.chats.get(friend.jid).open(); // the chat window: its history, then what arrives
      // the server kept it for the session (WebSocket: XEP-0198 queue; BOSH: held, or the archive catch-up)
      await until(`message ${reload} shown in page ${reload + 1}`, () => next.chats.get(friend.jid).messages.some((m) => m.body === `between ${reload}`));
      expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
      current = next;
    }
  });
});

/**
 * The most stanzas the client had sent and the server not yet acknowledged (XEP-0198), at any moment
 * of one connection: counted from <enabled/> or <resumed h/> on, acknowledged by the server's <a h/>.
 */
function mostUnacknowledged(frames: RecordedFrame[], connection: number): number {
  let base: number | undefined;
  let sent = 0;
  let acked = 0;
  let most = 0;
  for (const frame of frames.filter((f) => f.connection === connection)) {
    const h = Number(/\bh=['"](\d+)['"]/.exec(frame.data)?.[1]);
    if (frame.direction === 'in' && /^<(resumed|enabled)\b/.test(frame.data)) {
      base = frame.data.startsWith('<resumed') ? h : 0;
    } else if (base !== undefined && frame.direction === 'in' && frame.data.startsWith('<a ')) {
      acked = h - base;
    } else if (base !== undefined && frame.direction === 'out' && /^<(iq|presence|message)\b/.test(frame.data)) {
      sent++;
    }
    most = Math.max(most, sent - acked);
  }
  return most;
}

it('a page with 400 contacts asks for their presence after each reload without leaving a pile the server has not read, and ten reloads through a reverse proxy resume the same server session', async () => {
  // The deployment of the manual (the page's origin proxies /xmpp-websocket to the server, as
  // scripts/lib/web-server.js and nginx do). Prosody 0.12 cannot resume a session while it still
  // has unread data of the previous connection (docs/session.md, "Why a reload was still refused
  // sometimes"): a page that sent its 400 presence probes at once could leave most of them behind
  // when it went away. The probes go out a batch at a time, each once the previous is acknowledged.
  const web = await startWebServer({ proxy: { target: `http://127.0.0.1:${server.httpPort}` } });
  const wire = await startWsRecorder(`${web.url.replace(/^http/, 'ws')}/xmpp-websocket`);
  try {
    const me = user();
    const contacts = prosody.createUsers(
      server,
      Array.from({ length: 400 }, (_, i) => ({ username: `${me.username}-c${i}`, password: 'x' })),
    );
    // subscribed to their presence (`to`): the server probes them for us, they are offline, and it
    // answers each probe with an unavailable presence
    prosody.seedRoster(server, me.username, contacts.map((c) => ({ jid: c.jid, subscription: 'to' })));
    const b = browser();
    /** a page, with the number of unavailable presences (answers for offline contacts) it got */
    const open = () => {
      const a = page(b, wire.url, me.jid);
      const answers = { count: 0 };
      a.on('session', () => a.xmpp.addHandler(() => answers.count++, { name: 'presence', type: 'unavailable' }));
      return { a, answers };
    };
    let current = open();
    await current.a.connect(me.password);
    const jid = current.a.fullJid;
    await until('the contacts’ presence after the login', () => current.answers.count >= 400);
    for (let reload = 1; reload <= 10; reload++) {
      unload(current.a);
      const next = open();
      await restoreOnline(next.a, b.sessions, me.jid, { resumed: true, jid });
      // the page shows every contact's presence again: the server answered all 400 probes
      await until(`the contacts’ presence after reload ${reload}`, () => next.answers.count >= 400);
      expect(mostUnacknowledged(wire.frames, reload + 1)).toBeLessThanOrEqual(PROBE_BATCH + 10);
      current = next;
    }
    expect(await prosody.sessionsOf(server, me.jid)).toEqual([jid]);
  } finally {
    await wire.close();
    await web.close();
  }
});
