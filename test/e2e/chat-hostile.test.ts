import { Browser } from 'playwright-core';
import { $pres } from 'strophe.js';
import { Account } from '../../src/model/Account';
import { launchBrowser, Site, startSite } from '../helpers/browser';
import { chatRegion, loginPage, nodeClient, openChat } from '../helpers/chat';
import { freshFriends } from '../helpers/test-server';

// Hostile input: everything a remote party sends is text. A corpus of payloads arrives from
// another account; nothing runs, the layout holds, the page stays responsive.
// generous: the test machine is shared and often loaded (no timing is asserted by these limits)
jest.setTimeout(120000);

let browser: Browser;
let site: Site;
let mallory: Account | undefined;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
});
afterAll(async () => {
  await mallory?.disconnect().catch(() => undefined);
  await browser?.close();
  await site?.close();
});

const P = 'window.__pwned=1';
const CORPUS = [
  `<script>${P}</script>`,
  `<img src=x onerror="${P}">`,
  `<svg onload="${P}"><script>${P}</script></svg>`,
  `<iframe src="javascript:${P}"></iframe>`,
  `javascript:${P}`,
  `JaVaScRiPt:${P} and data:text/html,<script>${P}</script>`,
  `[click me](javascript:${P})`,
  `https://example.org/"><img src=x onerror=${P}>`,
  `<a href="javascript:${P}">link</a>`,
  `<style>*{display:none!important}</style><div style="position:fixed;inset:0;background:red">cover</div>`,
  `*<img src=x onerror=${P}>* _<b onmouseover=${P}>x</b>_ \`<i>\``,
  '```\n<script>' + P + '</script>\n```\n> <img src=x onerror=' + P + '>',
  `/me <img src=x onerror=${P}>`,
  `{{constructor.constructor('${P}')()}} \${${P}}`,
  'A'.repeat(6000),
  // C0 controls cannot travel in XML at all (our client replaces them before sending); C1 ones can
  'control \u0085\u009b[31m red \u0080 end \u0000\u0007',
  'bidi \u202eevil txt.exe\u202c and \u2066isolate\u2069 \u200f',
];
const MEGABYTE = 'word '.repeat(200 * 1024);

it('a corpus of XSS payloads and oversized bodies is shown as text: nothing runs, the layout holds, the page stays responsive', async () => {
  const [alice, mal] = await freshFriends(2, 'xss');
  mallory = await nodeClient(mal);
  const { page, errors } = await loginPage(browser, site.url, alice);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const win = await openChat(page, mal.username);
  const before = await win.boundingBox();
  const chat = mallory.chats.get(alice.jid);
  for (const body of CORPUS) {
    await chat.send(body);
  }
  await chat.send(MEGABYTE);
  await chat.send('the end');
  const log = win.getByRole('log', { name: 'Messages' });
  await log.getByRole('article').filter({ hasText: 'the end' }).waitFor({ timeout: 60000 });
  expect(await log.getByRole('article').count()).toBe(CORPUS.length + 2);

  // nothing ran, no dialog, no markup from the payloads became elements
  await page.mouse.move(10, 10);
  await log.locator('article').first().hover();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await log.locator('script, img, svg, iframe, style, b, i, [onerror], [onload], [style]').count()).toBe(0);
  const hrefs = await log.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  for (const href of hrefs) {
    expect(href).toMatch(/^(https?:|xmpp:|mailto:)/);
  }
  // the link ends where the markup starts
  expect(hrefs).toEqual(['https://example.org/']);

  // the bodies are there as text (controls replaced, bidi contained)
  const texts = await log.locator('.jsxc-msg__body').allTextContents();
  expect(texts[0]).toBe(CORPUS[0]);
  expect(texts[1]).toBe(CORPUS[1]);
  expect(texts[9]).toBe(CORPUS[9]);
  expect(texts[15]).toBe('control \ufffd\ufffd[31m red \ufffd end \ufffd\ufffd');
  expect(await log.locator('.jsxc-msg__body').nth(16).getAttribute('dir')).toBe('auto');
  expect(texts[CORPUS.length]).toHaveLength(MEGABYTE.length);

  // the layout holds: the window keeps its size and place; no message is wider than the log
  expect(await win.boundingBox()).toEqual(before);
  const overflow = await log.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // the host page is untouched by the CSS payload
  expect(await page.locator('h1').isVisible()).toBe(true);

  // the page stays responsive: typing and sending still work
  const input = win.getByRole('textbox', { name: 'Message' });
  await input.fill('still here');
  await input.press('Enter');
  await log.getByRole('article').filter({ hasText: 'still here' }).filter({ hasText: /sent|delivered|read/ }).waitFor();
  expect(await chatRegion(page, mal.username).count()).toBe(1);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('status texts and the nickname in a subscription request are text too: nothing runs, nothing becomes an element', async () => {
  const [alice, mal] = await freshFriends(2, 'xss');
  const [stranger] = await freshFriends(1, 'xss');
  const status = `<img src=x onerror="${P}"> <b>bold</b> ${'W'.repeat(3000)}`;
  const nick = `<svg onload="${P}">Mallory\u202e</svg>`;
  const { page, errors } = await loginPage(browser, site.url, alice);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const m = await nodeClient(mal);
  const s = await nodeClient(stranger);
  try {
    m.xmpp.send($pres().c('show').t('dnd').up().c('status').t(status).tree());
    s.xmpp.send($pres({ to: alice.jid, type: 'subscribe' }).c('nick', { xmlns: 'http://jabber.org/protocol/nick' }).t(nick).tree());
    const roster = page.getByRole('complementary', { name: 'Chat' });
    const item = roster.getByRole('listitem').filter({ hasText: mal.username }).filter({ hasText: '<b>bold</b>' });
    await item.waitFor();
    const request = roster.getByRole('listitem').filter({ hasText: stranger.jid }).filter({ has: page.getByRole('button', { name: 'Accept' }) });
    await request.waitFor();
    expect(await request.innerText()).toContain('<svg onload=');
    await item.hover();
    await request.hover();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await roster.locator('img:not(.jsxc-avatar img):not([src^="data:"]), svg[onload], b, [onerror], [onload]').count()).toBe(0);
    // the long status does not widen the roster
    expect(await roster.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  } finally {
    await Promise.all([m.disconnect(), s.disconnect()].map((p) => p.catch(() => undefined)));
    await page.context().close();
  }
});
