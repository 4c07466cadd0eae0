// startAndPause, watchLogoutClick, debug mode and deleteAllData through the bundle in a host page.
import { Page } from 'playwright-core';
import { openPage, STATUS } from '../helpers/browser';
import { useBrowserAndSite } from '../helpers/e2e-suite';
import { freshFriends, freshUser, sessionsOf } from '../helpers/test-server';

const e2e = useBrowserAndSite();

type Api = {
  start(...a: unknown[]): Promise<void>;
  startAndPause(...a: unknown[]): Promise<void>;
  watchLogoutClick(el: unknown): void;
  disconnect(): Promise<void>;
  getAccount(uid: string): { isOnline: boolean } | undefined;
  enableDebugMode(): void;
  disableDebugMode(): void;
  deleteAllData(): number;
  numberOfCachedAccounts: number;
};
type W = { JSXC: new (o?: object) => Api; jsxc: Api; statuses: number[]; log: string[] };

async function waitForNoSessions(jid: string): Promise<string[]> {
  let sessions = await sessionsOf(jid);
  for (let i = 0; i < 25 && sessions.length; i++) {
    await new Promise((r) => setTimeout(r, 200));
    sessions = await sessionsOf(jid);
  }
  return sessions;
}

/** A caught error as "Name: message" (or "resolved"). */
async function outcome(page: Page, fn: string, args: unknown[]): Promise<string> {
  return page.evaluate(
    async ({ fn, args }) => {
      const w = window as unknown as W;
      try {
        await (w.jsxc as unknown as Record<string, (...a: unknown[]) => unknown>)[fn](...args);
        return 'resolved';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    },
    { fn, args },
  );
}

describe('jsxc.startAndPause(url, jid, password)', () => {
  it('connects without showing the widget and leaves the session running', async () => {
    const me = await freshUser();
    const { page, errors } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    await page.evaluate(
      async ({ jid, password }) => {
        const w = window as unknown as W;
        w.statuses = [];
        w.jsxc = new w.JSXC({ connectionCallback: (_j: string, s: number) => w.statuses.push(s) });
        await w.jsxc.startAndPause('/http-bind/', jid, password);
      },
      { jid: me.jid, password: me.password },
    );
    expect(await page.evaluate(() => (window as unknown as W).statuses)).toContain(STATUS.CONNECTED);
    expect(await sessionsOf(me.jid)).toHaveLength(1);
    // no UI: the page shows no chat panel
    expect(await page.getByRole('complementary', { name: 'Chat' }).count()).toBe(0);
    expect(await page.evaluate((jid) => (window as unknown as W).jsxc.getAccount(jid)?.isOnline, me.jid)).toBe(true);
    expect(errors).toEqual([]);
    await page.evaluate(() => (window as unknown as W).jsxc.disconnect());
    await page.context().close();
  });

  it('rejects bad input with a TypeError naming the argument, and a wrong password as the login does', async () => {
    const me = await freshUser();
    const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    await page.evaluate(() => {
      const w = window as unknown as W;
      w.jsxc = new w.JSXC();
    });
    expect(await outcome(page, 'startAndPause', ['/http-bind/', me.jid])).toBe('TypeError: startAndPause(url, jid, password) takes 3 arguments, got 2');
    expect(await outcome(page, 'startAndPause', ['/http-bind/', me.jid, 42])).toBe('TypeError: startAndPause(): password must be a non-empty string, got number');
    expect(await outcome(page, 'startAndPause', [null, me.jid, 'pw'])).toBe('TypeError: startAndPause(): url must be a non-empty string, got object');
    expect(await outcome(page, 'startAndPause', ['/http-bind/', 'no jid', 'pw'])).toMatch(/Malformed JID "no jid"/);
    expect(await outcome(page, 'startAndPause', ['/http-bind/', me.jid, 'wrong'])).toMatch(/Authentication failed/);
    expect(await sessionsOf(me.jid)).toEqual([]);
    await page.context().close();
  });
});

describe('jsxc.watchLogoutClick(element)', () => {
  async function loggedInPage(me: { jid: string; password: string }): Promise<Page> {
    const { page } = await openPage(e2e.browser, `${e2e.site.url}/logout.html`);
    await page.evaluate(
      async ({ jid, password }) => {
        const w = window as unknown as W;
        w.log = [];
        w.jsxc = new w.JSXC({ connectionCallback: (_j: string, s: number) => s === 6 && w.log.push('chat disconnected') });
        await w.jsxc.start('/http-bind/', jid, password);
      },
      { jid: me.jid, password: me.password },
    );
    expect(await sessionsOf(me.jid)).toHaveLength(1);
    return page;
  }

  it('ends the chat session before a logout link navigates', async () => {
    const me = await freshUser();
    const page = await loggedInPage(me);
    await page.evaluate(() => (window as unknown as W).jsxc.watchLogoutClick(document.getElementById('logout-link')));
    await Promise.all([page.waitForURL('**/loggedout.html'), page.getByRole('link', { name: 'Sign out' }).click()]);
    // a BOSH session left behind would stay for 60 s; the clean stream close ends it at once
    expect(await waitForNoSessions(me.jid)).toEqual([]);
    await page.context().close();
  });

  it('ends the chat session before the host\'s own click handler runs (element given as a selector)', async () => {
    const me = await freshUser();
    const page = await loggedInPage(me);
    await page.evaluate((jid) => {
      const w = window as unknown as W;
      const button = document.getElementById('logout-button')!;
      button.addEventListener('click', () => w.log.push(`host handler, chat online: ${w.jsxc.getAccount(jid)?.isOnline ?? false}`));
      w.jsxc.watchLogoutClick('#logout-button');
    }, me.jid);
    await page.getByRole('button', { name: 'Sign out (button)' }).click();
    await page.waitForFunction(() => (window as unknown as W).log.some((l) => l.startsWith('host handler')));
    expect(await page.evaluate(() => (window as unknown as W).log)).toEqual(['chat disconnected', 'host handler, chat online: false']);
    expect(await waitForNoSessions(me.jid)).toEqual([]);
    // offline now: a second click goes straight through
    await page.getByRole('button', { name: 'Sign out (button)' }).click();
    expect(await page.evaluate(() => (window as unknown as W).log)).toEqual(['chat disconnected', 'host handler, chat online: false', 'host handler, chat online: false']);
    await page.context().close();
  });

  it('throws a TypeError when the element is missing', async () => {
    const { page } = await openPage(e2e.browser, `${e2e.site.url}/logout.html`);
    const result = await page.evaluate(() => {
      const w = window as unknown as W;
      const jsxc = new w.JSXC();
      return [undefined, '#nothing-here', 42, { jquery: '3.7', length: 0, get: () => undefined }].map((input) => {
        try {
          jsxc.watchLogoutClick(input);
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      });
    });
    expect(result).toEqual([
      'TypeError: watchLogoutClick(element) must be a HTMLElement (a jQuery object, a DOM element or a selector), got no element',
      'TypeError: watchLogoutClick(element) must be a HTMLElement (a jQuery object, a DOM element or a selector), got no element',
      'TypeError: watchLogoutClick(element) must be a HTMLElement (a jQuery object, a DOM element or a selector), got a number',
      'TypeError: watchLogoutClick(element) must be a HTMLElement (a jQuery object, a DOM element or a selector), got no element',
    ]);
    await page.context().close();
  });
});

describe('debug mode and jsxc.deleteAllData()', () => {
  it('deleteAllData() throws outside debug mode; in debug mode it returns the number of deleted storage keys at once (manual §3.3.3) and deletes our IndexedDB databases in the background', async () => {
    const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    const result = await page.evaluate(async () => {
      const w = window as unknown as W;
      const jsxc = new w.JSXC();
      const out: Record<string, unknown> = {};
      try {
        jsxc.deleteAllData();
        out.outside = 'no error';
      } catch (e) {
        out.outside = (e as Error).message;
      }
      localStorage.setItem('jsxc:v1:example:a', '1'); // not session records: a new JSXC would try to restore those
      localStorage.setItem('jsxc:v1:example:b', '2');
      localStorage.setItem('host-key', 'keep me');
      // an IndexedDB database as localforage makes it (name "jsxc…", store with 3 records), and a host one
      const fill = (name: string) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onupgradeneeded = () => open.result.createObjectStore('keyvaluepairs');
          open.onsuccess = () => {
            const tx = open.result.transaction('keyvaluepairs', 'readwrite');
            ['x', 'y', 'z'].forEach((k) => tx.objectStore('keyvaluepairs').put(k, k));
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
          };
          open.onerror = () => reject(open.error);
        });
      await fill('jsxc-history');
      await fill('host-db');
      jsxc.enableDebugMode();
      out.flag = localStorage.getItem('jsxc:v1:debug');
      // a new JSXC object (the next page) is in debug mode too
      out.count = new w.JSXC().deleteAllData();
      out.keys = Object.keys(localStorage).sort();
      // the databases go in the background
      for (let i = 0; i < 100 && (await indexedDB.databases()).some((d) => d.name?.startsWith('jsxc')); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      out.dbs = (await indexedDB.databases()).map((d) => d.name).sort();
      jsxc.disableDebugMode();
      out.flagAfter = localStorage.getItem('jsxc:v1:debug');
      try {
        jsxc.deleteAllData();
        out.after = 'no error';
      } catch (e) {
        out.after = (e as Error).message;
      }
      return out;
    });
    expect(result).toEqual({
      outside: 'deleteAllData() is only available in debug mode: call jsxc.enableDebugMode() first',
      flag: 'true',
      count: 2,
      keys: ['host-key', 'jsxc:v1:debug'],
      dbs: ['host-db'],
      flagAfter: null,
      after: 'deleteAllData() is only available in debug mode: call jsxc.enableDebugMode() first',
    });
    await page.context().close();
  });

  it('deleteAllData() after a real session: the session record, its UI state and the chat history are gone, the next page restores nothing', async () => {
    const [me, friend] = await freshFriends(2, 'del');
    const { page, errors } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    await page.evaluate(
      async ({ jid, password }) => {
        const w = window as unknown as W;
        w.jsxc = new w.JSXC();
        await w.jsxc.start('/http-bind/', jid, password);
      },
      { jid: me.jid, password: me.password },
    );
    await page.getByRole('complementary', { name: 'Chat' }).getByRole('listitem').filter({ hasText: friend.username }).click();
    const input = page.getByRole('region', { name: `Chat with ${friend.username}` }).getByRole('textbox', { name: 'Message' });
    await input.fill('to be deleted');
    await input.press('Enter');
    await page.getByRole('article').filter({ hasText: 'to be deleted' }).filter({ hasText: /sent|delivered/ }).waitFor();
    const result = await page.evaluate(async () => {
      const w = window as unknown as W;
      const ours = () => Object.keys(localStorage).filter((k) => k.startsWith('jsxc:') && k !== 'jsxc:v1:debug');
      const before = ours();
      w.jsxc.enableDebugMode();
      const count = w.jsxc.deleteAllData();
      const after = ours();
      for (let i = 0; i < 100 && (await indexedDB.databases()).some((d) => d.name?.startsWith('jsxc')); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      w.jsxc.disableDebugMode();
      return { before, count, after, dbs: (await indexedDB.databases()).map((d) => d.name) };
    });
    // what was stored: the session record and the open window (UI state) at least
    expect(result.before).toEqual(expect.arrayContaining([`jsxc:v1:session:${me.jid}`, `jsxc:v1:ui:${me.jid}`]));
    expect(result.count).toBe(result.before.length);
    expect(result.after).toEqual([]);
    expect(result.dbs.filter((n) => n?.startsWith('jsxc'))).toEqual([]);
    await page.reload();
    expect(await page.evaluate(() => new (window as unknown as W).JSXC().numberOfCachedAccounts)).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('debug mode logs the XMPP traffic to the console; without it the console stays quiet', async () => {
    const me = await freshUser();
    const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    const lines: string[] = [];
    page.on('console', (msg) => lines.push(msg.text()));
    await page.evaluate(
      async ({ jid, password }) => {
        const w = window as unknown as W;
        w.jsxc = new w.JSXC();
        await w.jsxc.start('/http-bind/', jid, password);
        await w.jsxc.disconnect();
      },
      { jid: me.jid, password: me.password },
    );
    expect(lines.filter((l) => l.includes('<iq'))).toEqual([]);
    await page.evaluate(
      async ({ jid, password }) => {
        const w = window as unknown as W;
        w.jsxc.enableDebugMode();
        await w.jsxc.start('/http-bind/', jid, password);
        await w.jsxc.disconnect();
        w.jsxc.disableDebugMode();
      },
      { jid: me.jid, password: me.password },
    );
    expect(lines.some((l) => l.includes('jabber:iq:roster'))).toBe(true);
    await page.context().close();
  });
});
