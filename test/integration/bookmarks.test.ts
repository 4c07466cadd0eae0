import { MultiUserContact } from '../../src/model/MultiUserContact';
import { accountFor, closeAccounts, uniqueRoom, until } from '../helpers/muc';
import { freshUser } from '../helpers/test-server';

// several logins and rooms per test: generous on a loaded machine (waits end as soon as the state is reached)
jest.setTimeout(90000);

afterEach(closeAccounts);

it('addToContactList bookmarks a room (XEP-0402): my other client gets the push, a new login autojoins', async () => {
  const me = await freshUser('bm');
  const desk = accountFor(me, { resource: 'desk' });
  const phone = accountFor(me, { resource: 'phone' });
  await Promise.all([desk.connect(me.password), phone.connect(me.password)]);
  const jid = uniqueRoom('bookmarked');
  const room = desk.createMultiUserContact(jid, 'deskme', 'Our room');
  await room.join();
  await room.addToContactList();
  expect(room.bookmark).toEqual({ autojoin: true, name: 'Our room' });

  // the other client of mine hears of it (PEP +notify) and joins it, as autojoin says
  await until(() => phone.rooms.get(jid)?.bookmark !== undefined, 15000, 'bookmark push at the phone');
  const pushed = phone.getContact(jid) as MultiUserContact;
  expect(pushed).toBeInstanceOf(MultiUserContact);
  expect(pushed.bookmark).toEqual({ autojoin: true, name: 'Our room' });
  expect(pushed.displayName).toBe('Our room');
  await until(() => pushed.isJoined, 15000, 'phone autojoins');
  expect(pushed.nickname).toBe('deskme');

  // a new login of mine loads the bookmark and autojoins
  await Promise.all([desk.disconnect(), phone.disconnect()]);
  const later = accountFor(me, { resource: 'later' });
  await later.connect(me.password);
  await until(() => later.rooms.get(jid)?.isJoined === true, 15000, 'autojoin on login');
  expect(later.rooms.get(jid)!.displayName).toBe('Our room');

  // removing the bookmark is pushed too
  const other = accountFor(me, { resource: 'other' });
  await other.connect(me.password);
  await until(() => other.rooms.get(jid)?.bookmark !== undefined, 15000, 'bookmark at the other client');
  await later.rooms.get(jid)!.removeFromContactList();
  await until(() => other.rooms.get(jid)?.bookmark === undefined, 15000, 'retraction pushed');
});

it('falls back to XEP-0048 private storage; the server shares it with XEP-0402 clients', async () => {
  const me = await freshUser('bm48');
  const legacy = accountFor(me, { resource: 'old', bookmarksFormat: 'xep-0048' });
  await legacy.connect(me.password);
  const jid = uniqueRoom('legacy');
  const room = legacy.createMultiUserContact(jid, 'oldme', 'Legacy room', 'pw');
  await room.join();
  await room.addToContactList();
  const second = uniqueRoom('legacy2');
  const room2 = legacy.createMultiUserContact(second, 'oldme');
  await room2.addToContactList(false);
  // a second legacy login reads both back from private storage
  const legacy2 = accountFor(me, { resource: 'old2', bookmarksFormat: 'xep-0048' });
  await legacy2.connect(me.password);
  await until(() => legacy2.rooms.all().length === 2, 15000, 'two legacy bookmarks');
  expect(legacy2.rooms.get(jid)!.bookmark).toEqual({ autojoin: true, name: 'Legacy room' });
  expect(legacy2.rooms.get(jid)!.password).toBe('pw');
  expect(legacy2.rooms.get(second)!.bookmark).toEqual({ autojoin: false });
  await until(() => legacy2.rooms.get(jid)!.isJoined, 15000, 'legacy autojoin');
  expect(legacy2.rooms.get(second)!.isJoined).toBe(false);
  // and a XEP-0402 client sees them (Prosody's mod_bookmarks converts)
  const modern = accountFor(me, { resource: 'new' });
  await modern.connect(me.password);
  await until(() => modern.rooms.get(jid)?.bookmark !== undefined, 15000, 'converted bookmark');
  expect(modern.rooms.get(jid)!.nickname).toBe('oldme');
});
