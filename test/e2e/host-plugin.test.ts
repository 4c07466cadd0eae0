import { $iq } from 'strophe.js';
import { Account } from '../../src/model/Account';
import { NS_DISCO_INFO } from '../../src/plugins/disco';
import { openPage, useBrowserAndSite } from '../helpers/browser';
import { chatRegion, loginPage, nodeClient } from '../helpers/chat';
import { freshFriends, sessionsOf, TestUser } from '../helpers/test-server';

// A third-party plugin registered from a host page (example/plugins/hello-plugin.js, loaded by a
// <script> after the bundle): its disco feature, its chat-window button, its messageOut hook; and
// disabledPlugins: ['hello'] removes all of it.
jest.setTimeout(120000);

const NS_HELLO = 'urn:example:hello';
const env = useBrowserAndSite();
const nodeClients: Account[] = [];

afterAll(async () => {
  await Promise.all(nodeClients.map((a) => a.disconnect().catch(() => undefined)));
});

async function features(asker: Account, target: string): Promise<string[]> {
  const result = await asker.xmpp.sendIQ($iq({ type: 'get', to: target }).c('query', { xmlns: NS_DISCO_INFO }));
  return Array.from(result.getElementsByTagName('feature')).map((f) => f.getAttribute('var')!);
}

/** The page logged in as `me` (with `options`), `friend` as a Node client, and the page's full JID. */
async function setUp(me: TestUser, friend: TestUser, options: Record<string, unknown>) {
  const friendClient = await nodeClient(friend);
  nodeClients.push(friendClient);
  const probe = await openPage(env.browser, `${env.site.url}/plugin.html`);
  const chat = await loginPage(env.browser, env.site.url, me, { page: probe.page, options });
  const [fullJid] = await sessionsOf(me.jid);
  expect(fullJid).toMatch(new RegExp(`^${me.jid}/`));
  await chat.page.evaluate(
    ({ uid, jid }) => (window as unknown as { jsxc: { getAccount(u: string): Account } }).jsxc.getAccount(uid)!.getContact(jid).openChatWindow(),
    { uid: me.jid, jid: friend.jid },
  );
  const region = chatRegion(chat.page, friend.username);
  await region.waitFor();
  return { page: chat.page, errors: chat.errors, friendClient, fullJid, region };
}

it('a plugin registered from the host page announces its feature, adds a chat-window button, and its message hook runs', async () => {
  const [me, friend] = await freshFriends(2);
  const { friendClient, fullJid, region, errors } = await setUp(me, friend, {});
  expect(await features(friendClient, fullJid)).toContain(NS_HELLO);

  const received: Element[] = [];
  friendClient.xmpp.addHandler(
    (m) => {
      if (m.getElementsByTagName('body')[0]) received.push(m);
    },
    { name: 'message' },
  );
  await region.getByRole('button', { name: 'Say hello' }).click();
  for (let i = 0; i < 800 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(received).toHaveLength(1);
  expect(received[0].getElementsByTagName('body')[0].textContent).toBe('Hello!');
  const marker = received[0].getElementsByTagName('x')[0];
  expect(marker?.getAttribute('xmlns') ?? marker?.namespaceURI).toBe(NS_HELLO);
  // the message shows in the window, with the plugin's message renderer's decoration
  const sent = region.getByRole('article').filter({ hasText: 'Hello!' });
  await sent.waitFor();
  expect(await sent.locator('.example-hello-wave').count()).toBe(1);
  expect(errors).toEqual([]);
});

it("disabledPlugins: ['hello'] removes the plugin whole: no button, no feature, no marker", async () => {
  const [me, friend] = await freshFriends(2);
  const { friendClient, fullJid, region } = await setUp(me, friend, { disabledPlugins: ['hello'] });
  expect(await features(friendClient, fullJid)).not.toContain(NS_HELLO);
  // the window is complete (its own buttons are there), the plugin's is not
  await region.getByRole('button', { name: 'Close' }).waitFor();
  expect(await region.getByRole('button', { name: 'Say hello' }).count()).toBe(0);

  const received: Element[] = [];
  friendClient.xmpp.addHandler(
    (m) => {
      if (m.getElementsByTagName('body')[0]) received.push(m);
    },
    { name: 'message' },
  );
  const input = region.getByRole('textbox', { name: 'Message' });
  await input.fill('Hello!');
  await input.press('Enter');
  for (let i = 0; i < 800 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(received).toHaveLength(1);
  expect(received[0].getElementsByTagName('x')).toHaveLength(0);
  expect(await region.locator('.example-hello-wave').count()).toBe(0);
});
