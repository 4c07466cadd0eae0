import path from 'path';
import { Browser, BrowserContext, chromium, ConsoleMessage, Page } from 'playwright-core';
import { getTestServer, TestServer } from './test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { launchOptions } = require('../../scripts/lib/chromium.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startWebServer } = require('../../scripts/lib/web-server.js');

const ROOT = path.join(__dirname, '../..');

export interface Site {
  url: string;
  /** WebSocket URL through the site's reverse proxy. */
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * A host site as a deployment has it: the test pages (test/e2e/pages), the built bundle under
 * /dist (and again under a deep path, to prove chunk loading from any script location), and a
 * reverse proxy for /http-bind and /xmpp-websocket to the test Prosody.
 */
export async function startSite(options: { headers?: Record<string, string>; /** proxy to this Prosody instead of the shared one */ server?: TestServer } = {}): Promise<Site> {
  const server = options.server ?? getTestServer();
  const web = await startWebServer({
    root: path.join(ROOT, 'test/e2e/pages'),
    mounts: {
      '/dist': path.join(ROOT, 'dist'),
      '/assets/some/deep/path/jsxc': path.join(ROOT, 'dist'),
      '/node_modules/jquery/dist': path.join(ROOT, 'node_modules/jquery/dist'),
      '/example/plugins': path.join(ROOT, 'example/plugins'),
    },
    proxy: { target: `http://127.0.0.1:${server.httpPort}` },
    headers: options.headers,
  });
  return { url: web.url, wsUrl: web.url.replace(/^http/, 'ws') + '/xmpp-websocket', close: () => web.close() };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch(launchOptions());
}

export interface PageProbe {
  page: Page;
  /** console errors and uncaught exceptions seen by the page */
  errors: string[];
}

export async function openPage(browser: Browser, url: string, options: { colorScheme?: 'light' | 'dark'; locale?: string; beforeLoad?: (page: Page) => void } = {}): Promise<PageProbe> {
  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', locale: options.locale ?? 'en-US' });
  return openPageIn(context, url, options.beforeLoad);
}

/** A new page (tab) in an existing browser context, e.g. a second tab of the same browser profile. */
export async function openPageIn(context: BrowserContext, url: string, beforeLoad?: (page: Page) => void): Promise<PageProbe> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url;
      errors.push(where && msg.text().startsWith('Failed to load resource') ? `${msg.text()} (${where})` : msg.text());
    }
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  beforeLoad?.(page);
  await page.goto(url);
  return { page, errors };
}

/** Strophe status numbers, as the page's connectionCallback reports them. */
export const STATUS = { CONNECTING: 1, CONNFAIL: 2, AUTHENTICATING: 3, AUTHFAIL: 4, CONNECTED: 5, DISCONNECTED: 6 } as const;

/**
 * One browser and one host site for a test file: started before its tests, closed after them.
 * `const env = useBrowserAndSite();` then `env.browser`, `env.site` inside tests.
 */
export function useBrowserAndSite(options: { headers?: Record<string, string> } = {}): { browser: Browser; site: Site } {
  const env = {} as { browser: Browser; site: Site };
  beforeAll(async () => {
    [env.browser, env.site] = await Promise.all([launchBrowser(), startSite(options)]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}
