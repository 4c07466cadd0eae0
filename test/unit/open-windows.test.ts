import { SessionStore } from '../../src/core/SessionStore';
import type { Account } from '../../src/model/Account';
import { OpenWindow, OpenWindows, readUiState, StoredWindow, WindowProvider } from '../../src/ui/OpenWindows';
import { MapStorage } from '../helpers/map-storage';

// The bookkeeping of open windows across page loads (src/ui/OpenWindows.ts); the real windows are
// tested end to end in test/e2e/session-windows.test.ts.

const ME = 'me@example.org';

type FakeAccount = Account & { loadRoster(): void; findNoCache(): void };

function fakeAccount(loaded: boolean, following = false): FakeAccount {
  const listeners: Array<() => void> = [];
  const cacheListeners: Array<() => void> = [];
  const subscribe = (list: Array<() => void>) => (_event: string, fn: () => void) => {
    list.push(fn);
    return () => list.splice(list.indexOf(fn), 1);
  };
  const roster = { isLoaded: loaded, on: subscribe(listeners) };
  const account = {
    uid: ME,
    following,
    roster,
    rosterCacheRead: false,
    on: subscribe(cacheListeners),
    /** the cache (or the server, or another tab) delivers the roster */
    loadRoster() {
      roster.isLoaded = true;
      [...listeners].forEach((fn) => fn());
    },
    /** the cache was read after a page load, and had nothing */
    findNoCache() {
      account.rosterCacheRead = true;
      [...cacheListeners].forEach((fn) => fn());
    },
  };
  return account as unknown as FakeAccount;
}

/** A provider over a plain list, like the chat dock (opening order). */
function fakeProvider(kind: 'chat' | 'groupchat' = 'chat'): WindowProvider & { open: OpenWindow[] } {
  const open: OpenWindow[] = [];
  return {
    kind,
    open,
    list: () => open.map((w) => ({ ...w })),
    reopen: (_account, stored: StoredWindow) => {
      const here = open.find((w) => w.jid === stored.jid);
      if (here) {
        here.minimized = stored.minimized;
      } else {
        open.push({ jid: stored.jid, minimized: stored.minimized });
      }
      return true;
    },
    focus: () => undefined,
    close: (_account, jid) => {
      const at = open.findIndex((w) => w.jid === jid);
      if (at !== -1) open.splice(at, 1);
    },
  };
}

function setup(stored?: unknown, { storage = new MapStorage(), shareAcrossTabs = false } = {}) {
  const sessions = new SessionStore(storage);
  sessions.save({ jid: `${ME}/r`, url: 'wss://example.org/ws', transport: 'websocket' });
  if (stored !== undefined) sessions.setUiState(ME, stored);
  let rosterShown = true;
  const windows = new OpenWindows({ sessions, shareAcrossTabs, roster: { visible: () => rosterShown, show: (v) => (rosterShown = v) } });
  const chats = fakeProvider();
  windows.register(chats);
  return { storage, sessions, windows, chats, rosterShown: () => rosterShown };
}

it('reopens the stored chat windows in their order and state, applies the contact list visibility, and skips kinds nobody shows yet', () => {
  const { windows, chats, rosterShown, sessions } = setup({
    windows: [
      { kind: 'chat', jid: 'ann@example.org', minimized: true },
      { kind: 'groupchat', jid: 'room@muc.example.org', minimized: false },
      { kind: 'chat', jid: 'ben@example.org', minimized: false, focused: true },
    ],
    roster: 'hidden',
  });
  windows.addAccount(fakeAccount(true));
  expect(chats.open).toEqual([
    { jid: 'ann@example.org', minimized: true },
    { jid: 'ben@example.org', minimized: false },
  ]);
  expect(rosterShown()).toBe(false);
  // what is written back is what is shown (no room window without a groupchat provider yet)
  expect(readUiState(sessions, ME).windows.map((w) => w.jid)).toEqual(['ann@example.org', 'ben@example.org']);
});

it('waits for the contacts (roster cache) before reopening, and never overwrites the stored windows before that', () => {
  const stored = { windows: [{ kind: 'chat', jid: 'ann@example.org', minimized: false }], roster: 'shown' };
  const { windows, chats, sessions } = setup(stored);
  const account = fakeAccount(false);
  windows.addAccount(account);
  expect(chats.open).toEqual([]);
  windows.changed(); // e.g. a window of another account
  expect(sessions.getUiState(ME)).toEqual(stored);
  account.loadRoster();
  expect(chats.open).toEqual([{ jid: 'ann@example.org', minimized: false }]);
});

it('without a roster cache, reopens the windows once the cache was looked for, not when the server answers (which may be long)', () => {
  const stored = { windows: [{ kind: 'chat', jid: 'ann@example.org', minimized: false }], roster: 'shown' };
  const { windows, chats } = setup(stored);
  const account = fakeAccount(false);
  windows.addAccount(account);
  expect(chats.open).toEqual([]);
  account.findNoCache();
  expect(chats.open).toEqual([{ jid: 'ann@example.org', minimized: false }]);
  // the roster coming later reopens nothing twice
  account.loadRoster();
  expect(chats.open).toEqual([{ jid: 'ann@example.org', minimized: false }]);
});

