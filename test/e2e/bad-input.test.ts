import { Page } from 'playwright-core';
import { openPage, STATUS, useBrowserAndSite } from '../helpers/browser';
import { freshUser } from '../helpers/test-server';

const env = useBrowserAndSite();
let page: Page;
beforeAll(async () => {
  ({ page } = await openPage(env.browser, `${env.site.url}/basic.html`));
});

type W = { JSXC: new (o?: unknown) => { start: (...a: unknown[]) => Promise<void> } };

it.each([
  [{ rosterAppnd: 'body' }, 'Unknown JSXC option "rosterAppnd"'],
  [{ lang: 42 }, 'JSXC option "lang" must be a string, got a number'],
  [{ hideOfflineContacts: 'no' }, 'JSXC option "hideOfflineContacts" must be a boolean'],
  [{ connectionCallback: {} }, 'JSXC option "connectionCallback" must be a function'],
])('new JSXC(%j) throws a TypeError naming the option', async (options, message) => {
  const thrown = await page.evaluate((o) => {
    try {
      new (window as unknown as W).JSXC(o);
      return 'no error';
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  }, options);
  expect(thrown).toContain(`TypeError: ${message}`);
});

it.each([
  ['not a jid', /Malformed JID "not a jid"/],
  ['@localhost', /Malformed JID "@localhost"/],
  ['localhost', /needs a local part/],
])('start() with the malformed JID %j rejects and says so', async (jid, message) => {
  const result = await page.evaluate(
    (jid) =>
      new (window as unknown as W).JSXC().start('/http-bind/', jid, 'secret').then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    jid,
  );
  expect(result).toMatch(message);
});

it.each([
  [['/http-bind/'], /got 1 arguments/],
  [['/http-bind/', 'a@localhost', 42], /password must be a non-empty string, got number/],
  [[42, 'a@localhost', 'pw'], /url must be a non-empty string, got number/],
])('start(%j) rejects with a clear error', async (args, message) => {
  const result = await page.evaluate(
    (args) =>
      new (window as unknown as W).JSXC().start(...args).then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    args,
  );
  expect(result).toMatch(message);
});

describe.each([
  ['BOSH', 'http://127.0.0.1:9/http-bind/'],
  ['WebSocket', 'ws://127.0.0.1:9/xmpp-websocket'],
])('an unreachable %s URL', (_name, url) => {
  it('fails within the connect timeout with a message that names the URL', async () => {
    const me = await freshUser();
    const { page } = await openPage(env.browser, `${env.site.url}/basic.html`);
    const t0 = Date.now();
    const result = await page.evaluate(
      ({ url, jid }) => {
        const w = window as unknown as W & { statuses: number[] };
        w.statuses = [];
        return new w.JSXC({ connectTimeout: 5000, connectionCallback: (_j: string, s: number) => w.statuses.push(s) }).start(url, jid, 'pw').then(
          () => 'resolved',
          (e: Error) => e.message,
        );
      },
      { url, jid: me.jid },
    );
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(result).toContain(url);
    const region = await page.getByRole('status', { name: 'Connection' }).textContent();
    expect(region).toBe(`Could not reach the chat server at ${url}`);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: number[] }).statuses);
    expect(statuses).toContain(STATUS.CONNECTING);
    expect(statuses.some((s) => s === STATUS.CONNFAIL || s === 10)).toBe(true);
    await page.context().close();
  });
});
