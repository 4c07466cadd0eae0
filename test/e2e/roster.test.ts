import { Browser } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { JID } from '../../src/model/JID';
import { launchBrowser, openPage, Site, startSite, STATUS } from '../helpers/browser';
import { freshFriends, getTestServer } from '../helpers/test-server';

// The bundle in Chromium, through the site's reverse proxy, against the real Prosody.
let browser: Browser;
let site: Site;
const nodeClients: Account[] = [];

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
});
afterAll(async () => {
  await Promise.all(nodeClients.map((a) => a.disconnect().catch(() => undefined)));
  await browser?.close();
  await site?.close();
});

const TRANSPORTS = [
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => site.wsUrl],
] as const;

describe.each(TRANSPORTS)('roster panel over %s', (_name, serviceUrl) => {
  it('connects, lists the seeded contacts with their presence, and shows a contact leaving within a second', async () => {
    const [me, bob, carol] = await freshFriends(3);
    // bob is online from a Node client before we log in
    const bobClient = new Account({ url: getTestServer().wsUrl, jid: JID.parse(bob.jid), connectTimeout: 10000 });
    nodeClients.push(bobClient);
    await bobClient.connect(bob.password);

    const { page, errors } = await openPage(browser, `${site.url}/basic.html`);
    await page.evaluate(
      async ({ url, jid, password }) => {
        const w = window as unknown as { statuses: number[]; JSXC: new (o: object) => { start: (...a: string[]) => Promise<void> } };
        w.statuses = [];
        const jsxc = new w.JSXC({ connectionCallback: (_jid: string, status: number) => w.statuses.push(status) });
        await jsxc.start(url, jid, password);
      },
      { url: serviceUrl(), jid: me.jid, password: me.password },
    );

    expect(await page.evaluate(() => (window as unknown as { statuses: number[] }).statuses)).toContain(STATUS.CONNECTED);
    const panel = page.getByRole('complementary', { name: 'Chat' });
    await expect(panel.getByRole('status', { name: 'Connection' }).textContent()).resolves.toBe('Online');
    const contacts = panel.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
    await page.waitForFunction(() => document.querySelectorAll('.jsxc-contact').length === 2);
    const bobItem = contacts.filter({ hasText: bob.username });
    const carolItem = contacts.filter({ hasText: carol.username });
    await bobItem.filter({ hasText: 'online' }).waitFor({ timeout: 5000 });
    expect(await carolItem.textContent()).toContain('offline');
    // online contacts come first
    expect(await contacts.first().getAttribute('aria-label')).toBe(bob.username);

    await bobClient.disconnect();
    const t0 = Date.now();
    await bobItem.filter({ hasText: 'offline' }).waitFor({ timeout: 1000 });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

it('the toggle button and jsxc.toggleRoster() show and hide the contact list', async () => {
  const { page } = await openPage(browser, `${site.url}/basic.html`);
  await page.evaluate(async () => {
    const w = window as unknown as { jsxc: { start(): Promise<void>; toggleRoster(): void }; JSXC: new (o?: object) => unknown };
    w.jsxc = new w.JSXC() as typeof w.jsxc;
    await w.jsxc.start();
  });
  const toggle = page.getByRole('button', { name: 'Toggle contact list' });
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  await expect(page.getByRole('button', { name: 'Log in' }).isVisible()).resolves.toBe(true);
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  await expect(page.getByRole('button', { name: 'Log in' }).isVisible()).resolves.toBe(false);
  await page.evaluate(() => (window as unknown as { jsxc: { toggleRoster(): void } }).jsxc.toggleRoster());
  await page.waitForFunction(() => document.querySelector('.jsxc-roster__toggle')?.getAttribute('aria-expanded') === 'true');
  await page.context().close();
});
