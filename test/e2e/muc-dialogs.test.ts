import { Locator, Page } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { MultiUserContact } from '../../src/model/MultiUserContact';
import { RoomInvitation } from '../../src/model/RoomList';
import { accountFor, closeAccounts, uniqueRoom, until } from '../helpers/muc';
import { axeViolations, browserWithParties, PageWindow, rosterPage, saveScreenshot, startWidget } from '../helpers/roster-page';
import { createRoom, freshFriends, freshUser, getTestServer, TestUser } from '../helpers/test-server';

// The group chat dialogs and the roster's rooms in Chromium, with the other parties as Node
// clients (with the muc plugin) in the same rooms of the test Prosody.
const setup = browserWithParties();
afterAll(() => closeAccounts());

async function nodeClient(user?: TestUser): Promise<{ user: TestUser; account: Account }> {
  const u = user ?? (await freshUser('mucnode'));
  const account = accountFor(u);
  await account.connect(u.password);
  return { user: u, account };
}

/** A room a Node client created (it owns it) under `nick`. */
async function ownedRoom(owner: Account, nick = 'owner', options: { name?: string; password?: string } = {}): Promise<MultiUserContact> {
  const room = owner.createMultiUserContact(uniqueRoom('dlg'), nick, options.name, options.password);
  await room.join();
  return room;
}

const groupChats = (page: Page) => page.getByRole('list', { name: 'Group chats' });

async function openJoinDialog(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Join group chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Join group chat' });
  await dialog.waitFor();
  return dialog;
}

async function joinThroughDialog(dialog: Locator, room: string, extra: { nickname?: string; password?: string } = {}): Promise<void> {
  await dialog.getByRole('textbox', { name: 'Room address' }).fill(room);
  if (extra.nickname !== undefined) await dialog.getByRole('textbox', { name: 'Nickname' }).fill(extra.nickname);
  if (extra.password !== undefined) await dialog.getByLabel('Room password (optional)').fill(extra.password);
  await dialog.getByRole('button', { name: 'Join', exact: true }).click();
}

async function alertText(dialog: Locator, contains: string): Promise<string> {
  const alert = dialog.getByRole('alert').filter({ hasText: contains });
  await alert.waitFor({ timeout: 15000 });
  return (await alert.textContent()) ?? '';
}

const focusedLabel = (page: Page) => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? document.activeElement?.getAttribute('aria-label'));

