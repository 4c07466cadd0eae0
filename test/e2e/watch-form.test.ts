import { Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { useBrowserAndSite } from '../helpers/e2e-suite';
import { befriend, freshUser, getTestServer, sessionsOf } from '../helpers/test-server';

// watchForm and watchLogoutClick on a host site of three real pages (test/e2e/pages/site-*.html):
// the login form posts to the home page; the home page only calls `new JSXC(options)` and is online
// without credentials; its logout link first ends the chat session, then navigates to the last page,
// which finds no session. The password is never in any browser storage.
jest.setTimeout(90000);

const e2e = useBrowserAndSite();

type Jsxc = { numberOfCachedAccounts: number; getAccount(uid: string): { isOnline: boolean } | undefined };
type W = { jsxc: Jsxc };

/** Everything the browser context stores for the site: Web Storage, every IndexedDB record, cookies. */
async function storedEverywhere(page: Page): Promise<string> {
  const inPage = await page.evaluate(async () => {
    const dump: Record<string, unknown> = { localStorage: { ...localStorage }, sessionStorage: { ...sessionStorage }, indexedDB: {} };
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(info.name!);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        (dump.indexedDB as Record<string, unknown>)[`${info.name}/${store}`] = values;
      }
      db.close();
    }
    return JSON.stringify(dump);
  });
  return inPage + JSON.stringify(await page.context().cookies());
}

const chatPanel = (page: Page) => page.getByRole('complementary', { name: 'Chat' });
const status = (page: Page) => chatPanel(page).getByRole('status', { name: 'Connection' });

it('watchForm: the site login form logs in to chat, its own submit navigates on, and the next page is online without credentials; watchLogoutClick logs out, then the link goes on', async () => {
  const me = await freshUser('form');
  const friend = await freshUser('formfriend');
  befriend([me.username, { username: friend.username, name: 'Form Friend' }]);
  const { domain } = getTestServer();
  const { page, errors } = await openPage(e2e.browser, `${e2e.site.url}/site-login.html?domain=${encodeURIComponent(domain)}`);

  // the user signs in to the site with the site's own form
  await page.getByLabel('Username').fill(me.username);
  await page.getByLabel('Password').fill(me.password);
  await Promise.all([page.waitForURL('**/site-home.html'), page.getByRole('button', { name: 'Sign in' }).click()]);
  // the site's own submit handler ran before the navigation
  expect(await page.evaluate(() => sessionStorage.getItem('site-submitted'))).toBe('yes');

  // page two: only `new JSXC(options)`; the stored session is found and is online again
  expect(await page.evaluate(() => (window as unknown as W).jsxc.numberOfCachedAccounts)).toBe(1);
  await page.waitForFunction((jid) => (window as unknown as W).jsxc.getAccount(jid)?.isOnline, me.jid);
  await status(page).filter({ hasText: 'Online' }).waitFor();
  await chatPanel(page).getByRole('listitem').filter({ hasText: 'Form Friend' }).waitFor();
  expect(await sessionsOf(me.jid)).toHaveLength(1);
  const stored = await storedEverywhere(page);
  expect(stored).toContain(me.jid); // the dump is real: the session record is in it
  expect(stored).not.toContain(me.password);

  // the logout link: the chat session ends first, then the link navigates
  await Promise.all([page.waitForURL('**/site-bye.html'), page.getByRole('link', { name: 'Sign out' }).click()]);
  expect(await sessionsOf(me.jid)).toEqual([]);
  // page three: nothing to restore, offline
  expect(await page.evaluate(() => (window as unknown as W).jsxc.numberOfCachedAccounts)).toBe(0);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('jsxc:')))).toEqual([]);
  expect(await page.evaluate((jid) => (window as unknown as W).jsxc.getAccount(jid) ?? null, me.jid)).toBeNull();
  expect(await storedEverywhere(page)).not.toContain(me.password);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('watchForm with a wrong password: the site form still submits, and the next page has no session and stored nothing', async () => {
  const me = await freshUser('formbad');
  const { domain } = getTestServer();
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/site-login.html?domain=${encodeURIComponent(domain)}`);
  await page.getByLabel('Username').fill(me.username);
  await page.getByLabel('Password').fill('not-the-password');
  await Promise.all([page.waitForURL('**/site-home.html'), page.getByRole('button', { name: 'Sign in' }).click()]);
  expect(await page.evaluate(() => (window as unknown as W).jsxc.numberOfCachedAccounts)).toBe(0);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('jsxc:')))).toEqual([]);
  expect(await storedEverywhere(page)).not.toContain('not-the-password');
  expect(await sessionsOf(me.jid)).toEqual([]);
  await page.context().close();
});
