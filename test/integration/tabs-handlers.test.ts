import { $msg } from 'strophe.js';
import { SessionStore } from '../../src/core/SessionStore';
import { FollowerRole } from '../../src/core/tabs/FollowerRole';
import { LeaderRole } from '../../src/core/tabs/LeaderRole';
import type { TabMessage } from '../../src/core/tabs/messages';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { BoshRecorder, startBoshRecorder } from '../helpers/bosh-recorder';
import { MapStorage } from '../helpers/map-storage';
import { freshFriends, getTestServer, TestUser } from '../helpers/test-server';
import { until } from '../helpers/xmpp-node';

// Several tabs (docs/plugins.md, "Several tabs"): a stanza handler a host plugin adds on
// `account.xmpp` in a follower tab gets the incoming stanzas it matches, through the tab holding
// the connection, and keeps getting them after that tab closes. Account objects stand for the
// tabs, wired as AccountTabs does over the BroadcastChannel (asynchronous, structured clones,
// every message to every other tab); the leader is online on the real Prosody over BOSH (through a
// proxy that forgets the closing tab's requests), the followers are never connected themselves.

jest.setTimeout(60000);
const server = getTestServer();
const NS = 'urn:example:tabs-handlers';

let proxy: BoshRecorder;
const accounts: Account[] = [];
beforeEach(async () => {
  proxy = await startBoshRecorder(server.boshUrl);
});
afterEach(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
  await proxy.close();
});

function account(user: TestUser, sessions?: SessionStore, url = proxy.url): Account {
  const a = new Account({ url, jid: JID.parse(user.jid), connectTimeout: 10000, historyStore: new MemoryStore(), ...(sessions ? { sessions } : {}) });
  accounts.push(a);
  return a;
}

interface Tab {
  account: Account;
  leader?: LeaderRole;
  follower?: FollowerRole;
  /** false: the tab closed, it neither posts nor hears anything */
  open: boolean;
}

/** The channel between the tabs; `posted` keeps every message, for the test to look at. */
function channel() {
  const tabs: Tab[] = [];
  const posted: Array<{ from: Tab; message: TabMessage }> = [];
  const post = (from: Tab) => (message: TabMessage) => {
    if (!from.open) return;
    posted.push({ from, message: structuredClone(message) });
    for (const to of tabs) {
      if (to === from) continue;
      setTimeout(() => {
        if (!to.open) return;
        const m = structuredClone(message);
        if (m.type === 'hello' || m.type === 'request' || m.type === 'attention' || m.type === 'handlers') {
          to.leader?.receive(m);
        } else {
          to.follower?.receive(m);
        }
      });
    }
  };
  return {
    posted,
    post,
    lead(tab: Tab): LeaderRole {
      tab.leader = new LeaderRole(tab.account, post(tab), () => tab.account.disconnect());
      return tab.leader;
    },
    add(a: Account, role: 'leader' | 'follower'): Tab {
      const tab: Tab = { account: a, open: true };
      tabs.push(tab);
      if (role === 'leader') {
        this.lead(tab);
      } else {
        tab.follower = new FollowerRole(a, post(tab));
      }
      return tab;
    },
  };
}

/** A chat message from `from` to `to`, with our payload or without. */
function sendFrom(from: Account, to: string, body: string, payload: boolean): void {
  const m = $msg({ to, type: 'chat' }).c('body').t(body).up();
  if (payload) m.c('x', { xmlns: NS });
  from.xmpp.send(m);
}

const last = <T>(list: T[]): T | undefined => list[list.length - 1];
const bodyOf = (stanza: Element) => stanza.getElementsByTagName('body')[0]?.textContent ?? '';

