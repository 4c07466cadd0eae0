import { $msg } from 'strophe.js';
import type { MultiUserContact } from '../../src/model/MultiUserContact';
import { accountFor, closeAccounts, inOneRoom, onlineUsers, until } from '../helpers/muc';

// Corrections (XEP-0308) of room messages (docs/muc.md, "Corrections"): the sender's correction
// gives their message its new text — live, in the room's join history after a reload, and at
// scroll-back through the room's archive — so a corrected message is one message, marked
// corrected; another occupant's correction naming it changes nothing.

jest.setTimeout(120000);
afterEach(closeAccounts);

const story = (room: MultiUserContact) => room.messages.map((m) => `${m.nick}: ${m.body}${m.corrected ? ' (corrected)' : ''}`);
const has = (room: MultiUserContact, body: string) => room.messages.some((m) => m.body === body);

it('a room message its sender corrected is one message with the corrected text, live and after a reload (join history and scroll-back); another occupant’s correction of it changes nothing', async () => {
  const [carol, me, mallory] = await onlineUsers(3, 'corr');
  const [carolRoom, myRoom, malloryRoom] = await inOneRoom([
    [carol.account, 'carol'],
    [me.account, 'me'],
    [mallory.account, 'mallory'],
  ]);
  const jid = carolRoom.jid;
  const typo = await carolRoom.sendMessage('a typo');
  await until(() => has(myRoom, 'a typo') && has(malloryRoom, 'a typo'), 15000, 'the message at everyone');

  // mallory names carol's message in a correction of her own: it is mallory's message, not carol's text
  mallory.account.xmpp.send($msg({ to: jid, type: 'groupchat', id: 'mallory-fix' }).c('body').t('pwned').up().c('replace', { xmlns: 'urn:xmpp:message-correct:0', id: typo.messageId! }).tree());
  await until(() => has(myRoom, 'pwned'), 15000, 'mallory’s message at me');
  const carolsAtMe = () => myRoom.messages.find((m) => m.nick === 'carol' && m.messageId === typo.messageId);
  expect(carolsAtMe()).toMatchObject({ body: 'a typo' });
  expect(carolsAtMe()?.corrected).toBeUndefined();
  // carol corrects hers (what the Up key in her room window does)
  const corrected = await carolRoom.correctLastMessage('no typo');
  expect(corrected).toMatchObject({ uid: typo.uid, body: 'no typo', corrected: true });
  await until(() => has(myRoom, 'no typo'), 15000, 'the correction at me');
  await carolRoom.sendMessage('bye');
  await until(() => has(myRoom, 'bye') && carolRoom.messages.some((m) => m.body === 'bye' && m.stanzaId), 15000, 'the last message at me and back at carol');

  const expected = ['carol: no typo (corrected)', 'mallory: pwned', 'carol: bye'];
  expect(story(myRoom)).toEqual(expected);
  expect(story(carolRoom)).toEqual(expected);
  expect(carolRoom.pendingMessages).toEqual([]);

  // a reload: the next page joins and gets the room's history (mallory's correction of a message
  // she never sent is kept aside there: a correction from history whose message we do not have)
  me.account.suspend();
  const next = accountFor(me.user);
  await next.connect(me.user.password);
  const reloaded = next.createMultiUserContact(jid, 'me');
  await reloaded.join();
  await until(() => has(reloaded, 'bye'), 15000, 'the join history');
  expect(story(reloaded).filter((s) => s.startsWith('carol'))).toEqual(['carol: no typo (corrected)', 'carol: bye']);

  // more than the join history holds: a newcomer scrolls back to the corrected message through the archive
  for (let i = 1; i <= 25; i++) {
    await carolRoom.sendMessage(`filler ${i}`);
  }
  const [newcomer] = await onlineUsers(1, 'corrnew');
  const late = newcomer.account.createMultiUserContact(jid, 'late');
  await late.join();
  await until(() => has(late, 'filler 25'), 15000, 'the newcomer’s join history');
  expect(has(late, 'no typo') || has(late, 'a typo')).toBe(false);
  while (!late.isHistoryComplete) {
    await late.loadOlderMessages(2); // small pages: the correction comes a page before its message
  }
  const fillers = Array.from({ length: 25 }, (_, i) => `carol: filler ${i + 1}`);
  expect(story(late).filter((s) => s.startsWith('carol'))).toEqual(['carol: no typo (corrected)', 'carol: bye', ...fillers]);
});
