import { formField } from '../../src/protocol/dataForm';
import { RoomInvitation } from '../../src/model/RoomList';
import { closeAccounts, inOneRoom, onlineUsers, uniqueRoom, until } from '../helpers/muc';

// several logins and rooms per test: generous on a loaded machine (waits end as soon as the state is reached)
jest.setTimeout(90000);

afterEach(closeAccounts);

it('configuration form round trip through the API: name and members-only change and read back', async () => {
  const [a] = await onlineUsers(1);
  const room = a.account.createMultiUserContact(uniqueRoom(), 'owner');
  await room.join();
  const form = await room.getRoomConfigurationForm();
  expect(form.type).toBe('form');
  const nameField = formField(form, 'muc#roomconfig_roomname')!;
  expect(nameField).toMatchObject({ type: 'text-single' });
  expect(formField(form, 'muc#roomconfig_membersonly')).toMatchObject({ type: 'boolean', value: false });
  // the form is plain JSON
  const copy = JSON.parse(JSON.stringify(form));
  formField(copy, 'muc#roomconfig_roomname')!.value = 'Renamed room';
  formField(copy, 'muc#roomconfig_membersonly')!.value = true;
  await room.submitRoomConfigurationForm(copy);
  const again = await room.getRoomConfigurationForm();
  expect(formField(again, 'muc#roomconfig_roomname')!.value).toBe('Renamed room');
  expect(formField(again, 'muc#roomconfig_membersonly')!.value).toBe(true);
  expect(room.info).toMatchObject({ name: 'Renamed room', membersOnly: true });
  expect(room.displayName).toBe('Renamed room');
  // a room created with a display name follows when we rename it
  const named = a.account.createMultiUserContact(uniqueRoom(), 'owner', 'First name');
  await named.join();
  const renaming = await named.getRoomConfigurationForm();
  formField(renaming, 'muc#roomconfig_roomname')!.value = 'Second name';
  await named.submitRoomConfigurationForm(renaming);
  expect(named.displayName).toBe('Second name');
  // bad input is named
  await expect(room.submitRoomConfigurationForm({ fields: 'nope' } as never)).rejects.toThrow(/"fields" array/);
});

it('kick and ban are seen from both sides; voice is revoked and granted', async () => {
  const [a, b, c] = await onlineUsers(3);
  const jid = uniqueRoom();
  const [roomA, roomB, roomC] = await inOneRoom([[a.account, 'mod'], [b.account, 'noisy'], [c.account, 'quiet']], jid);

  // voice
  await roomA.revokeVoice('quiet', 'calm down');
  await until(() => roomC.self?.role === 'visitor', 15000, 'quiet is a visitor');
  await until(() => roomB.getOccupant('quiet')?.role === 'visitor', 15000, 'others see it');
  const refusedMessages: string[] = [];
  roomC.on('message-error', (m, e) => refusedMessages.push(`${m.body}:${e.kind}`));
  const attempt = await roomC.sendMessage('can I talk?');
  await until(() => refusedMessages.length === 1, 15000, 'the room refuses the visitor');
  expect(refusedMessages).toEqual(['can I talk?:not-allowed']);
  expect(attempt.errorKey).toBe('muc_error_not_allowed');
  await roomA.grantVoice('quiet');
  await until(() => roomC.self?.role === 'participant', 15000, 'quiet has voice again');

  // kick
  const left: string[] = [];
  roomA.on('occupant-left', (o, reason) => left.push(`${o.nick}:${reason}`));
  await roomA.kick('noisy', 'too loud');
  await until(() => roomB.state === 'error', 15000, 'noisy out');
  expect(roomB.lastError).toMatchObject({ kind: 'kicked', localeKey: 'muc_error_kicked' });
  expect(roomB.lastError!.message).toMatch(/kicked from .*: too loud/);
  await until(() => left.includes('noisy:kicked'), 15000, 'moderator sees the kick');
  await until(() => roomC.getOccupant('noisy') === undefined, 15000, 'others see the kick');

  // ban (by the real JID of an occupant)
  await roomB.join();
  await until(() => roomA.getOccupant('noisy') !== undefined, 15000, 'noisy back');
  await roomA.ban(b.user.jid, 'enough');
  await until(() => roomB.lastError?.kind === 'removed-banned', 15000, 'noisy banned');
  await until(() => left.includes('noisy:banned'), 15000, 'moderator sees the ban');
  expect(await roomA.getAffiliationList('outcast')).toEqual([expect.objectContaining({ jid: b.user.jid })]);
  const banned = await roomB.join().catch((e) => e);
  expect(banned).toMatchObject({ kind: 'banned', localeKey: 'muc_error_banned' });
  expect(banned.message).toBe(`You are banned from ${jid}.`);

  // someone without rights cannot kick, nor (by Prosody's default) change the subject
  const notAllowed = await roomC.kick('mod').catch((e) => e);
  expect(notAllowed).toMatchObject({ kind: 'not-allowed' });
  expect(roomC.canModerate).toBe(false);
  const subject = await roomC.setSubject('mine now').catch((e) => e);
  expect(subject).toMatchObject({ kind: 'not-allowed', localeKey: 'muc_error_not_allowed' });
  expect(roomA.subject).not.toBe('mine now');
});

