import { Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { uniqueRoom } from '../helpers/muc';
import { useOwnProsody } from '../helpers/own-prosody';
import { prosody, TestUser } from '../helpers/test-server';

// A group chat survives a page load: the room's window is back, we are still (or again) in the
// room, what was said is shown once, and the room goes on both ways. A message sent just before
// the page went away, which never reached the server, is sent by the next page (docs/muc.md,
// "Sending across a hand-over"): the connection drops what carries it here, deterministically.
jest.setTimeout(120000);

const own = useOwnProsody();

type Room = { join(): Promise<void>; openChatWindow(): void; sendMessage(body: string): Promise<unknown> };
type Jsxc = { start: (...a: unknown[]) => Promise<void>; getAccount(uid: string): { createMultiUserContact(...a: string[]): Room } };
type PageWindow = { JSXC: new (o?: object) => Jsxc; jsxc: Jsxc };

const NAME = 'Reload room';

async function construct(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC();
    return (w.jsxc as unknown as { numberOfCachedAccounts: number }).numberOfCachedAccounts;
  });
}

const roomWindow = (page: Page) => page.getByRole('region', { name: `Group chat ${NAME}` });
const status = (page: Page) => page.getByRole('complementary', { name: 'Chat' }).getByRole('status', { name: 'Connection' });
const said = (page: Page, text: string) => roomWindow(page).getByRole('article').filter({ hasText: text });

/** From now on, what the page sends that contains `text` is lost on its way to the server, until the returned function is called. */
async function dropOutgoing(page: Page, transport: string, text: string): Promise<void> {
  if (transport === 'BOSH') {
    await page.route('**/http-bind/**', (route) => (dropping && route.request().postData()?.includes(text) ? route.abort() : route.fallback()));
  }
  dropping = true;
}
let dropping = false;

/** WebSocket frames from the page pass through here, so that `dropOutgoing` can lose one. */
async function routeWebSocketFrames(page: Page, text: string): Promise<void> {
  await page.routeWebSocket(/xmpp-websocket/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      if (!(dropping && String(frame).includes(text))) server.send(frame);
    });
  });
}

describe.each([
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => own.site.wsUrl],
])('over %s', (transport, url) => {
  it('a group chat comes back after a reload: window, participants and messages once, and the room goes on both ways', async () => {
    const me: TestUser = own.user('me');
    const carolUser: TestUser = own.user('carol');
    const jid = uniqueRoom('reload');
    const carol = await own.node(carolUser);
    const carolRoom = carol.createMultiUserContact(jid, 'carol', NAME);
    await carolRoom.join();
    const heard: string[] = [];
    carolRoom.on('message', (m: { body: string; nick: string }) => m.nick === 'me' && heard.push(m.body));

    dropping = false;
    const { page, errors } = await openPage(own.browser, `${own.site.url}/basic.html`);
    if (transport === 'WebSocket') await routeWebSocketFrames(page, 'mine, before');
    await construct(page);
    await page.evaluate(({ url, jid, password }) => (window as unknown as PageWindow).jsxc.start(url, jid, password), { url: url(), jid: me.jid, password: me.password });
    await page.evaluate(
      async ({ uid, room, name }) => {
        const r = (window as unknown as PageWindow).jsxc.getAccount(uid).createMultiUserContact(room, 'me', name);
        await r.join();
        r.openChatWindow();
      },
      { uid: me.jid, room: jid, name: NAME },
    );
    await roomWindow(page).waitFor();
    await carolRoom.sendMessage('before the reload');
    await said(page, 'before the reload').waitFor();
    const sessions = await prosody.sessionsOf(own.server, me.jid);
    // sent, shown, and lost on the way: the page goes away before the room could echo it
    await dropOutgoing(page, transport, 'mine, before');
    const input = roomWindow(page).getByRole('textbox', { name: 'Message' });
    await input.fill('mine, before');
    await input.press('Enter');
    await said(page, 'mine, before').waitFor();
    dropping = false;
    expect(heard).toEqual([]);

    await page.reload();
    expect(await construct(page)).toBe(1);
    await roomWindow(page).waitFor();
    await status(page).filter({ hasText: 'Online' }).waitFor();
    await said(page, 'before the reload').waitFor();
    await said(page, 'mine, before').waitFor();
    await roomWindow(page).getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: 'carol' }).waitFor();

    await carolRoom.sendMessage('after the reload');
    await said(page, 'after the reload').waitFor();
    await input.fill('mine, after');
    await input.press('Enter');
    const deadline = Date.now() + 15000;
    while (!heard.includes('mine, after') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual(['mine, before', 'mine, after']);
    for (const text of ['before the reload', 'mine, before', 'after the reload', 'mine, after']) {
      expect(await said(page, text).count()).toBe(1);
    }
    expect(await prosody.sessionsOf(own.server, me.jid)).toEqual(sessions);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
