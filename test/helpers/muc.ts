import type { KeyValueStore } from '../../src/model/HistoryStore';
// Helpers for the group chat integration tests: accounts with the built-in plugins, waiting.
import { resolveOptions } from '../../src/core/options';
import type { SessionStore } from '../../src/core/SessionStore';
import { Account } from '../../src/model/Account';
import { MultiUserContact } from '../../src/model/MultiUserContact';
import { JID } from '../../src/model/JID';
import { BUILTIN_PLUGINS } from '../../src/plugins/builtin';
import { createBookmarksPlugin } from '../../src/plugins/bookmarks';
import { BookmarkFormat } from '../../src/plugins/bookmarks/BookmarkService';
import { createMucPlugin } from '../../src/plugins/muc';
import { PluginEntry } from '../../src/plugins/Plugin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { $msg } from 'strophe.js';
import { freshUser, getTestServer, TestUser } from './test-server';

const opened: Account[] = [];

export interface AccountOptions {
  disabledPlugins?: string[];
  /** XEP-0410 self-ping interval for this account (default: the plugin's) */
  selfPingInterval?: number;
  resource?: string;
  /** the service URL (default: the test server's WebSocket) */
  url?: string;
  /** where the session record lives (tabs of one browser share it) */
  sessions?: SessionStore;
  /** force a bookmark format (default: what the server supports) */
  bookmarksFormat?: BookmarkFormat;
  /** the message store (the browser's IndexedDB; default: one of its own in memory) */
  historyStore?: KeyValueStore;
}

/** An Account (not yet connected) with the built-in plugins; closed by closeAccounts(). */
export function accountFor(user: TestUser, opts: AccountOptions = {}): Account {
  const disabled = opts.disabledPlugins ?? [];
  const plugins: PluginEntry[] = BUILTIN_PLUGINS.map((p) => {
    if (p.id === 'muc' && opts.selfPingInterval) return createMucPlugin({ selfPingInterval: opts.selfPingInterval });
    if (p.id === 'bookmarks' && opts.bookmarksFormat) return createBookmarksPlugin({ format: opts.bookmarksFormat });
    return p;
  });
  const jid = JID.parse(user.jid);
  const account = new Account({
    url: opts.url ?? getTestServer().wsUrl,
    jid: opts.resource ? jid.withResource(opts.resource) : jid,
    connectTimeout: 10000,
    options: resolveOptions({ disabledPlugins: disabled }),
    plugins: new PluginRegistry(plugins, disabled),
    ...(opts.sessions ? { sessions: opts.sessions } : {}),
    ...(opts.historyStore ? { historyStore: opts.historyStore } : {}),
  });
  opened.push(account);
  return account;
}

/** `n` fresh users, each logged in. */
export async function onlineUsers(n: number, prefix = 'muc'): Promise<Array<{ user: TestUser; account: Account }>> {
  const out: Array<{ user: TestUser; account: Account }> = [];
  for (let i = 0; i < n; i++) {
    const user = await freshUser(`${prefix}${i}`);
    out.push({ user, account: accountFor(user) });
  }
  await Promise.all(out.map(({ user, account }) => account.connect(user.password)));
  return out;
}

export async function closeAccounts(): Promise<void> {
  await Promise.all(opened.splice(0).map((a) => a.disconnect().catch(() => undefined)));
}

export async function until(check: () => boolean, ms = 15000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) {
      throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

let roomCounter = 0;
/** A room JID no other test uses (on the test server's MUC service). */
export function uniqueRoom(prefix = 'room'): string {
  roomCounter += 1;
  return `${prefix}-${process.pid}-${roomCounter}-${Math.random().toString(36).slice(2, 7)}@${getTestServer().mucDomain}`;
}

/** Everyone joins one new room under their nickname, in order (the first creates it and owns it). */
export async function inOneRoom(members: Array<[Account, string]>, jid = uniqueRoom()): Promise<MultiUserContact[]> {
  const rooms: MultiUserContact[] = [];
  for (const [account, nick] of members) {
    const room = account.createMultiUserContact(jid, nick);
    await room.join();
    rooms.push(room);
  }
  await until(() => rooms[0].occupants.length === members.length, 15000, 'everyone in the room');
  return rooms;
}

/** A correction (XEP-0308) of the private message `replaces` to `room@service/nick`, as another client sends it. */
export function privateCorrection(room: string, nick: string, replaces: string, body: string, id: string): Element {
  return $msg({ to: `${room}/${nick}`, type: 'chat', id })
    .c('body').t(body).up()
    .c('replace', { xmlns: 'urn:xmpp:message-correct:0', id: replaces }).up()
    .c('x', { xmlns: 'http://jabber.org/protocol/muc#user' })
    .tree();
}
