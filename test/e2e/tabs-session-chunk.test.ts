import { Page } from 'playwright-core';
import { openPageIn, useBrowserAndSite } from '../helpers/browser';
import { chatRegion, contactItem, loginPage, openChat } from '../helpers/chat';
import { freshFriends } from '../helpers/test-server';
import { collectMessages, NodeParties, sendChat } from '../helpers/xmpp-node';

// The follower role of several tabs and the group chat protocol are in the "session" chunk, which a
// page loads only once it has an account (docs/architecture.md, "Chunks"). A tab that finds the
// session held by another tab follows it at once: what the leader tells it before the chunk has
// arrived is kept and given to its follower role. Here the second tab's chunk is held back while
// the contact writes and goes away; once it arrives, that tab shows the message, the contact's
// new presence and the session online, and what its user types goes out through the leader. And a
// page whose session chunk cannot be loaded still logs in, and says which code is missing.
jest.setTimeout(120000);

const env = useBrowserAndSite();
const parties = new NodeParties();
afterAll(() => parties.disconnectAll());

type Jsxc = { numberOfCachedAccounts: number; getAccount(uid: string): { following: boolean } | undefined };
type PageWindow = { JSXC: new (o?: object) => Jsxc; jsxc: Jsxc };

const status = (page: Page) => page.getByRole('complementary', { name: 'Chat' }).getByRole('status', { name: 'Connection' });
const article = (page: Page, peer: string, text: string) => chatRegion(page, peer).getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: text });

it('a follower tab whose session chunk comes late shows what the leader told it meanwhile, and acts through the leader', async () => {
  const [me, friend] = await freshFriends(2, 'chunk');
  const friendClient = await parties.online(friend);
  const received = collectMessages(friendClient);
  const context = await env.browser.newContext({ locale: 'en-US', colorScheme: 'light' });
  const leader = await openPageIn(context, `${env.site.url}/basic.html`);
  await loginPage(env.browser, env.site.url, me, { page: leader.page, url: env.site.wsUrl });
  await contactItem(leader.page, friend.username).filter({ hasText: 'online' }).waitFor();

  // the second tab: its session chunk is held until released
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = 0;
  const follower = await openPageIn(context, `${env.site.url}/basic.html`, (page) => {
    void page.route(/\/chunks\/session\.[^/]*\.js$/, async (route) => {
      held++;
      await released;
      await route.continue();
    });
  });
  const cached = await follower.page.evaluate(() => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC();
    return w.jsxc.numberOfCachedAccounts;
  });
  expect(cached).toBe(1);
  for (let i = 0; i < 400 && held === 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(held).toBeGreaterThan(0);

  // while its code is held back: the contact writes, then goes away
  sendChat(friendClient, me.jid, 'written while the chunk loads');
  await contactItem(leader.page, friend.username).filter({ hasText: '1 unread' }).waitFor();
  await friendClient.setPresence('away', 'out for lunch');
  await contactItem(leader.page, friend.username).filter({ hasText: 'away' }).waitFor();
  release();

  await status(follower.page).filter({ hasText: 'Online' }).waitFor();
  expect(await follower.page.evaluate((jid) => (window as unknown as PageWindow).jsxc.getAccount(jid)?.following, me.jid)).toBe(true);
  await contactItem(follower.page, friend.username).filter({ hasText: 'away' }).waitFor();
  await openChat(follower.page, friend.username);
  await article(follower.page, friend.username, 'written while the chunk loads').waitFor();
  expect(await article(follower.page, friend.username, 'written while the chunk loads').count()).toBe(1);

  // the follower's user writes: it goes out once, through the leader
  const input = chatRegion(follower.page, friend.username).getByRole('textbox', { name: 'Message' });
  await input.fill('from the late tab');
  await input.press('Enter');
  for (let i = 0; i < 800 && !received.includes('from the late tab'); i++) await new Promise((r) => setTimeout(r, 25));
  expect(received.filter((b) => b === 'from the late tab')).toHaveLength(1);

  expect(leader.errors).toEqual([]);
  expect(follower.errors).toEqual([]);
  await context.close();
});

it('when the session chunk cannot be loaded, the log-in still comes online and the page says which code is missing', async () => {
  const [me, friend] = await freshFriends(2, 'nochunk');
  const context = await env.browser.newContext({ locale: 'en-US', colorScheme: 'light' });
  const tab = await openPageIn(context, `${env.site.url}/basic.html`, (page) => {
    void page.route(/\/chunks\/session\.[^/]*\.js$/, (route) => route.abort());
  });
  await loginPage(env.browser, env.site.url, me, { page: tab.page, url: env.site.wsUrl });
  await status(tab.page).filter({ hasText: 'Online' }).waitFor();
  await contactItem(tab.page, friend.username).waitFor();
  // the missing code is named once, and each plugin that needs it says it could not attach
  expect(tab.errors.filter((e) => e.includes('[jsxc] the code for group chat and several tabs (chunk "session") could not be loaded'))).toHaveLength(1);
  expect(tab.errors.filter((e) => /\[jsxc\] plugin "muc" failed to attach/.test(e))).toHaveLength(1);
  await context.close();
});
