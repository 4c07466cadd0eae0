import fs from 'fs';
import path from 'path';
import { $msg } from 'strophe.js';
import { Browser, Locator } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { launchBrowser, Site, startSite } from '../helpers/browser';
import { chatRegion, contactItem, loginPage, nodeClient, openChat } from '../helpers/chat';
import { freshFriends } from '../helpers/test-server';

// One-to-one chat end to end: the bundle in Chromium (two browser contexts chatting, plus Node
// clients as other parties) against the real Prosody.
// generous: the test machine is shared and often loaded (no timing is asserted by these limits)
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

async function node(user: Parameters<typeof nodeClient>[0], resource?: string): Promise<Account> {
  const a = await nodeClient(user, resource);
  nodeClients.push(a);
  return a;
}

/** Waits (up to 20 s) until a Node-side condition holds. */
async function until(f: () => boolean): Promise<void> {
  for (let i = 0; i < 800 && !f(); i++) await new Promise((r) => setTimeout(r, 25));
}

const TRANSPORTS = [
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => site.wsUrl],
] as const;

describe.each(TRANSPORTS)('two browsers chatting over %s', (_name, url) => {
  it('send and receive; delivery states sent → delivered → read; typing both ways; unread count and title', async () => {
    const [alice, bob] = await freshFriends(2);
    const a = await loginPage(browser, site.url, alice, { url: url() });
    const b = await loginPage(browser, site.url, bob, { url: url() });

    const win = await openChat(a.page, bob.username);
    const input = win.getByRole('textbox', { name: 'Message' });
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await input.fill('Hello Bob');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    await input.press('Enter');
    const out = win.getByRole('log', { name: 'Messages' }).getByRole('article').last();
    await expect(out.getAttribute('data-direction')).resolves.toBe('out');
    expect(await out.innerText()).toContain('Hello Bob\nsecond line');
    await out.filter({ hasText: /sent|delivered/ }).waitFor();
    expect(await input.inputValue()).toBe('');

    // bob: unread on the contact, the toggle and the title before he opens the window
    await contactItem(b.page, alice.username).filter({ hasText: '1 unread' }).waitFor();
    await b.page.waitForFunction(() => document.title === '(1) Host site');
    expect(await b.page.locator('.jsxc-roster__unread').textContent()).toBe('1');
    await out.filter({ hasText: 'delivered' }).waitFor();

    const bwin = await openChat(b.page, alice.username);
    const inc = bwin.getByRole('article').last();
    await expect(inc.getAttribute('data-direction')).resolves.toBe('in');
    expect(await inc.innerText()).toContain('Hello Bob\nsecond line');
    // opened with focus in it: seen, so read at alice's; the counts are gone
    await out.filter({ hasText: 'read' }).waitFor();
    await b.page.waitForFunction(() => document.title === 'Host site');
    expect(await contactItem(b.page, alice.username).textContent()).not.toContain('unread');

    // typing, both ways
    const binput = bwin.getByRole('textbox', { name: 'Message' });
    await binput.pressSequentially('typing…');
    await win.getByRole('status').filter({ hasText: `${bob.username} is typing…` }).waitFor();
    await binput.fill('');
    await binput.press('Backspace');
    await a.page.waitForFunction(() => !document.querySelector('.jsxc-chat__typing')?.textContent);
    await input.pressSequentially('x');
    await bwin.getByRole('status').filter({ hasText: `${alice.username} is typing…` }).waitFor();
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
  });
});

it('history is in IndexedDB: shown at once after a reload, even without the archive', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  const a = await loginPage(browser, site.url, alice);
  const win = await openChat(a.page, bob.username);
  await win.getByRole('textbox', { name: 'Message' }).fill('remember me');
  await win.getByRole('textbox', { name: 'Message' }).press('Enter');
  await win.getByRole('article').filter({ hasText: 'remember me' }).waitFor();
  await b.chats.get(alice.jid).send('and me');
  await win.getByRole('article').filter({ hasText: 'and me' }).waitFor();
  await win.getByRole('article').filter({ hasText: 'remember me' }).filter({ hasText: /sent|delivered/ }).waitFor();

  await a.page.reload();
  await loginPage(browser, site.url, alice, { page: a.page, options: { disabledPlugins: ['mam'] } });
  const again = await openChat(a.page, bob.username);
  await again.getByRole('article').filter({ hasText: 'and me' }).waitFor({ timeout: 2000 });
  expect(await again.getByRole('article').allInnerTexts()).toEqual([expect.stringContaining('remember me'), expect.stringContaining('and me')]);
  await a.page.context().close();
});

