import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { freshFriends, freshUser, getTestServer, prosody } from '../helpers/test-server';
import { until } from '../helpers/wait';

// contact.addToContactList() and account.getContact() in Node against the real Prosody.
const server = getTestServer();
const accounts: Account[] = [];
function account(jid: string): Account {
  const a = new Account({ url: server.boshUrl, jid: JID.parse(jid), connectTimeout: 10000 });
  accounts.push(a);
  return a;
}

afterEach(async () => {
  await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
});

it('getContact() of a JID outside the roster gives a contact whose addToContactList() adds it and asks for its presence', async () => {
  const [me, them] = [await freshUser(), await freshUser()];
  const mine = account(me.jid);
  const theirs = account(them.jid);
  await Promise.all([mine.connect(me.password), theirs.connect(them.password)]);
  const requests: string[] = [];
  theirs.xmpp.addHandler((p) => requests.push(p.getAttribute('from') ?? ''), { name: 'presence', type: 'subscribe' });

  const contact = mine.getContact(`${them.jid}/some-resource`);
  expect(contact.jid).toBe(them.jid);
  expect(mine.roster.get(them.jid)).toBeUndefined();
  expect(mine.getContact(them.jid)).toBe(contact);

  await contact.addToContactList();
  await until(() => mine.roster.get(them.jid)?.ask === 'subscribe', 5000, 'the roster push with ask=subscribe');
  expect(mine.getContact(them.jid)).toBe(mine.roster.get(them.jid));
  await until(() => requests.length > 0, 5000, 'the subscription request');
  expect(requests).toEqual([me.jid]);
  // the server stored it
  const stored = prosody.readRoster(server, me.username);
  expect(stored?.items).toEqual(expect.objectContaining({ [them.jid]: expect.objectContaining({ subscription: 'none', ask: 'subscribe' }) }));
});

it('adding a contact who is in the roster already with a subscription sends no new request', async () => {
  const [me, friend] = await freshFriends(2);
  const mine = account(me.jid);
  const theirs = account(friend.jid);
  await Promise.all([mine.connect(me.password), theirs.connect(friend.password)]);
  const requests: string[] = [];
  theirs.xmpp.addHandler((p) => requests.push(p.getAttribute('from') ?? ''), { name: 'presence', type: 'subscribe' });
  const contact = mine.getContact(friend.jid);
  expect(contact.subscription).toBe('both');
  await contact.addToContactList();
  await new Promise((r) => setTimeout(r, 300));
  expect(requests).toEqual([]);
});

it('rejects while offline, and getContact() rejects malformed JIDs with a TypeError', async () => {
  const me = await freshUser();
  const mine = account(me.jid);
  await expect(mine.getContact('someone@localhost').addToContactList()).rejects.toThrow(`Cannot add someone@localhost to the contact list: ${me.jid} is not online`);
  expect(() => mine.getContact('not a jid')).toThrow(TypeError);
  expect(() => mine.getContact('not a jid')).toThrow('Malformed JID "not a jid"');
  expect(() => mine.getContact(42 as unknown as string)).toThrow('account.getContact(jid): jid must be a string (a bare JID), got number');
});