it('members-only: not a member is refused, membership granted lets in; mediated and direct invitations arrive', async () => {
  const [a, b, c] = await onlineUsers(3);
  const jid = uniqueRoom();
  const roomA = a.account.createMultiUserContact(jid, 'host');
  await roomA.join();
  const form = await roomA.getRoomConfigurationForm();
  formField(form, 'muc#roomconfig_membersonly')!.value = true;
  await roomA.submitRoomConfigurationForm(form);

  const roomB = b.account.createMultiUserContact(jid, 'guest');
  const refused = await roomB.join().catch((e) => e);
  expect(refused).toMatchObject({ kind: 'not-a-member', localeKey: 'muc_error_not_a_member' });
  expect(roomB.state).toBe('error');

  await roomA.grantMembership(b.user.jid);
  await roomB.join();
  expect(roomB.isJoined).toBe(true);
  expect(roomB.self?.affiliation).toBe('member');
  expect(await roomA.getAffiliationList('member')).toEqual([expect.objectContaining({ jid: b.user.jid })]);
  await roomA.grantAdmin(b.user.jid);
  await until(() => roomB.self?.affiliation === 'admin', 15000, 'guest is admin');
  expect(roomB.self?.role).toBe('moderator');
  await roomA.grantOwner('guest'); // by nickname: the owner sees the real JID
  await until(() => roomB.isOwner, 15000, 'guest is owner');
  await roomB.setAffiliation(b.user.jid, 'member'); // an owner may step down
  await until(() => roomB.self?.affiliation === 'member', 15000, 'guest is member again');
  await until(() => roomA.getOccupant('guest')?.affiliation === 'member', 15000, 'the host sees it');

  const invitations: RoomInvitation[] = [];
  c.account.rooms.on('invitation', (i) => invitations.push(i));
  await roomA.invite(c.user.jid, 'come in', 'mediated');
  await until(() => invitations.length === 1, 15000, 'mediated invitation');
  expect(invitations[0]).toMatchObject({ room: jid, kind: 'mediated', reason: 'come in' });
  // the room names the inviter by real JID, or (semi-anonymous rooms, like Prosody's default) by occupant JID
  expect([a.user.jid, jid]).toContain(invitations[0].from.split('/')[0]);
  await roomB.invite(c.user.jid, 'join us', 'direct');
  await until(() => invitations.length === 2, 15000, 'direct invitation');
  expect(invitations[1]).toMatchObject({ room: jid, kind: 'direct', reason: 'join us', from: b.user.jid });
  // pending until answered: the newer invitation to the same room replaced the older one
  expect(c.account.rooms.invitations()).toEqual([invitations[1]]);

  // accepting needs membership in this room; the host grants it and the guest gets in
  await roomA.grantMembership(c.user.jid);
  const roomC = await c.account.rooms.accept(invitations[0], 'newcomer');
  expect(roomC.isJoined).toBe(true);
  expect(c.account.rooms.invitations()).toEqual([]);
});

it('declining an invitation tells the inviter, with the reason, through the room (mediated and direct)', async () => {
  const [a, c] = await onlineUsers(2);
  const jid = uniqueRoom();
  const roomA = a.account.createMultiUserContact(jid, 'host');
  await roomA.join();
  const declines: Array<[string, string | undefined]> = [];
  roomA.on('invitation-declined', (by, reason) => declines.push([by, reason]));
  const invitations: RoomInvitation[] = [];
  c.account.rooms.on('invitation', (i) => invitations.push(i));

  await roomA.invite(c.user.jid, 'come in', 'mediated');
  await until(() => invitations.length === 1, 15000, 'mediated invitation');
  await c.account.rooms.decline(invitations[0], 'busy today');
  expect(c.account.rooms.invitations()).toEqual([]);
  await until(() => declines.length === 1, 15000, 'the host hears the decline');
  expect(declines[0]).toEqual([c.user.jid, 'busy today']);

  await roomA.invite(c.user.jid, undefined, 'direct');
  await until(() => invitations.length === 2, 15000, 'direct invitation');
  expect(invitations[1]).toMatchObject({ kind: 'direct', from: a.user.jid });
  await c.account.rooms.decline(invitations[1]);
  await until(() => declines.length === 2, 15000, 'the host hears the second decline');
  expect(declines[1]).toEqual([c.user.jid, undefined]);
  // the decliner never joined
  expect(roomA.getOccupant('host')).toBeDefined();
  expect(roomA.occupants.length).toBe(1);
});

