import { axeViolations, browserWithParties, rosterPage } from '../helpers/roster-page';
import { freshUser, getTestServer, seedRoster } from '../helpers/test-server';

// A roster of 5,000 contacts in Chromium against the real Prosody: the list is virtualised (only a
// window of rows is in the DOM) but screen readers, search and the keyboard still reach everyone.
const setup = browserWithParties();
const K = 5000;
const nameOf = (i: number) => `Contact ${String(i).padStart(4, '0')}`;

it('5,000 contacts: aria-setsize 5000 with only a window of rows in the DOM; search finds one deep in the list; the keyboard reaches the end', async () => {
  const me = await freshUser('big');
  const { domain } = getTestServer();
  // the contacts need no accounts: they are offline roster items, sorted by name
  seedRoster(
    me.username,
    Array.from({ length: K }, (_, i) => ({ jid: `big-contact-${i + 1}@${domain}`, name: nameOf(i + 1) })),
  );
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  const list = page.getByRole('complementary', { name: 'Chat' }).getByRole('list', { name: 'Contacts' });
  const items = list.getByRole('listitem');
  await page.waitForFunction((k) => document.querySelector('.jsxc-contact')?.getAttribute('aria-setsize') === String(k), K, { timeout: 20000 });

  // screen readers learn the full count; the DOM holds only the rows around the view
  expect(await items.first().getAttribute('aria-label')).toBe(nameOf(1));
  expect(await items.first().getAttribute('aria-posinset')).toBe('1');
  const inDom = await items.count();
  expect(inDom).toBeGreaterThan(5);
  expect(inDom).toBeLessThan(100);
  // …and the list is as tall as all rows (the scrollbar tells the real length)
  expect(await page.locator('.jsxc-roster__body').evaluate((el) => el.scrollHeight)).toBeGreaterThan(K * 40);

  // scrolling with the mouse wheel brings other rows in
  await page.locator('.jsxc-roster__body').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await page.waitForFunction(() => {
    const body = document.querySelector('.jsxc-roster__body')!.getBoundingClientRect();
    return Array.from(document.querySelectorAll('.jsxc-contact')).some((li) => {
      const r = li.getBoundingClientRect();
      return Number(li.getAttribute('aria-posinset')) > 2000 && r.top >= body.top && r.bottom <= body.bottom;
    });
  }, null, { timeout: 5000 });
  expect(await items.count()).toBeLessThan(100);
  await page.locator('.jsxc-roster__body').evaluate((el) => (el.scrollTop = 0));

  // typing in the search field filters the whole roster, not only the rows in the DOM
  const search = page.getByRole('searchbox', { name: 'Search contacts' });
  await search.fill('contact 4321');
  await list.getByRole('listitem', { name: nameOf(4321) }).waitFor({ timeout: 5000 });
  expect(await items.count()).toBe(1);
  expect(await items.first().getAttribute('aria-setsize')).toBe('1');
  await search.press('Escape');
  await page.waitForFunction((k) => document.querySelector('.jsxc-contact')?.getAttribute('aria-setsize') === String(k), K, { timeout: 5000 });

  // keyboard: from the search field into the list, down with the arrows past the first window,
  // End to the last contact (scrolled into view), arrows and Home back
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const body = document.querySelector('.jsxc-roster__body')!.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return { name: el.getAttribute('aria-label'), pos: el.getAttribute('aria-posinset'), inView: r.top >= body.top - 1 && r.bottom <= body.bottom + 1 };
    });
  await search.focus();
  await page.keyboard.press('ArrowDown');
  expect(await focused()).toEqual({ name: nameOf(1), pos: '1', inView: true });
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('ArrowDown');
  }
  expect(await focused()).toEqual({ name: nameOf(41), pos: '41', inView: true });
  await page.keyboard.press('End');
  expect(await focused()).toEqual({ name: nameOf(K), pos: String(K), inView: true });
  await page.keyboard.press('ArrowUp');
  expect(await focused()).toEqual({ name: nameOf(K - 1), pos: String(K - 1), inView: true });
  await page.keyboard.press('PageUp');
  const afterPageUp = await focused();
  expect(Number(afterPageUp.pos)).toBeLessThan(K - 2);
  expect(afterPageUp.inView).toBe(true);
  // one tab stop: leaving and coming back lands on the same contact, though it is far down
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await focused()).toEqual(afterPageUp);
  await page.keyboard.press('Home');
  expect(await focused()).toEqual({ name: nameOf(1), pos: '1', inView: true });
  expect(await items.count()).toBeLessThan(100);

  expect(await axeViolations(page, '.jsxc-roster')).toEqual([]);
  expect(errors).toEqual([]);
  await page.context().close();
}, 90000);
