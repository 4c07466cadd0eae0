// For integration files that need a Prosody of their own with hashed accounts (stored SCRAM keys
// log in again only with them: docs/session.md), and whose Node accounts are logged out after the
// file. The server starts before the file's tests and stops after them.
import type { Account } from '../../src/model/Account';
import { prosody, TestServer } from './test-server';

export interface HashedProsody {
  readonly server: TestServer;
  /** logs `account` out after the file; returns it */
  track(account: Account): Account;
}

export function useHashedProsody(): HashedProsody {
  let server: TestServer | undefined;
  const accounts: Account[] = [];
  beforeAll(async () => {
    server = await prosody.startProsody({ authentication: 'internal_hashed' });
  }, 30000);
  afterAll(async () => {
    await Promise.all(accounts.splice(0).map((a) => a.disconnect().catch(() => undefined)));
    if (server) await prosody.stopProsody(server);
  });
  return {
    get server() {
      return server!;
    },
    track(account) {
      accounts.push(account);
      return account;
    },
  };
}