it('a handler added in a follower tab gets the matching stanzas from a contact, and not the others; returning false or deleteHandler removes it, here and at the leader', async () => {
  const [me, friend] = await freshFriends(2, 'tabh');
  const friendAccount = account(friend, undefined, server.wsUrl);
  await friendAccount.connect(friend.password);
  const first = account(me);
  await first.connect(me.password);
  const bus = channel();
  bus.add(first, 'leader');
  const second = account(me);
  const followerTab = bus.add(second, 'follower');
  await until('the follower following', () => second.state.kind === 'online');

  const all: string[] = [];
  const once: string[] = [];
  // the manual form (stays until removed) and strophe's form (stays while it returns true)
  const allRef = second.xmpp.addHandler((stanza) => void all.push(bodyOf(stanza)), { name: 'message', ns: NS, type: 'chat' });
  second.xmpp.addHandler((stanza) => {
    once.push(bodyOf(stanza));
    return false;
  }, NS, 'message');
  const atLeader: string[] = []; // what the leader's connection got (all of it goes through the same dispatch)
  first.xmpp.addHandler((stanza) => void atLeader.push(bodyOf(stanza)), { name: 'message' });
  const onceAtLeader: string[] = []; // strophe's form in the leader tab: the same rule
  first.xmpp.addHandler((stanza) => onceAtLeader.push(bodyOf(stanza)) === 0, NS, 'message', 'chat');
  const handlersAtLeader = () => bus.posted.filter((p) => p.from === followerTab && p.message.type === 'handlers').map((p) => (p.message as TabMessage & { type: 'handlers' }).handlers.length);
  await until('both handlers announced', () => handlersAtLeader().includes(2));

  sendFrom(friendAccount, me.jid, 'without the payload', false);
  sendFrom(friendAccount, me.jid, 'first with the payload', true);
  await until('the first matching message in the follower', () => all.length === 1 && once.length === 1);
  expect(all).toEqual(['first with the payload']); // (the one before it did not match)
  expect(once).toEqual(['first with the payload']);
  // only what matched crossed to the follower tab
  const handled = () => bus.posted.filter((p) => p.message.type === 'handled').map((p) => p.message as TabMessage & { type: 'handled' });
  expect(handled().map((m) => m.id).sort()).toEqual(['0', '1']);

  // the one that returned false is gone: the follower says so, and the leader sends it nothing more
  await until('the follower to tell the leader', () => last(handlersAtLeader()) === 1);
  sendFrom(friendAccount, me.jid, 'second with the payload', true);
  await until('the second message in the follower', () => all.length === 2);
  expect(all).toEqual(['first with the payload', 'second with the payload']);
  expect(once).toEqual(['first with the payload']);
  expect(handled().filter((m) => m.id === '1')).toHaveLength(1);

  // deleteHandler: the leader drops it too, and nothing crosses any more
  second.xmpp.deleteHandler(allRef);
  await until('the follower to tell the leader', () => last(handlersAtLeader()) === 0);
  const crossed = handled().length;
  sendFrom(friendAccount, me.jid, 'third with the payload', true);
  await until('the third message at the leader', () => atLeader.includes('third with the payload'));
  expect(all).toHaveLength(2);
  expect(handled()).toHaveLength(crossed);
  expect(onceAtLeader).toEqual(['first with the payload']);
});

