import { openPage, STATUS, useBrowserAndSite } from '../helpers/browser';
import { freshFriends, freshUser, getTestServer } from '../helpers/test-server';

const env = useBrowserAndSite();

type PageWindow = {
  JSXC: new (o?: object) => { start: (...a: string[]) => Promise<void>; disconnect(): Promise<void> };
  statuses: number[];
  jsxc: { start: (...a: string[]) => Promise<void>; disconnect(): Promise<void> };
};

async function storedKeys(page: import('playwright-core').Page): Promise<{ local: number; session: number; idb: string[]; cookies: string }> {
  return page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    idb: (await indexedDB.databases()).map((d) => d.name ?? ''),
    cookies: document.cookie,
  }));
}

it('start() shows an empty contact list whose log-in action opens the login box, which connects', async () => {
  const [me, friend] = await freshFriends(2);
  const { page, errors } = await openPage(env.browser, `${env.site.url}/basic.html`);
  const domain = getTestServer().domain;
  await page.evaluate(async (domain) => {
    const w = window as unknown as PageWindow;
    w.statuses = [];
    w.jsxc = new w.JSXC({
      loadConnectionOptions: () => Promise.resolve({ xmpp: { url: '/http-bind/', domain } }),
      connectionCallback: (_j: string, s: number) => w.statuses.push(s),
    });
    await w.jsxc.start();
  }, domain);
  const panel = page.getByRole('complementary', { name: 'Chat' });
  expect(await panel.getByRole('status', { name: 'Connection' }).textContent()).toBe('Offline');
  await panel.getByRole('button', { name: 'Log in' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log in' });
  await dialog.waitFor();
  // focus is in the dialog, on the username field
  expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('username');
  await dialog.getByRole('textbox', { name: 'Username' }).fill(me.username);
  await dialog.getByLabel('Password').fill(me.password);
  await dialog.getByRole('button', { name: 'Log in' }).click();
  await dialog.waitFor({ state: 'detached' });
  await panel.getByRole('listitem').filter({ hasText: friend.username }).waitFor();
  expect(await panel.getByRole('status', { name: 'Connection' }).textContent()).toBe('Online');
  expect(errors).toEqual([]);
  await page.evaluate(() => (window as unknown as PageWindow).jsxc.disconnect());
  await page.context().close();
});

it('a wrong password in the login box says so in the dialog and the status region, and stores nothing', async () => {
  const me = await freshUser();
  const { page } = await openPage(env.browser, `${env.site.url}/basic.html`);
  await page.evaluate(async (domain) => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC({ loadConnectionOptions: () => Promise.resolve({ xmpp: { url: '/http-bind/', domain } }) });
    await w.jsxc.start();
  }, getTestServer().domain);
  await page.getByRole('button', { name: 'Log in' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log in' });
  await dialog.getByRole('textbox', { name: 'Username' }).fill(me.jid);
  await dialog.getByLabel('Password').fill('not-the-password');
  await dialog.getByRole('button', { name: 'Log in' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'Authentication failed' }).waitFor();
  expect(await page.getByRole('status', { name: 'Connection' }).textContent()).toBe('Authentication failed');
  // Escape closes the dialog
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await storedKeys(page)).toEqual({ local: 0, session: 0, idb: [], cookies: '' });
  await page.context().close();
});

describe.each([
  ['BOSH', '/http-bind/'],
  ['WebSocket', 'ws'],
])('start(url, jid, password) with a wrong password over %s', (_name, kind) => {
  it('ends in AUTHFAIL, says "Authentication failed" and stores nothing', async () => {
    const me = await freshUser();
    const { page } = await openPage(env.browser, `${env.site.url}/basic.html`);
    const url = kind === 'ws' ? env.site.wsUrl : kind;
    const message = await page.evaluate(
      async ({ url, jid }) => {
        const w = window as unknown as PageWindow;
        w.statuses = [];
        const jsxc = new w.JSXC({ connectionCallback: (_j: string, s: number) => w.statuses.push(s) });
        return jsxc.start(url, jid, 'wrong-password').then(
          () => 'resolved',
          (e: Error) => e.message,
        );
      },
      { url, jid: me.jid },
    );
    expect(message).toMatch(/Authentication failed/);
    expect(await page.evaluate(() => (window as unknown as PageWindow).statuses)).toContain(STATUS.AUTHFAIL);
    expect(await page.getByRole('status', { name: 'Connection' }).textContent()).toBe('Authentication failed');
    expect(await storedKeys(page)).toEqual({ local: 0, session: 0, idb: [], cookies: '' });
    await page.context().close();
  });
});
