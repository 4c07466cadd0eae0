import { queryArchive } from '../../src/plugins/mam/query';
import { closeAccounts, onlineUsers, until, uniqueRoom } from '../helpers/muc';

// A private message to an occupant who is not in the room (docs/muc.md, "Private message refused:
// Recipient not in room"): the room refuses it — the occupant left, or after a server restart is
// not back yet. Our message shows as failed with that reason, nothing is sent again on its own,
// and the user's Retry (MultiUserContact.retryMessage) sends the same message once the occupant is
// back: it reaches the occupant exactly once.

jest.setTimeout(120000);
afterEach(() => closeAccounts());

const bodiesIn = (elements: Element[], body: string) => elements.filter((m) => m.getElementsByTagName('body')[0]?.textContent === body);

/** alice and bob in a new room; bob leaves (after a server restart: not back yet); alice's private message to him is refused */
async function refusedPrivateMessage(prefix: string, body: string) {
  const [alice, bob] = await onlineUsers(2, prefix);
  const jid = uniqueRoom(prefix);
  const aliceRoom = alice.account.createMultiUserContact(jid, 'alice');
  await aliceRoom.join();
  const bobRoom = bob.account.createMultiUserContact(jid, 'bob');
  await bobRoom.join();
  await until(() => aliceRoom.occupants.some((o) => o.nick === 'bob'), 15000, 'bob in the room at alice');
  await bobRoom.leave();
  await aliceRoom.sendPrivateMessage('bob', body);
  const mine = () => aliceRoom.messages.filter((m) => m.direction === 'out' && m.body === body);
  await until(() => mine()[0]?.errorKey !== undefined, 15000, 'the refusal at alice');
  const bobBack = async () => {
    await bobRoom.join();
    await until(() => aliceRoom.occupants.some((o) => o.nick === 'bob'), 15000, 'bob back in the room at alice');
  };
  return { jid, bob, aliceRoom, bobRoom, mine, bobBack };
}

it('a private message refused because the occupant is not in the room fails with that reason, and Retry delivers it once after the rejoin', async () => {
  const { jid, bob, aliceRoom, bobRoom, mine, bobBack } = await refusedPrivateMessage('pmretry', 'typed before the restart');
  expect(mine()).toHaveLength(1);
  expect(mine()[0].errorKey).toBe('muc_error_recipient_not_in_room');
  expect(aliceRoom.pendingMessages).toHaveLength(0); // refused: nothing sends it again on its own

  // bob is back; the user presses Retry on the failed message
  await bobBack();
  await aliceRoom.retryMessage(mine()[0].uid);
  await until(() => bobRoom.messages.some((m) => m.body === 'typed before the restart'), 15000, 'the private message at bob');
  // a later message, to know that anything sent before it has arrived
  await aliceRoom.sendPrivateMessage('bob', 'after the retry');
  await until(() => bobRoom.messages.some((m) => m.body === 'after the retry'), 15000, 'the later private message at bob');
  await until(() => aliceRoom.pendingMessages.length === 0, 15000, 'alice’s private messages acknowledged');

  expect(bobRoom.messages.filter((m) => m.body === 'typed before the restart')).toHaveLength(1);
  expect(mine()).toHaveLength(1); // the same message at alice, no longer failed
  expect(mine()[0].errorKey).toBeUndefined();
  // the server delivered it once: bob's archive has one copy (alice's has both attempts: Prosody
  // archives the sender's copy before the room refuses it)
  const received = await queryArchive(bob.account.xmpp, bob.account.uid, { with: jid, max: 50 });
  expect(bodiesIn(received.messages.map((r) => r.message), 'typed before the restart')).toHaveLength(1);
});

it('Retry while the occupant is still away fails again with the reason, and a later Retry still delivers it once', async () => {
  const { jid, bob, aliceRoom, bobRoom, mine, bobBack } = await refusedPrivateMessage('pmretry2', 'are you back?');
  const retried = aliceRoom.retryMessage(mine()[0].uid);
  expect(mine()[0].errorKey).toBeUndefined(); // being sent again
  await retried;
  await until(() => mine()[0]?.errorKey !== undefined, 15000, 'the second refusal at alice');
  expect(mine()[0].errorKey).toBe('muc_error_recipient_not_in_room');
  expect(mine()).toHaveLength(1);

  await bobBack();
  await aliceRoom.retryMessage(mine()[0].uid);
  await aliceRoom.sendPrivateMessage('bob', 'and now?');
  await until(() => bobRoom.messages.some((m) => m.body === 'and now?'), 15000, 'the later private message at bob');
  const received = await queryArchive(bob.account.xmpp, bob.account.uid, { with: jid, max: 50 });
  expect(bodiesIn(received.messages.map((r) => r.message), 'are you back?')).toHaveLength(1);
  expect(bobRoom.messages.filter((m) => m.body === 'are you back?')).toHaveLength(1);
  expect(mine()[0].errorKey).toBeUndefined();
});
