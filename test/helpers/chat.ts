// Helpers for the chat e2e tests: a logged-in page per user, and Node clients as the other party.
import { Browser, Page } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { openPage, PageProbe } from './browser';
import { getTestServer, TestUser } from './test-server';

export interface ChatPage extends PageProbe {
  user: TestUser;
}

/** Opens the test page and logs `user` in with `new JSXC(options).start(url, jid, password)`. */
export async function loginPage(
  browser: Browser,
  siteUrl: string,
  user: TestUser,
  { url = '/http-bind/', options = {}, colorScheme = 'light', page: existing }: { url?: string; options?: Record<string, unknown>; colorScheme?: 'light' | 'dark'; page?: Page } = {},
): Promise<ChatPage> {
  const probe = existing ? { page: existing, errors: [] as string[] } : await openPage(browser, `${siteUrl}/basic.html`, { colorScheme });
  await probe.page.evaluate(
    async ({ url, jid, password, options }) => {
      const w = window as unknown as { jsxc: unknown; JSXC: new (o: object) => { start: (...a: string[]) => Promise<void> } };
      const jsxc = new w.JSXC(options);
      w.jsxc = jsxc;
      await jsxc.start(url, jid, password);
    },
    { url, jid: user.jid, password: user.password, options },
  );
  return { ...probe, user };
}

/** A second party as a Node client (memory history). */
export async function nodeClient(user: TestUser, resource?: string): Promise<Account> {
  const jid = resource ? JID.parse(`${user.jid}/${resource}`) : JID.parse(user.jid);
  const account = new Account({ url: getTestServer().wsUrl, jid, connectTimeout: 10000, historyStore: new MemoryStore() });
  await account.connect(user.password);
  return account;
}

export function chatRegion(page: Page, name: string) {
  return page.getByRole('region', { name: `Chat with ${name}` });
}

export function contactItem(page: Page, name: string) {
  return page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: name });
}

/**
 * Opens the chat with a contact by clicking it in the roster, once: a contact row is updated in
 * place when the contact changes, so a click never lands on a row being replaced.
 */
export async function openChat(page: Page, name: string) {
  await contactItem(page, name).first().click();
  const region = chatRegion(page, name);
  await region.waitFor();
  return region;
}

/**
 * In the page's `window.jsxc`: the account `uid` joins `room` as `nick` (the room's display name
 * `name`) through the API (manual §3.4.2, §3.6.1) and opens its group chat window (§3.5.1).
 */
export async function joinRoomInPage(page: Page, uid: string, room: string, nick: string, name: string): Promise<void> {
  await page.evaluate(
    async ({ uid, room, nick, name }) => {
      const jsxc = (window as unknown as { jsxc: { getAccount(uid: string): { createMultiUserContact(...a: string[]): { join(): Promise<void>; openChatWindow(): void } } } }).jsxc;
      const r = jsxc.getAccount(uid).createMultiUserContact(room, nick, name);
      await r.join();
      r.openChatWindow();
    },
    { uid, room, nick, name },
  );
}
