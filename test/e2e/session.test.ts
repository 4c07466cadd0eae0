import { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, Site, startSite } from '../helpers/browser';
import { reloadWithServerHeld } from '../helpers/own-prosody';
import { prebind } from '../helpers/prebind';
import { prosody, TestServer, TestUser } from '../helpers/test-server';

// A session survives page loads (docs/session.md). These tests run against their own Prosody with
// hashed accounts (as production servers store them, so stored SCRAM keys can log in again), behind
// a site that proxies /http-bind and /xmpp-websocket to it; the last test restarts that Prosody.
// Each test loads pages twice and logs in; on a loaded 2-core machine that can pass 30 s.
jest.setTimeout(90000);

let server: TestServer;
let browser: Browser;
let site: Site;

beforeAll(async () => {
  server = await prosody.startProsody({ authentication: 'internal_hashed' });
  [browser, site] = await Promise.all([launchBrowser(), startSite({ server })]);
}, 60000);
afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (server) await prosody.stopProsody(server);
});

type Jsxc = {
  start: (...a: unknown[]) => Promise<void>;
  disconnect(): Promise<void>;
  numberOfCachedAccounts: number;
  getAccount(uid: string): { isOnline: boolean; state: { kind: string } } | undefined;
};
type PageWindow = { JSXC: new (o?: object) => Jsxc; jsxc: Jsxc };

function user(): TestUser {
  const name = prosody.uniqueUsername('sess');
  return prosody.createUser(server, name, `${name}-pw`);
}

function friends(): [TestUser, TestUser] {
  const me = user();
  const friend = user();
  prosody.befriend(server, [me.username, { username: friend.username, name: friend.username }]);
  return [me, friend];
}

/** What a host page runs on every load: `new JSXC()`; returns numberOfCachedAccounts. */
async function construct(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC();
    return w.jsxc.numberOfCachedAccounts;
  });
}

async function login(page: Page, url: string, me: TestUser): Promise<void> {
  await page.evaluate(({ url, jid, password }) => (window as unknown as PageWindow).jsxc.start(url, jid, password), { url, jid: me.jid, password: me.password });
}

/**
 * Waits until the roster of `jid` is in the IndexedDB cache (written shortly after changes).
 * Polled from here: page.waitForFunction() does not await a promise (a Promise is truthy, so it
 * would return at once). The read never creates the database: an empty one made by the test would
 * change how the page's own first open goes.
 */
async function rosterCached(page: Page, jid: string): Promise<void> {
  const end = Date.now() + 20000;
  while (!(await page.evaluate(readCachedRoster, jid))) {
    if (Date.now() > end) {
      throw new Error(`the roster of ${jid} was not cached within 20 s`);
    }
    await page.waitForTimeout(50);
  }
}

function readCachedRoster(jid: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const open = indexedDB.open('jsxc:roster');
    // not there yet: do not create it
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('roster')) {
        db.close();
        return resolve(false);
      }
      const get = db.transaction('roster').objectStore('roster').get(`roster:${jid}`);
      get.onsuccess = () => {
        db.close();
        resolve(get.result != null);
      };
      get.onerror = () => {
        db.close();
        resolve(false);
      };
    };
  });
}

const status = (page: Page) => page.getByRole('complementary', { name: 'Chat' }).getByRole('status', { name: 'Connection' });
const contact = (page: Page, name: string) => page.getByRole('complementary', { name: 'Chat' }).getByRole('listitem').filter({ hasText: name });

async function fullJidOnServer(jid: string): Promise<string[]> {
  return prosody.sessionsOf(server, jid);
}

const TRANSPORTS: Array<['BOSH' | 'WebSocket', () => string]> = [
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => site.wsUrl],
];

