import type { Account } from '../../src/model/Account';
import type { MultiUserContact } from '../../src/model/MultiUserContact';
import { MemoryStore } from '../../src/model/HistoryStore';
import { accountFor, closeAccounts, privateCorrection, until, uniqueRoom } from '../helpers/muc';
import { freshUser, TestUser } from '../helpers/test-server';

// Private messages in a group chat after a page load (docs/muc.md, "Private messages after a page
// load"): the room's history (its join history, its archive) holds none of them; they come back
// from our own archive (`with` = the room), merged into the room's timeline as private messages,
// in both directions, once each, in time order with the room's messages. A "page load" is a new
// Account with the same stored state (IndexedDB: the MemoryStore), as in muc-handover.test.ts.

jest.setTimeout(120000);
afterEach(() => closeAccounts());

/** Archive and history stamps may have whole seconds only: each message of the story gets a second of its own. */
async function nextSecond(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() % 1000)));
}

/** Carol and me in a new room, and `nextPage()`: my next page (same store), in the room again. */
async function meAndCarol(prefix: string) {
  const [me, carol]: TestUser[] = [await freshUser(prefix), await freshUser('carol')];
  const jid = uniqueRoom(prefix);
  const carolAccount = accountFor(carol);
  await carolAccount.connect(carol.password);
  const carolRoom = carolAccount.createMultiUserContact(jid, 'carol');
  await carolRoom.join();
  const store = new MemoryStore();
  const first = accountFor(me, { historyStore: store });
  await first.connect(me.password);
  const firstRoom = first.createMultiUserContact(jid, 'me');
  await firstRoom.join();
  await until(() => carolRoom.occupants.length === 2, 15000, 'both in the room');
  /**
   * Carol writes to me one-to-one, later: the account's archive catch-up of the next page starts
   * at the newest stored message, so the private messages before it are not in that catch-up.
   */
  const directMessageLater = async () => {
    await nextSecond();
    const sentAt = Date.now();
    await carolAccount.chats.get(me.jid).send('a direct message, later');
    await until(() => first.chats.has(carol.jid) && (first.chats.get(carol.jid).unread > 0 || first.chats.get(carol.jid).messages.length > 0), 15000, 'the direct message at me');
    const history = await first.chats.history();
    for (let i = 0; i < 200 && ((await history.lastSeen()) ?? 0) < sentAt - 1000; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // (stored)
    }
  };
  const nextPage = async (): Promise<{ account: Account; room: MultiUserContact }> => {
    const account = accountFor(me, { historyStore: store });
    await account.connect(me.password);
    const room = account.createMultiUserContact(jid, 'me');
    await room.join();
    return { account, room };
  };
  return { jid, first, firstRoom, carolAccount, carolRoom, directMessageLater, nextPage };
}

const story = (room: MultiUserContact) => room.messages.map((m) => (m.type === 'chat' ? `${m.direction === 'in' ? `${m.nick} privately` : `privately to ${m.privateWith}`}: ${m.body}` : `${m.nick}: ${m.body}`));

it('after a page load, the private messages of the room come back from our archive: both directions, once each, in time order with the room’s messages', async () => {
  const { jid, first, firstRoom, carolRoom, directMessageLater, nextPage } = await meAndCarol('pmload');
  await carolRoom.sendMessage('hello room');
  await nextSecond();
  await carolRoom.sendPrivateMessage('me', 'psst, are you there?');
  await until(() => firstRoom.messages.some((m) => m.body === 'psst, are you there?'), 15000, 'the private message at me');
  await nextSecond();
  await firstRoom.sendMessage('hi all');
  await nextSecond();
  await firstRoom.sendPrivateMessage('carol', 'yes, here');
  await until(() => carolRoom.messages.some((m) => m.body === 'yes, here'), 15000, 'my answer at carol');
  await until(() => firstRoom.pendingMessages.length === 0, 15000, 'my answer acknowledged');
  await nextSecond();
  await carolRoom.sendMessage('bye room');
  await until(() => firstRoom.messages.some((m) => m.body === 'bye room'), 15000, 'the last room message at me');
  const before = story(firstRoom);
  expect(before).toEqual(['carol: hello room', 'carol privately: psst, are you there?', 'me: hi all', 'privately to carol: yes, here', 'carol: bye room']);
  await directMessageLater();
  first.suspend(); // the page goes away

  const { account, room } = await nextPage();
  await until(() => room.messages.filter((m) => m.type === 'chat').length >= 2, 15000, 'the private messages after the page load');
  await until(() => room.messages.some((m) => m.body === 'bye room'), 15000, 'the room history');
  expect(story(room)).toEqual(before);
  expect(room.messages.filter((m) => m.type === 'chat')).toEqual([
    expect.objectContaining({ direction: 'in', nick: 'carol', privateWith: 'carol', delayed: true, stanzaId: expect.any(String) }),
    expect.objectContaining({ direction: 'out', nick: 'me', privateWith: 'carol', delayed: true, stanzaId: expect.any(String) }),
  ]);
  // scroll-back over the room's archive keeps every message once, in order
  while (!room.isHistoryComplete) {
    await room.loadOlderMessages(2);
  }
  expect(story(room)).toEqual(before);
  expect(account.chats.has(jid)).toBe(false); // no one-to-one chat with the room
});