it('password-protected room: right password joins, wrong or none is refused', async () => {
  const [a, b] = await onlineUsers(2);
  const jid = uniqueRoom();
  const roomA = a.account.createMultiUserContact(jid, 'keeper', 'Secret room', 'sesame');
  await roomA.join();
  expect(roomA.info?.passwordProtected).toBe(true);

  const wrong = b.account.createMultiUserContact(jid, 'visitor', undefined, 'wrong');
  const error = await wrong.join().catch((e) => e);
  expect(error).toMatchObject({ kind: 'wrong-password', localeKey: 'muc_error_wrong_password' });
  wrong.password = undefined;
  expect(await wrong.join().catch((e) => e.kind)).toBe('wrong-password');
  wrong.password = 'sesame';
  await wrong.join();
  expect(wrong.isJoined).toBe(true);

  // a direct invitation carries the password, so accepting it gets in
  const [c] = await onlineUsers(1);
  const invitations: RoomInvitation[] = [];
  c.account.rooms.on('invitation', (i) => invitations.push(i));
  await roomA.invite(c.user.jid, undefined, 'direct');
  await until(() => invitations.length === 1, 15000, 'invitation');
  expect(invitations[0].password).toBe('sesame');
  const roomC = await c.account.rooms.accept(invitations[0], 'invited');
  expect(roomC.isJoined).toBe(true);
});

it('destroy with reason and alternate venue is seen by the occupants; the room is gone after', async () => {
  const [a, b] = await onlineUsers(2);
  const jid = uniqueRoom();
  const venue = uniqueRoom('venue');
  const roomA = a.account.createMultiUserContact(jid, 'owner');
  await roomA.join();
  const roomB = b.account.createMultiUserContact(jid, 'guest');
  await roomB.join();
  await roomA.destroy('moving house', venue);
  await until(() => roomB.state === 'error', 15000, 'guest sees the destruction');
  expect(roomB.lastError).toMatchObject({ kind: 'room-destroyed', params: { reason: 'moving house', alternateVenue: venue } });
  expect(roomB.lastError!.message).toBe(`The room ${jid} was destroyed: moving house. Its people moved to ${venue}.`);
  await until(() => roomA.state === 'error', 15000, 'owner out too');
  expect(roomA.lastError?.kind).toBe('room-destroyed');
  // a destroyed room does not exist any more
  expect(await roomB.refreshInfo().catch((e) => e.kind)).toBe('room-not-found');
  // someone who is not the owner cannot destroy
  const [c] = await onlineUsers(1);
  const other = uniqueRoom();
  const mine = a.account.createMultiUserContact(other, 'owner');
  await mine.join();
  const theirs = c.account.createMultiUserContact(other, 'c');
  await theirs.join();
  expect(await theirs.destroy().catch((e) => e.kind)).toBe('not-allowed');
});

it('room browser: rooms of the conference service with names and occupant counts', async () => {
  const [a, b] = await onlineUsers(2);
  const jid = uniqueRoom('listed');
  const room = a.account.createMultiUserContact(jid, 'one', 'Listed room');
  await room.join();
  // new rooms are not listed by default on Prosody: make it public
  const form = await room.getRoomConfigurationForm();
  formField(form, 'muc#roomconfig_publicroom')!.value = true;
  await room.submitRoomConfigurationForm(form);
  const hidden = uniqueRoom('hidden');
  await a.account.createMultiUserContact(hidden, 'one').join();
  await b.account.createMultiUserContact(jid, 'two').join();
  const service = await a.account.rooms.findConferenceService();
  expect(service).toBe(jid.split('@')[1]);
  const listing = await a.account.rooms.browse();
  const entry = listing.find((l) => l.jid === jid);
  expect(entry).toMatchObject({ name: 'Listed room', occupantCount: 2 });
  expect(listing.find((l) => l.jid === hidden)).toBeUndefined();
});

it('whether participants may change the subject is read from the room (muc#roominfo_changesubject)', async () => {
  const [a] = await onlineUsers(1);
  const room = a.account.createMultiUserContact(uniqueRoom(), 'owner');
  await room.join();
  const form = await room.getRoomConfigurationForm();
  const field = formField(form, 'muc#roomconfig_changesubject')!;
  for (const value of [true, false]) {
    field.value = value;
    await room.submitRoomConfigurationForm(form);
    expect((await room.refreshInfo()).subjectChangeable).toBe(value);
  }
});
