import { Browser, BrowserContext, Page } from "playwright-core";
import { Account } from "../../src/model/Account";
import { MemoryStore } from "../../src/model/HistoryStore";
import { JID } from "../../src/model/JID";
import { launchBrowser, openPageIn, PageProbe, Site, startSite } from "../helpers/browser";
import { chatRegion, contactItem, loginPage, openChat } from "../helpers/chat";
import {
  freshFriends,
  prosody,
  sessionsOf,
  TestServer,
} from "../helpers/test-server";
import { collectMessages, sendChat } from "../helpers/xmpp-node";

// Several tabs of one browser share one connection per account (docs/session.md, "Several tabs"):
// one browser context (= one browser profile) with three tabs on the host site, the real Prosody,
// a Node client as the other party. Like the session tests, against a Prosody of its own with
// hashed accounts, so that the stored SCRAM keys log in again (WebSocket hand-over).
// generous: the test machine is shared and often loaded. How fast the hand-over is (issue 4: within
// 2 s) is a benchmark figure (bench/scenarios/handover.js), not asserted here: this test asserts that
// it happens, continues the same server session, and loses or doubles no message.
jest.setTimeout(120000);

let server: TestServer;
let browser: Browser;
let site: Site;
const nodeClients: Account[] = [];

beforeAll(async () => {
  server = await prosody.startProsody({ authentication: "internal_hashed" });
  [browser, site] = await Promise.all([launchBrowser(), startSite({ server })]);
}, 60000);
afterAll(async () => {
  await Promise.all(
    nodeClients.map((a) => a.disconnect().catch(() => undefined)),
  );
  await browser?.close();
  await site?.close();
  if (server) await prosody.stopProsody(server);
});

type Jsxc = {
  numberOfCachedAccounts: number;
  disconnect(): Promise<void>;
  getAccount(
    uid: string,
  ): { isOnline: boolean; following: boolean } | undefined;
};
type PageWindow = { JSXC: new (o?: object) => Jsxc; jsxc: Jsxc };

type Tab = PageProbe;

/** Another tab of the same browser profile, on the host page. */
function openTab(context: BrowserContext): Promise<Tab> {
  return openPageIn(context, `${site.url}/basic.html`);
}

/** What a host page runs on every load: `new JSXC()`; resolves numberOfCachedAccounts. */
function construct(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as PageWindow;
    w.jsxc = new w.JSXC();
    return w.jsxc.numberOfCachedAccounts;
  });
}

const status = (page: Page) =>
  page
    .getByRole("complementary", { name: "Chat" })
    .getByRole("status", { name: "Connection" });
const articles = (page: Page, peer: string, text: string) =>
  chatRegion(page, peer)
    .getByRole("log", { name: "Messages" })
    .getByRole("article")
    .filter({ hasText: text });

/** Whether this tab holds the account's connection and is online with it. */
function leads(page: Page, jid: string): Promise<boolean> {
  return page.evaluate((jid) => {
    const account = (window as unknown as PageWindow).jsxc.getAccount(jid);
    return !!account && account.isOnline && !account.following;
  }, jid);
}