describe.each(TRANSPORTS)('reload over %s', (name, url) => {
  it('paints the cached roster before the connection is back, then continues the same server session', async () => {
    const [me, friend] = friends();
    const { page, errors } = await openPage(browser, `${site.url}/basic.html`);
    expect(await construct(page)).toBe(0);
    await login(page, url(), me);
    await contact(page, friend.username).waitFor();
    await rosterCached(page, me.jid);
    const before = await fullJidOnServer(me.jid);
    expect(before).toHaveLength(1);

    // reload, with the way to the server held shut until the cached roster has been checked
    const open = await reloadWithServerHeld(page, name);
    expect(await construct(page)).toBe(1);
    // the contact list from the cache while the server is out of reach
    await contact(page, friend.username).waitFor();
    expect(await status(page).textContent()).not.toBe('Online');
    open();
    await page.waitForFunction((jid) => (window as unknown as PageWindow).jsxc.getAccount(jid)?.isOnline, me.jid);
    await status(page).filter({ hasText: 'Online' }).waitFor();
    // the server still holds exactly the session it had: no new login
    expect(await fullJidOnServer(me.jid)).toEqual(before);
    // and nothing in the browser's storage is the password
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(stored).not.toContain(me.password);
    expect(stored).toContain(before[0]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

it('prebind: start(url, jid, sid, rid) attaches to a session the host server created, and a reload keeps it', async () => {
  const [me, friend] = friends();
  const session = await prebind(server.boshUrl, me);
  const { page, errors } = await openPage(browser, `${site.url}/basic.html`);
  await construct(page);
  await page.evaluate(({ jid, sid, rid }) => (window as unknown as PageWindow).jsxc.start('/http-bind/', jid, sid, rid), session);
  await contact(page, friend.username).waitFor();
  expect(await status(page).textContent()).toBe('Online');
  expect(await fullJidOnServer(me.jid)).toEqual([session.jid]);
  await rosterCached(page, me.jid);
  await page.reload();
  expect(await construct(page)).toBe(1);
  await status(page).filter({ hasText: 'Online' }).waitFor();
  expect(await fullJidOnServer(me.jid)).toEqual([session.jid]);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('prebind with bad arguments rejects with an error naming the problem, and stores nothing', async () => {
  const { page } = await openPage(browser, `${site.url}/basic.html`);
  await construct(page);
  const results = await page.evaluate(async (wsUrl) => {
    const jsxc = (window as unknown as PageWindow).jsxc;
    const attempt = (...args: unknown[]) => jsxc.start(...args).then(() => 'resolved', (e: Error) => e.message);
    return [
      await attempt(wsUrl, 'a@localhost/r', 'sid', 1),
      await attempt('/http-bind/', 'a@localhost', 'sid', 1),
      await attempt('/http-bind/', 'a@localhost/r', 'sid', 'abc'),
      await attempt('/http-bind/', 'a@localhost/r', '', 1),
      await attempt('/http-bind/', 'a@localhost/r', 'no-such-sid', 1000),
    ];
  }, site.wsUrl);
  expect(results[0]).toMatch(/prebind needs a BOSH URL/);
  expect(results[1]).toMatch(/jid must be the full JID/);
  expect(results[2]).toMatch(/rid must be a positive integer/);
  expect(results[3]).toMatch(/sid must be a non-empty string/);
  expect(results[4]).toMatch(/does not know the BOSH session no-such-sid/);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);
  await page.context().close();
});

it('an expired session says "Session expired", forgets the record and offers the login box', async () => {
  const [me] = friends();
  const { page } = await openPage(browser, `${site.url}/basic.html`);
  await construct(page);
  await login(page, site.wsUrl, me);
  await status(page).filter({ hasText: 'Online' }).waitFor();
  await page.close({ runBeforeUnload: false });
  // the server forgets the session, and the stored SCRAM keys no longer fit (new password, new salt)
  await prosody.runAdminShell(server, `c2s:close(${JSON.stringify(me.jid)})`);
  prosody.createUser(server, me.username, 'changed-password');
  const again = await page.context().newPage();
  await again.goto(`${site.url}/basic.html`);
  expect(await construct(again)).toBe(1);
  await again.getByRole('dialog', { name: 'Log in' }).waitFor();
  expect(await again.locator('[role="status"]').first().textContent()).toBe('Session expired');
  expect(await again.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('jsxc:')))).toEqual([]);
  // a further load does not try again: nothing is restored
  await again.reload();
  expect(await construct(again)).toBe(0);
  await again.context().close();
});

it('two accounts in one page are both restored after a reload, each with its own session', async () => {
  const [alice, aliceFriend] = friends();
  const [bob, bobFriend] = friends();
  const { page, errors } = await openPage(browser, `${site.url}/basic.html`);
  await construct(page);
  await login(page, '/http-bind/', alice);
  await login(page, site.wsUrl, bob);
  await contact(page, aliceFriend.username).waitFor();
  await contact(page, bobFriend.username).waitFor();
  await rosterCached(page, alice.jid);
  await rosterCached(page, bob.jid);
  const sessions = [await fullJidOnServer(alice.jid), await fullJidOnServer(bob.jid)];
  await page.reload();
  expect(await construct(page)).toBe(2);
  await page.waitForFunction(
    (jids) => jids.every((jid) => (window as unknown as PageWindow).jsxc.getAccount(jid)?.isOnline),
    [alice.jid, bob.jid],
  );
  await contact(page, aliceFriend.username).waitFor();
  await contact(page, bobFriend.username).waitFor();
  expect([await fullJidOnServer(alice.jid), await fullJidOnServer(bob.jid)]).toEqual(sessions);
  expect(errors).toEqual([]);
  await page.context().close();
});

// last: it restarts this file's Prosody
it.each([
  ['WebSocket', () => site.wsUrl],
  ['BOSH', () => '/http-bind/'],
])('over %s: after Prosody is killed and started again, the client reconnects (Reconnecting → Online) without the password', async (_name, url) => {
  const [me, friend] = friends();
  const { page } = await openPage(browser, `${site.url}/basic.html`);
  await construct(page);
  await login(page, url(), me);
  await contact(page, friend.username).waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { seen: string[] };
    w.seen = [];
    const region = document.querySelector('[role="status"]')!;
    new MutationObserver(() => w.seen.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
  });
  // killed: no stream close, no goodbye; then started again on the same ports and data
  process.kill(server.pid, 'SIGKILL');
  await page.waitForFunction(() => (window as unknown as { seen: string[] }).seen.includes('Reconnecting'), undefined, { timeout: 60000 });
  server = await prosody.restartProsody(server);
  await page.waitForFunction((jid) => (window as unknown as PageWindow).jsxc.getAccount(jid)?.isOnline, me.jid, { timeout: 60000 });
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  expect(seen.slice(seen.lastIndexOf('Reconnecting'))).toEqual(['Reconnecting', 'Online']);
  expect(await fullJidOnServer(me.jid)).toHaveLength(1);
  await page.context().close();
}, 150000);
