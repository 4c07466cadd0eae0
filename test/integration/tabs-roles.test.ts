import { $iq, $msg } from 'strophe.js';
import { StanzaError } from '../../src/connection/errors';
import { FollowerRole } from '../../src/core/tabs/FollowerRole';
import { LeaderRole } from '../../src/core/tabs/LeaderRole';
import type { TabMessage } from '../../src/core/tabs/messages';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { freshFriends, freshUser, getTestServer, TestUser } from '../helpers/test-server';
import { collectMessages, nodeAccount, until } from '../helpers/xmpp-node';

// Several tabs (docs/session.md): a follower tab's account acts through the leader tab's
// connection. Here the two roles talk directly (the browser's BroadcastChannel and Web Lock are
// covered by test/e2e/tabs.test.ts); the leader is connected to the real Prosody, the follower never is.

const accounts: Account[] = [];
afterAll(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

async function online(user: TestUser): Promise<Account> {
  const account = nodeAccount(user);
  accounts.push(account);
  await account.connect(user.password);
  return account;
}

/** A leader tab (connected) and a follower tab (not), wired as the channel would. */
function tabs(leaderAccount: Account, user: TestUser, { leaderAnswers = true } = {}) {
  const follower = new Account({ url: getTestServer().wsUrl, jid: JID.parse(user.jid), connectTimeout: 10000, historyStore: new MemoryStore() });
  let followerRole: FollowerRole | undefined;
  // asynchronous and cloned when posted, like a BroadcastChannel
  const toFollower = (m: TabMessage) => {
    const copy = structuredClone(m);
    setTimeout(() => followerRole?.receive(copy));
  };
  const leader = new LeaderRole(leaderAccount, toFollower, () => leaderAccount.disconnect());
  followerRole = new FollowerRole(follower, (m) => setTimeout(() => toLeader(m)));
  function toLeader(m: TabMessage): void {
    if (m.type === 'hello') {
      leader.announce();
    } else if (m.type === 'request' && leaderAnswers) {
      leader.execute(structuredClone(m.intent)).then(
        (value) => toFollower({ type: 'result', id: m.id, ...(value !== undefined ? { value } : {}) }),
        (err: Error) => toFollower({ type: 'result', id: m.id, error: err.message }),
      );
    }
  }
  return { follower, role: followerRole, leader };
}

it('a follower shows the leader state, roster and presence, and its intents go out through the leader', async () => {
  const [me, friend] = await freshFriends(2, 'roles');
  const friendClient = await online(friend);
  const leaderAccount = await online(me);
  const { follower, leader } = tabs(leaderAccount, me);

  expect(follower.following).toBe(true);
  await until('the leader state in the follower', () => follower.state.kind === 'online');
  await until('the friend online in the follower', () => follower.roster.get(friend.jid)?.presence === 'online');

  // own presence: set in the follower, sent by the leader, seen by the contact
  await follower.setPresence('away', 'lunch');
  expect(leaderAccount.ownPresence).toEqual({ show: 'away', status: 'lunch' });
  await until('the contact to see us away', () => friendClient.roster.get(me.jid)?.presence === 'away');

  // a roster edit: done by the leader, mirrored back
  const newcomer = await freshUser('roles-new');
  await follower.addContact({ jid: newcomer.jid, name: 'Newcomer', groups: ['Tabs'] });
  expect(leaderAccount.roster.get(newcomer.jid)?.groups).toEqual(['Tabs']);
  await until('the new contact in the follower', () => follower.roster.get(newcomer.jid)?.name === 'Newcomer');
  await follower.removeContact(newcomer.jid);
  await until('the removal in the follower', () => !follower.roster.get(newcomer.jid));

  // the leader's errors reach the follower as they are
  await expect(follower.removeContact('not a jid@@')).rejects.toThrow(/not a jid@@/);
  leader.dispose();
});

it('what no leader answered is done by the follower itself when it becomes the leader', async () => {
  const [me] = await freshFriends(1, 'roles-ho');
  const leaderAccount = await online(me);
  const { follower, role } = tabs(leaderAccount, me, { leaderAnswers: false });
  const done = follower.updateContact({ jid: 'someone@localhost', name: 'Someone', groups: [] });
  // the hand-over: the connected account stands in for the follower that now holds the connection
  const leader = new LeaderRole(leaderAccount, () => undefined, () => leaderAccount.disconnect());
  role.handOver((intent) => leader.execute(intent));
  await done;
  expect(follower.following).toBe(false);
  expect(leaderAccount.roster.get('someone@localhost')?.name).toBe('Someone');
  leader.dispose();
});

it("a host plugin's stanzas on account.xmpp in a follower go out through the leader, and an IQ's answer comes back", async () => {
  const [me, friend] = await freshFriends(2, 'roles-xmpp');
  const friendClient = await online(friend);
  const received = collectMessages(friendClient);
  const leaderAccount = await online(me);
  const { follower, leader } = tabs(leaderAccount, me);
  await until('the follower following', () => follower.state.kind === 'online');
  expect(follower.xmpp.connected).toBe(false); // this tab has no connection of its own

  // a message: the contact gets it, from the leader's session
  follower.xmpp.send($msg({ to: friend.jid, type: 'chat' }).c('body').t('sent on the follower connection'));
  await until('the message at the contact', () => received.includes('sent on the follower connection'));

  // an IQ: the server's answer, as an Element
  const info = await follower.xmpp.sendIQ($iq({ type: 'get', to: getTestServer().domain }).c('query', { xmlns: 'http://jabber.org/protocol/disco#info' }));
  expect(info.getAttribute('type')).toBe('result');
  expect(Array.from(info.getElementsByTagName('identity')).some((el) => el.getAttribute('category') === 'server')).toBe(true);

  // an error answer: a StanzaError with the server's condition
  const refused = await follower.xmpp.sendIQ($iq({ type: 'get', to: getTestServer().domain }).c('query', { xmlns: 'urn:example:nothing-answers-this' })).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(StanzaError);
  expect((refused as StanzaError).condition).toBe('service-unavailable');

  // sendAcked: sent through the leader, resolved once the server has it
  await follower.xmpp.sendAcked($msg({ to: friend.jid, type: 'chat' }).c('body').t('sent and acknowledged').tree());
  await until('the acknowledged message at the contact', () => received.includes('sent and acknowledged'));
  leader.dispose();
});


it('a request asked again (a follower asks again on every snapshot) is done once by the leader, and answered each time', async () => {
  const [me, friend] = await freshFriends(2, 'roles-once');
  const friendClient = await online(friend);
  const got = collectMessages(friendClient);
  const leaderAccount = await online(me);
  const posted: TabMessage[] = [];
  const leader = new LeaderRole(leaderAccount, (m) => posted.push(structuredClone(m)), () => leaderAccount.disconnect());
  const answers = () => posted.filter((m) => m.type === 'result' && m.id === 'r1').length;
  const xml = `<message xmlns="jabber:client" to="${friend.jid}" type="chat"><body>asked twice</body></message>`;
  leader.receive({ type: 'request', id: 'r1', intent: { kind: 'stanza', xml } });
  leader.receive({ type: 'request', id: 'r1', intent: { kind: 'stanza', xml } }); // while it runs
  await until('the answer', () => answers() === 1);
  leader.receive({ type: 'request', id: 'r1', intent: { kind: 'stanza', xml } }); // after it was answered
  await until('the answer again', () => answers() === 2);
  leaderAccount.xmpp.send($msg({ to: friend.jid, type: 'chat' }).c('body').t('a later message').tree());
  await until('the later message at the contact', () => got.includes('a later message'), 10000);
  expect(got.filter((b) => b === 'asked twice')).toHaveLength(1);
  leader.dispose();
});
