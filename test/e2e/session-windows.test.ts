import { Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { chatRegion, contactItem, joinRoomInPage } from '../helpers/chat';
import { reloadWithServerHeld, useOwnProsody } from '../helpers/own-prosody';
import { prosody, TestUser } from '../helpers/test-server';
import { sendChat } from '../helpers/xmpp-node';

// Open chat windows come back after a page load (docs/session.md, "Open windows after a page
// load"): same windows, same order, same minimised state, the focus where it was, their history
// shown before the connection is back, and the same server session (no new login).
// Own Prosody with hashed accounts, as in session.test.ts (stored SCRAM keys must log in again).
jest.setTimeout(120000);

const own = useOwnProsody();

type Jsxc = { start: (...a: unknown[]) => Promise<void>; getAccount(uid: string): { isOnline: boolean } | undefined };
type PageWindow = { JSXC: new (o?: object) => Jsxc; jsxc: Jsxc };

const user = (): TestUser => own.user('win');

/** What the host page runs on every load. */
async function construct(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC();
    return (w.jsxc as unknown as { numberOfCachedAccounts: number }).numberOfCachedAccounts;
  });
}

/** The open chat windows, in the order the page shows them: name, minimised, messages. */
async function windows(page: Page): Promise<Array<{ name: string; minimized: boolean; log: string }>> {
  const regions = page.getByRole('region', { name: /^Chat with / });
  const out = [];
  for (const region of await regions.all()) {
    out.push({
      name: ((await region.getAttribute('aria-label')) ?? '').replace(/^Chat with /, ''),
      // ui-contract: the minimise button says whether the window is expanded
      minimized: (await region.getByRole('button', { name: /^(Minimize|Restore)$/ }).getAttribute('aria-expanded')) === 'false',
      // (a minimised window's log is hidden: read its text, not its rendering)
      log: (await region.locator('[role="log"]').textContent()) ?? '',
    });
  }
  return out;
}

const status = (page: Page) => page.getByRole('complementary', { name: 'Chat' }).getByRole('status', { name: 'Connection' });
const focusedWindow = (page: Page) => page.evaluate(() => document.activeElement?.closest('section[aria-label]')?.getAttribute('aria-label') ?? null);

const TRANSPORTS: Array<['BOSH' | 'WebSocket', () => string]> = [
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => own.site.wsUrl],
];

