import { $msg } from "strophe.js";
import {
  Browser,
  BrowserContext,
  Locator,
  Page,
} from "playwright-core";
import { Account } from "../../src/model/Account";
import { MemoryStore } from "../../src/model/HistoryStore";
import { JID } from "../../src/model/JID";
import { launchBrowser, openPageIn, PageProbe, Site, startSite } from "../helpers/browser";
import { chatRegion, contactItem, loginPage, openChat } from "../helpers/chat";
import {
  freshFriends,
  prosody,
  TestServer,
  TestUser,
} from "../helpers/test-server";
import { sendChat } from "../helpers/xmpp-node";

// Several tabs of one browser (docs/session.md, "Several tabs"), beyond one-to-one chats: a follower
// tab (no connection of its own) in a group chat, blocking a contact from a follower, one
// notification per message for all tabs, and the open windows as one state. One browser context
// (one profile) with two tabs, the real Prosody with its MUC component, Node clients as the others.
// Like test/e2e/tabs.test.ts, against a Prosody of its own with hashed accounts, so that the stored
// SCRAM keys log in again (WebSocket hand-over).
jest.setTimeout(150000);

let server: TestServer;
const env = {} as { browser: Browser; site: Site };
const nodeAccounts: Account[] = [];
beforeAll(async () => {
  server = await prosody.startProsody({ authentication: "internal_hashed" });
  [env.browser, env.site] = await Promise.all([
    launchBrowser(),
    startSite({ server }),
  ]);
}, 60000);
afterAll(async () => {
  await Promise.all(
    nodeAccounts.map((a) => a.disconnect().catch(() => undefined)),
  );
  await env.browser?.close();
  await env.site?.close();
  if (server) await prosody.stopProsody(server);
});

/** A Node client of `user` on this file's Prosody, online. */
async function nodeAccount(user: TestUser, resource: string): Promise<Account> {
  const account = new Account({
    url: server.wsUrl,
    jid: JID.parse(`${user.jid}/${resource}`),
    connectTimeout: 10000,
    historyStore: new MemoryStore(),
  });
  nodeAccounts.push(account);
  await account.connect(user.password);
  return account;
}

let rooms = 0;
const uniqueRoom = (prefix: string) =>
  `${prefix}-${process.pid}-${++rooms}-${Math.random().toString(36).slice(2, 7)}@${server.mucDomain}`;

/** A new room made (and owned) by `friend`, from a Node client of theirs, with the friend in it. */
async function roomOwnedBy(friend: TestUser, prefix: string) {
  const jid = uniqueRoom(prefix);
  const friendAccount = await nodeAccount(friend, "rooms");
  const friendRoom = friendAccount.createMultiUserContact(jid, "friend");
  await friendRoom.join();
  return { jid, friendRoom };
}

type Tab = PageProbe;

type PageWindow = {
  JSXC: new (o?: object) => { numberOfCachedAccounts: number };
  jsxc: {
    getAccount(uid: string): {
      following: boolean;
      createMultiUserContact(
        jid: string,
        nick: string,
      ): { join(): Promise<void>; openChatWindow(): void };
    };
  };
  __notifications: string[];
};

/** Another tab of the same browser profile, on the host page. */
function openTab(context: BrowserContext): Promise<Tab> {
  return openPageIn(context, `${env.site.url}/basic.html`);
}

/** Every desktop notification a page shows, by body (installed before the page's scripts run). */
function spyOnNotifications(): void {
  const w = window as unknown as PageWindow & {
    Notification: typeof Notification;
  };
  w.__notifications = [];
  const Real = w.Notification;
  w.Notification = class extends Real {
    constructor(title: string, opts?: NotificationOptions) {
      super(title, opts);
      w.__notifications.push(opts?.body ?? "");
    }
  } as typeof Notification;
}

const notifications = (tab: Tab) =>
  tab.page.evaluate(() => (window as unknown as PageWindow).__notifications);

