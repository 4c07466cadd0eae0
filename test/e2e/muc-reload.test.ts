import { Frame, Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { joinRoomInPage } from '../helpers/chat';
import { queryArchive } from '../../src/plugins/mam/query';
import { findInArchiveSince } from '../../src/plugins/muc/history';
import { uniqueRoom } from '../helpers/muc';
import { useOwnProsody } from '../helpers/own-prosody';
import { prosody, TestUser } from '../helpers/test-server';

// A group chat survives a page load: the room's window is back, we are still (or again) in the
// room, what was said is shown once, and the room goes on both ways. A message sent just before
// the page went away, which never reached the server, is sent by the next page (docs/muc.md,
// "Sending across a hand-over"), and so is a private message to an occupant: the connection drops
// what carries them here, deterministically.
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

/** The messages lost on their way to the server while `dropping`: one to the room, one private. */
const LOST = ['mine, before', 'psst, before'];
const carriesLost = (data: string | undefined) => LOST.some((text) => data?.includes(text));

/**
 * From now on, what the page sends that contains one of LOST is lost on its way to the server, until
 * the page is replaced by the next one: strophe's retries of a lost BOSH request are lost too, so
 * the next page really finds the messages never sent.
 */
async function dropOutgoing(page: Page, transport: string): Promise<void> {
  if (transport === 'BOSH') {
    await page.route('**/http-bind/**', (route) => (dropping && carriesLost(route.request().postData() ?? undefined) ? route.abort() : route.fallback()));
  }
  dropping = true;
  // the next document is committed: the old one (and its retries) is gone
  const replaced = (frame: Frame) => {
    if (frame === page.mainFrame()) {
      dropping = false;
      page.off('framenavigated', replaced);
    }
  };
  page.on('framenavigated', replaced);
}
let dropping = false;

/** WebSocket frames from the page pass through here, so that `dropOutgoing` can lose one. */
async function routeWebSocketFrames(page: Page): Promise<void> {
  await page.routeWebSocket(/xmpp-websocket/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      if (!(dropping && carriesLost(String(frame)))) server.send(frame);
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
    const heardPrivately: string[] = [];
    carolRoom.on('message', (m: { body: string; nick: string; type: string }) => m.nick === 'me' && (m.type === 'chat' ? heardPrivately : heard).push(m.body));

    dropping = false;
    const { page, errors } = await openPage(own.browser, `${own.site.url}/basic.html`);
    if (transport === 'WebSocket') await routeWebSocketFrames(page);
    await construct(page);
    await page.evaluate(({ url, jid, password }) => (window as unknown as PageWindow).jsxc.start(url, jid, password), { url: url(), jid: me.jid, password: me.password });
    await joinRoomInPage(page, me.jid, jid, 'me', NAME);
    await roomWindow(page).waitFor();
    await carolRoom.sendMessage('before the reload');
    await said(page, 'before the reload').waitFor();
    const sessions = await prosody.sessionsOf(own.server, me.jid);
    // sent, shown, and lost on the way: the page goes away before the room could echo it
    await dropOutgoing(page, transport);
    const input = roomWindow(page).getByRole('textbox', { name: 'Message' });
    await input.fill('mine, before');
    await input.press('Enter');
    await said(page, 'mine, before').waitFor();
    // and a private message to carol, through her menu in the participants list
    await roomWindow(page).getByRole('button', { name: 'Actions for carol' }).click();
    await roomWindow(page).getByRole('menu', { name: 'Actions for carol' }).getByRole('menuitem', { name: 'Send private message' }).click();
    await input.fill('psst, before');
    await input.press('Enter');
    await said(page, 'psst, before').waitFor();
    await roomWindow(page).getByRole('button', { name: 'Back to the room' }).click();
    expect(heard).toEqual([]);
    expect(heardPrivately).toEqual([]);

    await page.reload();
    expect(await construct(page)).toBe(1);
    await roomWindow(page).waitFor();
    await status(page).filter({ hasText: 'Online' }).waitFor();
    await said(page, 'before the reload').waitFor();
    await said(page, 'mine, before').waitFor();
    await said(page, 'psst, before').waitFor();
    await roomWindow(page).getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: 'carol' }).waitFor();

    await carolRoom.sendMessage('after the reload');
    await said(page, 'after the reload').waitFor();
    await input.fill('mine, after');
    await input.press('Enter');
    const deadline = Date.now() + 15000;
    while (!(heard.includes('mine, after') && heardPrivately.includes('psst, before')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual(['mine, before', 'mine, after']);
    expect(heardPrivately).toEqual(['psst, before']);
    // the copies the server has (carol's timeline merges two copies with the same id): one each
    let inRoomArchive = 0;
    await findInArchiveSince(carol.xmpp, { to: jid, from: jid }, Date.now() - 3600_000, (r) => ((inRoomArchive += r.getElementsByTagName('body')[0]?.textContent === 'mine, before' ? 1 : 0), false));
    expect(inRoomArchive).toBe(1);
    const privately = await queryArchive(carol.xmpp, carol.uid, { with: jid, max: 50 });
    expect(privately.messages.filter((r) => r.message.getElementsByTagName('body')[0]?.textContent === 'psst, before')).toHaveLength(1);
    for (const text of ['before the reload', 'mine, before', 'psst, before', 'after the reload', 'mine, after']) {
      expect(await said(page, text).count()).toBe(1);
    }
    expect(await prosody.sessionsOf(own.server, me.jid)).toEqual(sessions);
    // over BOSH, the requests this test made fail may be reported (strophe's log, the browser's) before the page goes away
    const provoked = (e: string) => transport === 'BOSH' && (/^request id \d+\.\d+ error 0 happened$/.test(e) || /^Failed to load resource: net::ERR_FAILED \(.*\/http-bind\/\)$/.test(e));
    expect(errors.filter((e) => !provoked(e))).toEqual([]);
    await page.context().close();
  });
});
