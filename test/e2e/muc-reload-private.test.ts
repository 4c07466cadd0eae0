import { Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { joinRoomInPage } from '../helpers/chat';
import { privateCorrection, uniqueRoom } from '../helpers/muc';
import { useOwnProsody } from '../helpers/own-prosody';
import { TestUser } from '../helpers/test-server';

// Private messages of a group chat survive a page load (docs/muc.md, "Private messages after a
// page load"): the room's history holds none of them, so the next page takes them from our own
// archive into the room's window — the one carol sent me and the one I sent her, once each,
// marked private, in their place among the room's messages; one carol corrected shows its corrected
// text only.
jest.setTimeout(120000);

const own = useOwnProsody();

type Room = { join(): Promise<void>; openChatWindow(): void; pendingMessages: unknown[] };
type Jsxc = {
  start: (...a: unknown[]) => Promise<void>;
  getAccount(uid: string): { createMultiUserContact(...a: string[]): Room; rooms: { get(jid: string): Room | undefined } };
};
type PageWindow = { JSXC: new (o?: object) => Jsxc; jsxc: Jsxc };

const NAME = 'Whispering room';

async function construct(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC();
  });
}

const roomWindow = (page: Page) => page.getByRole('region', { name: `Group chat ${NAME}` });
const status = (page: Page) => page.getByRole('complementary', { name: 'Chat' }).getByRole('status', { name: 'Connection' });
/** Delay stamps may have whole seconds only: each message of the story gets a second of its own. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1100 - (Date.now() % 1000)));

const said = (page: Page, text: string) => roomWindow(page).getByRole('article').filter({ hasText: text });

it('over WebSocket: the private messages exchanged in a room before a reload are in its window after it, once each', async () => {
  const me: TestUser = own.user('me');
  const carolUser: TestUser = own.user('carol');
  const jid = uniqueRoom('whisper');
  const carol = await own.node(carolUser);
  const carolRoom = carol.createMultiUserContact(jid, 'carol', NAME);
  await carolRoom.join();
  const heardPrivately: string[] = [];
  carolRoom.on('message', (m: { body: string; type: string; direction: string }) => m.type === 'chat' && m.direction === 'in' && heardPrivately.push(m.body));

  const { page, errors } = await openPage(own.browser, `${own.site.url}/basic.html`);
  await construct(page);
  await page.evaluate(({ url, jid, password }) => (window as unknown as PageWindow).jsxc.start(url, jid, password), { url: own.site.wsUrl, jid: me.jid, password: me.password });
  await joinRoomInPage(page, me.jid, jid, 'me', NAME);
  await roomWindow(page).waitFor();
  await carolRoom.sendMessage('room, before');
  await said(page, 'room, before').waitFor();
  await nextSecond();
  const typo = await carolRoom.sendPrivateMessage('me', 'whsiper from carol');
  await said(page, 'whsiper from carol').waitFor();
  await nextSecond();
  // carol corrects it (XEP-0308): shown once, with the corrected text, live and after the reload
  carol.xmpp.send(privateCorrection(jid, 'me', typo.messageId!, 'whisper from carol', 'fix-whisper'));
  await said(page, 'whisper from carol').waitFor();
  expect(await said(page, 'whsiper').count()).toBe(0);
  await nextSecond();
  const input = roomWindow(page).getByRole('textbox', { name: 'Message' });
  await roomWindow(page).getByRole('button', { name: 'Actions for carol' }).click();
  await roomWindow(page).getByRole('menu', { name: 'Actions for carol' }).getByRole('menuitem', { name: 'Send private message' }).click();
  await input.fill('whisper to carol');
  await input.press('Enter');
  await said(page, 'whisper to carol').waitFor();
  await roomWindow(page).getByRole('button', { name: 'Back to the room' }).click();
  const deadline = Date.now() + 15000;
  while (!heardPrivately.includes('whisper to carol') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(heardPrivately).toEqual(['whisper to carol']);
  // acknowledged by the server: not a pending message the next page would look for itself
  await page.waitForFunction(({ uid, room }) => (window as unknown as PageWindow).jsxc.getAccount(uid).rooms.get(room)?.pendingMessages.length === 0, { uid: me.jid, room: jid });

  await page.reload();
  await construct(page);
  await roomWindow(page).waitFor();
  await status(page).filter({ hasText: 'Online' }).waitFor();
  await said(page, 'room, before').waitFor();
  await said(page, 'whisper from carol').waitFor();
  await said(page, 'whisper to carol').waitFor();
  await carolRoom.sendMessage('room, after');
  await said(page, 'room, after').waitFor();

  const articles = roomWindow(page).getByRole('article');
  const texts = await articles.allTextContents();
  const order = ['room, before', 'whisper from carol', 'whisper to carol', 'room, after'].map((text) => texts.findIndex((t) => t.includes(text)));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  for (const text of ['room, before', 'whisper from carol', 'whisper to carol', 'room, after']) {
    expect(await said(page, text).count()).toBe(1);
  }
  expect(await said(page, 'whsiper').count()).toBe(0);
  await expect(said(page, 'whisper from carol').textContent()).resolves.toContain('edited');
  await expect(said(page, 'whisper from carol').getAttribute('data-private')).resolves.toBe('true');
  await expect(said(page, 'whisper from carol').getAttribute('data-direction')).resolves.toBe('in');
  await expect(said(page, 'whisper to carol').getAttribute('data-private')).resolves.toBe('true');
  await expect(said(page, 'whisper to carol').getAttribute('data-direction')).resolves.toBe('out');
  // no one-to-one chat with the room
  expect(await page.evaluate(({ uid, room }) => (window as unknown as { jsxc: { getAccount(u: string): { chats: { has(j: string): boolean } } } }).jsxc.getAccount(uid).chats.has(room), { uid: me.jid, room: jid })).toBe(false);
  expect(errors).toEqual([]);
  await page.context().close();
});