it('stores JIDs and window state only; a closed window is forgotten; nothing is stored without a session record', () => {
  const { windows, chats, sessions, storage } = setup();
  windows.addAccount(fakeAccount(true));
  chats.open.push({ jid: 'ann@example.org', minimized: false, focused: true }, { jid: 'ben@example.org', minimized: true });
  windows.changed();
  expect(sessions.getUiState(ME)).toEqual({
    windows: [
      { kind: 'chat', jid: 'ann@example.org', minimized: false, focused: true },
      { kind: 'chat', jid: 'ben@example.org', minimized: true },
    ],
    roster: 'shown',
  });
  chats.open.shift();
  windows.changed();
  expect(readUiState(sessions, ME).windows).toEqual([{ kind: 'chat', jid: 'ben@example.org', minimized: true }]);
  sessions.remove(ME); // logout
  chats.open.push({ jid: 'cy@example.org', minimized: false });
  windows.changed();
  expect([...storage.data.keys()]).toEqual([]);
});

it('ignores malformed stored state', () => {
  const { windows, chats } = setup({ windows: [{ kind: 'chat' }, { kind: 'video', jid: 'a@b', minimized: false }, 'x', { kind: 'chat', jid: 'no-at', minimized: false }, { kind: 'chat', jid: 'ok@example.org', minimized: 'yes' }], roster: 'sideways' });
  windows.addAccount(fakeAccount(true));
  expect(chats.open).toEqual([]);
  const { windows: w2, chats: c2 } = setup('not an object');
  w2.addAccount(fakeAccount(true));
  expect(c2.open).toEqual([]);
});

describe('several tabs of one browser', () => {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('a window opened, minimised or closed in one tab is the same in the other; only the tab holding the connection writes', async () => {
    const storage = new MapStorage();
    const leader = setup({ windows: [{ kind: 'chat', jid: 'ann@example.org', minimized: false }] }, { storage, shareAcrossTabs: true });
    const follower = setup(undefined, { storage, shareAcrossTabs: true });
    const offs = [leader.windows.addAccount(fakeAccount(true)), follower.windows.addAccount(fakeAccount(true, true))];
    expect(follower.chats.open).toEqual([{ jid: 'ann@example.org', minimized: false }]);

    // the follower's user opens a chat: the leader's tab opens it, and the leader stores it
    const writes: unknown[] = [];
    const setUiState = leader.sessions.setUiState.bind(leader.sessions);
    leader.sessions.setUiState = (uid, state) => {
      writes.push(state);
      setUiState(uid, state);
    };
    follower.sessions.setUiState = () => {
      throw new Error('a follower tab must not write the open windows');
    };
    follower.chats.open.push({ jid: 'ben@example.org', minimized: false });
    follower.windows.changed();
    await tick();
    expect(leader.chats.open).toEqual([
      { jid: 'ann@example.org', minimized: false },
      { jid: 'ben@example.org', minimized: false },
    ]);
    expect(readUiState(leader.sessions, ME).windows.map((w) => w.jid)).toEqual(['ann@example.org', 'ben@example.org']);
    expect(writes).toHaveLength(1);

    // minimised in the leader, closed in the follower
    leader.chats.open[0].minimized = true;
    leader.windows.changed();
    await tick();
    expect(follower.chats.open[0]).toEqual({ jid: 'ann@example.org', minimized: true });
    follower.chats.open.splice(1, 1);
    follower.windows.changed();
    await tick();
    expect(leader.chats.open).toEqual([{ jid: 'ann@example.org', minimized: true }]);
    expect(readUiState(leader.sessions, ME).windows).toEqual([{ kind: 'chat', jid: 'ann@example.org', minimized: true }]);
    // nothing echoes back and forth
    const count = writes.length;
    await tick();
    expect(writes).toHaveLength(count);
    offs.forEach((off) => off());
  });

  it('windows whose code loads later (a chunk) take the other tab\'s state without sending their old one back', async () => {
    const storage = new MapStorage();
    const a = setup({ windows: [{ kind: 'chat', jid: 'ann@example.org', minimized: false }] }, { storage, shareAcrossTabs: true });
    const b = setup(undefined, { storage, shareAcrossTabs: true });
    // in both tabs, a window changes only once its code is there (as with a lazy chunk)
    const changes: string[] = [];
    for (const tab of [a, b]) {
      const syncReopen = tab.chats.reopen;
      tab.chats.reopen = (account, stored) => {
        if (changes.length > 100) {
          return true; // bounded: a ping-pong between the tabs ends here and fails below
        }
        setTimeout(() => {
          syncReopen(account, stored);
          changes.push(`${stored.jid}:${stored.minimized}`);
          tab.windows.changed();
        }, 2);
        return true;
      };
    }
    const offs = [a.windows.addAccount(fakeAccount(true)), b.windows.addAccount(fakeAccount(true, true))];
    await tick();
    expect(b.chats.open).toEqual([{ jid: 'ann@example.org', minimized: false }]);
    a.chats.open[0].minimized = true;
    a.windows.changed();
    await tick();
    await tick();
    expect(b.chats.open).toEqual([{ jid: 'ann@example.org', minimized: true }]);
    expect(a.chats.open).toEqual([{ jid: 'ann@example.org', minimized: true }]);
    // settled: no window flips back and forth between the tabs
    const settled = changes.length;
    await tick();
    await tick();
    expect(changes).toHaveLength(settled);
    offs.forEach((off) => off());
  });
});
