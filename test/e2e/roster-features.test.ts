import { Page } from 'playwright-core';
import { consistentHue } from '../../src/ui/consistentColor';
import { sha1Hex, solidPng } from '../helpers/png';
import { axeViolations, browserWithParties, PageWindow, rosterPage, saveScreenshot, startWidget } from '../helpers/roster-page';
import { freshUser, seedRoster, TestUser } from '../helpers/test-server';
import { publishPepAvatar, publishVCardAvatar, until } from '../helpers/xmpp-node';

// The contact list in Chromium against the real Prosody, with other parties as Node clients.
const setup = browserWithParties();
const online = setup.online;

/** `me` and contacts with the given names and groups, mutual subscriptions. */
async function withContacts(specs: Array<{ name: string; groups?: string[] }>): Promise<{ me: TestUser; contacts: TestUser[] }> {
  const me = await freshUser('me');
  const contacts: TestUser[] = [];
  for (const spec of specs) {
    const user = await freshUser(spec.name.toLowerCase().replace(/\W+/g, ''));
    contacts.push(user);
    seedRoster(user.username, [{ jid: me.jid, name: 'Me' }]);
  }
  seedRoster(
    me.username,
    specs.map((spec, i) => ({ jid: contacts[i].jid, name: spec.name, groups: spec.groups })),
  );
  return { me, contacts };
}

function roster(page: Page) {
  const panel = page.getByRole('complementary', { name: 'Chat' });
  return { panel, list: panel.getByRole('list', { name: 'Contacts' }) };
}