async function notificationsOf(tabs: Tab[], body: string): Promise<string[]> {
  const out: string[] = [];
  for (const [i, tab] of tabs.entries()) {
    out.push(
      ...(await notifications(tab))
        .filter((b) => b === body)
        .map(() => `tab${i + 1}`),
    );
  }
  return out;
}

async function until(
  check: () => boolean | Promise<boolean>,
  timeout: number,
  what: string,
): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A browser profile with two tabs of `me`: the first logged in (the leader), the second following its stored session. */
async function leaderAndFollower(me: TestUser, friend: TestUser) {
  const context = await env.browser.newContext({ locale: "en-US", colorScheme: "light" });
  const tab1 = await openTab(context);
  await loginPage(env.browser, env.site.url, me, { page: tab1.page });
  await contactItem(tab1.page, friend.username).waitFor();
  const tab2 = await openTab(context);
  await tab2.page.evaluate(() => {
    const w = window as unknown as PageWindow & { jsxc: unknown };
    w.jsxc = new w.JSXC() as never;
  });
  await contactItem(tab2.page, friend.username).waitFor();
  expect(await tab2.page.evaluate((uid) => (window as unknown as PageWindow).jsxc.getAccount(uid).following, me.jid)).toBe(true);
  return { context, tab1, tab2 };
}

const roomWindow = (page: Page) =>
  page.getByRole("region", { name: /^Group chat / });
const roomArticles = (win: Locator, text: string) =>
  win
    .getByRole("log", { name: "Messages" })
    .getByRole("article")
    .filter({ hasText: text });

