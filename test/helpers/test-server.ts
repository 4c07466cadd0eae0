// Access to the shared test Prosody from integration and e2e tests (see docs/test-server.md).
// The server is started once per `npm test` (scripts/test.js) or by test/helpers/global-setup.js;
// its handle is a JSON file named by env JSXC_TEST_SERVER. All helpers below act on that server.
import fs from 'fs';

/** The handle written by scripts/lib/prosody.js startProsody(). */
export interface TestServer {
  domain: string;
  mucDomain: string;
  uploadDomain: string;
  c2sPort: number;
  httpPort: number;
  boshUrl: string;
  wsUrl: string;
  /** base URL of the HTTP file share (upload slots are `${uploadBaseUrl}file_share/...`) */
  uploadBaseUrl: string;
  dir: string;
  dataDir: string;
  configPath: string;
  logPath: string;
  pidPath: string;
  certsDir: string;
  logLevel: string;
  /** true when startProsody created `dir` itself (stopProsody then removes it) */
  ownsDir: boolean;
  detached: boolean;
  pid: number;
}

export interface TestUser {
  username: string;
  password: string;
  /** bare JID, e.g. user-1a2b-1-x9y8z@localhost */
  jid: string;
}

export interface RosterSeedItem {
  /** bare JID or local username */
  jid: string;
  name?: string;
  groups?: string[];
  /** default 'both' */
  subscription?: 'both' | 'to' | 'from' | 'none';
}

export type Friend = string | { username: string; name?: string; groups?: string[] };

export interface RoomOptions {
  name?: string;
  description?: string;
  /** default true */
  persistent?: boolean;
  /** default true (listed in disco#items of the MUC service) */
  public?: boolean;
  membersOnly?: boolean;
}

interface ProsodyLib {
  startProsody(opts?: Record<string, unknown>): Promise<TestServer>;
  stopProsody(handle: TestServer, opts?: { keepDir?: boolean }): Promise<void>;
  restartProsody(handle: TestServer): Promise<TestServer>;
  logErrors(handle: TestServer): string[];
  isRunning(handle: TestServer): boolean;
  freePort(): Promise<number>;
  ensureProsodyInstalled(): void;
  createUser(handle: TestServer, username: string, password: string): TestUser;
  createUsers(handle: TestServer, users: { username: string; password: string }[]): TestUser[];
  seedRoster(handle: TestServer, username: string, items: RosterSeedItem[]): number;
  befriend(handle: TestServer, users: Friend[]): void;
  createUserWithContacts(
    handle: TestServer,
    username: string,
    password: string,
    count: number,
    prefix?: string,
    options?: { name?: string; groups?: string[] },
  ): TestUser & { contacts: TestUser[] };
  uniqueUsername(prefix?: string): string;
  sessionsOf(handle: TestServer, jid: string): Promise<string[]>;
  createRoom(handle: TestServer, roomLocalpart: string, options?: RoomOptions): Promise<string>;
  refreshRosters(handle: TestServer, usernames: string[]): Promise<void>;
  readRoster(handle: TestServer, username: string): { meta: Record<string, unknown>; items: Record<string, { subscription?: string; ask?: string; name?: string }> } | null;
  runAdminShell(handle: TestServer, line: string): Promise<{ stdout: string; stderr: string }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const prosody: ProsodyLib = require('../../scripts/lib/prosody.js');

let cached: { file: string; server: TestServer } | undefined;

/** The shared server's handle (throws with a hint when no server was started). */
export function getTestServer(): TestServer {
  const file = process.env.JSXC_TEST_SERVER;
  if (!file || !fs.existsSync(file)) {
    throw new Error(
      'No test server: JSXC_TEST_SERVER is not set. Run `npm test`, or jest with the integration/e2e project (its globalSetup starts Prosody).',
    );
  }
  if (!cached || cached.file !== file) cached = { file, server: JSON.parse(fs.readFileSync(file, 'utf8')) as TestServer };
  return cached.server;
}

/** Writes an account file; the user can log in immediately. */
export function createUser(username: string, password: string, server = getTestServer()): TestUser {
  return prosody.createUser(server, username, password);
}

export function createUsers(users: { username: string; password: string }[], server = getTestServer()): TestUser[] {
  return prosody.createUsers(server, users);
}

/** Adds roster items (merged with existing ones). Do it before the user or its contacts connect. */
export function seedRoster(username: string, items: RosterSeedItem[], server = getTestServer()): number {
  return prosody.seedRoster(server, username, items);
}

/** Makes every pair of the given existing users mutual contacts (subscription 'both'). */
export function befriend(users: Friend[], server = getTestServer()): void {
  prosody.befriend(server, users);
}

/** `username` plus `count` contacts `${prefix}1..N` (password `${contact}-pass`), all mutual contacts. */
export function createUserWithContacts(
  username: string,
  password: string,
  count: number,
  prefix?: string,
  options?: { name?: string; groups?: string[] },
  server = getTestServer(),
): TestUser & { contacts: TestUser[] } {
  return prosody.createUserWithContacts(server, username, password, count, prefix, options);
}

/** A username no other test (in any worker process) uses: prefix-pid-counter-random. */
export function uniqueUsername(prefix = 'user'): string {
  return prosody.uniqueUsername(prefix);
}

/** Full JIDs of the sessions the server holds for this bare JID (BOSH, WebSocket, TCP). */
export function sessionsOf(jid: string, server = getTestServer()): Promise<string[]> {
  return prosody.sessionsOf(server, jid);
}

/** Makes a (by default persistent, public) room exist; resolves its JID. */
export function createRoom(roomLocalpart: string, options: RoomOptions = {}, server = getTestServer()): Promise<string> {
  return prosody.createRoom(server, roomLocalpart, { persistent: true, ...options });
}

/** Forget cached rosters of offline users so roster files written later take effect. */
export function refreshRosters(usernames: string[], server = getTestServer()): Promise<void> {
  return prosody.refreshRosters(server, usernames);
}

/** A new user on the shared server: { username, password, jid }. */
export async function freshUser(prefix = 'user', server = getTestServer()): Promise<TestUser> {
  const username = prosody.uniqueUsername(prefix);
  return prosody.createUser(server, username, `${username}-pw`);
}

/** `n` new users who are all mutual contacts of each other (roster names = usernames). */
export async function freshFriends(n: number, prefix = 'friend', server = getTestServer()): Promise<TestUser[]> {
  const users: TestUser[] = [];
  for (let i = 0; i < n; i++) users.push(await freshUser(prefix, server));
  prosody.befriend(
    server,
    users.map((u) => ({ username: u.username, name: u.username })),
  );
  return users;
}