it('older messages load from the archive a page ahead of me as I scroll up, and the view does not jump', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  // alice reads them on another device (so they are in her archive, not waiting offline)
  const other = await node(alice, 'other');
  for (let i = 1; i <= 120; i++) {
    await b.xmpp.sendAcked($msg({ to: alice.jid, type: 'chat', id: `h${i}` }).c('body').t(`history ${i}`).tree());
  }
  await until(() => other.chats.get(bob.jid).unread >= 120);
  await other.disconnect();
  const a = await loginPage(browser, site.url, alice);
  const win = await openChat(a.page, bob.username);
  const log = win.getByRole('log', { name: 'Messages' });
  // the newest page (50) comes from the archive, shown scrolled to the bottom, and the page before
  // it comes ahead while I read, without my scrolling
  await a.page.waitForFunction(() => document.querySelectorAll('.jsxc-chat__log article').length === 100 && !document.querySelector('.jsxc-chat__log[aria-busy]'));
  await a.page.waitForTimeout(200);
  const count = await log.getByRole('article').count();
  expect(count).toBe(100);
  expect(await log.getByRole('article').first().innerText()).toMatch(/^history 21\b/);
  expect(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5);
  const before = await log.evaluate((el) => {
    const first = el.querySelector('article')!;
    el.scrollTop = 0;
    const top = first.getBoundingClientRect().top;
    el.dispatchEvent(new Event('scroll'));
    return { text: first.querySelector('.jsxc-msg__body')!.textContent!, top };
  });
  await a.page.waitForFunction((n) => document.querySelectorAll('.jsxc-chat__log article').length > n, count);
  // the message that was at the top stays where it was on screen
  const after = await log.evaluate((el, text) => {
    const same = Array.from(el.querySelectorAll('article')).find((x) => x.querySelector('.jsxc-msg__body')!.textContent === text)!;
    return same.getBoundingClientRect().top;
  }, before.text);
  expect(Math.abs(after - before.top)).toBeLessThan(3);
  // scrolling on reaches the very first message
  for (let i = 0; i < 5 && (await log.getByRole('article').filter({ hasText: /^history 1\b/ }).count()) === 0; i++) {
    await log.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await a.page.waitForTimeout(300);
  }
  expect(await log.getByRole('article').first().innerText()).toMatch(/^history 1\b/);
  await a.page.context().close();
});

it('carbons: what I send from another client of mine appears as outgoing', async () => {
  const [alice, bob] = await freshFriends(2);
  const a = await loginPage(browser, site.url, alice);
  const win = await openChat(a.page, bob.username);
  const phone = await node(alice, 'phone');
  await phone.chats.get(bob.jid).send('from my phone');
  const copy = win.getByRole('article').filter({ hasText: 'from my phone' });
  await copy.waitFor();
  expect(await copy.getAttribute('data-direction')).toBe('out');
  await a.page.context().close();
});

