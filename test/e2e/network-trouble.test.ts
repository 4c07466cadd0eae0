import { Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { chatRegion, contactItem } from '../helpers/chat';
import { useOwnProsody } from '../helpers/own-prosody';
import { prosody, TestUser } from '../helpers/test-server';
import { collectMessages, sendChat, until } from '../helpers/xmpp-node';

// Network trouble (issue 4 item 6, docs/session.md): Prosody is killed and started again in the
// middle of a conversation. Messages typed in the browser while it is down are kept (a reload in
// between does not lose them), shown as "sending", and go out in order when the connection is back;
// messages a contact sent while the user was away come from the archive; none is lost or doubled;
// the Connection region says Reconnecting, then Online; reconnecting backs off (no request storm).
// This file kills ITS OWN Prosody, never the shared one.
jest.setTimeout(240000);

const own = useOwnProsody();

beforeEach(async () => {
  // a test that failed half-way may have left its Prosody killed
  if (!prosody.isRunning(own.server)) own.restarted(await prosody.restartProsody(own.server));
});

type Jsxc = { start: (...a: unknown[]) => Promise<void>; getAccount(uid: string): { isOnline: boolean } | undefined };
type PageWindow = { JSXC: new (o?: object) => Jsxc; jsxc: Jsxc; seen: string[] };

const user = (): TestUser => own.user('net');

/** What the host page runs on every load. */
async function construct(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC();
    w.seen = [];
  });
}

/** Records every text of the Connection region (once the widget is there). */
async function observe(page: Page): Promise<void> {
  await page.getByRole('complementary', { name: 'Chat' }).getByRole('status', { name: 'Connection' }).waitFor({ state: 'attached' });
  await page.evaluate(() => {
    const w = window as unknown as PageWindow;
    const region = document.querySelector('.jsxc-roster__state[role="status"]')!;
    w.seen.push(region.textContent ?? '');
    new MutationObserver(() => w.seen.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
  });
}

/** What a failed wait after the reload needs to say: the widget's text, what is stored, the account. */
function afterReload(page: Page, jid: string): Promise<unknown> {
  return page.evaluate((jid) => {
    const w = window as unknown as PageWindow;
    const stored: Record<string, string> = {};
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)!;
      stored[key] = (localStorage.getItem(key) ?? '').slice(0, 300);
    }
    const account = w.jsxc.getAccount(jid) as unknown as { isOnline: boolean; roster?: { isLoaded?: boolean; items?: unknown[] } } | undefined;
    return {
      widget: (document.querySelector('aside') as HTMLElement | null)?.innerText ?? '(no aside)',
      seen: w.seen,
      account: account ? { isOnline: account.isOnline, rosterLoaded: account.roster?.isLoaded } : '(no account)',
      stored,
    };
  }, jid);
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as PageWindow).seen);
const log = (page: Page, name: string) => chatRegion(page, name).getByRole('log', { name: 'Messages' });

/** The bodies in a chat window, in the order shown, with the direction. */
async function shown(page: Page, name: string): Promise<string[]> {
  return log(page, name)
    .getByRole('article')
    .evaluateAll((els) => els.map((el) => `${(el as HTMLElement).dataset.direction}: ${el.querySelector('.jsxc-msg__body')?.textContent ?? ''}`));
}

/** The same, with each message's time as the page shows it (ISO). */
async function shownWithTimes(page: Page, name: string): Promise<string[]> {
  return log(page, name)
    .getByRole('article')
    .evaluateAll((els) => els.map((el) => `${el.querySelector('.jsxc-msg__body')?.textContent ?? ''} @ ${el.querySelector('time')?.getAttribute('datetime') ?? '?'}`));
}

async function send(page: Page, name: string, text: string): Promise<void> {
  const input = chatRegion(page, name).getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
  await log(page, name).getByRole('article').filter({ hasText: text }).waitFor();
}

/**
 * Every failed attempt to reach the server, with its time: BOSH requests that failed or got an
 * HTTP error (the proxy answers 502 while Prosody is down), and WebSocket connections opened.
 */
function countAttempts(page: Page): { since: number; times: number[] } {
  const attempts = { since: Date.now(), times: [] as number[] };
  page.on('requestfailed', (req) => {
    if (req.url().includes('/http-bind')) attempts.times.push(Date.now());
  });
  page.on('response', (res) => {
    if (res.url().includes('/http-bind') && res.status() >= 400) attempts.times.push(Date.now());
  });
  page.on('websocket', (ws) => {
    if (ws.url().includes('/xmpp-websocket')) attempts.times.push(Date.now());
  });
  return attempts;
}

