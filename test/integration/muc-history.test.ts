import { closeAccounts, onlineUsers, uniqueRoom, until } from '../helpers/muc';

// several logins and rooms per test: generous on a loaded machine (waits end as soon as the state is reached)
jest.setTimeout(90000);

afterEach(closeAccounts);

it('after a rejoin, room history and the archive give every message once, in order; scroll-back pages further', async () => {
  const [a, b] = await onlineUsers(2);
  const jid = uniqueRoom('history');
  const roomA = a.account.createMultiUserContact(jid, 'writer');
  await roomA.join();
  const roomB = b.account.createMultiUserContact(jid, 'reader');
  await roomB.join();
  for (let i = 1; i <= 30; i++) {
    await roomA.sendMessage(`message ${i}`);
  }
  await until(() => roomB.messages.length === 30, 20000, '30 messages at the reader');
  await roomB.leave();
  expect(roomB.state).toBe('left');
  for (let i = 31; i <= 35; i++) {
    await roomA.sendMessage(`message ${i}`);
  }
  await until(() => roomA.messages.filter((m) => m.stanzaId).length === 35, 15000, 'echoes');
  await roomB.join();
  // the room sends its recent history on join (20 messages by default), overlapping what we had
  await until(() => roomB.messages.length === 35, 20000, 'messages 31–35 after the rejoin');
  const bodies = () => roomB.messages.map((m) => m.body);
  expect(bodies()).toEqual(Array.from({ length: 35 }, (_, i) => `message ${i + 1}`));

  // the archive (XEP-0313 on the room): scroll back from the oldest we have — all known, nothing added
  const page = await roomB.loadOlderMessages(10);
  expect(page.messages).toEqual([]);
  expect(bodies()).toHaveLength(35);

  // a newcomer scrolls back through the archive page by page
  const [c] = await onlineUsers(1);
  const roomC = c.account.createMultiUserContact(jid, 'newcomer');
  await roomC.join();
  await until(() => roomC.messages.length >= 20, 15000, 'join history');
  expect(roomC.messages.every((m) => m.delayed)).toBe(true);
  let pages = 0;
  while (!roomC.isHistoryComplete && pages < 10) {
    await roomC.loadOlderMessages(7);
    pages += 1;
  }
  expect(roomC.isHistoryComplete).toBe(true);
  expect(roomC.messages.map((m) => m.body)).toEqual(Array.from({ length: 35 }, (_, i) => `message ${i + 1}`));
  expect(new Set(roomC.messages.map((m) => m.stanzaId)).size).toBe(35);
});
