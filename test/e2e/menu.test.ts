// The main menu: jsxc.addMenuEntry(), built-in entries, keyboard use, the Settings and About dialogs.
import { Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { axeViolations } from '../helpers/axe';
import { useBrowserAndSite } from '../helpers/e2e-suite';
import { freshFriends, getTestServer } from '../helpers/test-server';


const e2e = useBrowserAndSite();

type Api = {
  start(...a: unknown[]): Promise<void>;
  addMenuEntry(o: unknown): void;
  disconnect(): Promise<void>;
};
type W = { JSXC: (new (o?: object) => Api) & { version: string }; jsxc: Api; clicks: string[]; changes: unknown[] };

const ICON = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2216%22 height=%2216%22%3E%3Ccircle cx=%228%22 cy=%228%22 r=%228%22/%3E%3C/svg%3E';

async function setUp(page: Page, options: Record<string, unknown> = {}): Promise<void> {
  await page.evaluate(
    async ({ icon, options }) => {
      const w = window as unknown as W;
      w.clicks = [];
      w.changes = [];
      w.jsxc = new w.JSXC({ onlineHelp: 'https://help.example.org/chat', onOptionChange: (id: string, key: string, value: unknown, exportId: () => unknown) => w.changes.push([id, key, value, exportId()]), ...options });
      w.jsxc.addMenuEntry({ id: 'profile', label: 'My profile', icon, handler: (ev: Event) => w.clicks.push(`profile:${ev.type}`) });
      w.jsxc.addMenuEntry({ id: 'status', label: 'Server status', offlineAvailable: true, handler: () => w.clicks.push('status') });
      await w.jsxc.start();
    },
    { icon: ICON, options },
  );
}

async function menuTexts(page: Page): Promise<Array<{ name: string; disabled: string | null }>> {
  const items = page.getByRole('menu').getByRole('menuitem');
  const out = [];
  for (let i = 0; i < (await items.count()); i++) {
    out.push({ name: (await items.nth(i).textContent())!.trim(), disabled: await items.nth(i).getAttribute('aria-disabled') });
  }
  return out;
}

it('offline: host entries under their label (icon as an image with empty alt, disabled unless offlineAvailable) and the built-in ones', async () => {
  const { page, errors } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  await setUp(page);
  const button = page.getByRole('button', { name: 'Main menu' });
  expect(await button.getAttribute('aria-expanded')).toBe('false');
  await button.click();
  expect(await button.getAttribute('aria-expanded')).toBe('true');
  expect(await menuTexts(page)).toEqual([
    { name: 'My profile', disabled: 'true' },
    { name: 'Server status', disabled: null },
    { name: 'Join group chat', disabled: 'true' },
    { name: 'Log in', disabled: null },
    { name: 'Settings', disabled: null },
    { name: 'Online help', disabled: null },
    { name: 'About', disabled: null },
  ]);
  const icon = page.getByRole('menuitem', { name: 'My profile' }).locator('img');
  expect(await icon.getAttribute('alt')).toBe('');
  expect(await icon.getAttribute('src')).toBe(ICON);
  expect(await icon.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
  expect(await icon.getAttribute('style')).toBeNull();
  const help = page.getByRole('menuitem', { name: 'Online help' });
  expect([await help.getAttribute('href'), await help.getAttribute('target'), await help.getAttribute('rel')]).toEqual(['https://help.example.org/chat', '_blank', 'noopener noreferrer']);
  // a disabled entry does nothing; an offlineAvailable one runs its handler and closes the menu
  await page.getByRole('menuitem', { name: 'My profile' }).click({ force: true });
  expect(await page.getByRole('menu').isVisible()).toBe(true);
  await page.getByRole('menuitem', { name: 'Server status' }).click();
  expect(await page.evaluate(() => (window as unknown as W).clicks)).toEqual(['status']);
  expect(await page.getByRole('menu').isVisible()).toBe(false);
  // axe: no WCAG A/AA violations with the menu open
  await button.click();
  expect(await axeViolations(page, '.jsxc-root')).toEqual([]);
  // "Log in" opens the login box
  await page.getByRole('menuitem', { name: 'Log in' }).click();
  await page.getByRole('dialog', { name: 'Log in' }).waitFor();
  expect(errors).toEqual([]);
  await page.context().close();
});

it('works by keyboard: Enter opens on the first entry, arrows move and wrap, Escape closes and returns focus, Tab leaves', async () => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  await setUp(page);
  const button = page.getByRole('button', { name: 'Main menu' });
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.getAttribute('aria-label'));
  await button.focus();
  await page.keyboard.press('Enter');
  expect(await focused()).toBe('My profile');
  await page.keyboard.press('ArrowDown');
  expect(await focused()).toBe('Server status');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await focused()).toBe('About');
  await page.keyboard.press('Home');
  expect(await focused()).toBe('My profile');
  await page.keyboard.press('End');
  expect(await focused()).toBe('About');
  await page.keyboard.press('Escape');
  expect(await page.getByRole('menu').isVisible()).toBe(false);
  expect(await focused()).toBe('Main menu');
  // Space opens too; Enter on an entry activates it
  await page.keyboard.press(' ');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => (window as unknown as W).clicks)).toEqual(['status']);
  expect(await focused()).toBe('Main menu');
  // ArrowUp on the button opens on the last entry; Tab closes the menu and moves on
  await page.keyboard.press('ArrowUp');
  expect(await focused()).toBe('About');
  await page.keyboard.press('Tab');
  expect(await page.getByRole('menu').isVisible()).toBe(false);
  expect(await page.evaluate(() => document.querySelector('.jsxc-mainmenu')!.contains(document.activeElement))).toBe(false);
  await page.context().close();
});