async function send(page: Page, peer: string, text: string): Promise<void> {
  const input = chatRegion(page, peer).getByRole("textbox", {
    name: "Message",
  });
  await input.fill(text);
  await input.press("Enter");
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeout = 20000,
): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each([
  ["BOSH", () => "/http-bind/"],
  ["WebSocket", () => site.wsUrl],
])("over %s", (_name, url) => {
  it("three tabs share one server session; when the leader tab closes another takes it over (the same session), and messages sent during the hand-over arrive once", async () => {
    const [me, friend] = await freshFriends(2, "tabs", server);
    const friendClient = new Account({
      url: server.wsUrl,
      jid: JID.parse(friend.jid),
      connectTimeout: 10000,
      historyStore: new MemoryStore(),
    });
    nodeClients.push(friendClient);
    await friendClient.connect(friend.password);
    const received = collectMessages(friendClient);

    const context = await browser.newContext({
      locale: "en-US",
      colorScheme: "light",
    });
    // tab 2 is open before the login, tab 3 is opened after it
    const tab2 = await openTab(context);
    expect(await construct(tab2.page)).toBe(0);
    const tab1 = await openTab(context);
    await loginPage(browser, site.url, me, { page: tab1.page, url: url() });
    await contactItem(tab1.page, friend.username)
      .filter({ hasText: "online" })
      .waitFor();
    const session = await sessionsOf(me.jid, server);
    expect(session).toHaveLength(1);
    const tab3 = await openTab(context);
    expect(await construct(tab3.page)).toBe(1);

    // tabs 2 and 3: no login, the same roster with presence, online
    for (const tab of [tab2, tab3]) {
      await contactItem(tab.page, friend.username)
        .filter({ hasText: "online" })
        .waitFor();
      await status(tab.page).filter({ hasText: "Online" }).waitFor();
      expect(await leads(tab.page, me.jid)).toBe(false);
    }
    expect(await leads(tab1.page, me.jid)).toBe(true);
    expect(await sessionsOf(me.jid, server)).toEqual(session);

    // a message from the contact shows in every tab, once
    sendChat(friendClient, me.jid, "hello all tabs");
    for (const tab of [tab1, tab2, tab3]) {
      await contactItem(tab.page, friend.username)
        .filter({ hasText: "1 unread" })
        .waitFor();
    }
    for (const tab of [tab1, tab2, tab3]) {
      await openChat(tab.page, friend.username);
      await articles(tab.page, friend.username, "hello all tabs").waitFor();
      expect(
        await articles(tab.page, friend.username, "hello all tabs").count(),
      ).toBe(1);
    }
    // a message typed in a follower tab goes out through the leader, once, and shows in every tab
    await send(tab2.page, friend.username, "from tab 2 before");
    await until("the message from tab 2 at the contact", () =>
      received.includes("from tab 2 before"),
    );
    for (const tab of [tab1, tab2, tab3]) {
      await articles(tab.page, friend.username, "from tab 2 before")
        .filter({ hasText: /sent|delivered|read/ })
        .waitFor();
    }

    // the leader tab closes; messages go both ways during the hand-over and right after it
    await tab1.page.close();
    sendChat(friendClient, me.jid, "node during hand-over");
    await Promise.all([
      send(tab2.page, friend.username, "tab 2 during hand-over"),
      send(tab3.page, friend.username, "tab 3 during hand-over"),
    ]);
    // a bound only for "never": the time it takes is measured by the benchmark
    await until(
      "a new leader tab",
      async () =>
        (await leads(tab2.page, me.jid)) || (await leads(tab3.page, me.jid)),
      20000,
    );
    const [leader, follower] = (await leads(tab2.page, me.jid))
      ? [tab2, tab3]
      : [tab3, tab2];
    await status(leader.page).filter({ hasText: "Online" }).waitFor();
    // exactly one tab leads
    expect(await leads(follower.page, me.jid)).toBe(false);
    sendChat(friendClient, me.jid, "node after hand-over");
    await send(tab2.page, friend.username, "tab 2 after hand-over");
    await send(tab3.page, friend.username, "tab 3 after hand-over");

    const typed = [
      "from tab 2 before",
      "tab 2 during hand-over",
      "tab 3 during hand-over",
      "tab 2 after hand-over",
      "tab 3 after hand-over",
    ];
    await until("every typed message at the contact", () =>
      typed.every((t) => received.includes(t)),
    );
    const all = [
      "hello all tabs",
      "node during hand-over",
      "node after hand-over",
      ...typed,
    ];
    for (const tab of [leader, follower]) {
      for (const text of all) {
        await articles(tab.page, friend.username, text).waitFor();
      }
    }
    // the contact's client saw each exactly once, and each tab shows each exactly once
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate would come right behind
    for (const text of typed) {
      expect(received.filter((b) => b === text)).toHaveLength(1);
    }
    for (const tab of [leader, follower]) {
      for (const text of all) {
        expect(await articles(tab.page, friend.username, text).count()).toBe(1);
      }
      await articles(tab.page, friend.username, "tab 3 after hand-over")
        .filter({ hasText: /sent|delivered|read/ })
        .waitFor();
    }
    // still the one server session: the new leader continued it (BOSH attach), no new login
    expect(await sessionsOf(me.jid, server)).toEqual(session);
    expect(await leads(follower.page, me.jid)).toBe(false);

    // logging out in the follower logs out every tab and ends the server session
    await follower.page.evaluate(() =>
      (window as unknown as PageWindow).jsxc.disconnect(),
    );
    await leader.page.waitForFunction(
      (jid) =>
        (window as unknown as PageWindow).jsxc.getAccount(jid) === undefined,
      me.jid,
    );
    await until(
      "the server session to end",
      async () => (await sessionsOf(me.jid, server)).length === 0,
    );
    expect(
      await follower.page.evaluate(() =>
        Object.keys(localStorage).filter((k) =>
          k.startsWith("jsxc:v1:session:"),
        ),
      ),
    ).toEqual([]);

    expect(tab1.errors).toEqual([]);
    expect(tab2.errors).toEqual([]);
    expect(tab3.errors).toEqual([]);
    await context.close();
  });
});