it('the Up key corrects my last message, at the contact too; their corrections show as edited', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  const a = await loginPage(browser, site.url, alice);
  const win = await openChat(a.page, bob.username);
  const input = win.getByRole('textbox', { name: 'Message' });
  await input.fill('teh typo');
  await input.press('Enter');
  const bchat = b.chats.get(alice.jid);
  await bchat.open();
  await until(() => bchat.messages.some((m) => m.body === 'teh typo'));
  await win.getByRole('article').filter({ hasText: /sent|delivered/ }).waitFor();
  await input.press('ArrowUp');
  expect(await input.inputValue()).toBe('teh typo');
  await input.fill('the typo, fixed');
  await input.press('Enter');
  await win.getByRole('article').filter({ hasText: 'the typo, fixed' }).filter({ hasText: 'edited' }).waitFor();
  await until(() => bchat.messages.some((m) => m.body === 'the typo, fixed' && m.corrected === true));
  expect(bchat.messages.filter((m) => m.direction === 'in').map((m) => m.body)).toEqual(['the typo, fixed']);
  expect(await win.getByRole('article').count()).toBe(1);

  // bob corrects his message
  await bchat.send('see you at 5');
  await win.getByRole('article').filter({ hasText: 'see you at 5' }).waitFor();
  await until(() => bchat.lastOutgoing?.state !== 'pending');
  await bchat.correctLast('see you at 6');
  await win.getByRole('article').filter({ hasText: 'see you at 6' }).filter({ hasText: 'edited' }).waitFor();
  expect(await win.getByRole('article').filter({ hasText: 'see you at 5' }).count()).toBe(0);
  await a.page.context().close();
});

it('/me, message styling, safe links and emoji (picker and typed)', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  const a = await loginPage(browser, site.url, alice);
  const win = await openChat(a.page, bob.username);
  const bchat = b.chats.get(alice.jid);
  await bchat.send('/me waves');
  await bchat.send('*bold* _italic_ ~gone~ `a*b*c`');
  await bchat.send('```\nconst x = *1*;\n```\n> quoted *text*\nafter');
  await bchat.send('see https://example.org/a_(b). or xmpp:bob@example.org?message and javascript:alert(1) data:text/html,x');
  const log = win.getByRole('log', { name: 'Messages' });
  await log.getByRole('article').filter({ hasText: 'see https' }).waitFor();

  const me = log.getByRole('article').filter({ hasText: 'waves' });
  expect(await me.innerText()).toContain(`${bob.username} waves`);
  expect(await me.innerText()).not.toContain('/me');

  const styled = log.getByRole('article').filter({ hasText: 'bold' });
  expect(await styled.locator('strong').innerText()).toBe('*bold*');
  expect(await styled.locator('em').innerText()).toBe('_italic_');
  // and they look like it: the scoped reset must not flatten them
  expect(Number(await styled.locator('strong').evaluate((el) => getComputedStyle(el).fontWeight))).toBeGreaterThanOrEqual(600);
  expect(await styled.locator('em').evaluate((el) => getComputedStyle(el).fontStyle)).toBe('italic');
  expect(await styled.locator('s').innerText()).toBe('~gone~');
  expect(await styled.locator('code').innerText()).toBe('`a*b*c`');
  expect(await styled.locator('code strong').count()).toBe(0);

  const block = log.getByRole('article').filter({ hasText: 'const x' });
  expect(await block.locator('pre').innerText()).toContain('const x = *1*;');
  expect(await block.locator('pre strong').count()).toBe(0);
  expect(await block.locator('blockquote').innerText()).toContain('quoted');
  expect(await block.locator('blockquote strong').innerText()).toBe('*text*');

  const links = await log.getByRole('article').filter({ hasText: 'see https' }).locator('a').evaluateAll((as) => as.map((x) => ({ href: x.getAttribute('href'), rel: x.getAttribute('rel'), target: x.getAttribute('target'), text: x.textContent })));
  expect(links).toEqual([
    { href: 'https://example.org/a_(b)', rel: 'noopener noreferrer', target: '_blank', text: 'https://example.org/a_(b)' },
    { href: 'xmpp:bob@example.org?message', rel: 'noopener noreferrer', target: '_blank', text: 'xmpp:bob@example.org?message' },
  ]);

  // emoji: from the picker (keyboard) and typed as Unicode
  const input = win.getByRole('textbox', { name: 'Message' });
  await win.getByRole('button', { name: 'Emoji' }).click();
  const picker = win.getByRole('group', { name: 'Emoji' });
  await picker.getByRole('button', { name: '😀' }).click();
  await input.pressSequentially(' 🎉 ok');
  await input.press('Enter');
  const sent = log.getByRole('article').filter({ hasText: '😀 🎉 ok' });
  await sent.waitFor();
  await until(() => bchat.messages.some((m) => m.body === '😀 🎉 ok'));
  expect(bchat.messages.map((m) => m.body)).toContain('😀 🎉 ok');
  await a.page.context().close();
});