it('online: host entries are enabled, "Log out" replaces "Log in" and disconnects; "About" lists the version and the features with their XEPs', async () => {
  const [me, friend] = await freshFriends(2);
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  await setUp(page);
  await page.evaluate(({ jid, password }) => (window as unknown as W).jsxc.start('/http-bind/', jid, password), { jid: me.jid, password: me.password });
  await page.getByRole('listitem').filter({ hasText: friend.username }).waitFor();
  await page.getByRole('button', { name: 'Main menu' }).click();
  expect((await menuTexts(page)).map((i) => `${i.name}${i.disabled ? ' (disabled)' : ''}`)).toEqual(['My profile', 'Server status', 'Join group chat', 'Log out', 'Settings', 'Online help', 'About']);
  await page.getByRole('menuitem', { name: 'My profile' }).click();
  expect(await page.evaluate(() => (window as unknown as W).clicks)).toEqual(['profile:click']);

  await page.getByRole('button', { name: 'Main menu' }).click();
  await page.getByRole('menuitem', { name: 'About' }).click();
  const about = page.getByRole('dialog', { name: 'About' });
  const version = await page.evaluate(() => (window as unknown as W).JSXC.version);
  expect(await about.textContent()).toContain(`Version ${version}`);
  const features = await about.getByRole('listitem').allTextContents();
  expect(features).toEqual(
    expect.arrayContaining(['Service discovery and entity capabilities: XEP-0030 Service Discovery, XEP-0115 Entity Capabilities', 'XMPP Ping: XEP-0199 XMPP Ping']),
  );
  expect(await axeViolations(page, '.jsxc-root')).toEqual([]);
  await page.keyboard.press('Escape');
  await about.waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Main menu' }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Offline' }).waitFor();
  await page.getByRole('button', { name: 'Main menu' }).click();
  expect((await menuTexts(page)).map((i) => i.name)).toContain('Log in');
  await page.context().close();
});

it('About leaves out disabled plugins', async () => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  await setUp(page, { disabledPlugins: ['ping'] });
  await page.getByRole('button', { name: 'Main menu' }).click();
  await page.getByRole('menuitem', { name: 'About' }).click();
  const text = await page.getByRole('dialog', { name: 'About' }).textContent();
  expect(text).toContain('XEP-0030');
  expect(text).not.toContain('XEP-0199');
  await page.context().close();
});

it('addMenuEntry() with bad input throws a TypeError naming the field', async () => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  const results = await page.evaluate(() => {
    const w = window as unknown as W;
    const jsxc = new w.JSXC();
    const h = () => undefined;
    jsxc.addMenuEntry({ id: 'a', label: 'A', handler: h });
    const cases: unknown[] = [
      undefined,
      'entry',
      { label: 'B', handler: h },
      { id: 'b', handler: h },
      { id: 'b', label: 'B' },
      { id: 'b', label: 'B', handler: 'alert(1)' },
      { id: 42, label: 'B', handler: h },
      { id: 'b', label: 'B', handler: h, icon: 7 },
      { id: 'b', label: 'B', handler: h, offlineAvailable: 'yes' },
      { id: 'b', label: 'B', handler: h, colour: 'red' },
      { id: 'a', label: 'Again', handler: h },
    ];
    return cases.map((c) => {
      try {
        jsxc.addMenuEntry(c);
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    });
  });
  expect(results).toEqual([
    'TypeError: addMenuEntry(options): options must be an object with id, label and handler, got nothing (undefined)',
    'TypeError: addMenuEntry(options): options must be an object with id, label and handler, got the string "entry"',
    'TypeError: addMenuEntry(options): options.id must be a non-empty string, got nothing (undefined)',
    'TypeError: addMenuEntry(options): options.label must be a non-empty string, got nothing (undefined)',
    'TypeError: addMenuEntry(options): options.handler must be a function, got nothing (undefined)',
    'TypeError: addMenuEntry(options): options.handler must be a function, got the string "alert(1)"',
    'TypeError: addMenuEntry(options): options.id must be a non-empty string, got a number',
    'TypeError: addMenuEntry(options): options.icon must be a non-empty string, got a number',
    'TypeError: addMenuEntry(options): options.offlineAvailable must be true or false, got the string "yes"',
    'TypeError: addMenuEntry(options): unknown field "colour" (known: id, label, handler, icon, offlineAvailable)',
    'TypeError: addMenuEntry(options): options.id "a" is used by another menu entry already',
  ]);
  await page.context().close();
});