it("a follower tab joins a group chat, talks and is talked to once, blocks a contact; each message notifies once; open windows are the same in both tabs", async () => {
  const [me, friend] = await freshFriends(2, "tabsmuc", server);
  const friendClient = await nodeAccount(friend, "chat");
  // the friend makes the room (and owns it)
  const { jid, friendRoom } = await roomOwnedBy(friend, "tabs");

  const context = await env.browser.newContext({
    locale: "en-US",
    colorScheme: "light",
  });
  await context.grantPermissions(["notifications"], { origin: env.site.url });
  await context.addInitScript(spyOnNotifications);
  const tab1 = await openTab(context);
  await loginPage(env.browser, env.site.url, me, { page: tab1.page });
  await contactItem(tab1.page, friend.username)
    .filter({ hasText: "online" })
    .waitFor();
  const tab2 = await openTab(context);
  // what a host page runs on every load: the stored session is followed, not logged in again
  expect(
    await tab2.page.evaluate(() => {
      const w = window as unknown as PageWindow & { jsxc: unknown };
      const jsxc = new w.JSXC();
      w.jsxc = jsxc as never;
      return jsxc.numberOfCachedAccounts;
    }),
  ).toBe(1);
  await contactItem(tab2.page, friend.username)
    .filter({ hasText: "online" })
    .waitFor();

  // the follower tab joins the room (through the leader's connection) and opens its window
  await tab2.page.evaluate(
    async ({ uid, jid }) => {
      const w = window as unknown as PageWindow;
      const room = w.jsxc.getAccount(uid).createMultiUserContact(jid, "mine");
      await room.join();
      room.openChatWindow();
    },
    { uid: me.jid, jid },
  );
  const win2 = roomWindow(tab2.page);
  await win2.waitFor();
  expect(
    await tab2.page.evaluate(
      (uid) => (window as unknown as PageWindow).jsxc.getAccount(uid).following,
      me.jid,
    ),
  ).toBe(true);
  await win2
    .getByRole("list", { name: "Participants" })
    .getByRole("listitem")
    .filter({ hasText: "friend" })
    .waitFor();
  await until(
    () => friendRoom.getOccupant("mine") !== undefined,
    15000,
    "me in the room, for the friend",
  );
  // the window opened in the follower is open in the leader tab too
  const win1 = roomWindow(tab1.page);
  await win1.waitFor();

  // the friend talks: once in each tab
  await friendRoom.sendMessage("hello the tabs");
  await roomArticles(win2, "hello the tabs").waitFor();
  await roomArticles(win1, "hello the tabs").waitFor();

  // the follower talks: the friend gets it once; each tab shows it once
  const input = win2.getByRole("textbox", { name: "Message" });
  await input.fill("typed in the follower");
  await input.press("Enter");
  await until(
    () =>
      friendRoom.messages.some(
        (m) => m.body === "typed in the follower" && m.nick === "mine",
      ),
    15000,
    "the message at the friend",
  );
  await roomArticles(win1, "typed in the follower").waitFor();
  await new Promise((r) => setTimeout(r, 1000)); // a duplicate would come right behind
  expect(
    friendRoom.messages.filter((m) => m.body === "typed in the follower"),
  ).toHaveLength(1);
  for (const win of [win1, win2]) {
    expect(await roomArticles(win, "typed in the follower").count()).toBe(1);
    expect(await roomArticles(win, "hello the tabs").count()).toBe(1);
  }

  // a mention while the room window is minimised (in both tabs: one state), and a chat message:
  // each notifies once, in one tab
  await win2.getByRole("button", { name: "Minimize" }).click();
  await win1.getByRole("button", { name: "Restore" }).waitFor();
  await friendRoom.sendMessage("mine: are you there?");
  sendChat(friendClient, me.jid, "a word in private");
  const tabs = [tab1, tab2];
  await until(
    async () =>
      (await notificationsOf(tabs, "mine: are you there?")).length > 0 &&
      (await notificationsOf(tabs, "a word in private")).length > 0,
    15000,
    "the notifications",
  );
  await new Promise((r) => setTimeout(r, 1000)); // a second one would come right behind
  expect(await notificationsOf(tabs, "mine: are you there?")).toHaveLength(1);
  expect(await notificationsOf(tabs, "a word in private")).toHaveLength(1);
  // the user works in the follower tab: it shows the next one, the leader does not. (Headless
  // Chromium reports every page focused: the leader page's document is told it lost the focus.)
  await tab1.page.evaluate(() => {
    document.hasFocus = () => false;
    window.dispatchEvent(new Event("blur"));
  });
  await tab2.page.evaluate(() => window.dispatchEvent(new Event("focus")));
  sendChat(friendClient, me.jid, "seen in the follower");
  await until(
    async () => (await notificationsOf(tabs, "seen in the follower")).length > 0,
    15000,
    "the notification in the follower",
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(await notificationsOf(tabs, "seen in the follower")).toEqual(["tab2"]);

  // open windows are one state: a chat opened in the leader opens in the follower; closed in the follower, it closes in the leader
  await openChat(tab1.page, friend.username);
  await chatRegion(tab2.page, friend.username).waitFor();
  await chatRegion(tab2.page, friend.username)
    .getByRole("button", { name: "Close" })
    .click();
  await chatRegion(tab1.page, friend.username).waitFor({ state: "detached" });
  const stored = await tab1.page.evaluate(
    (uid) =>
      JSON.parse(localStorage.getItem(`jsxc:v1:ui:${uid}`) ?? "{}") as {
        windows: Array<{ kind: string; jid: string; minimized: boolean }>;
      },
    me.jid,
  );
  expect(
    stored.windows.map(({ kind, jid, minimized }) => ({
      kind,
      jid,
      minimized,
    })),
  ).toEqual([{ kind: "groupchat", jid, minimized: true }]);

  // the follower blocks the friend (XEP-0191, done by the leader): blocked in both tabs, nothing arrives
  await contactItem(tab2.page, friend.username)
    .getByRole("button", { name: `Actions for ${friend.username}` })
    .click();
  await tab2.page.getByRole("menuitem", { name: "Block" }).click();
  const confirm = tab2.page.getByRole("dialog", {
    name: `Block ${friend.username}?`,
  });
  await confirm.getByRole("button", { name: "Block" }).click();
  for (const tab of tabs) {
    await contactItem(tab.page, friend.username)
      .filter({ hasText: "blocked" })
      .waitFor();
  }
  await contactItem(tab2.page, friend.username)
    .getByRole("button", { name: `Actions for ${friend.username}` })
    .click();
  await tab2.page.getByRole("menuitem", { name: "Unblock" }).click();
  for (const tab of tabs) {
    await until(
      async () =>
        !(await contactItem(tab.page, friend.username).textContent())?.includes(
          "blocked",
        ),
      15000,
      "unblocked",
    );
  }

  expect(tab1.errors).toEqual([]);
  expect(tab2.errors).toEqual([]);
  await context.close();
});

it("a group chat read in the follower tab is read in the leader tab too: the unread count goes in both", async () => {
  const [me, friend] = await freshFriends(2, "tabsread", server);
  const { jid, friendRoom } = await roomOwnedBy(friend, "tabsread");
  const { context, tab1, tab2 } = await leaderAndFollower(me, friend);
  await tab1.page.evaluate(
    async ({ uid, jid }) => {
      await (window as unknown as PageWindow).jsxc.getAccount(uid).createMultiUserContact(jid, "mine").join();
    },
    { uid: me.jid, jid },
  );
  const roomItem = (tab: Tab) =>
    tab.page
      .getByRole("list", { name: "Group chats" })
      .getByRole("listitem")
      .filter({ hasText: jid.split("@")[0] });
  await until(() => friendRoom.getOccupant("mine") !== undefined, 15000, "me in the room");

  // the user works in neither tab's room window; two messages: two unread in each tab
  await tab1.page.evaluate(() => {
    document.hasFocus = () => false;
    window.dispatchEvent(new Event("blur"));
  });
  await friendRoom.sendMessage("unread one");
  await friendRoom.sendMessage("unread two");
  for (const tab of [tab1, tab2]) {
    await roomItem(tab).filter({ hasText: "2 unread" }).waitFor();
  }

  // read in the follower (its window opens with the keyboard focus): no longer unread in the leader tab
  await roomItem(tab2).getByRole("button", { name: /tabsread/ }).first().click();
  await roomArticles(roomWindow(tab2.page), "unread two").waitFor();
  await until(async () => (await roomItem(tab2).filter({ hasText: "unread" }).count()) === 0, 15000, "read in the follower");
  await until(async () => (await roomItem(tab1).filter({ hasText: "unread" }).count()) === 0, 15000, "read in the leader tab too");
  expect(await roomWindow(tab1.page).count()).toBe(1); // open there too (one state), but not seen there

  expect(tab1.errors).toEqual([]);
  expect(tab2.errors).toEqual([]);
  await context.close();
});

it("a follower tab scrolls a chat back into the server archive, fetched and stored by the leader", async () => {
  const [me, friend] = await freshFriends(2, "tabsarch", server);
  const friendClient = await nodeAccount(friend, "chat");
  // I read them on another device: they are in my archive, not waiting as offline messages
  const other = await nodeAccount(me, "other");
  // three archive pages of 50
  for (let i = 1; i <= 120; i++) {
    await friendClient.xmpp.sendAcked($msg({ to: me.jid, type: "chat", id: `a${i}` }).c("body").t(`archived ${i}`).tree());
  }
  await until(async () => other.chats.get(friend.jid).unread >= 120, 15000, "the other device has them");
  await other.disconnect();

  const { context, tab1, tab2 } = await leaderAndFollower(me, friend);

  // the follower opens the chat: nothing is stored yet, the newest page comes from the archive
  const win = await openChat(tab2.page, friend.username);
  const log = win.getByRole("log", { name: "Messages" });
  const bodies = () => log.getByRole("article").evaluateAll((els) => els.map((e) => e.querySelector(".jsxc-msg__body")?.textContent ?? ""));
  await until(async () => (await bodies()).includes("archived 120"), 15000, "the newest archived message in the follower");
  // scrolling up reaches the first one, each message once
  for (let i = 0; i < 8 && !(await bodies()).includes("archived 1"); i++) {
    await log.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event("scroll"));
    });
    await tab2.page.waitForTimeout(300);
  }
  expect(await bodies()).toEqual(Array.from({ length: 120 }, (_, i) => `archived ${i + 1}`));
  expect(tab1.errors).toEqual([]);
  expect(tab2.errors).toEqual([]);
  await context.close();
});