describe('the contact list', () => {
  it('shows avatars (vCard and PEP), XEP-0392 initials, groups that collapse, search, unread counts; passes axe; screenshots', async () => {
    const { me, contacts } = await withContacts([
      { name: 'Ada Lovelace', groups: ['Work', 'Friends'] },
      { name: 'Bob <b>bold</b>', groups: ['Work'] },
      { name: 'Carol' },
      { name: 'Dave', groups: ['Family'] },
    ]);
    const [ada, bob, carol, dave] = contacts;
    const adaClient = await online(ada);
    const bobClient = await online(bob);
    const carolClient = await online(carol);
    const adaPng = solidPng(48, [230, 120, 40]);
    const bobPng = solidPng(48, [40, 140, 200]);
    await publishVCardAvatar(adaClient, adaPng, sha1Hex(adaPng));
    await publishPepAvatar(bobClient, bobPng, sha1Hex(bobPng));
    await carolClient.setPresence('away', 'Lunch <img src=x onerror=alert(1)>');

    const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
    const { list } = roster(page);
    // Ada is in two groups: she appears in each
    const adaItems = list.getByRole('listitem', { name: 'Ada Lovelace' });
    await until('ada twice', async () => (await adaItems.count()) === 2);
    // avatars: from the vCard (Ada) and from PEP (Bob), as blob: URLs
    await page.waitForFunction((jid) => document.querySelectorAll(`.jsxc-contact[data-jid="${jid}"] img.jsxc-avatar__image`).length === 2, ada.jid, { timeout: 5000 });
    await page.waitForFunction((jid) => document.querySelector(`.jsxc-contact[data-jid="${jid}"] img.jsxc-avatar__image`) !== null, bob.jid, { timeout: 5000 });
    expect(await page.locator(`.jsxc-contact[data-jid="${bob.jid}"] img`).getAttribute('src')).toMatch(/^blob:/);
    // initials in the XEP-0392 colour of the JID, the same wherever the JID appears
    const daveItem = list.getByRole('listitem', { name: 'Dave' });
    expect(await daveItem.locator('.jsxc-avatar').textContent()).toBe('D');
    const hue = await daveItem.locator('.jsxc-avatar').evaluate((el) => (el as HTMLElement).style.getPropertyValue('--jsxc-avatar-hue'));
    expect(Number(hue)).toBeCloseTo(consistentHue(dave.jid), 1);
    // hostile names and status texts are text
    await list.getByRole('listitem', { name: 'Carol' }).filter({ hasText: 'away' }).waitFor({ timeout: 5000 });
    expect(await list.getByRole('listitem', { name: 'Carol' }).textContent()).toContain('Lunch <img src=x onerror=alert(1)>');
    expect(await list.getByRole('listitem', { name: 'Bob <b>bold</b>' }).count()).toBe(1);
    expect(await page.locator('.jsxc-root b, .jsxc-root img:not(.jsxc-avatar__image)').count()).toBe(0);

    // groups: online first, then by name, inside each group; "Contacts without group" last
    const groupButtons = list.locator('.jsxc-group__toggle');
    expect(await groupButtons.allTextContents()).toEqual(['Family 1', 'Friends 1', 'Work 2', 'Contacts without group 1']);
    const work = list.getByRole('list', { name: 'Work' });
    await until('ada and bob online', async () => (await work.getByRole('listitem').filter({ hasText: 'online' }).count()) === 2);
    expect(await work.getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Ada Lovelace', 'Bob <b>bold</b>']);
    const workButton = list.getByRole('button', { name: /^Work/ });
    expect(await workButton.getAttribute('aria-expanded')).toBe('true');
    await workButton.click();
    expect(await workButton.getAttribute('aria-expanded')).toBe('false');
    expect(await work.getByRole('listitem').first().isVisible()).toBe(false);
    await workButton.click();
    await work.getByRole('listitem').first().waitFor({ state: 'visible', timeout: 5000 });
    // flat: each contact once
    const grouping = page.getByRole('button', { name: 'Show groups' });
    await grouping.click();
    expect(await grouping.getAttribute('aria-pressed')).toBe('false');
    await until('flat list', async () => (await list.getByRole('listitem').count()) === 4);
    expect(await list.getByRole('listitem').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Ada Lovelace', 'Bob <b>bold</b>', 'Carol', 'Dave']);
    await grouping.click();

    // search by name and by JID, as one types; Escape clears
    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    await search.pressSequentially('car');
    expect(await list.locator('.jsxc-contact').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Carol']);
    await search.fill(dave.username.slice(0, 8));
    expect(await list.locator('.jsxc-contact').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Dave']);
    await search.fill('nobody-is-called-that');
    await page.getByText('No contact matches your search.').waitFor({ timeout: 5000 });
    await search.press('Escape');
    expect(await search.inputValue()).toBe('');
    expect(await list.locator('.jsxc-contact').count()).toBe(5);

    // unread count, rendered inside the contact's listitem
    await page.evaluate(({ uid, jid }) => (window as unknown as PageWindow).jsxc.getAccount(uid).getContact(jid)!.setUnreadCount(3), { uid: me.jid, jid: carol.jid });
    await list.getByRole('listitem', { name: 'Carol' }).filter({ hasText: '3 unread' }).waitFor({ timeout: 5000 });
    // and for a screen reader: the item's description (its name is the contact's name only)
    expect(await list.getByRole('listitem', { name: 'Carol' }).getAttribute('aria-description')).toBe('away – Lunch <img src=x onerror=alert(1)>, 3 unread');

    expect(await axeViolations(page, '.jsxc-root')).toEqual([]);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [size, viewport] of [
        ['desktop', { width: 1280, height: 800 }],
        ['phone', { width: 390, height: 844 }],
      ] as const) {
        await page.setViewportSize(viewport);
        await saveScreenshot(page, `roster-${scheme}-${size}`);
      }
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeViolations(page, '.jsxc-root')).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60000);

  it('avatars are cached by hash in IndexedDB: after a reload they show without being fetched again', async () => {
    const { me, contacts } = await withContacts([{ name: 'Pic' }]);
    const [pic] = contacts;
    const picClient = await online(pic);
    const png = solidPng(16, [90, 160, 60]);
    await publishVCardAvatar(picClient, png, sha1Hex(png));
    // record what the page sends over BOSH
    const { page } = await rosterPage(setup.browser(), setup.site().url, me, {
      beforeLoad: (p) =>
        void p.addInitScript(() => {
          const w = window as unknown as { sent: string[] };
          w.sent = [];
          const send = XMLHttpRequest.prototype.send;
          XMLHttpRequest.prototype.send = function (body?: Document | XMLHttpRequestBodyInit | null) {
            w.sent.push(String(body ?? ''));
            return send.call(this, body);
          };
        }),
    });
    const avatarFetches = () => page.evaluate(() => (window as unknown as { sent: string[] }).sent.filter((b) => /<vCard xmlns=.vcard-temp.\/>|urn:xmpp:avatar:data/.test(b)).length);
    const image = page.locator(`.jsxc-contact[data-jid="${pic.jid}"] img.jsxc-avatar__image`);
    await image.waitFor({ timeout: 5000 });
    expect(await avatarFetches()).toBe(1);
    await page.reload();
    await startWidget(page, me);
    await image.waitFor({ timeout: 5000 });
    expect(await avatarFetches()).toBe(0);
    await page.context().close();
  });

  it('hideOfflineContacts keeps working with groups and search', async () => {
    const { me, contacts } = await withContacts([{ name: 'Online One', groups: ['G'] }, { name: 'Offline One', groups: ['G'] }, { name: 'Online Two' }]);
    await online(contacts[0]);
    await online(contacts[2]);
    const { page } = await rosterPage(setup.browser(), setup.site().url, me, { options: { hideOfflineContacts: true } });
    const { list } = roster(page);
    await until('two online', async () => (await list.locator('.jsxc-contact').count()) === 2);
    expect(await list.getByRole('listitem', { name: 'Offline One' }).count()).toBe(0);
    await page.getByRole('searchbox', { name: 'Search contacts' }).fill('one');
    expect(await list.locator('.jsxc-contact').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Online One']);
    await page.context().close();
  });

  it('keyboard only: open the roster, search a contact, move to it with arrows, open its menu', async () => {
    const { me } = await withContacts([{ name: 'Anna' }, { name: 'Bert' }, { name: 'Berta' }]);
    const { page } = await rosterPage(setup.browser(), setup.site().url, me, { options: { rosterVisibility: 'hidden' } });
    const toggle = page.getByRole('button', { name: 'Toggle contact list' });
    await saveScreenshot(page, 'roster-light-desktop-hidden');
    await page.locator('body').press('Tab');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const search = page.getByRole('searchbox', { name: 'Search contacts' });
    for (let i = 0; i < 6 && !(await search.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('ber');
    await page.keyboard.press('ArrowDown');
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(await focusedName()).toBe('Bert');
    await page.keyboard.press('ArrowDown');
    expect(await focusedName()).toBe('Berta');
    await page.keyboard.press('ArrowUp');
    expect(await focusedName()).toBe('Bert');
    // one tab stop for the list: Shift+Tab leaves it, Tab comes back to the same contact
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('Bert');
    await page.keyboard.press('Shift+F10');
    const menu = page.getByRole('menu', { name: 'Actions for Bert' });
    await menu.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Open chat');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('menuitem');
    await page.keyboard.press('Escape');
    expect(await menu.count()).toBe(0);
    // Escape in the search field clears it
    await search.focus();
    await page.keyboard.press('Escape');
    expect(await search.inputValue()).toBe('');
    await page.context().close();
  });
});
