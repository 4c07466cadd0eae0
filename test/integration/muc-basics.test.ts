import { MucError } from '../../src/plugins/muc/errors';
import { MultiUserContact } from '../../src/model/MultiUserContact';
import { closeAccounts, inOneRoom, onlineUsers, uniqueRoom, until } from '../helpers/muc';

// several logins and rooms per test: generous on a loaded machine (waits end as soon as the state is reached)
jest.setTimeout(90000);

afterEach(closeAccounts);

it('creates a room, three people join and talk, a subject change is seen by all', async () => {
  const [a, b, c] = await onlineUsers(3);
  const jid = uniqueRoom();
  const roomA = a.account.createMultiUserContact(jid, 'alice', 'Tea room');
  expect(a.account.getContact(jid)).toBe(roomA);
  expect(roomA).toBeInstanceOf(MultiUserContact);
  await roomA.join();
  expect(roomA.state).toBe('joined');
  expect(roomA.self?.affiliation).toBe('owner');
  const roomB = b.account.createMultiUserContact(jid, 'bob');
  const roomC = c.account.createMultiUserContact(jid, 'carol');
  await roomB.join();
  await roomC.join();
  await until(() => roomA.occupants.length === 3, 15000, 'three occupants for alice');
  expect(roomA.occupants.map((o) => o.nick)).toEqual(['alice', 'bob', 'carol']);
  expect(roomA.occupants[0].role).toBe('moderator');
  // the room name we gave on creation
  expect(roomB.displayName).toBe('Tea room');

  await roomB.sendMessage('hello alice and carol');
  await until(() => roomA.messages.some((m) => m.body === 'hello alice and carol'), 15000, 'message at alice');
  const atA = roomA.messages.find((m) => m.body === 'hello alice and carol')!;
  expect(atA).toMatchObject({ nick: 'bob', direction: 'in', type: 'groupchat', mentionsMe: true });
  expect(atA.stanzaId).toBeTruthy();
  await until(() => roomC.messages.some((m) => m.body === 'hello alice and carol'), 15000, 'message at carol');
  expect(roomC.messages.find((m) => m.body === 'hello alice and carol')!.mentionsMe).toBe(true);
  // bob's own message is in his timeline once, with the room's stanza-id after the echo
  await until(() => roomB.messages[0]?.stanzaId !== undefined, 15000, 'echo of own message');
  expect(roomB.messages.filter((m) => m.body === 'hello alice and carol')).toHaveLength(1);
  expect(roomB.messages[0].mentionsMe).toBe(false);

  await roomA.setSubject('Tea at five');
  await until(() => roomB.subject === 'Tea at five' && roomC.subject === 'Tea at five', 15000, 'subject everywhere');
  expect(roomC.subjectBy).toBe('alice');
});

it('nickname change, private message, and a nickname conflict offering another', async () => {
  const [a, b] = await onlineUsers(2);
  const jid = uniqueRoom();
  const [roomA, roomB] = await inOneRoom([[a.account, 'alice'], [b.account, 'bob']], jid);

  const renamed: string[] = [];
  roomA.on('occupant-nick', (o, old) => renamed.push(`${old}->${o.nick}`));
  await roomB.changeNickname('robert');
  expect(roomB.nickname).toBe('robert');
  await until(() => renamed.length === 1, 15000, 'nick change seen');
  expect(renamed).toEqual(['bob->robert']);
  expect(roomA.getOccupant('bob')).toBeUndefined();
  expect(roomA.getOccupant('robert')).toBeDefined();

  const conflict = await roomB.changeNickname('alice').catch((e) => e);
  expect(conflict).toBeInstanceOf(MucError);
  expect(conflict).toMatchObject({ kind: 'nickname-in-use', localeKey: 'muc_error_nickname_in_use' });
  expect(conflict.params.suggestedNickname).toBe('alice_');
  expect(conflict.message).toMatch(/"alice" is already in use/);
  expect(roomB.nickname).toBe('robert');
  expect(roomB.isJoined).toBe(true);

  await roomA.sendPrivateMessage('robert', 'psst, robert');
  await until(() => roomB.messages.some((m) => m.body === 'psst, robert'), 15000, 'private message');
  expect(roomB.messages.find((m) => m.body === 'psst, robert')).toMatchObject({ type: 'chat', nick: 'alice', privateWith: 'alice' });
  // the third party does not see it in the room
  expect(roomA.messages.filter((m) => m.type === 'groupchat')).toHaveLength(0);

  // joining under a taken nickname
  const [c] = await onlineUsers(1);
  const roomC = c.account.createMultiUserContact(jid, 'alice');
  const error = await roomC.join().catch((e) => e);
  expect(error).toMatchObject({ kind: 'nickname-in-use' });
  expect(roomC.state).toBe('error');
  expect(roomC.lastError?.kind).toBe('nickname-in-use');
  roomC.nickname = error.params.suggestedNickname;
  await roomC.join();
  expect(roomC.nickname).toBe('alice_');
  expect(roomC.isJoined).toBe(true);
});

it('room messages go through the account message hooks; my availability reaches the room', async () => {
  const [a, b] = await onlineUsers(2);
  const [roomA, roomB] = await inOneRoom([[a.account, 'alice'], [b.account, 'bob']]);
  // an outgoing hook (as encryption would) changes the stanza; an incoming hook sees room messages
  a.account.hooks.messageOut.add('test', ({ stanza }) => {
    const body = stanza.getElementsByTagName('body')[0];
    if (body) body.textContent = `${body.textContent} [wrapped]`;
  });
  const seenIn: string[] = [];
  b.account.hooks.messageIn.add('test', ({ stanza }) => {
    seenIn.push(stanza.getAttribute('type') ?? '');
  });
  await roomA.sendMessage('secret');
  await until(() => roomB.messages.some((m) => m.body === 'secret [wrapped]'), 15000, 'wrapped message');
  expect(seenIn).toContain('groupchat');

  await b.account.sendPresence('away', 'lunch');
  await until(() => roomA.getOccupant('bob')?.presence === 'away', 15000, 'bob away in the room');
  expect(roomA.getOccupant('bob')?.status).toBe('lunch');
});