describe.each([
  ["BOSH", () => "/http-bind/"],
  ["WebSocket", () => env.site.wsUrl],
])("over %s", (_name, url) => {
  it("when the leader tab closes, the follower takes the group chat over: messages during and after the hand-over arrive once, both ways", async () => {
    const [me, friend] = await freshFriends(2, "tabsmucho", server);
    const { jid, friendRoom } = await roomOwnedBy(friend, "tabsho");

    const context = await env.browser.newContext({
      locale: "en-US",
      colorScheme: "light",
    });
    const tab1 = await openTab(context);
    await loginPage(env.browser, env.site.url, me, {
      page: tab1.page,
      url: url(),
    });
    await contactItem(tab1.page, friend.username)
      .filter({ hasText: "online" })
      .waitFor();
    const tab2 = await openTab(context);
    await tab2.page.evaluate(() => {
      const w = window as unknown as PageWindow & { jsxc: unknown };
      w.jsxc = new w.JSXC() as never;
    });
    await contactItem(tab2.page, friend.username)
      .filter({ hasText: "online" })
      .waitFor();
    await tab2.page.evaluate(
      async ({ uid, jid }) => {
        const room = (window as unknown as PageWindow).jsxc
          .getAccount(uid)
          .createMultiUserContact(jid, "mine");
        await room.join();
        room.openChatWindow();
      },
      { uid: me.jid, jid },
    );
    const win = roomWindow(tab2.page);
    await win
      .getByRole("list", { name: "Participants" })
      .getByRole("listitem")
      .filter({ hasText: "friend" })
      .waitFor();
    await friendRoom.sendMessage("before the hand-over");
    await roomArticles(win, "before the hand-over").waitFor();

    const say = async (text: string) => {
      const input = win.getByRole("textbox", { name: "Message" });
      await input.fill(text);
      await input.press("Enter");
    };
    await tab1.page.close();
    await Promise.all([
      friendRoom.sendMessage("friend during the hand-over"),
      say("typed during the hand-over"),
    ]);
    await until(
      () =>
        tab2.page.evaluate(
          (uid) =>
            !(window as unknown as PageWindow).jsxc.getAccount(uid).following,
          me.jid,
        ),
      10000,
      "the follower to lead",
    );
    await friendRoom.sendMessage("friend after the hand-over");
    await say("typed after the hand-over");

    const typed = ["typed during the hand-over", "typed after the hand-over"];
    const all = [
      "before the hand-over",
      "friend during the hand-over",
      "friend after the hand-over",
      ...typed,
    ];
    await until(
      () => typed.every((t) => friendRoom.messages.some((m) => m.body === t)),
      20000,
      "the typed messages at the friend",
    );
    for (const text of all) {
      await roomArticles(win, text).waitFor();
    }
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate would come right behind
    for (const text of typed) {
      expect(friendRoom.messages.filter((m) => m.body === text)).toHaveLength(
        1,
      );
    }
    for (const text of all) {
      expect(await roomArticles(win, text).count()).toBe(1);
    }
    // still in the room, under the same nickname
    expect(friendRoom.getOccupant("mine")).toBeDefined();
    expect(tab2.errors).toEqual([]);
    await context.close();
  });
});