it('a private message older than the room’s join history comes back at the latest with the scroll-back, once, in its place', async () => {
  const { first, firstRoom, carolRoom, directMessageLater, nextPage } = await meAndCarol('pmolder');
  await carolRoom.sendPrivateMessage('me', 'an old secret');
  await until(() => firstRoom.messages.some((m) => m.body === 'an old secret'), 15000, 'the private message at me');
  await nextSecond();
  for (let i = 1; i <= 25; i++) {
    await carolRoom.sendMessage(`room ${i}`); // more than the room's join history (20)
  }
  await until(() => firstRoom.messages.some((m) => m.body === 'room 25'), 15000, 'the room messages at me');
  await directMessageLater();
  first.suspend();

  const { room } = await nextPage();
  await until(() => room.messages.some((m) => m.body === 'room 25'), 15000, 'the room history');
  while (!room.isHistoryComplete) {
    await room.loadOlderMessages(10);
  }
  await until(() => room.messages.some((m) => m.body === 'an old secret'), 15000, 'the old private message');
  expect(story(room)).toEqual(['carol privately: an old secret', ...Array.from({ length: 25 }, (_, i) => `carol: room ${i + 1}`)]);
});

it('a correction of a private message that the next page catches up from our archive corrects it there (once) and makes no one-to-one chat with the room', async () => {
  const { jid, first, firstRoom, carolAccount, carolRoom, nextPage } = await meAndCarol('pmfix');
  const sent = await carolRoom.sendPrivateMessage('me', 'a typo');
  await until(() => firstRoom.messages.some((m) => m.body === 'a typo'), 15000, 'the private message at me');
  first.suspend(); // the page goes away; the correction comes while no page is there
  carolAccount.xmpp.send(privateCorrection(jid, 'me', sent.messageId!, 'no typo', 'fix-1'));
  await nextSecond();

  const { account, room } = await nextPage(); // its catch-up (our archive since the last session) has the correction
  // the catch-up has come to the correction: it is in the room's private conversation (or, wrongly, in a one-to-one chat with the room)
  await until(() => account.chats.has(jid) || room.messages.some((m) => m.body === 'no typo'), 15000, 'the correction caught up');
  expect(account.chats.has(jid)).toBe(false);
  // the original came from the private history, the correction from the catch-up (in either order): one message, corrected
  await until(() => room.messages.some((m) => m.type === 'chat' && m.stanzaId !== undefined), 15000, 'the private history');
  expect(story(room)).toEqual(['carol privately: no typo']);
  expect(room.messages[0]).toEqual(expect.objectContaining({ corrected: true }));
});

it('a corrected private message (XEP-0308) is shown once, with the corrected text: live, and after a page load from our archive', async () => {
  const { jid, first, firstRoom, carolAccount, carolRoom, directMessageLater, nextPage } = await meAndCarol('pmcorr');
  await carolRoom.sendMessage('hello room');
  await nextSecond();
  const sent = await carolRoom.sendPrivateMessage('me', 'a typo');
  await until(() => firstRoom.messages.some((m) => m.body === 'a typo'), 15000, 'the private message at me');
  await nextSecond();
  carolAccount.xmpp.send(privateCorrection(jid, 'me', sent.messageId!, 'no typo', 'fix-2'));
  await nextSecond();
  await carolRoom.sendMessage('bye room');
  await until(() => firstRoom.messages.some((m) => m.body === 'bye room'), 15000, 'the last room message at me');
  const expected = ['carol: hello room', 'carol privately: no typo', 'carol: bye room'];
  expect(story(firstRoom)).toEqual(expected);
  expect(firstRoom.messages.find((m) => m.type === 'chat')).toEqual(expect.objectContaining({ corrected: true }));
  await directMessageLater();
  first.suspend(); // the page goes away

  const { room } = await nextPage();
  await until(() => room.messages.some((m) => m.type === 'chat'), 15000, 'the private message after the page load');
  await until(() => room.messages.some((m) => m.body === 'bye room'), 15000, 'the room history');
  // (the private history adds what it loaded at once: the correction is in with its original)
  expect(story(room)).toEqual(expected);
  expect(room.messages.find((m) => m.type === 'chat')).toEqual(expect.objectContaining({ corrected: true }));
  // scroll-back (which asks for our private messages again) keeps it once
  while (!room.isHistoryComplete) {
    await room.loadOlderMessages(1);
  }
  expect(story(room)).toEqual(expected);
});

it('joined again in the same page, the private messages are not fetched again: one query for what is newer than the newest we have', async () => {
  const { jid, first, firstRoom, carolRoom } = await meAndCarol('pmrejoin');
  const ownArchiveQueries: string[] = [];
  const strophe = (first.xmpp as unknown as { strophe: { xmlOutput(el: Element): void } }).strophe;
  const output = strophe.xmlOutput.bind(strophe);
  strophe.xmlOutput = (el: Element) => {
    const xml = new XMLSerializer().serializeToString(el);
    if (xml.includes('urn:xmpp:mam:2') && xml.includes(`<value>${jid}</value>`)) ownArchiveQueries.push(xml);
    output(el);
  };
  await carolRoom.sendPrivateMessage('me', 'psst');
  await until(() => firstRoom.messages.some((m) => m.body === 'psst'), 15000, 'the private message at me');
  await firstRoom.sendPrivateMessage('carol', 'yes?');
  await until(() => firstRoom.pendingMessages.length === 0, 15000, 'my answer acknowledged');
  const before = story(firstRoom);

  await firstRoom.leave();
  ownArchiveQueries.length = 0; // (the first join's query is long answered)
  await firstRoom.join();
  await until(() => ownArchiveQueries.length > 0, 15000, 'the private history asked after the rejoin');
  await carolRoom.sendMessage('after the rejoin');
  await until(() => firstRoom.messages.some((m) => m.body === 'after the rejoin'), 15000, 'the room message after the rejoin');
  expect(ownArchiveQueries).toHaveLength(1);
  expect(ownArchiveQueries[0]).toMatch(/<after>[^<]+<\/after>/);
  expect(story(firstRoom)).toEqual([...before, 'carol: after the rejoin']);
});
