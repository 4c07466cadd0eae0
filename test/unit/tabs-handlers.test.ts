import { LeaderHandlers } from '../../src/core/tabs/LeaderHandlers';
import type { HandlerRegistration, TabMessage } from '../../src/core/tabs/messages';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';

// Several tabs (docs/plugins.md): what the leader keeps for its followers' stanza handlers is
// bounded, and a follower tab that is gone loses them. (Delivery itself is tested against Prosody:
// test/integration/tabs-handlers.test.ts.)

const handlers = (n: number): HandlerRegistration[] => Array.from({ length: n }, (_, i) => ({ id: String(i), match: { name: 'message', ns: `urn:example:${i}` } }));

function leader(): LeaderHandlers {
  const account = new Account({ url: 'ws://localhost:1/ws', jid: JID.parse('me@localhost'), connectTimeout: 1000, historyStore: new MemoryStore() });
  return new LeaderHandlers(account, (_m: TabMessage) => undefined);
}

afterEach(() => jest.useRealTimers());

it('keeps at most 100 handlers of a tab, and a tab\'s list replaces what it had', () => {
  const table = leader();
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  table.update('t1', handlers(150));
  expect(table.size).toBe(100);
  table.update('t1', handlers(3));
  expect(table.size).toBe(3);
  table.update('t1', []);
  expect(table.size).toBe(0);
  table.dispose();
});

it('keeps handlers of at most 32 tabs, dropping the one heard of least recently', () => {
  const table = leader();
  for (let i = 0; i < 40; i++) {
    table.update(`t${i}`, handlers(1));
  }
  expect(table.size).toBe(32);
  table.dropTab('t39');
  expect(table.size).toBe(31);
  table.dropTab('t0'); // (gone already)
  expect(table.size).toBe(31);
  table.dispose();
});

it('drops the handlers of a tab that does not answer a snapshot in time', () => {
  jest.useFakeTimers();
  const table = leader();
  table.update('alive', handlers(2));
  table.update('closed', handlers(2));
  table.rollCall();
  table.update('alive', handlers(2)); // its answer
  jest.advanceTimersByTime(20000);
  expect(table.size).toBe(2);
  table.dispose();
});
