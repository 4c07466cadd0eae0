import { $msg } from 'strophe.js';
import { Browser, Locator } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { launchBrowser, Site, startSite } from '../helpers/browser';
import { loginPage, nodeClient, openChat } from '../helpers/chat';
import { freshFriends } from '../helpers/test-server';

// A burst of incoming messages end to end (issue 7, benchmark item 4, without the timing): the
// bundle in Chromium against the real Prosody, a Node client sending back to back.
jest.setTimeout(180000);

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

const N = 400;
const body = (i: number) => `burst-${String(i).padStart(4, '0')}`;

/** The bodies of the articles in the log now, oldest first. */
const shown = (log: Locator) => log.locator('article .jsxc-msg__body').allInnerTexts();

it('a burst of 400 messages is shown in order with a bounded log; after an immediate reload every one is there once, and the keyboard scrolls back to the first and forward again', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await nodeClient(bob);
  nodeClients.push(b);
  const a = await loginPage(browser, site.url, alice);
  const win = await openChat(a.page, bob.username);
  const log = win.getByRole('log', { name: 'Messages' });

  for (let i = 1; i <= N; i++) {
    b.xmpp.send($msg({ to: alice.jid, type: 'chat', id: `b${i}` }).c('body').t(body(i)));
  }
  await log.getByRole('article').filter({ hasText: body(N) }).waitFor({ timeout: 60000 });
  const live = await shown(log);
  // the newest, in order, at the bottom; not all 400 articles in the DOM
  expect(live[live.length - 1]).toBe(body(N));
  expect(live).toEqual([...live].sort());
  expect(live.length).toBeLessThan(N);
  expect(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5);

  // at once, without waiting for anything: a reload, a new session without the archive (only
  // what this browser stored can show)
  await a.page.reload();
  await loginPage(browser, site.url, alice, { page: a.page, options: { disabledPlugins: ['mam'] } });
  const again = await openChat(a.page, bob.username);
  const history = again.getByRole('log', { name: 'Messages' });
  await history.getByRole('article').filter({ hasText: body(N) }).waitFor();

  // back to the first with the keyboard (Home in the focused log), collecting what was shown
  const seen = new Set<string>();
  await history.focus();
  for (let step = 0; step < 200 && !seen.has(body(1)); step++) {
    const now = await shown(history);
    expect(new Set(now).size).toBe(now.length); // nothing twice
    expect(now).toEqual([...now].sort()); // in order
    now.forEach((t) => seen.add(t));
    await history.press('Home');
    await a.page.waitForTimeout(100);
  }
  expect(seen.size).toBe(N);
  expect((await shown(history))[0]).toBe(body(1));
  // and forward again to the newest with End
  for (let step = 0; step < 50 && !(await shown(history)).includes(body(N)); step++) {
    await history.press('End');
    await a.page.waitForTimeout(100);
  }
  expect((await shown(history)).slice(-1)).toEqual([body(N)]);
  expect(a.errors).toEqual([]);
  await a.page.context().close();
});