it('room browser lists the server rooms with occupant counts, filter and keyboard; Join puts me in the room; Leave takes me out', async () => {
  const me = await freshUser('mucme');
  const tag = `brw${Date.now().toString(36)}`;
  const busy = await createRoom(`${tag}-a`, { name: `${tag} Alpha room` });
  const quiet = await createRoom(`${tag}-b`, { name: `${tag} Beta room` });
  const other = await nodeClient();
  const inBusy = other.account.createMultiUserContact(busy, 'resident');
  await inBusy.join();

  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  // the room window is another part's: here we see that it is asked for (room.openChatWindow*)
  await page.evaluate((jid) => {
    type Room = { jid: string; on(e: string, f: (prominent: boolean) => void): void };
    const w = window as unknown as { jsxc: { getAccount(j: string): { rooms: { on(e: string, f: (r: Room) => void): void } } }; windowRequests: string[] };
    w.windowRequests = [];
    w.jsxc.getAccount(jid).rooms.on('added', (room) => room.on('chatWindowRequested', () => w.windowRequests.push(room.jid)));
  }, me.jid);
  const windowRequests = () => page.evaluate(() => (window as unknown as { windowRequests: string[] }).windowRequests);
  // the main menu has the entry too
  await page.getByRole('button', { name: 'Main menu' }).click();
  await page.getByRole('menuitem', { name: 'Join group chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Join group chat' });
  await dialog.waitFor();
  expect(await focusedLabel(page)).toBe('Room address');
  expect(await dialog.getByRole('textbox', { name: 'Nickname' }).inputValue()).toBe(me.username);
  const filter = dialog.getByRole('searchbox', { name: 'Filter rooms' });
  const listbox = dialog.getByRole('listbox', { name: 'Rooms' });
  await listbox.getByRole('option').first().waitFor({ timeout: 15000 });
  await filter.fill(tag);
  const options = listbox.getByRole('option');
  expect(await options.count()).toBe(2);
  expect(await options.nth(0).textContent()).toContain(`${tag} Alpha room`);
  expect(await options.nth(0).textContent()).toContain(busy);
  expect(await options.nth(0).textContent()).toContain('Occupants: 1');
  expect(await options.nth(1).textContent()).toContain(quiet);
  expect(await options.nth(1).textContent()).toContain('Occupants: 0');
  await filter.fill(`${tag} beta`);
  expect(await options.count()).toBe(1);
  await filter.fill(`${tag}-`);
  expect(await axeViolations(page, '.jsxc-join-room')).toEqual([]);
  await saveScreenshot(page, 'muc-join-dialog');

  // keyboard: ArrowDown from the filter into the list selects the first room, arrows move
  await filter.press('ArrowDown');
  expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
  expect(await dialog.getByRole('textbox', { name: 'Room address' }).inputValue()).toBe(busy);
  await page.keyboard.press('ArrowDown');
  expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
  expect(await listbox.getAttribute('aria-activedescendant')).toBe(await options.nth(1).getAttribute('id'));
  expect(await dialog.getByRole('textbox', { name: 'Room address' }).inputValue()).toBe(quiet);
  await page.keyboard.press('ArrowUp');
  expect(await dialog.getByRole('textbox', { name: 'Room address' }).inputValue()).toBe(busy);
  await page.keyboard.press('Enter'); // joins the selected room
  await dialog.waitFor({ state: 'detached', timeout: 15000 });
  await until(() => inBusy.getOccupant(me.username) !== undefined, 15000, 'the Node client sees me join');
  const item = groupChats(page).getByRole('listitem', { name: `${tag} Alpha room` });
  await item.getByText('joined', { exact: true }).waitFor({ timeout: 5000 });
  expect(await windowRequests()).toEqual([busy]);
  expect(await axeViolations(page, '.jsxc-roster')).toEqual([]);
  // Enter on the room in the list asks for its window again
  await item.getByRole('button', { name: new RegExp(`^${tag} Alpha room`) }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (window as unknown as { windowRequests: string[] }).windowRequests.length === 2, undefined, { timeout: 5000 });

  // Escape closes the dialog
  await openJoinDialog(page);
  await page.keyboard.press('Escape');
  await page.getByRole('dialog', { name: 'Join group chat' }).waitFor({ state: 'detached', timeout: 5000 });

  // Leave: the other side sees me go, and the room (not bookmarked) leaves the list
  await item.getByRole('button', { name: `Leave ${tag} Alpha room` }).click();
  await until(() => inBusy.getOccupant(me.username) === undefined, 15000, 'the Node client sees me leave');
  await item.waitFor({ state: 'detached', timeout: 5000 });
  expect(errors).toEqual([]);
  await page.context().close();
});