it('desktop notification and title count for a message while the chat is not in view; permission is asked on my first message, not on load', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  const probe = await loginPage(browser, site.url, alice, {});
  const { page } = probe;
  await page.evaluate(() => {
    const w = window as any;
    w.__notifications = [];
    w.__permissionAsked = 0;
    const Real = w.Notification;
    class Spy extends Real {
      constructor(title: string, opts: NotificationOptions) {
        super(title, opts);
        w.__notifications.push({ title, body: opts?.body });
      }
      static get permission() {
        return w.__permission ?? Real.permission;
      }
      static requestPermission() {
        w.__permissionAsked++;
        w.__permission = 'granted';
        return Promise.resolve('granted');
      }
    }
    w.Notification = Spy;
  });
  await page.context().grantPermissions(['notifications'], { origin: site.url });
  expect(await page.evaluate(() => (window as any).__permissionAsked)).toBe(0);
  const win = await openChat(page, bob.username);
  await page.evaluate(() => ((window as any).__permission = 'default'));
  await win.getByRole('textbox', { name: 'Message' }).fill('hi');
  await win.getByRole('textbox', { name: 'Message' }).press('Enter');
  await page.waitForFunction(() => (window as any).__permissionAsked === 1);
  // the window is minimised: a new message is not in view
  await win.getByRole('button', { name: 'Minimize' }).click();
  await b.chats.get(alice.jid).send('ping from bob');
  await page.waitForFunction(() => (window as any).__notifications.length === 1);
  expect(await page.evaluate(() => (window as any).__notifications[0])).toEqual({ title: `Message from ${bob.username}`, body: 'ping from bob' });
  await page.waitForFunction(() => document.title === '(1) Host site');
  expect(await win.locator('.jsxc-chat__unread').innerText()).toBe('1 unread');
  // restoring (and so seeing) it clears the counts
  await win.getByRole('button', { name: 'Restore' }).click();
  await win.getByRole('textbox', { name: 'Message' }).focus();
  await page.waitForFunction(() => document.title === 'Host site');
  expect(probe.errors).toEqual([]);
  await page.context().close();
});

it('a server error marks the message failed with the error text, and Retry sends it again', async () => {
  const [alice] = await freshFriends(1);
  const { page } = await loginPage(browser, site.url, alice);
  await page.evaluate((jid) => (window as any).jsxc.getAccount(jid).chats.get('nobody@no-such-domain.invalid').openWindow(true), alice.jid);
  const win = chatRegion(page, 'nobody@no-such-domain.invalid');
  await win.getByRole('textbox', { name: 'Message' }).fill('hello?');
  await win.getByRole('textbox', { name: 'Message' }).press('Enter');
  const msg = win.getByRole('article').filter({ hasText: 'failed' });
  await msg.waitFor();
  expect(await msg.innerText()).toContain('Communication with remote domains is not enabled');
  await msg.getByRole('button', { name: 'Retry' }).click();
  await page.waitForFunction(() => document.querySelector('.jsxc-msg')?.getAttribute('data-state') !== 'failed');
  await win.getByRole('article').filter({ hasText: 'failed' }).waitFor();
  expect(await win.getByRole('article').count()).toBe(1);
  await page.context().close();
});

