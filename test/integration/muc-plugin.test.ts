import { $iq } from 'strophe.js';
import { NS_DISCO_INFO } from '../../src/plugins/disco';
import { NS_MUC } from '../../src/plugins/muc/ns';
import { NS_PING } from '../../src/plugins/ping';
import { RoomInvitation } from '../../src/model/RoomList';
import { accountFor, closeAccounts, onlineUsers, uniqueRoom, until } from '../helpers/muc';
import { freshUser, getTestServer, prosody } from '../helpers/test-server';

// several logins and rooms per test: generous on a loaded machine (waits end as soon as the state is reached)
jest.setTimeout(90000);

afterEach(closeAccounts);

it('self-ping notices a room that dropped us without telling, and rejoins silently', async () => {
  const user = await freshUser('ping');
  const [other] = await onlineUsers(1);
  const account = accountFor(user, { selfPingInterval: 500 });
  await account.connect(user.password);
  const jid = uniqueRoom('ghost');
  const room = account.createMultiUserContact(jid, 'ghost');
  await room.join();
  const seen = other.account.createMultiUserContact(jid, 'witness');
  await seen.join();
  const errors: unknown[] = [];
  room.on('error', (e) => errors.push(e));
  const states: string[] = [];
  room.on('state', (s) => states.push(s));
  // the room forgets our occupant, silently (as after a MUC component restart)
  const lua = [
    `>local muc = prosody.hosts[${JSON.stringify(getTestServer().mucDomain)}].modules.muc`,
    `local room = muc.get_room_from_jid(${JSON.stringify(jid)})`,
    `local occupant = room:get_occupant_by_nick(${JSON.stringify(`${jid}/ghost`)})`,
    'for real_jid in occupant:each_session() do room._jid_nick[real_jid] = nil end',
    `room._occupants[${JSON.stringify(`${jid}/ghost`)}] = nil`,
    'return "ghosted"',
  ].join('; ');
  const { stdout } = await prosody.runAdminShell(getTestServer(), lua);
  expect(stdout).toContain('ghosted');
  await until(() => states.includes('joined'), 15000, 'rejoined after a self-ping');
  expect(states).toEqual(['left', 'joining', 'joined']);
  expect(errors).toEqual([]);
  // the room knows us again: a message reaches us
  await seen.sendMessage('welcome back');
  await until(() => room.messages.some((m) => m.body === 'welcome back'), 15000, 'message after rejoin');
});

it('disabledPlugins: ["muc"] removes the disco feature, the handlers (invitations ignored) and the API', async () => {
  const [friend] = await onlineUsers(1);
  const user = await freshUser('nomuc');
  const account = accountFor(user, { disabledPlugins: ['muc'] });
  await account.connect(user.password);
  const info = await friend.account.xmpp.sendIQ($iq({ type: 'get', to: account.fullJid }).c('query', { xmlns: NS_DISCO_INFO }));
  const features = Array.from(info.getElementsByTagName('feature')).map((f) => f.getAttribute('var'));
  expect(features).not.toContain(NS_MUC);
  expect(features).not.toContain('urn:xmpp:bookmarks:1+notify'); // bookmarks need muc
  const invitations: RoomInvitation[] = [];
  account.rooms.on('invitation', (i) => invitations.push(i));
  const jid = uniqueRoom();
  const room = friend.account.createMultiUserContact(jid, 'host');
  await room.join();
  await room.invite(user.jid, 'come', 'direct');
  await room.invite(user.jid, 'come', 'mediated');
  // a ping from the same sender after the invitations: once we answered it, they had arrived before
  await friend.account.xmpp.sendIQ($iq({ type: 'get', to: account.fullJid }).c('ping', { xmlns: NS_PING }));
  expect(invitations).toEqual([]);
  const mine = account.createMultiUserContact(jid, 'me');
  await expect(mine.join()).rejects.toMatchObject({ kind: 'disabled', localeKey: 'muc_error_disabled' });
  await expect(mine.addToContactList()).rejects.toThrow(/bookmarks plugin is disabled/);
  // with muc on, the same invitations arrive
  const [on] = await onlineUsers(1);
  const received: RoomInvitation[] = [];
  on.account.rooms.on('invitation', (i) => received.push(i));
  await room.invite(on.user.jid, 'come', 'direct');
  await until(() => received.length === 1, 15000, 'invitation with muc on');
});

it('a room that does not exist, and a service that does not exist, are named', async () => {
  const [a] = await onlineUsers(1);
  const room = a.account.createMultiUserContact(uniqueRoom('nothing'), 'me');
  const missing = await room.refreshInfo().catch((e) => e);
  expect(missing).toMatchObject({ kind: 'room-not-found', localeKey: 'muc_error_room_not_found' });
  // joining (from the room browser, a bookmark, an invitation) a room that must exist
  const joinMissing = await room.join({ mustExist: true }).catch((e) => e);
  expect(joinMissing).toMatchObject({ kind: 'room-not-found' });
  expect(joinMissing.message).toBe(`The room ${room.jid} does not exist.`);
  expect(room.state).toBe('error');
  expect(room.wantJoined).toBe(false);
  // accepting an invitation to a room that is gone
  const gone = await a.account.rooms.accept({ room: uniqueRoom('gone'), from: 'x@localhost', kind: 'direct' }, 'me').catch((e) => e);
  expect(gone).toMatchObject({ kind: 'room-not-found' });
  const nowhere = a.account.createMultiUserContact(`room@${getTestServer().uploadDomain}`, 'me'); // not a group chat service
  const error = await nowhere.join().catch((e) => e);
  expect(error).toMatchObject({ kind: 'service-unavailable', localeKey: 'muc_error_service_unavailable' });
  expect(nowhere.state).toBe('error');
});