describe.each(TRANSPORTS)('over %s', (transport, url) => {
  it('two chat windows, one minimised, come back after a reload in the same order and state, with their messages, on the same server session', async () => {
    const me = user();
    const [ann, ben] = [user(), user()];
    prosody.befriend(own.server, [me.username, { username: ann.username, name: 'Ann' }]);
    prosody.befriend(own.server, [me.username, { username: ben.username, name: 'Ben' }]);
    const annClient = await own.node(ann);
    const { page, errors } = await openPage(own.browser, `${own.site.url}/basic.html`);
    await construct(page);
    await page.evaluate(({ url, jid, password }) => (window as unknown as PageWindow).jsxc.start(url, jid, password), { url: url(), jid: me.jid, password: me.password });

    // a chat with Ann (a message each way), then one with Ben (my message, focus stays in it)
    await contactItem(page, 'Ann').click();
    const annWin = chatRegion(page, 'Ann');
    await annWin.getByRole('textbox', { name: 'Message' }).fill('Hi Ann, from the browser');
    await annWin.getByRole('textbox', { name: 'Message' }).press('Enter');
    sendChat(annClient, me.jid, 'Hello back from Ann');
    await annWin.getByRole('article').filter({ hasText: 'Hello back from Ann' }).waitFor();
    await annWin.getByRole('article').filter({ hasText: 'Hi Ann' }).filter({ hasText: /sent|delivered/ }).waitFor();
    await annWin.getByRole('button', { name: 'Minimize' }).click();
    await contactItem(page, 'Ben').click();
    const benWin = chatRegion(page, 'Ben');
    await benWin.getByRole('textbox', { name: 'Message' }).fill('Hi Ben');
    await benWin.getByRole('textbox', { name: 'Message' }).press('Enter');
    await benWin.getByRole('article').filter({ hasText: /sent|delivered/ }).waitFor();

    const before = await windows(page);
    expect(before.map((w) => [w.name, w.minimized])).toEqual([
      ['Ben', false],
      ['Ann', true],
    ]);
    expect(await focusedWindow(page)).toBe('Chat with Ben');
    const sessions = await prosody.sessionsOf(own.server, me.jid);
    expect(sessions).toHaveLength(1);
    // only JIDs and window state are stored: no message text
    const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
    expect(stored).not.toContain('Hi Ben');
    expect(stored).not.toContain(me.password);

    // reload with the server out of reach: the windows and their history are back from storage
    const open = await reloadWithServerHeld(page, transport);
    expect(await construct(page)).toBe(1);
    // (Ann's window is minimised: its messages are in the page, not in view)
    await chatRegion(page, 'Ann').getByRole('article', { includeHidden: true }).filter({ hasText: 'Hello back from Ann' }).waitFor({ state: 'attached' });
    await chatRegion(page, 'Ben').getByRole('article').filter({ hasText: 'Hi Ben' }).waitFor();
    expect(await status(page).textContent()).not.toBe('Online');
    const after = await windows(page);
    expect(after.map((w) => [w.name, w.minimized])).toEqual([
      ['Ben', false],
      ['Ann', true],
    ]);
    expect(after[1].log).toContain('Hi Ann, from the browser');
    expect(after[1].log).toContain('Hello back from Ann');
    expect(after[0].log).toContain('Hi Ben');
    expect(await focusedWindow(page)).toBe('Chat with Ben');

    open();
    await status(page).filter({ hasText: 'Online' }).waitFor();
    expect(await prosody.sessionsOf(own.server, me.jid)).toEqual(sessions);
    // each message once
    expect((await windows(page))[1].log.match(/Hello back from Ann/g)).toHaveLength(1);

    // closing a window removes it for good; restoring the minimised one is remembered
    await chatRegion(page, 'Ben').getByRole('button', { name: 'Close' }).click();
    await chatRegion(page, 'Ann').getByRole('button', { name: 'Restore' }).click();
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.reload();
    expect(await construct(page)).toBe(1);
    await chatRegion(page, 'Ann').getByRole('article').filter({ hasText: 'Hello back from Ann' }).waitFor();
    await status(page).filter({ hasText: 'Online' }).waitFor();
    expect((await windows(page)).map((w) => [w.name, w.minimized])).toEqual([['Ann', false]]);
    expect(await prosody.sessionsOf(own.server, me.jid)).toEqual(sessions);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

it('without a roster cache (the page that logged in went away before writing it), the windows still come back before the connection, and take the contact name when the roster comes', async () => {
  const me = user();
  const ann = user();
  prosody.befriend(own.server, [me.username, { username: ann.username, name: 'Ann' }]);
  const { page, errors } = await openPage(own.browser, `${own.site.url}/basic.html`);
  await construct(page);
  await page.evaluate(({ url, jid, password }) => (window as unknown as PageWindow).jsxc.start(url, jid, password), { url: own.site.wsUrl, jid: me.jid, password: me.password });
  await contactItem(page, 'Ann').click();
  const input = chatRegion(page, 'Ann').getByRole('textbox', { name: 'Message' });
  await input.fill('Hi Ann, before the reload');
  await input.press('Enter');
  await chatRegion(page, 'Ann').getByRole('article').filter({ hasText: /sent|delivered/ }).waitFor();

  // the next page finds no roster cache, and cannot reach the server for now
  const open = await reloadWithServerHeld(page, 'WebSocket');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('jsxc:roster');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
      }),
  );
  expect(await construct(page)).toBe(1);
  // the window is back with its history, named by the JID until the contact is known
  await chatRegion(page, ann.jid).getByRole('article').filter({ hasText: 'Hi Ann, before the reload' }).waitFor();
  expect(await status(page).textContent()).not.toBe('Online');

  open();
  await status(page).filter({ hasText: 'Online' }).waitFor();
  await chatRegion(page, 'Ann').getByRole('article').filter({ hasText: 'Hi Ann, before the reload' }).waitFor();
  expect(await chatRegion(page, 'Ann').getByRole('article').filter({ hasText: 'Hi Ann, before the reload' }).count()).toBe(1);
  expect(await page.getByRole('region', { name: /^Chat with / }).count()).toBe(1);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('the contact list stays hidden after a reload when the user hid it; a logout forgets the windows', async () => {
  const me = user();
  const ann = user();
  prosody.befriend(own.server, [me.username, { username: ann.username, name: 'Ann' }]);
  const { page } = await openPage(own.browser, `${own.site.url}/basic.html`);
  await construct(page);
  await page.evaluate(({ jid, password }) => (window as unknown as PageWindow).jsxc.start('/http-bind/', jid, password), { jid: me.jid, password: me.password });
  await contactItem(page, 'Ann').click();
  await chatRegion(page, 'Ann').waitFor();
  const toggle = page.getByRole('complementary', { name: 'Chat' }).getByRole('button', { name: 'Toggle contact list' });
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  await page.reload();
  await construct(page);
  await chatRegion(page, 'Ann').waitFor();
  await status(page).filter({ hasText: 'Online' }).waitFor();
  expect(await page.getByRole('complementary', { name: 'Chat' }).getByRole('button', { name: 'Toggle contact list' }).getAttribute('aria-expanded')).toBe('false');

  // logout: nothing about the windows is left, and the next page opens none
  await page.evaluate(() => (window as unknown as { jsxc: { disconnect(): Promise<void> } }).jsxc.disconnect());
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('jsxc:')))).toEqual([]);
  await page.reload();
  expect(await construct(page)).toBe(0);
  expect(await page.getByRole('region', { name: /^Chat with / }).count()).toBe(0);
  await page.context().close();
});

