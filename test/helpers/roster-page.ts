import fs from 'fs';
import path from 'path';
import { Browser, Page } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { launchBrowser, openPage, PageProbe, Site, startSite } from './browser';
import { TestUser } from './test-server';
import { NodeParties } from './xmpp-node';

export type PageWindow = {
  JSXC: new (o?: unknown) => PageJSXC;
  jsxc: PageJSXC;
};
type PageJSXC = {
  start: (...a: unknown[]) => Promise<void>;
  getAccount: (uid: string) => {
    getContact(jid: string): { setUnreadCount(n: number): void } | undefined;
    xmpp: { addHandler(h: (s: Element) => void, m: object): () => void };
    ownPresence: { show: string; status: string };
  };
};

/**
 * A host page with the widget logged in as `user` over BOSH. `users` become options.getUsers'
 * answers (filtered by the search text); `options` other plain JSXC options.
 */
export async function rosterPage(browser: Browser, siteUrl: string, user: TestUser, setup: { users?: Record<string, string>; options?: Record<string, unknown>; colorScheme?: 'light' | 'dark'; beforeLoad?: (page: Page) => void } = {}): Promise<PageProbe> {
  const probe = await openPage(browser, `${siteUrl}/basic.html`, { colorScheme: setup.colorScheme, beforeLoad: setup.beforeLoad });
  await startWidget(probe.page, user, setup);
  return probe;
}

/** Starts a JSXC object logged in as `user` in an open page (again after a reload). */
export async function startWidget(page: Page, user: TestUser, setup: { users?: Record<string, string>; options?: Record<string, unknown> } = {}): Promise<void> {
  await page.evaluate(
    async ({ jid, password, users, options }) => {
      const w = window as unknown as PageWindow & { askedUsers: string[] };
      w.askedUsers = [];
      w.jsxc = new w.JSXC({
        ...options,
        ...(users
          ? {
              getUsers: async (search: string) => {
                w.askedUsers.push(search);
                return Object.fromEntries(Object.entries(users).filter(([j, n]) => j.includes(search) || n.toLowerCase().includes(search.toLowerCase())));
              },
            }
          : {}),
      });
      await w.jsxc.start('/http-bind/', jid, password);
    },
    { jid: user.jid, password: user.password, users: setup.users, options: setup.options ?? {} },
  );
}

/** Runs axe-core (WCAG 2.1 A/AA) on the page, or on the part `selector` names; returns violations. */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  const has = await page.evaluate(() => 'axe' in window);
  if (!has) {
    await page.addScriptTag({ path: path.join(__dirname, '../../node_modules/axe-core/axe.min.js') });
  }
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown; failureSummary?: string }> }> }> } }).axe;
    const result = await axe.run(sel ? { include: [sel] } : document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`);
  }, selector);
}

export const SCREENSHOT_DIR = path.join(__dirname, '../../test-results/screenshots');

/** Saves a screenshot artefact (test-results/ is gitignored). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/**
 * One browser and one site for a test file, plus other parties as Node clients; registers the
 * jest hooks that start and stop them.
 */
export function browserWithParties(): { browser: () => Browser; site: () => Site; online: (user: TestUser) => Promise<Account> } {
  let browser: Browser | undefined;
  let site: Site | undefined;
  const parties = new NodeParties();
  beforeAll(async () => {
    [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  });
  afterAll(async () => {
    await parties.disconnectAll();
    await browser?.close();
    await site?.close();
  });
  return { browser: () => browser!, site: () => site!, online: (user) => parties.online(user) };
}
