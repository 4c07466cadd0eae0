import { Page } from 'playwright-core';
import { axeViolations, browserWithParties, PageWindow, rosterPage, saveScreenshot } from '../helpers/roster-page';
import { freshFriends, freshUser } from '../helpers/test-server';
import { sendChat, until } from '../helpers/xmpp-node';

// What a person does with the contact list, seen from the other party (a Node client).
const setup = browserWithParties();
const online = setup.online;

const contactsList = (page: Page) => page.getByRole('list', { name: 'Contacts' });

async function openContactMenu(page: Page, name: string): Promise<void> {
  await contactsList(page).getByRole('listitem', { name }).first().getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menu', { name: `Actions for ${name}` }).waitFor({ timeout: 5000 });
}

it('own presence: the menu sets away with a status text that the other party sees; Offline disconnects', async () => {
  const [me, friend] = await freshFriends(2);
  const watcher = await online(friend);
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  await until('friend sees me online', () => watcher.roster.get(me.jid)?.presence === 'online');
  const presence = page.getByRole('button', { name: 'Presence' });
  expect(await presence.textContent()).toContain('Online');
  await page.getByRole('textbox', { name: 'Status message' }).fill('Back at 3 <script>');
  await presence.click();
  const menu = page.getByRole('menu', { name: 'Presence' });
  expect(await menu.getByRole('menuitemradio').allTextContents()).toEqual(['Online', 'Away', 'Do not disturb', 'Extended away', 'Offline']);
  expect(await menu.getByRole('menuitemradio', { name: 'Online' }).getAttribute('aria-checked')).toBe('true');
  expect(await axeViolations(page, '.jsxc-roster')).toEqual([]);
  await menu.getByRole('menuitemradio', { name: 'Away', exact: true }).click();
  await until('friend sees away', () => watcher.roster.get(me.jid)?.presence === 'away');
  expect(watcher.roster.get(me.jid)!.statusText).toBe('Back at 3 <script>');
  expect(await presence.textContent()).toContain('Away');
  // a new status text with Enter keeps the presence
  const status = page.getByRole('textbox', { name: 'Status message' });
  await status.fill('Gone fishing');
  await status.press('Enter');
  await until('friend sees the new text', () => watcher.roster.get(me.jid)?.statusText === 'Gone fishing');
  expect(watcher.roster.get(me.jid)!.presence).toBe('away');
  // by keyboard: ArrowDown on the button opens the menu on the chosen entry
  await presence.focus();
  await page.keyboard.press('ArrowDown');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Away');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await until('friend sees dnd', () => watcher.roster.get(me.jid)?.presence === 'dnd');
  await presence.click();
  await page.getByRole('menuitemradio', { name: 'Offline' }).click();
  await until('friend sees me offline', () => watcher.roster.get(me.jid)?.presence === 'offline');
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Offline' }).waitFor({ timeout: 5000 });
  expect(await presence.textContent()).toContain('Offline');
  expect(errors).toEqual([]);
  await page.context().close();
});

it('add a contact with getUsers suggestions: roster set + subscribe; the other side accepts', async () => {
  const me = await freshUser('me');
  const newcomer = await freshUser('newcomer');
  const theirs = await online(newcomer);
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me, { users: { [newcomer.jid]: 'New Comer', 'someone@else.example': 'Someone Else' } });
  await page.getByRole('button', { name: 'Add contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add contact' });
  await dialog.waitFor();
  const address = dialog.getByRole('combobox', { name: 'Chat address' });
  expect(await address.evaluate((el) => el === document.activeElement)).toBe(true);
  await address.pressSequentially('newc');
  const options = dialog.getByRole('listbox', { name: 'Suggestions' }).getByRole('option');
  await options.first().waitFor({ timeout: 5000 });
  expect(await options.count()).toBe(1);
  expect(await options.first().textContent()).toContain('New Comer');
  // debounced: one question for the whole word, not one per key
  expect(await page.evaluate(() => (window as unknown as { askedUsers: string[] }).askedUsers)).toEqual(['newc']);
  expect(await axeViolations(page, '.jsxc-add-contact')).toEqual([]);
  await address.press('ArrowDown');
  expect(await address.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'));
  expect(await options.first().getAttribute('aria-selected')).toBe('true');
  await address.press('Enter');
  expect(await address.inputValue()).toBe(newcomer.jid);
  expect(await dialog.getByRole('textbox', { name: 'Name (optional)' }).inputValue()).toBe('New Comer');
  await dialog.getByRole('combobox', { name: 'Group (optional)' }).or(dialog.getByRole('textbox', { name: 'Group (optional)' })).fill('Team');
  await saveScreenshot(page, 'add-contact-dialog');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 5000 });
  const item = contactsList(page).getByRole('list', { name: 'Team' }).getByRole('listitem', { name: 'New Comer' });
  await item.filter({ hasText: 'request sent' }).waitFor({ timeout: 5000 });
  // the other side gets the request and accepts it (and we accept theirs in return)
  await until('request arrives', () => theirs.roster.requests().some((r) => r.jid === me.jid));
  theirs.answerSubscription(me.jid, true);
  const request = page.getByRole('list', { name: 'Contact requests' }).getByRole('listitem').filter({ hasText: newcomer.jid });
  await request.waitFor({ timeout: 5000 });
  await request.getByRole('button', { name: 'Accept' }).click();
  await until('mutual', () => theirs.roster.get(me.jid)?.subscription === 'both');
  await item.filter({ hasText: 'online' }).waitFor({ timeout: 5000 });
  expect(errors).toEqual([]);
  await page.context().close();
});

