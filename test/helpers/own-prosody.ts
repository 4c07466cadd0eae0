// For e2e files that need a Prosody of their own (hashed accounts, so stored SCRAM keys log in
// again; or because they kill and restart it): the server, a browser, a site proxying to it, and
// Node clients as other parties — all started before the file's tests and stopped after them.
import { Browser, Page } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { launchBrowser, Site, startSite } from './browser';
import { prosody, TestServer, TestUser } from './test-server';

export interface OwnProsody {
  readonly server: TestServer;
  readonly browser: Browser;
  readonly site: Site;
  /** a new account on this server */
  user(prefix: string): TestUser;
  /** a Node client of `user` on this server (memory history), logged out after the file */
  node(user: TestUser): Promise<Account>;
  /** after prosody.restartProsody(): the new handle */
  restarted(server: TestServer): void;
}

export function useOwnProsody(): OwnProsody {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  let site: Site | undefined;
  const nodeClients: Account[] = [];
  beforeAll(async () => {
    server = await prosody.startProsody({ authentication: 'internal_hashed' });
    [browser, site] = await Promise.all([launchBrowser(), startSite({ server })]);
  }, 60000);
  afterAll(async () => {
    await Promise.all(nodeClients.map((a) => a.disconnect().catch(() => undefined)));
    await browser?.close();
    await site?.close();
    if (server) await prosody.stopProsody(server);
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
    get site() {
      return site!;
    },
    user(prefix) {
      const name = prosody.uniqueUsername(prefix);
      return prosody.createUser(server!, name, `${name}-pw`);
    },
    async node(user) {
      const account = new Account({ url: server!.wsUrl, jid: JID.parse(user.jid), connectTimeout: 10000, historyStore: new MemoryStore() });
      await account.connect(user.password);
      nodeClients.push(account);
      return account;
    },
    restarted(handle) {
      server = handle;
    },
  };
}

/**
 * Reloads the page with the way to the server held shut (BOSH requests, WebSocket connections)
 * until the returned function is called: what the page shows before the connection is back.
 */
export async function reloadWithServerHeld(page: Page, transport: 'BOSH' | 'WebSocket'): Promise<() => void> {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  if (transport === 'BOSH') {
    await page.route('**/http-bind/**', async (route) => {
      await gate;
      await route.continue();
    });
  } else {
    await page.routeWebSocket(/xmpp-websocket/, async (ws) => {
      await gate;
      ws.connectToServer();
    });
  }
  await page.reload();
  return open;
}