it('after the leader tab closes, the new leader gets the stanzas for its own handlers and for the remaining follower', async () => {
  const [me, friend] = await freshFriends(2, 'tabh-ho');
  const friendAccount = account(friend, undefined, server.wsUrl);
  await friendAccount.connect(friend.password);
  const sessions = new SessionStore(new MapStorage()); // the browser's storage, shared by its tabs
  const first = account(me, sessions);
  await first.connect(me.password);
  const bus = channel();
  const leaderTab = bus.add(first, 'leader');
  const second = account(me, sessions);
  const secondTab = bus.add(second, 'follower');
  const third = account(me, sessions);
  bus.add(third, 'follower');
  await until('both followers following', () => second.state.kind === 'online' && third.state.kind === 'online');

  const inSecond: string[] = [];
  const inThird: string[] = [];
  second.xmpp.addHandler((stanza) => void inSecond.push(bodyOf(stanza)), { name: 'message', ns: NS });
  third.xmpp.addHandler((stanza) => {
    inThird.push(bodyOf(stanza));
    return true;
  }, NS, 'message');
  const announced = (a: Account) => bus.posted.filter((p) => p.from.account === a && p.message.type === 'handlers' && p.message.handlers.length === 1).length;
  await until('the handlers announced', () => announced(second) > 0 && announced(third) > 0);
  sendFrom(friendAccount, me.jid, 'before the hand-over', true);
  await until('the message in both followers', () => inSecond.length === 1 && inThird.length === 1);

  // the first tab closes; the second continues its BOSH session, as AccountTabs.takeOver does
  const record = first.sessionRecord!;
  leaderTab.open = false;
  first.suspend();
  proxy.dropPending(); // its requests go with the tab
  leaderTab.leader!.dispose();
  const follower = secondTab.follower!;
  secondTab.follower = undefined;
  follower.dispose();
  const thirdAnnouncements = announced(third);
  const newLeader = bus.lead(secondTab); // its snapshot: the third tab answers with its handler
  await second.restore(record);
  expect(second.state.kind).toBe('online');
  follower.handOver((intent) => newLeader.execute(intent));
  await until('the third tab to tell the new leader its handler', () => announced(third) > thirdAnnouncements);

  sendFrom(friendAccount, me.jid, 'after the hand-over', true);
  await until('the message in the second tab (its own connection now)', () => inSecond.length === 2);
  await until('the message in the third tab (through the new leader)', () => inThird.length === 2);
  expect(inSecond).toEqual(['before the hand-over', 'after the hand-over']);
  expect(inThird).toEqual(['before the hand-over', 'after the hand-over']);
  newLeader.dispose();
});

/** A session the previous page left (it unloaded right after logging in), the browser's storage, and a contact online. */
async function unloadedSession(prefix: string) {
  const [me, friend] = await freshFriends(2, prefix);
  const friendAccount = account(friend, undefined, server.wsUrl);
  await friendAccount.connect(friend.password);
  const sessions = new SessionStore(new MapStorage());
  const first = account(me, sessions);
  await first.connect(me.password);
  const record = first.sessionRecord!;
  first.suspend(); // the page unloads (maybe before its presence went out): the next one continues the session
  proxy.dropPending();
  // (sent to the session's full JID: whether the first page's presence reached the server is not these tests' matter)
  return { me, sessions, record, send: (body: string) => sendFrom(friendAccount, record.jid, body, true) };
}

it('handlers added right after a page load, before the tab knows it follows, get the matching stanzas through the leader; removed, they get nothing', async () => {
  const { me, sessions, record, send } = await unloadedSession('tabh-early-f');
  const leading = account(me, sessions);
  const following = account(me, sessions);
  const got: string[] = [];
  const removed: string[] = [];
  following.xmpp.addHandler((stanza) => got.push(bodyOf(stanza)) > 0, NS, 'message', 'chat');
  const remove = following.xmpp.addHandler((stanza) => void removed.push(bodyOf(stanza)), { name: 'message', ns: NS });
  const bus = channel();
  const tab = bus.add(leading, 'leader');
  await leading.restore(record);
  bus.add(following, 'follower'); // the lock is taken: this tab follows
  const told = (n: number) => bus.posted.some((p) => p.from.account === following && p.message.type === 'handlers' && p.message.handlers.length === n);
  await until('the follower to tell the leader its handlers', () => told(2));

  send('once following');
  await until('the message in the follower', () => got.length === 1 && removed.length === 1);
  following.xmpp.deleteHandler(remove);
  await until('the follower to tell the leader', () => told(1));
  send('after the removal');
  await until('the second message in the follower', () => got.length === 2);
  expect(got).toEqual(['once following', 'after the removal']);
  expect(removed).toEqual(['once following']);
  tab.leader!.dispose();
});
