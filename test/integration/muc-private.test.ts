import { queryArchive } from '../../src/plugins/mam/query';
import { closeAccounts, onlineUsers, until, uniqueRoom } from '../helpers/muc';

// Private messages in a group chat (room@service/nick, type chat) and the personal archives
// (docs/muc.md, "Private messages across a hand-over"): Prosody's mod_mam keeps the sender's copy
// in the sender's own archive and the recipient's in the recipient's, each with the room's bare
// JID as the conversation — what the group chat plugin looks there for before sending one again.
// The hand-over and page-load cases are in muc-handover.test.ts.

jest.setTimeout(120000);
afterEach(() => closeAccounts());

it('the server keeps a private message in the sender’s archive and in the recipient’s, with the room as the conversation', async () => {
  const [alice, bob] = await onlineUsers(2, 'pmarch');
  const jid = uniqueRoom('pmarch');
  const aliceRoom = alice.account.createMultiUserContact(jid, 'alice');
  await aliceRoom.join();
  const bobRoom = bob.account.createMultiUserContact(jid, 'bob');
  await bobRoom.join();
  await aliceRoom.sendPrivateMessage('bob', 'psst, archived?');
  await until(() => bobRoom.messages.some((m) => m.body === 'psst, archived?'), 15000, 'the private message at bob');

  const sent = await queryArchive(alice.account.xmpp, alice.account.uid, { with: jid, max: 50 });
  const mine = sent.messages.map((r) => r.message).filter((m) => m.getElementsByTagName('body')[0]?.textContent === 'psst, archived?');
  expect(mine).toHaveLength(1);
  expect(mine[0].getAttribute('to')).toBe(`${jid}/bob`);
  expect(mine[0].getAttribute('type')).toBe('chat');

  const received = await queryArchive(bob.account.xmpp, bob.account.uid, { with: jid, max: 50 });
  const theirs = received.messages.map((r) => r.message).filter((m) => m.getElementsByTagName('body')[0]?.textContent === 'psst, archived?');
  expect(theirs).toHaveLength(1);
  expect(theirs[0].getAttribute('from')).toBe(`${jid}/alice`);
});
