import { Chat, ChatHost } from '../../src/model/Chat';
import { ChatHistory } from '../../src/model/ChatHistory';
import type { IndexEntry } from '../../src/model/HistoryIndex';
import { readMessages } from '../../src/model/HistoryRecords';
import { MemoryStore } from '../../src/model/HistoryStore';
import { isStateProgress, Message } from '../../src/model/Message';

const msg = (i: number, extra: Partial<Message> = {}): Message => ({ id: `m${i}`, peer: 'bob@x.org', direction: 'in', from: 'bob@x.org/r', to: 'me@x.org/r', body: `body ${i}`, timestamp: 1000 + i, type: 'chat', ...extra });

describe('ChatHistory', () => {
  it('pages a conversation from the newest back, oldest first within a page', async () => {
    const h = new ChatHistory(new MemoryStore());
    for (let i = 1; i <= 75; i++) await h.add(msg(i));
    const last = await h.page('bob@x.org', 30);
    expect(last.start).toBe(45);
    expect(last.messages.map((m) => m.body)[0]).toBe('body 46');
    const before = await h.page('bob@x.org', 30, last.start);
    expect(before.messages.map((m) => m.id)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 16}`));
    expect((await h.page('bob@x.org', 30, 15)).messages).toHaveLength(15);
  });

  it('orders by timestamp, whatever the arrival order', async () => {
    const h = new ChatHistory(new MemoryStore());
    await h.add(msg(3));
    await h.add(msg(1));
    await h.add(msg(2));
    expect((await h.page('bob@x.org', 10)).messages.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
  });

  it('a change queued just as a write ends is written too (outbox: enqueue, then the first attempt noted)', async () => {
    const h = new ChatHistory(new MemoryStore(), 'jsxc:test:history');
    await h.enqueue({ peer: 'bob@x.org', id: 'm1' });
    expect(await h.outbox()).toEqual([{ peer: 'bob@x.org', id: 'm1' }]);
    const noted = h.markAttempted('bob@x.org', 'm1', 5);
    const stuck = new Promise((_, reject) => setTimeout(() => reject(new Error('the change was never written')), 2000));
    await Promise.race([noted, stuck]);
    expect(await h.outbox()).toEqual([{ peer: 'bob@x.org', id: 'm1', attempted: 5 }]);
  });

  it('a message with a whole-second stamp (archive, offline storage) goes after what is stored from that second', async () => {
    const h = new ChatHistory(new MemoryStore());
    await h.add(msg(1, { timestamp: 7000 }));
    await h.add(msg(2, { direction: 'out', timestamp: 9600 })); // typed while offline
    await h.add(msg(3, { timestamp: 9000, stanzaId: 'away' })); // the archive: sent in that second
    await h.add(msg(4, { timestamp: 10000 }));
    const page = (await h.page('bob@x.org', 10)).messages;
    expect(page.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(page[2].timestamp).toBe(9601);
    // scrolling back (older pages) keeps the stamp and goes before its second's messages
    await h.add(msg(5, { timestamp: 9000 }), true);
    expect((await h.page('bob@x.org', 10)).messages.map((m) => m.id)).toEqual(['m1', 'm5', 'm2', 'm3', 'm4']);
  });

  it('drops duplicates by stanza-id, origin-id or the sender\'s id, and concurrent adds lose nothing', async () => {
    const h = new ChatHistory(new MemoryStore());
    expect(await h.add(msg(1, { stanzaId: 's1' }))).toBe(true);
    expect(await h.add(msg(2, { stanzaId: 's1' }))).toBe(false);
    expect(await h.add(msg(3, { originId: 'o' }))).toBe(true);
    expect(await h.add(msg(4, { originId: 'o' }))).toBe(false);
    expect(await h.add(msg(5, { stanzaIdAttr: 'a' }))).toBe(true);
    expect(await h.add(msg(6, { stanzaIdAttr: 'a' }))).toBe(false);
    // the same id attribute from another sender is another message
    expect(await h.add(msg(7, { stanzaIdAttr: 'a', from: 'eve@x.org/r' }))).toBe(true);
    await Promise.all(Array.from({ length: 20 }, (_, i) => h.add(msg(100 + i))));
    expect(await h.count('bob@x.org')).toBe(24);
  });
});

/** A store like IndexedDB: writes take a moment; counts the transactions that write. */
class SlowStore extends MemoryStore {
  writes = 0;
  lastKeys: string[] = [];
  override async setItems(entries: [string, unknown][]): Promise<void> {
    this.writes++;
    this.lastKeys = entries.map(([k]) => k);
    await new Promise((r) => setTimeout(r, 5));
    await super.setItems(entries);
  }
}

/** A store whose next write fails (a full disk) when `failNext` is set. */
class FailingStore extends MemoryStore {
  failNext = false;
  override async setItems(entries: [string, unknown][]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    await super.setItems(entries);
  }
}

/** Remembers the keys of the last write and the keys read since `keysRead` was emptied. */
class CountingStore extends MemoryStore {
  lastKeys: string[] = [];
  keysRead: string[] = [];
  override async setItems(entries: [string, unknown][]): Promise<void> {
    this.lastKeys = entries.map(([k]) => k);
    await super.setItems(entries);
  }
  override async getItems(keys: string[]): Promise<unknown[]> {
    this.keysRead.push(...keys);
    return super.getItems(keys);
  }
  override async getItem<T>(key: string): Promise<T | null> {
    this.keysRead.push(key);
    return super.getItem<T>(key);
  }
}

describe('ChatHistory: in memory first, written in batches', () => {
  it('a burst of 1,000 messages is written in a few transactions, and all of it survives a reload', async () => {
    const store = new SlowStore();
    const h = new ChatHistory(store);
    for (let i = 1; i <= 1000; i++) {
      expect(await h.add(msg(i, { stanzaId: `s${i}` }))).toBe(true);
    }
    // shown at once: readable before it is written
    expect(await h.count('bob@x.org')).toBe(1000);
    await h.saved();
    expect(store.writes).toBeLessThanOrEqual(3);
    // a page load: another ChatHistory on the same store
    const again = new ChatHistory(store);
    expect(await again.count('bob@x.org')).toBe(1000);
    const newest = await again.page('bob@x.org', 30);
    expect(newest.messages.map((m) => m.id)).toEqual(Array.from({ length: 30 }, (_, i) => `m${971 + i}`));
    expect(await again.add(msg(5000, { stanzaId: 's500' }))).toBe(false);
    expect(await again.lastSeen()).toBe(2000);
    // the burst went into page records (one per batch, at most 100 messages each), not 1,000 records
    const pages = (await store.keys()).filter((k) => k.startsWith('page:'));
    expect(pages.length).toBeGreaterThanOrEqual(10);
    expect(pages.length).toBeLessThanOrEqual(13);
    expect((await store.keys()).filter((k) => k.startsWith('msg:')).length).toBeLessThanOrEqual(1);
    // a changed message leaves its page record for one of its own (the index says so, once, and
    // the page record is written again without it) …
    const last = (await again.get('bob@x.org', 'm1000'))!;
    await again.update({ ...last, state: 'delivered' });
    await again.saved();
    expect(store.lastKeys).toEqual(['msg:bob@x.org:m1000', 'idx:bob@x.org', expect.stringMatching(/^page:bob@x\.org:/), 'rev']);
    expect((await new ChatHistory(store).get('bob@x.org', 'm1000'))?.state).toBe('delivered');
    // … and a further change writes the message only: the index of 1,000 is not written again
    await again.update({ ...last, state: 'read' });
    await again.saved();
    expect(store.lastKeys).toEqual(['msg:bob@x.org:m1000', 'rev']);
    const reloaded = new ChatHistory(store);
    expect((await reloaded.get('bob@x.org', 'm1000'))?.state).toBe('read');
    expect((await reloaded.page('bob@x.org', 3)).messages.map((m) => [m.id, m.state])).toEqual([
      ['m998', undefined],
      ['m999', undefined],
      ['m1000', 'read'],
    ]);
  });

  it('an archive page is written as one record and read back with one read; a lone message keeps a record of its own', async () => {
    const store = new CountingStore();
    const h = new ChatHistory(store);
    // an archive page of 50, delivered newest first as the mam plugin does (written together, after it)
    await h.together(async () => {
      for (let i = 50; i >= 1; i--) {
        await h.add(msg(i, { stanzaId: `s${i}` }), true);
      }
    });
    await h.saved();
    expect(store.lastKeys.filter((k) => k.startsWith('page:') || k.startsWith('msg:'))).toEqual([expect.stringMatching(/^page:bob@x\.org:/)]);
    // a live message alone in its batch
    await h.add(msg(51));
    await h.saved();
    expect(store.lastKeys[0]).toBe('msg:bob@x.org:m51');
    const again = new ChatHistory(store);
    await again.count('bob@x.org');
    store.keysRead = [];
    const page = await again.page('bob@x.org', 30);
    expect(page.messages.map((m) => m.id)).toEqual(Array.from({ length: 30 }, (_, i) => `m${22 + i}`));
    expect(store.keysRead.filter((k) => /^(page|msg):/.test(k))).toEqual([expect.stringMatching(/^page:bob@x\.org:/), 'msg:bob@x.org:m51']);
    expect(await again.add(msg(999, { stanzaId: 's7' }))).toBe(false);
  });

  it('reads a history stored before page records (one record per message, index without record tokens) and adds to it', async () => {
    const store = new MemoryStore();
    const old = Array.from({ length: 40 }, (_, i) => msg(i + 1, { stanzaId: `s${i + 1}` }));
    for (const m of old) {
      await store.setItem(`msg:bob@x.org:${m.id}`, m);
    }
    await store.setItem('idx:bob@x.org', old.map((m) => [m.id, m.timestamp]));
    await store.setItem('dup:bob@x.org', Object.fromEntries(old.map((m) => [`sid:${m.stanzaId}`, m.id])));
    await store.setItem('rev', 'old-rev');
    const h = new ChatHistory(store);
    expect((await h.page('bob@x.org', 30)).messages.map((m) => m.id)).toEqual(old.slice(10).map((m) => m.id));
    expect(await h.add(msg(500, { stanzaId: 's3' }))).toBe(false);
    // new ones in a batch: a page record beside the old records
    await Promise.all([h.add(msg(41)), h.add(msg(42))]);
    await h.update({ ...old[0], state: 'delivered' });
    await h.saved();
    const again = new ChatHistory(store);
    expect((await again.page('bob@x.org', 3)).messages.map((m) => m.id)).toEqual(['m40', 'm41', 'm42']);
    expect((await again.get('bob@x.org', 'm1'))?.state).toBe('delivered');
    expect(await again.count('bob@x.org')).toBe(42);
  });

  it('a page record keeps only the messages whose index entry points to it, and goes once none is left', async () => {
    const store = new MemoryStore();
    const h = new ChatHistory(store);
    const mine = (i: number): Message => msg(i, { direction: 'out', from: 'me@x.org/r', to: 'bob@x.org', originId: `o${i}`, state: 'sent' });
    // a catch-up page of three messages I sent from another client: one page record
    await h.together(async () => {
      for (let i = 3; i >= 1; i--) {
        await h.add(mine(i), true);
      }
    });
    await h.saved();
    const pageRecords = async (): Promise<string[][]> => {
      const keys = (await store.keys()).filter((k) => k.startsWith('page:'));
      return Promise.all(keys.map(async (k) => ((await store.getItem<Message[]>(k)) ?? []).map((m) => m.id).sort()));
    };
    expect(await pageRecords()).toEqual([['m1', 'm2', 'm3']]);
    // a receipt for one: it moves to a record of its own, and its old copy leaves the page record
    await h.update({ ...(await h.get('bob@x.org', 'm2'))!, state: 'delivered' });
    await h.saved();
    expect(await pageRecords()).toEqual([['m1', 'm3']]);
    // a displayed marker for the others (written in one batch): nothing is left in the page record, it goes
    const [m1, m3] = [(await h.get('bob@x.org', 'm1'))!, (await h.get('bob@x.org', 'm3'))!];
    await Promise.all([h.update({ ...m1, state: 'read' }), h.update({ ...m3, state: 'read' })]);
    await h.saved();
    expect(await pageRecords()).toEqual([]);
    // nothing lost: every message is there, in its order, as it was last changed
    const again = new ChatHistory(store);
    expect((await again.page('bob@x.org', 10)).messages.map((m) => [m.id, m.state])).toEqual([
      ['m1', 'read'],
      ['m2', 'delivered'],
      ['m3', 'read'],
    ]);
    expect((await store.keys()).filter((k) => k.startsWith('msg:')).sort()).toEqual(['msg:bob@x.org:m1', 'msg:bob@x.org:m2', 'msg:bob@x.org:m3']);
  });

  it('a write that fails after messages left a page record: the page record is cleaned up with the next write', async () => {
    const store = new FailingStore();
    const h = new ChatHistory(store);
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await Promise.all([h.add(msg(1)), h.add(msg(2))]);
    await h.saved();
    store.failNext = true;
    await h.update({ ...(await h.get('bob@x.org', 'm1'))!, state: 'read' });
    await expect(h.saved()).rejects.toThrow('disk full');
    // the next write is of something else: it writes the move again and cleans the page record up
    await h.add(msg(3));
    await h.saved();
    const pages = (await store.keys()).filter((k) => k.startsWith('page:'));
    expect(await Promise.all(pages.map(async (k) => (await store.getItem<Message[]>(k))!.map((m) => m.id)))).toEqual([['m2']]);
    expect((await new ChatHistory(store).page('bob@x.org', 5)).messages.map((m) => [m.id, m.state])).toEqual([
      ['m1', 'read'],
      ['m2', undefined],
      ['m3', undefined],
    ]);
  });

  it('a reader whose index still points to a page record a message has left reads the message from its own record', async () => {
    const store = new MemoryStore();
    const h = new ChatHistory(store);
    await Promise.all([h.add(msg(1)), h.add(msg(2))]);
    await h.saved();
    const before = ((await store.getItem<IndexEntry[]>('idx:bob@x.org')) ?? []).map((e) => e.slice() as IndexEntry);
    expect(before.every((e) => e[2] !== undefined)).toBe(true);
    await h.update({ ...(await h.get('bob@x.org', 'm2'))!, body: 'corrected', corrected: true });
    await h.saved();
    // another tab read the index before that write and pages with it
    expect((await readMessages(store, 'bob@x.org', before, () => undefined)).map((m) => [m.id, m.body])).toEqual([
      ['m1', 'body 1'],
      ['m2', 'corrected'],
    ]);
  });

  it('an outgoing message is written (with its outbox entry) before enqueue resolves', async () => {
    const store = new SlowStore();
    const h = new ChatHistory(store);
    const out = msg(1, { direction: 'out', state: 'pending' });
    await h.add(out);
    await h.enqueue({ peer: out.peer, id: out.id });
    const other = new ChatHistory(store);
    expect((await other.get(out.peer, out.id))?.state).toBe('pending');
    expect(await other.outbox()).toEqual([{ peer: out.peer, id: out.id }]);
    // a message written offline does not move the catch-up point
    expect(await other.lastSeen()).toBeUndefined();
  });

  it('a noted session start is where a catch-up starts though nothing is stored, and never moves it back', async () => {
    const store = new SlowStore();
    const h = new ChatHistory(store);
    await h.noteSeen(5000);
    // another tab (or the next page) reads it from the store
    expect(await new ChatHistory(store).lastSeen()).toBe(5000);
    await h.noteSeen(4000);
    await h.add(msg(3, { timestamp: 4500 }));
    await h.saved();
    expect(await new ChatHistory(store).lastSeen()).toBe(5000);
    await h.add(msg(4, { timestamp: 6000 }));
    await h.saved();
    expect(await new ChatHistory(store).lastSeen()).toBe(6000);
  });

  it('two writers on one store (tabs, an old page still writing) lose nothing and store a duplicate once', async () => {
    const store = new SlowStore();
    // the tabs of a browser share a lock around each write (here: within the process)
    const one = new ChatHistory(store, 'history-lock');
    const two = new ChatHistory(store, 'history-lock');
    expect(await one.count('bob@x.org')).toBe(0);
    expect(await two.count('bob@x.org')).toBe(0);
    await one.add(msg(1));
    await two.add(msg(2, { direction: 'out', originId: 'o2' }));
    await Promise.all([one.saved(), two.saved()]);
    await one.add(msg(3));
    await two.add(msg(4));
    // the same message through both (the second one to write drops it)
    await one.add(msg(5, { stanzaId: 'same' }));
    await two.add(msg(6, { stanzaId: 'same' }));
    await Promise.all([one.saved(), two.saved()]);
    const fresh = new ChatHistory(store);
    const ids = (await fresh.page('bob@x.org', 10)).messages.map((m) => m.id);
    // whichever wrote the shared message first has it; the other's copy is dropped
    expect(ids.slice(0, 4)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(ids.slice(4)).toEqual([expect.stringMatching(/^m[56]$/)]);
    // a reader notices the other's writes
    expect(await one.count('bob@x.org')).toBe(5);
    expect(await one.findDuplicate('bob@x.org', ['oid:o2'])).toBe('m2');
  });
});

describe('Chat', () => {
  function host(history: ChatHistory, sent: string[]): ChatHost {
    return {
      ownJid: 'me@x.org/r',
      history: async () => history,
      flushOutbox: async () => {
        for (const e of await history.outbox()) {
          sent.push(e.id);
        }
      },
      chatStateChanged: () => undefined,
      displayed: () => undefined,
      requestWindow: () => undefined,
    };
  }

  it('stores a message (pending, in the outbox) before it is sent, and refuses blank ones', async () => {
    const history = new ChatHistory(new MemoryStore());
    const sent: string[] = [];
    const chat = new Chat('bob@x.org', host(history, sent));
    const m = await chat.send('hi\u0000');
    expect(m.body).toBe('hi\ufffd');
    expect((await history.get('bob@x.org', m.id))?.state).toBe('pending');
    expect((await history.outbox()).map((e) => e.id)).toEqual([m.id]);
    await expect(chat.send('   ')).rejects.toThrow('A message needs a non-blank body');
  });

  it('a message that came from the archive first (whole-second stamp) takes the exact time of its live copy and moves after what I sent in that second', async () => {
    const history = new ChatHistory(new MemoryStore());
    const chat = new Chat('bob@x.org', host(history, []));
    await chat.open();
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_795_000_000_400);
    const mine = await chat.send('remember me');
    now.mockRestore();
    const second = Math.floor(mine.timestamp / 1000) * 1000;
    const reply = msg(9, { body: 'and me', stanzaId: 'sid-9' });
    // the archive page (stamp rounded down) wins the race against the live copy
    expect(await chat.receive({ ...reply, timestamp: second }, true, true)).toBe(true);
    expect(await chat.receive({ ...reply, id: 'live-9', timestamp: mine.timestamp + 1 })).toBe(false);
    expect(chat.messages.map((m) => m.body)).toEqual(['remember me', 'and me']);
    expect((await history.page('bob@x.org', 10)).messages.map((m) => m.body)).toEqual(['remember me', 'and me']);
    // an archive copy arriving after the live one changes nothing
    expect(await chat.receive({ ...reply, id: 'again', timestamp: second }, true, true)).toBe(false);
    expect((await history.page('bob@x.org', 10)).messages.map((m) => m.timestamp)).toEqual([mine.timestamp, mine.timestamp + 1]);
  });

  it('delivery states only move forward; failed stays until retried', () => {
    expect(isStateProgress('sent', 'delivered')).toBe(true);
    expect(isStateProgress('read', 'delivered')).toBe(false);
    expect(isStateProgress('failed', 'sent')).toBe(false);
    expect(isStateProgress('pending', 'failed')).toBe(true);
  });

  it('counts unread incoming messages, not archived ones, and clears them when displayed', async () => {
    const chat = new Chat('bob@x.org', host(new ChatHistory(new MemoryStore()), []));
    await chat.open();
    await chat.receive(msg(1));
    await chat.receive(msg(2));
    await chat.receive(msg(3), true);
    expect(chat.unread).toBe(2);
    chat.markDisplayed();
    expect(chat.unread).toBe(0);
  });
});
