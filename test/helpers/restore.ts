import type { SessionStore } from '../../src/core/SessionStore';
import type { Account } from '../../src/model/Account';
import type { SessionEvent } from '../../src/model/AccountTypes';

/**
 * A page load in Node: `next` (a new Account of the same browser) takes up the session record the
 * previous page left for `bareJid` and must be online when `restore` resolves. With `expected`, also
 * what the user would notice of the server session: `resumed` — exactly one session event, the
 * server session continued (true) or a new one made (false); `jid` — the same full JID (resource)
 * as before. Returns the session events seen (the listener stays, so later ones are added).
 */
export async function restoreOnline(
  next: Account,
  sessions: SessionStore,
  bareJid: string,
  expected: { resumed?: boolean; jid?: string } = {},
): Promise<SessionEvent[]> {
  const record = sessions.get(bareJid);
  expect(record).toBeDefined(); // the previous page left its session record
  const seen: SessionEvent[] = [];
  next.on('session', (e) => seen.push(e));
  await next.restore(record!);
  expect(next.state.kind).toBe('online');
  if (expected.resumed !== undefined) {
    expect(seen.map((e) => e.resumed)).toEqual([expected.resumed]);
  }
  if (expected.jid !== undefined) {
    expect(next.fullJid).toBe(expected.jid);
    expect(seen.map((e) => e.jid)).toEqual(seen.map(() => expected.jid));
  }
  return seen;
}
