import { Page } from 'playwright-core';
import { $msg } from 'strophe.js';
import { openPageIn } from '../helpers/browser';
import { contactItem, loginPage } from '../helpers/chat';
import { useOwnProsody } from '../helpers/own-prosody';
import { freshFriends } from '../helpers/test-server';

// Several tabs (docs/plugins.md, "Several tabs"): a host page's code adds a stanza handler on
// `jsxc.getAccount(jid).xmpp` in every tab of one browser profile; each tab's handler gets the
// contact's matching messages (not the others), in the tab that holds the connection and in the
// following ones, through the real BroadcastChannel — and still after the leader tab closes.
// A Prosody of its own with hashed accounts: the stored SCRAM keys log in again (tabs.test.ts).

jest.setTimeout(120000);
const NS = 'urn:example:tabs-handlers';
const own = useOwnProsody();

interface PageAccount {
  isOnline: boolean;
  following: boolean;
  xmpp: { addHandler(handler: (stanza: Element) => unknown, ns?: string | null, name?: string | null): () => void };
}
type PageWindow = { JSXC: new (o?: object) => { getAccount(uid: string): PageAccount | undefined }; jsxc: { getAccount(uid: string): PageAccount | undefined }; got: string[] };

/** The host page's plugin code: a handler (strophe's form) for chat messages with our payload. */
function addHandler(page: Page, jid: string): Promise<void> {
  return page.evaluate(
    ({ jid, ns }) => {
      const w = window as unknown as PageWindow;
      w.got = [];
      w.jsxc.getAccount(jid)!.xmpp.addHandler(
        (stanza) => {
          w.got.push(stanza.getElementsByTagName('body')[0]?.textContent ?? '');
          return true;
        },
        ns,
        'message',
      );
    },
    { jid, ns: NS },
  );
}

const got = (page: Page) => page.evaluate(() => (window as unknown as PageWindow).got);
const leads = (page: Page, jid: string) =>
  page.evaluate((jid) => {
    const account = (window as unknown as PageWindow).jsxc.getAccount(jid);
    return !!account && account.isOnline && !account.following;
  }, jid);

async function until(what: string, check: () => boolean | Promise<boolean>, timeout = 20000): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

it('a handler added on account.xmpp gets the matching messages in every tab, and after the leader tab closes', async () => {
  const { browser, site } = own;
  const [me, friend] = await freshFriends(2, 'tabsh', own.server);
  const friendClient = await own.node(friend);
  const send = (body: string, payload: boolean) => {
    const m = $msg({ to: me.jid, type: 'chat' }).c('body').t(body).up();
    friendClient.xmpp.send(payload ? m.c('x', { xmlns: NS }) : m);
  };

  const context = await browser.newContext({ locale: 'en-US', colorScheme: 'light' });
  const tab1 = await openPageIn(context, `${site.url}/basic.html`);
  await loginPage(browser, site.url, me, { page: tab1.page });
  await contactItem(tab1.page, friend.username).filter({ hasText: 'online' }).waitFor();
  const [tab2, tab3] = [await openPageIn(context, `${site.url}/basic.html`), await openPageIn(context, `${site.url}/basic.html`)];
  for (const tab of [tab2, tab3]) {
    await tab.page.evaluate(() => {
      const w = window as unknown as PageWindow;
      w.jsxc = new w.JSXC();
    });
    await contactItem(tab.page, friend.username).filter({ hasText: 'online' }).waitFor();
    expect(await leads(tab.page, me.jid)).toBe(false);
  }
  const tabs = [tab1, tab2, tab3];
  for (const tab of tabs) {
    await addHandler(tab.page, me.jid);
  }

  send('not for the handler', false);
  send('for the handler', true);
  for (const tab of tabs) {
    await until('the matching message in each tab', async () => (await got(tab.page)).length > 0);
    expect(await got(tab.page)).toEqual(['for the handler']);
  }

  // the leader tab closes: one of the others takes the connection over, and both still get them
  await tab1.page.close();
  await until('a new leader tab', async () => (await leads(tab2.page, me.jid)) || (await leads(tab3.page, me.jid)));
  send('after the hand-over', true);
  for (const tab of [tab2, tab3]) {
    await until('the message after the hand-over in each remaining tab', async () => (await got(tab.page)).includes('after the hand-over'), 30000);
    expect(await got(tab.page)).toEqual(['for the handler', 'after the hand-over']);
  }
  expect([...tab1.errors, ...tab2.errors, ...tab3.errors]).toEqual([]);
  await context.close();
});