describe.each([
  ['WebSocket', () => own.site.wsUrl],
  ['BOSH', () => '/http-bind/'],
])('over %s', (transport, url) => {
  it('Prosody killed and restarted mid-conversation: messages from both sides while it was down and after arrive once each, in order', async () => {
    const me = user();
    const friend = user();
    prosody.befriend(own.server, [me.username, { username: friend.username, name: 'Friend' }]);
    let friendClient = await own.node(friend);
    let received = collectMessages(friendClient);

    const { page, errors } = await openPage(own.browser, `${own.site.url}/basic.html`);
    await construct(page);
    await page.evaluate(({ url, jid, password }) => (window as unknown as PageWindow).jsxc.start(url, jid, password), { url: url(), jid: me.jid, password: me.password });
    await observe(page);
    await contactItem(page, 'Friend').click();
    await send(page, 'Friend', 'before 1');
    sendChat(friendClient, me.jid, 'reply 1');
    await log(page, 'Friend').getByRole('article').filter({ hasText: 'reply 1' }).waitFor();
    await until('friend got "before 1"', () => received.includes('before 1'), 20000);

    // killed: no stream close, no goodbye
    process.kill(own.server.pid, 'SIGKILL');
    await page.waitForFunction(() => (window as unknown as PageWindow).seen.includes('Reconnecting'), undefined, { timeout: 60000 });

    // typed while the server is down: kept and shown as "sending", also across a page load
    await send(page, 'Friend', 'offline 1');
    await send(page, 'Friend', 'offline 2');
    await page.reload();
    const attempts = countAttempts(page);
    const consoleLines: string[] = [];
    page.on('console', (msg) => consoleLines.push(`${msg.type()}: ${msg.text()}`));
    await construct(page);
    await observe(page);
    await log(page, 'Friend')
      .getByRole('article')
      .filter({ hasText: 'offline 2' })
      .waitFor()
      .catch(async (err: Error) => {
        throw new Error(`${err.message}; after the reload: ${JSON.stringify(await afterReload(page, me.jid))}; console: ${JSON.stringify(consoleLines)}`);
      });
    await send(page, 'Friend', 'offline 3');
    for (const text of ['offline 1', 'offline 2', 'offline 3']) {
      expect(await log(page, 'Friend').getByRole('article').filter({ hasText: text }).getAttribute('data-state')).toBe('pending');
    }
    await page
      .waitForFunction(() => (window as unknown as PageWindow).seen.at(-1) === 'Reconnecting', undefined, { timeout: 60000 })
      .catch(async (err: Error) => {
        throw new Error(`${err.message}; the Connection region said: ${JSON.stringify(await seen(page))}`);
      });

    // the server comes back; the browser still cannot reach it (its network is down), the
    // contact writes to the user who is away
    const context = page.context();
    await context.setOffline(true);
    own.restarted(await prosody.restartProsody(own.server));
    friendClient = await own.node(friend);
    received = collectMessages(friendClient);
    sendChat(friendClient, me.jid, 'while away 1');
    sendChat(friendClient, me.jid, 'while away 2');
    // give the server a moment to store them (archive and offline storage)
    await new Promise((r) => setTimeout(r, 1000));
    await context.setOffline(false);

    await page.waitForFunction((jid) => (window as unknown as PageWindow).jsxc.getAccount(jid)?.isOnline, me.jid, { timeout: 120000 });
    const online = Date.now();
    sendChat(friendClient, me.jid, 'after 1');
    await send(page, 'Friend', 'after 2');

    // the friend gets what was typed offline, in order, once each, then the message after
    await until('friend got everything', () => received.includes('after 2'), 30000);
    expect(received).toEqual(['offline 1', 'offline 2', 'offline 3', 'after 2']);
    // the browser shows each message once, in order
    await log(page, 'Friend')
      .getByRole('article')
      .filter({ hasText: 'after 1' })
      .waitFor()
      .catch(async (err: Error) => {
        throw new Error(`${err.message}; shown: ${JSON.stringify(await shown(page, 'Friend'))}; Connection region: ${JSON.stringify(await seen(page))}`);
      });
    await log(page, 'Friend').getByRole('article').filter({ hasText: 'while away 2' }).waitFor();
    await log(page, 'Friend').getByRole('article').filter({ hasText: 'offline 3' }).filter({ hasText: /sent|delivered|read/ }).waitFor();
    const all = await shown(page, 'Friend');
    if (all.slice(5, 7).join() !== 'in: while away 1,in: while away 2') {
      // the order is by time: say the times (ours and the server's stamps), and the page's clock
      console.log('[network-trouble] order with times:', JSON.stringify(await shownWithTimes(page, 'Friend')), 'page clock now:', await page.evaluate(() => new Date().toISOString()), 'node clock now:', new Date().toISOString());
    }
    expect(all.slice(0, 7)).toEqual(['out: before 1', 'in: reply 1', 'out: offline 1', 'out: offline 2', 'out: offline 3', 'in: while away 1', 'in: while away 2']);
    // "after 1" and "after 2" cross each other: either order is right
    expect(all.slice(7).sort()).toEqual(['in: after 1', 'out: after 2']);
    // Reconnecting, then Online (the Connection region)
    const texts = await seen(page);
    expect(texts.slice(texts.lastIndexOf('Reconnecting'))).toEqual(['Reconnecting', 'Online']);
    // backoff: a handful of attempts while the server could not be reached, not a storm
    const during = attempts.times.filter((t) => t <= online).map((t) => t - attempts.since);
    const seconds = (online - attempts.since) / 1000;
    const busiestSecond = Math.max(0, ...during.map((t) => during.filter((u) => u >= t && u < t + 1000).length));
    console.log(`[network-trouble] ${transport}: ${during.length} failed attempts in ${seconds.toFixed(1)} s without the server:`, during);
    expect(busiestSecond).toBeLessThanOrEqual(5);
    expect(during.length).toBeLessThanOrEqual(2 * seconds + 3);
    expect(errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED|WebSocket connection|Websocket (closed|error)|error \d+ happened/i.test(e))).toEqual([]);
    await context.close();
  });
});