it('a group chat window comes back after a reload: the room is joined again under my nickname, its history shown once', async () => {
  const me = user();
  const carol = user();
  const room = `tea-${Date.now().toString(36)}@${own.server.mucDomain}`;
  const carolClient = await own.node(carol);
  const carolRoom = carolClient.createMultiUserContact(room, 'carol');
  await carolRoom.join();
  await carolRoom.sendMessage('before the reload');
  const { page, errors } = await openPage(own.browser, `${own.site.url}/basic.html`);
  await construct(page);
  await page.evaluate(({ jid, password }) => (window as unknown as PageWindow).jsxc.start('/http-bind/', jid, password), { jid: me.jid, password: me.password });
  await joinRoomInPage(page, me.jid, room, 'Mimi', 'Tea room');
  const win = page.getByRole('region', { name: 'Group chat Tea room' });
  await win.getByRole('article').filter({ hasText: 'before the reload' }).waitFor();
  await win.getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: 'Mimi' }).waitFor();

  await page.reload();
  expect(await construct(page)).toBe(1);
  const again = page.getByRole('region', { name: 'Group chat Tea room' });
  await again.waitFor();
  await status(page).filter({ hasText: 'Online' }).waitFor();
  const participants = again.getByRole('list', { name: 'Participants' }).getByRole('listitem');
  await participants.filter({ hasText: 'Mimi' }).waitFor();
  await participants.filter({ hasText: 'carol' }).waitFor();
  await carolRoom.sendMessage('after the reload');
  await again.getByRole('article').filter({ hasText: 'after the reload' }).waitFor();
  expect(await again.getByRole('article').filter({ hasText: 'before the reload' }).count()).toBe(1);
  expect(await again.getByRole('article').filter({ hasText: 'after the reload' }).count()).toBe(1);
  // stored: the room, my nickname and its name; never a password
  const stored = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('jsxc:v1:ui:'))?.[1] ?? '');
  expect(JSON.parse(stored).windows).toEqual([expect.objectContaining({ kind: 'groupchat', jid: room, nick: 'Mimi', name: 'Tea room', minimized: false })]);
  expect(errors).toEqual([]);
  await page.context().close();
});