it('duplicates (same origin-id) show once', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  const { page } = await loginPage(browser, site.url, alice);
  const win = await openChat(page, bob.username);
  for (let i = 0; i < 3; i++) {
    await b.xmpp.sendAcked($msg({ to: alice.jid, type: 'chat', id: 'dup' }).c('body').t('only once').up().c('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'o-dup' }).tree());
  }
  await b.chats.get(alice.jid).send('last');
  await win.getByRole('article').filter({ hasText: 'last' }).waitFor();
  expect(await win.getByRole('article').filter({ hasText: 'only once' }).count()).toBe(1);
  await page.context().close();
});

it('several windows side by side; the oldest collapse when the page is too narrow; full screen on a phone', async () => {
  const [alice, b1, b2, b3] = await freshFriends(4);
  const { page } = await loginPage(browser, site.url, alice);
  await page.setViewportSize({ width: 1400, height: 800 });
  for (const u of [b1, b2, b3]) await openChat(page, u.username);
  const open = () => page.locator('.jsxc-chat[data-minimized="false"]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.peer));
  expect((await open()).sort()).toEqual([b1.jid, b2.jid, b3.jid].sort());
  await page.setViewportSize({ width: 1000, height: 800 });
  await page.waitForFunction(() => document.querySelectorAll('.jsxc-chat[data-minimized="false"]').length === 2);
  expect((await open()).sort()).toEqual([b2.jid, b3.jid].sort());
  // restoring the oldest collapses the least recently used other one
  await chatRegion(page, b1.username).getByRole('button', { name: 'Restore' }).click();
  expect((await open()).sort()).toEqual([b1.jid, b3.jid].sort());
  // closing
  await chatRegion(page, b1.username).getByRole('button', { name: 'Close' }).click();
  expect(await chatRegion(page, b1.username).count()).toBe(0);
  // phone: one window fills the screen
  await page.setViewportSize({ width: 390, height: 800 });
  await page.waitForFunction(() => document.querySelectorAll('.jsxc-chat[data-minimized="false"]').length === 1);
  const box = await page.locator('.jsxc-chat[data-minimized="false"]').boundingBox();
  expect(box).toEqual({ x: 0, y: 0, width: 390, height: 800 });
  await page.context().close();
});

it('keyboard only: find a contact, open the chat, send, close', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  const { page } = await loginPage(browser, site.url, alice);
  await contactItem(page, bob.username).waitFor();
  await page.locator('body').focus();
  let found = false;
  for (let i = 0; i < 20 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate((name) => document.activeElement?.getAttribute('aria-label') === name, bob.username);
  }
  expect(found).toBe(true);
  await page.keyboard.press('Enter');
  const win = chatRegion(page, bob.username);
  await win.waitFor();
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Message');
  await page.keyboard.type('sent by keyboard');
  await page.keyboard.press('Enter');
  const bchat = b.chats.get(alice.jid);
  await bchat.open();
  await until(() => bchat.messages.some((m) => m.body === 'sent by keyboard'));
  expect(bchat.messages.map((m) => m.body)).toContain('sent by keyboard');
  // Shift+Tab back to Close
  let onClose = false;
  for (let i = 0; i < 10 && !onClose; i++) {
    await page.keyboard.press('Shift+Tab');
    onClose = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') === 'Close');
  }
  expect(onClose).toBe(true);
  await page.keyboard.press('Enter');
  expect(await win.count()).toBe(0);
  // focus goes back to the contact
  expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(bob.username);
  await page.context().close();
});

describe('accessibility and looks', () => {
  it.each([
    ['light', 1280, 800, 'desktop'],
    ['dark', 1280, 800, 'desktop'],
    ['light', 390, 800, 'phone'],
    ['dark', 390, 800, 'phone'],
  ] as const)('axe-core finds no WCAG 2.1 A/AA violation on a chat window (%s, %s×%s); screenshot', async (scheme, width, height, device) => {
    const [alice, bob] = await freshFriends(2, 'look');
    const b = await node(bob);
    const { page } = await loginPage(browser, site.url, alice, { colorScheme: scheme });
    await page.setViewportSize({ width, height });
    await page.bringToFront();
    const win = await openChat(page, bob.username);
    const input = win.getByRole('textbox', { name: 'Message' });
    await input.fill('Hi! Did you see the *release notes*? https://example.org/notes');
    await input.press('Enter');
    // bob answers once alice's message is on the server (the order of the conversation)
    await win.getByRole('article').filter({ hasText: /sent|delivered|read/ }).waitFor({ timeout: 30000 });
    const bchat = b.chats.get(alice.jid);
    await bchat.send('Yes 👍 _looks good_ — `npm test` passes');
    await bchat.send('/me is impressed');
    await win.getByRole('article').filter({ hasText: 'impressed' }).waitFor({ timeout: 30000 });
    bchat.setOwnState('composing');
    await win.getByRole('status').filter({ hasText: 'is typing' }).waitFor({ timeout: 30000 });
    await win.getByRole('article').filter({ hasText: 'release notes' }).filter({ hasText: /delivered|read/ }).waitFor({ timeout: 30000 });
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const result = await page.evaluate(async () => {
      const axe = (window as any).axe;
      const r = await axe.run('.jsxc-chat', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
      return r.violations.map((v: any) => `${v.id}: ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`);
    });
    expect(result).toEqual([]);
    const dir = path.join(__dirname, '../../test-results/screenshots');
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `chat-${device}-${scheme}.png`) });
    await page.context().close();
  });
});