it('every join error is readable in the dialog, and the dialog helps to fix it', async () => {
  const me = await freshUser('mucme');
  const owner = await nodeClient();
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  const dialog = await openJoinDialog(page);
  const nickname = dialog.getByRole('textbox', { name: 'Nickname' });

  // nickname in use: another one is offered, and it works
  const taken = await ownedRoom(owner.account, me.username);
  await joinThroughDialog(dialog, taken.jid);
  expect(await alertText(dialog, 'already in use')).toContain(`The nickname "${me.username}" is already in use in ${taken.jid}. Try another one, like "${me.username}_".`);
  expect(await nickname.inputValue()).toBe(`${me.username}_`);
  expect(await focusedLabel(page)).toBe('Nickname');
  await dialog.getByRole('button', { name: 'Join', exact: true }).click();
  await dialog.waitFor({ state: 'detached', timeout: 15000 });
  await until(() => taken.getOccupant(`${me.username}_`) !== undefined, 15000, 'the owner sees me under the offered nickname');

  // members only, not a member
  const club = await ownedRoom(owner.account);
  const form = await club.getRoomConfigurationForm();
  form.fields.find((f) => f.var === 'muc#roomconfig_membersonly')!.value = true;
  await club.submitRoomConfigurationForm(form);
  const again = await openJoinDialog(page);
  await joinThroughDialog(again, club.jid, { nickname: 'me' });
  expect(await alertText(again, 'members only')).toBe(`${club.jid} is for members only, and you are not a member.`);

  // banned
  const strict = await ownedRoom(owner.account);
  await strict.ban(me.jid, 'spam');
  await joinThroughDialog(again, strict.jid);
  expect(await alertText(again, 'banned')).toBe(`You are banned from ${strict.jid}.`);

  // wrong password, then the right one
  const secret = await ownedRoom(owner.account, 'owner', { name: 'Secret', password: 'sesame' });
  await joinThroughDialog(again, secret.jid);
  expect(await alertText(again, 'password')).toBe(`${secret.jid} needs a password, and the one given is wrong or missing.`);
  expect(await focusedLabel(page)).toBe('Room password (optional)');
  await page.keyboard.type('wrong');
  await page.keyboard.press('Enter');
  await again.getByRole('alert').filter({ hasText: 'password' }).waitFor({ timeout: 15000 });
  await again.getByLabel('Room password (optional)').fill('sesame');
  await again.getByRole('button', { name: 'Join', exact: true }).click();
  await again.waitFor({ state: 'detached', timeout: 15000 });
  await until(() => secret.getOccupant('me') !== undefined, 15000, 'in the password room');

  // a room that does not exist is reported, not created, and not listed
  const third = await openJoinDialog(page);
  const missing = uniqueRoom('nothere');
  await joinThroughDialog(third, missing);
  expect(await alertText(third, 'does not exist')).toBe(`The room ${missing} does not exist.`);
  // a service that is no group chat service (the server's upload service)
  const nowhere = `room@${getTestServer().uploadDomain}`;
  await joinThroughDialog(third, nowhere);
  expect(await alertText(third, 'unavailable')).toBe(`The group chat service of ${nowhere} is unavailable, or the room is full.`);
  expect(await axeViolations(page, '.jsxc-join-room')).toEqual([]);
  await saveScreenshot(page, 'muc-join-error');
  await page.keyboard.press('Escape');
  // the rooms I am in are listed; the failed joins left nothing behind
  expect(await groupChats(page).getByRole('listitem').count()).toBe(2);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('create room: the configuration form is rendered from the data form and what I change is what the server reports', async () => {
  const me = await freshUser('mucme');
  const observer = await nodeClient();
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  const join = await openJoinDialog(page);
  await join.getByRole('button', { name: 'Create room' }).click();
  const create = page.getByRole('dialog', { name: 'Create room' });
  await create.waitFor();
  const local = uniqueRoom('made').split('@')[0];
  await create.getByRole('textbox', { name: 'Room name' }).fill('Tea time');
  await create.getByRole('textbox', { name: 'Room address (optional)' }).fill(local);
  await create.getByRole('button', { name: 'Create', exact: true }).click();

  const config = page.getByRole('dialog', { name: 'Group chat settings' });
  await config.waitFor({ timeout: 15000 });
  const title = config.getByRole('textbox', { name: 'Title', exact: true });
  await title.waitFor({ timeout: 15000 });
  expect(await title.inputValue()).toBe('Tea time'); // the name given when creating
  const membersOnly = config.getByRole('checkbox', { name: 'Only allow members to join' });
  expect(await membersOnly.isChecked()).toBe(false);
  // descriptions, lists and fixed texts come from the form
  expect(await config.getByRole('combobox', { name: 'Addresses (JIDs) of room occupants may be viewed by:' }).inputValue()).toBe('moderators');
  expect(await axeViolations(page, '.jsxc-room-config')).toEqual([]);
  await saveScreenshot(page, 'muc-room-config');
  await title.fill('Tea at five');
  await membersOnly.check();
  await config.getByRole('button', { name: 'Save' }).click();
  await config.waitFor({ state: 'detached', timeout: 15000 });

  const seen = observer.account.createMultiUserContact(`${local}@${getTestServer().mucDomain}`, 'observer');
  const info = await seen.refreshInfo();
  expect(info.name).toBe('Tea at five');
  expect(info.membersOnly).toBe(true);
  await groupChats(page).getByRole('listitem', { name: 'Tea at five' }).getByText('joined', { exact: true }).waitFor({ timeout: 5000 });

  // creating a room that exists is refused; Skip leaves a new room as it is
  const again = await openJoinDialog(page);
  await again.getByRole('button', { name: 'Create room' }).click();
  await create.getByRole('textbox', { name: 'Room name' }).fill('Tea time');
  await create.getByRole('textbox', { name: 'Room address (optional)' }).fill(local);
  await create.getByRole('button', { name: 'Create', exact: true }).click();
  expect(await alertText(create, 'exists already')).toContain(`The room ${local}@`);
  await create.getByRole('textbox', { name: 'Room address (optional)' }).fill('');
  await create.getByRole('textbox', { name: 'Room name' }).fill(`Quick ${local}`);
  await create.getByRole('button', { name: 'Create', exact: true }).click();
  await config.getByRole('textbox', { name: 'Title', exact: true }).waitFor({ timeout: 15000 });
  await config.getByRole('button', { name: 'Skip' }).click();
  await config.waitFor({ state: 'detached', timeout: 5000 });
  const quick = observer.account.createMultiUserContact(`quick-${local}@${getTestServer().mucDomain}`, 'observer');
  expect((await quick.refreshInfo()).name).toBe(`Quick ${local}`);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('invitations: one from a Node client is accepted in the browser (with its password), another declined; Invite sends one to a contact', async () => {
  const [me, friend] = await freshFriends(2, 'mucinv');
  const inviter = await nodeClient(friend);
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  await page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').first().waitFor({ timeout: 10000 });

  const room = await ownedRoom(inviter.account, 'host', { name: 'Locked', password: 'sesame' });
  await room.invite(me.jid, 'Come <b>in</b>', 'direct');
  const invitations = page.getByRole('list', { name: 'Group chat invitations' });
  const invitation = invitations.getByRole('listitem').filter({ hasText: room.jid });
  await invitation.waitFor({ timeout: 15000 });
  const text = await invitation.textContent();
  expect(text).toContain(friend.jid);
  expect(text).toContain('Come <b>in</b>'); // text, not markup
  expect(await axeViolations(page, '.jsxc-roster')).toEqual([]);
  await saveScreenshot(page, 'muc-roster-invitation');
  await invitation.getByRole('button', { name: 'Accept' }).click();
  await until(() => room.getOccupant(me.username) !== undefined, 15000, 'the inviter sees me join');
  await invitations.waitFor({ state: 'hidden', timeout: 5000 });
  await groupChats(page).getByRole('listitem', { name: 'Locked' }).getByText('joined', { exact: true }).waitFor({ timeout: 5000 });

  const other = await ownedRoom(inviter.account, 'host');
  await other.invite(me.jid, undefined, 'mediated');
  const second = invitations.getByRole('listitem').filter({ hasText: other.jid });
  await second.waitFor({ timeout: 15000 });
  const declines: string[] = [];
  other.on('invitation-declined', (by) => declines.push(by));
  await second.getByRole('button', { name: 'Decline' }).click();
  await invitations.waitFor({ state: 'hidden', timeout: 5000 });
  await until(() => declines.length === 1, 15000, 'the inviter hears the decline');
  expect(declines).toEqual([me.jid]);
  expect(other.getOccupant(me.username)).toBeUndefined();

  // sending: Invite to NAME on the joined room, the contact picked from the roster
  const received: RoomInvitation[] = [];
  inviter.account.rooms.on('invitation', (i) => received.push(i));
  const mine = groupChats(page).getByRole('listitem', { name: 'Locked' });
  await mine.getByRole('button', { name: 'Invite to Locked' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite to Locked' });
  await dialog.waitFor();
  const who = dialog.getByRole('combobox', { name: 'Contact to invite' });
  expect(await dialog.locator('datalist option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toContain(friend.jid);
  await dialog.getByRole('button', { name: 'Invite' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Please enter whom to invite.' }).waitFor();
  await who.fill(friend.jid);
  await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('Back in');
  expect(await axeViolations(page, '.jsxc-invite')).toEqual([]);
  await dialog.getByRole('button', { name: 'Invite' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 15000 });
  await until(() => received.length > 0, 15000, 'the invitation reaches the Node client');
  expect(received[0]).toMatchObject({ room: room.jid, from: me.jid, reason: 'Back in', kind: 'direct' });
  // the contact declines: the room's window says so, the reason as text
  await mine.getByRole('button', { name: 'Locked' }).first().click();
  const win = page.getByRole('region', { name: 'Group chat Locked' });
  await win.waitFor({ timeout: 10000 });
  await inviter.account.rooms.decline(received[0], 'Not <i>now</i>');
  await win.getByRole('status').filter({ hasText: `${friend.jid} declined the invitation: Not <i>now</i>` }).waitFor({ timeout: 15000 });
  expect(errors).toEqual([]);
  await page.context().close();
});

it('bookmark with autojoin: after a reload the room is joined again', async () => {
  const me = await freshUser('mucbm');
  const owner = await nodeClient();
  const room = await ownedRoom(owner.account, 'owner', { name: 'Bookmarked' });
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  const dialog = await openJoinDialog(page);
  await joinThroughDialog(dialog, room.jid);
  await dialog.waitFor({ state: 'detached', timeout: 15000 });
  const item = groupChats(page).getByRole('listitem', { name: 'Bookmarked' });
  const bookmark = item.getByRole('button', { name: 'Bookmark Bookmarked' });
  expect(await bookmark.getAttribute('aria-pressed')).toBe('false');
  await bookmark.click();
  await item.getByRole('button', { name: 'Bookmark Bookmarked', pressed: true }).waitFor({ timeout: 15000 });

  await page.reload();
  expect(await page.getByRole('list', { name: 'Group chats' }).count()).toBe(0); // a new page knows no room
  await startWidget(page, me);
  // the bookmark is loaded and its autojoin puts the new session in the room
  const back = groupChats(page).getByRole('listitem', { name: 'Bookmarked' });
  await back.getByText('joined', { exact: true }).waitFor({ timeout: 20000 });
  expect(await back.getByRole('button', { name: 'Bookmark Bookmarked' }).getAttribute('aria-pressed')).toBe('true');
  await until(() => room.occupants.some((o) => o.nick === me.username), 15000, 'the owner sees me in the room');

  // unbookmark: no autojoin any more
  await back.getByRole('button', { name: 'Bookmark Bookmarked' }).click();
  await back.getByRole('button', { name: 'Bookmark Bookmarked', pressed: false }).waitFor({ timeout: 15000 });
  expect(errors).toEqual([]);
  await page.context().close();
});

it('a room destroyed while I am in it says so in the roster, with the reason and the new venue', async () => {
  const me = await freshUser('mucgone');
  const owner = await nodeClient();
  const room = await ownedRoom(owner.account, 'owner', { name: 'Doomed' });
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  const dialog = await openJoinDialog(page);
  await joinThroughDialog(dialog, room.jid);
  await dialog.waitFor({ state: 'detached', timeout: 15000 });
  const item = groupChats(page).getByRole('listitem', { name: 'Doomed' });
  await item.getByText('joined', { exact: true }).waitFor({ timeout: 5000 });
  await room.destroy('Moving <out>', 'new@conference.example.org');
  await item.getByText('not joined', { exact: true }).waitFor({ timeout: 15000 });
  const text = await item.textContent();
  expect(text).toContain(`The room ${room.jid} was destroyed.`);
  expect(text).toContain('Reason: Moving <out>');
  expect(text).toContain('The conversation moved to new@conference.example.org.');
  expect(errors).toEqual([]);
  await page.context().close();
});

it("disabledPlugins: ['muc'] removes the group chat UI: no menu entry, no roster section, no invitations", async () => {
  const [me, friend] = await freshFriends(2, 'mucoff');
  const inviter = await nodeClient(friend);
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me, { options: { disabledPlugins: ['muc'] } });
  await page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').first().waitFor({ timeout: 10000 });
  // the page records invitations that reach the session, to know when one has arrived
  await page.evaluate((jid) => {
    const w = window as unknown as PageWindow & { invitationsSeen: number };
    w.invitationsSeen = 0;
    w.jsxc.getAccount(jid).xmpp.addHandler((s: Element) => {
      if (s.getElementsByTagNameNS('jabber:x:conference', 'x').length > 0) w.invitationsSeen += 1;
      return true;
    }, { name: 'message' });
  }, me.jid);
  const room = await ownedRoom(inviter.account, 'host');
  await room.invite(me.jid, 'hello', 'direct');
  await page.waitForFunction(() => (window as unknown as { invitationsSeen: number }).invitationsSeen > 0, undefined, { timeout: 15000 });
  await page.getByRole('button', { name: 'Main menu' }).click();
  const entries = await page.getByRole('menu').getByRole('menuitem').allTextContents();
  expect(entries.map((e) => e.trim())).not.toContain('Join group chat');
  expect(entries.map((e) => e.trim())).toContain('Log out');
  await page.keyboard.press('Escape');
  expect(await page.getByRole('button', { name: 'Join group chat' }).count()).toBe(0);
  expect(await page.getByRole('heading', { name: 'Group chats' }).count()).toBe(0);
  expect(await page.locator('.jsxc-rooms').count()).toBe(0);
  // the invitation reached the session, but nothing shows it
  expect(await page.getByRole('list', { name: 'Group chat invitations' }).count()).toBe(0);
  expect(errors).toEqual([]);
  await page.context().close();
});

it("disabledPlugins: ['bookmarks'] keeps group chat but offers no bookmark", async () => {
  const me = await freshUser('mucnobm');
  const owner = await nodeClient();
  const room = await ownedRoom(owner.account, 'owner', { name: 'Plain' });
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me, { options: { disabledPlugins: ['bookmarks'] } });
  const dialog = await openJoinDialog(page);
  await joinThroughDialog(dialog, room.jid);
  await dialog.waitFor({ state: 'detached', timeout: 15000 });
  const item = groupChats(page).getByRole('listitem', { name: 'Plain' });
  await item.getByText('joined', { exact: true }).waitFor({ timeout: 5000 });
  expect(await item.getByRole('button', { name: 'Leave Plain' }).count()).toBe(1);
  expect(await item.getByRole('button', { name: 'Bookmark Plain' }).count()).toBe(0);
  expect(errors).toEqual([]);
  await page.context().close();
});