it('a bad address is reported in the dialog, which stays open; Escape closes the suggestions first, then the dialog', async () => {
  const me = await freshUser('me');
  const { page } = await rosterPage(setup.browser(), setup.site().url, me, { users: { 'x@y.example': 'X' } });
  await page.getByRole('button', { name: 'Add contact' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add contact' });
  const address = dialog.getByRole('combobox', { name: 'Chat address' });
  await dialog.getByRole('button', { name: 'Add' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Please enter a chat address.' }).waitFor();
  await address.fill('bad@@address');
  await dialog.getByRole('button', { name: 'Add' }).click();
  await dialog.getByRole('alert').filter({ hasText: '"bad@@address" is not a valid chat address.' }).waitFor();
  await address.fill('');
  await address.pressSequentially('x@');
  await dialog.getByRole('option').first().waitFor({ timeout: 5000 });
  await page.keyboard.press('Escape');
  expect(await address.getAttribute('aria-expanded')).toBe('false');
  expect(await dialog.isVisible()).toBe(true);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached', timeout: 5000 });
  await page.context().close();
});

it('incoming requests: Accept subscribes back, Decline refuses', async () => {
  const me = await freshUser('me');
  const [asker, pest] = [await freshUser('asker'), await freshUser('pest')];
  const askerClient = await online(asker);
  const pestClient = await online(pest);
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  await askerClient.addContact({ jid: me.jid, groups: [] });
  await pestClient.addContact({ jid: me.jid, groups: [] });
  const requests = page.getByRole('list', { name: 'Contact requests' }).getByRole('listitem');
  await until('two requests', async () => (await requests.count()) === 2);
  expect(await axeViolations(page, '.jsxc-roster')).toEqual([]);
  await requests.filter({ hasText: pest.jid }).getByRole('button', { name: 'Decline' }).click();
  await until('pest refused', () => pestClient.roster.get(me.jid) && !pestClient.roster.get(me.jid)!.pendingOut && pestClient.roster.get(me.jid)!.subscription === 'none');
  await requests.filter({ hasText: asker.jid }).getByRole('button', { name: 'Accept' }).click();
  await until('asker sees our presence', () => askerClient.roster.get(me.jid)?.subscription === 'to');
  // we asked back; the asker accepts
  await until('our request arrives', () => askerClient.roster.requests().some((r) => r.jid === me.jid));
  askerClient.answerSubscription(me.jid, true);
  await contactsList(page).getByRole('listitem', { name: asker.username }).filter({ hasText: 'online' }).waitFor({ timeout: 5000 });
  expect(await requests.count()).toBe(0);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('rename and change groups, then remove after confirming', async () => {
  const [me, friend] = await freshFriends(2);
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  await contactsList(page).getByRole('listitem', { name: friend.username }).waitFor({ timeout: 5000 });
  await openContactMenu(page, friend.username);
  await page.getByRole('menuitem', { name: 'Rename or change groups' }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${friend.username}` });
  await dialog.waitFor();
  expect(await axeViolations(page, '.jsxc-edit-contact')).toEqual([]);
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Best Friend');
  await dialog.getByRole('textbox', { name: 'New group' }).fill('Inner circle');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached', timeout: 5000 });
  const renamed = contactsList(page).getByRole('list', { name: 'Inner circle' }).getByRole('listitem', { name: 'Best Friend' });
  await renamed.waitFor({ timeout: 5000 });
  // a second group, through the checkbox of the existing one plus a new one
  await openContactMenu(page, 'Best Friend');
  await page.getByRole('menuitem', { name: 'Rename or change groups' }).click();
  const again = page.getByRole('dialog', { name: 'Edit Best Friend' });
  expect(await again.getByRole('checkbox', { name: 'Inner circle' }).isChecked()).toBe(true);
  await again.getByRole('textbox', { name: 'New group' }).fill('Family');
  await again.getByRole('button', { name: 'Save' }).click();
  await contactsList(page).getByRole('list', { name: 'Family' }).getByRole('listitem', { name: 'Best Friend' }).waitFor({ timeout: 5000 });
  expect(await contactsList(page).getByRole('listitem', { name: 'Best Friend' }).count()).toBe(2);

  await openContactMenu(page, 'Best Friend');
  await page.getByRole('menuitem', { name: 'Remove contact' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove Best Friend?' });
  await confirm.waitFor();
  expect(await axeViolations(page, '.jsxc-confirm')).toEqual([]);
  // Escape cancels
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  expect(await contactsList(page).getByRole('listitem', { name: 'Best Friend' }).count()).toBe(2);
  await openContactMenu(page, 'Best Friend');
  await page.getByRole('menuitem', { name: 'Remove contact' }).click();
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await until('removed', async () => (await contactsList(page).getByRole('listitem', { name: 'Best Friend' }).count()) === 0);
  // and the server agrees: a fresh session has no such contact
  const check = await online(me);
  expect(check.roster.get(friend.jid)).toBeUndefined();
  expect(errors).toEqual([]);
  await page.context().close();
});

it('block and unblock (XEP-0191): the blocked party’s messages and presence do not arrive', async () => {
  const [me, pest] = await freshFriends(2);
  const pestClient = await online(pest);
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  const item = contactsList(page).getByRole('listitem', { name: pest.username });
  await item.filter({ hasText: 'online' }).waitFor({ timeout: 5000 });
  await page.evaluate((uid) => {
    const w = window as unknown as PageWindow & { inbox: string[] };
    w.inbox = [];
    w.jsxc.getAccount(uid).xmpp.addHandler((m) => w.inbox.push(m.getElementsByTagName('body')[0]?.textContent ?? ''), { name: 'message' });
  }, me.jid);
  const inbox = () => page.evaluate(() => (window as unknown as { inbox: string[] }).inbox.filter((b) => b !== ''));

  await openContactMenu(page, pest.username);
  await page.getByRole('menuitem', { name: 'Block' }).click();
  const confirm = page.getByRole('dialog', { name: `Block ${pest.username}?` });
  expect(await axeViolations(page, '.jsxc-confirm')).toEqual([]);
  await confirm.getByRole('button', { name: 'Block' }).click();
  await item.filter({ hasText: 'blocked' }).waitFor({ timeout: 5000 });
  await until('pest sees me offline', () => pestClient.roster.get(me.jid)?.presence === 'offline');
  sendChat(pestClient, me.jid, 'spam while blocked');
  await pestClient.setPresence('away', 'spam status');
  await new Promise((r) => setTimeout(r, 500));
  expect(await inbox()).toEqual([]);
  expect(await item.textContent()).not.toContain('spam status');

  await openContactMenu(page, pest.username);
  await page.getByRole('menuitem', { name: 'Unblock' }).click();
  await until('unblocked', async () => !(await item.textContent())?.includes('blocked'));
  sendChat(pestClient, me.jid, 'hello again');
  await until('message arrives', async () => (await inbox()).includes('hello again'));
  expect(await inbox()).toEqual(['hello again']);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('right-to-left: the roster docks at the left and mirrors its layout', async () => {
  const [me] = await freshFriends(2);
  const { page } = await rosterPage(setup.browser(), setup.site().url, me);
  await page.evaluate(() => document.querySelector('.jsxc-root')!.setAttribute('dir', 'rtl'));
  await page.setViewportSize({ width: 1280, height: 800 });
  const box = await page.getByRole('complementary', { name: 'Chat' }).boundingBox();
  expect(box!.x).toBe(0);
  const toggle = await page.getByRole('button', { name: 'Toggle contact list' }).boundingBox();
  const state = await page.getByRole('status', { name: 'Connection' }).boundingBox();
  expect(toggle!.x).toBeGreaterThan(state!.x);
  await saveScreenshot(page, 'roster-light-desktop-rtl');
  await page.context().close();
});