const BURST = 400;
const burstBody = (i: number) => `burst-${String(i).padStart(4, '0')}`;

/** The bodies of the articles in the log now, oldest first. */
const shownBodies = (log: Locator) => log.locator('article .jsxc-msg__body').allInnerTexts();

// issue 7, benchmark item 4 without the timing
it('a burst of 400 messages is shown in order with a bounded log; after an immediate reload every one is there once, and the keyboard scrolls back to the first and forward again', async () => {
  const [alice, bob] = await freshFriends(2);
  const b = await node(bob);
  const a = await loginPage(browser, site.url, alice);
  const win = await openChat(a.page, bob.username);
  const log = win.getByRole('log', { name: 'Messages' });

  for (let i = 1; i <= BURST; i++) {
    b.xmpp.send($msg({ to: alice.jid, type: 'chat', id: `b${i}` }).c('body').t(burstBody(i)));
  }
  await log.getByRole('article').filter({ hasText: burstBody(BURST) }).waitFor({ timeout: 60000 });
  const live = await shownBodies(log);
  if (live[live.length - 1] !== burstBody(BURST)) {
    // (seen once under load: the log showed 221–370) what the log looked like, to tell why
    const geometry = await log.evaluate((el) => ({ scrollTop: el.scrollTop, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
    console.log('[chat burst] shown', live.length, 'from', live[0], 'to', live[live.length - 1], 'log', JSON.stringify(geometry), 'again after 2 s:', await new Promise((r) => setTimeout(r, 2000)).then(() => shownBodies(log)).then((l) => `${l[0]} – ${l[l.length - 1]}`));
  }
  // the newest, in order, at the bottom; not all 400 articles in the DOM
  expect(live[live.length - 1]).toBe(burstBody(BURST));
  expect(live).toEqual([...live].sort());
  expect(live.length).toBeLessThan(BURST);
  expect(await log.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(5);

  // at once, without waiting for anything: a reload, a new session without the archive (only
  // what this browser stored can show)
  await a.page.reload();
  await loginPage(browser, site.url, alice, { page: a.page, options: { disabledPlugins: ['mam'] } });
  const again = await openChat(a.page, bob.username);
  const history = again.getByRole('log', { name: 'Messages' });
  await history.getByRole('article').filter({ hasText: burstBody(BURST) }).waitFor();

  // back to the first with the keyboard (Home in the focused log), collecting what was shown
  const seen = new Set<string>();
  await history.focus();
  for (let step = 0; step < 200 && !seen.has(burstBody(1)); step++) {
    const now = await shownBodies(history);
    expect(new Set(now).size).toBe(now.length); // nothing twice
    expect(now).toEqual([...now].sort()); // in order
    now.forEach((t) => seen.add(t));
    await history.press('Home');
    await a.page.waitForTimeout(100);
  }
  expect(seen.size).toBe(BURST);
  expect((await shownBodies(history))[0]).toBe(burstBody(1));
  // and forward again to the newest with End
  for (let step = 0; step < 50 && !(await shownBodies(history)).includes(burstBody(BURST)); step++) {
    await history.press('End');
    await a.page.waitForTimeout(100);
  }
  expect((await shownBodies(history)).slice(-1)).toEqual([burstBody(BURST)]);
  expect(a.errors).toEqual([]);
  await a.page.context().close();
});