describe('Settings', () => {
  it('"Hide offline contacts" in the Settings dialog hides them at once and tells the host through onOptionChange', async () => {
    const [me, online, offline] = await freshFriends(3);
    const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    const other = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    await other.page.evaluate(({ jid, password }) => new (window as unknown as W).JSXC().start('/http-bind/', jid, password), { jid: online.jid, password: online.password });
    await setUp(page);
    await page.evaluate(({ jid, password }) => (window as unknown as W).jsxc.start('/http-bind/', jid, password), { jid: me.jid, password: me.password });
    const list = page.getByRole('list', { name: 'Contacts' });
    await list.getByRole('listitem').filter({ hasText: online.username }).filter({ hasText: 'online' }).waitFor();
    await list.getByRole('listitem').filter({ hasText: offline.username }).waitFor();

    await page.getByRole('button', { name: 'Main menu' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const box = dialog.getByRole('checkbox', { name: 'Hide offline contacts' });
    expect(await box.isChecked()).toBe(false);
    expect(await axeViolations(page, '.jsxc-root')).toEqual([]);
    await box.press('Space');
    await list.getByRole('listitem').filter({ hasText: offline.username }).waitFor({ state: 'detached' });
    expect(await list.getByRole('listitem').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as W).changes)).toEqual([['client', 'hideOfflineContacts', true, { hideOfflineContacts: true }]]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // focus returns to the main menu button
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Main menu');
    await page.context().close();
    await other.page.context().close();
  });

  it('values from loadOptions(jid, password) apply on login, from the login box and from start(url, jid, password)', async () => {
    const [me, offline] = await freshFriends(2);
    const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    const calls = await page.evaluate(
      async ({ password, domain }) => {
        const w = window as unknown as W & { calls: unknown[] };
        w.calls = [];
        w.jsxc = new w.JSXC({
          loadConnectionOptions: () => Promise.resolve({ xmpp: { url: '/http-bind/', domain } }),
          loadOptions: (j: string, p: string) => {
            w.calls.push([j, p === password]);
            return Promise.resolve({ client: { hideOfflineContacts: true } });
          },
        });
        await w.jsxc.start();
        w.jsxc.disconnect();
        return w.calls;
      },
      { password: me.password, domain: getTestServer().domain },
    );
    expect(calls).toEqual([]);
    // the login box
    await page.getByRole('button', { name: 'Log in' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Log in' });
    await dialog.getByRole('textbox', { name: 'Username' }).fill(me.username);
    await dialog.getByLabel('Password').fill(me.password);
    await dialog.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('status', { name: 'Connection' }).filter({ hasText: 'Online' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { calls: unknown[] }).calls)).toEqual([[me.jid, true]]);
    // the offline contact is hidden; the setting shows checked
    await page.waitForTimeout(300);
    expect(await page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: offline.username }).count()).toBe(0);
    await page.getByRole('button', { name: 'Main menu' }).click();
    await page.getByRole('menuitem', { name: 'Settings' }).click();
    expect(await page.getByRole('dialog', { name: 'Settings' }).getByRole('checkbox', { name: 'Hide offline contacts' }).isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    const again = await page.evaluate(
      async ({ jid, password }) => {
        const w = window as unknown as W & { calls: unknown[] };
        await w.jsxc.disconnect();
        await w.jsxc.start('/http-bind/', jid, password);
        return w.calls;
      },
      { jid: me.jid, password: me.password },
    );
    expect(again).toEqual([
      [me.jid, true],
      [me.jid, true],
    ]);
    await page.context().close();
  });
});
