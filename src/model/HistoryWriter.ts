import { withCrossTabLock } from './crossTabLock';
import { applyToOutbox, Batch, newRev, Op, OutboxEntry, peerOf, replay } from './HistoryBatch';
import { Conversation, StoredConversation } from './HistoryIndex';
import { batchRecords, compactPages, LeftPage, msgKey, pagesLeft } from './HistoryRecords';
import { getItems, KeyValueStore, setItems } from './HistoryStore';
import type { Message } from './Message';

/** A write to the history, for other tabs of the same account (src/core/tabs). */
export type HistoryChange = { op: 'add'; message: Message; older: boolean } | { op: 'update'; message: Message } | { op: 'outbox' };

/** Store keys of the account-wide records (the conversations' keys are in HistoryRecords). */
export const OUTBOX = 'outbox';
export const LAST_SEEN = 'last-archived';
/** changes with every write: a reader whose copy is older reads again (another tab, another page) */
const REV = 'rev';

/** A conversation held in memory and the store revision it was read at (or last written by us). */
interface Loaded {
  conversation: Conversation;
  rev: string | null;
}

/**
 * The conversations of ChatHistory held in memory, and its writes: changes are applied in memory
 * at once (by ChatHistory) and queued here; everything queued goes to the store in one batch (one
 * transaction) as soon as the previous one finished, holding the cross-tab lock `lockName`.
 *
 * When the store's `rev` is not the one our copy was read at, another writer (tab, earlier page)
 * wrote meanwhile: a conversation with unwritten changes is read again and they are applied to it
 * (duplicates dropped), others are simply read again when next needed.
 */
export class HistoryWriter {
  private observers = new Set<(change: HistoryChange) => void>();
  private loaded = new Map<string, Loaded>();
  private loading = new Map<string, Promise<void>>();
  /** messages changed in memory and not yet written, by store key */
  private unsaved = new Map<string, { message: Message; batch: Batch }>();
  private current = new Batch();
  private writing?: Promise<void>;
  private inFlight?: Batch;
  /** writes wait for this (see together) */
  private held?: Promise<unknown>;

  constructor(
    readonly store: KeyValueStore,
    private readonly lockName?: string,
  ) {}

  /** Calls `observer` after each write; returns a function that stops it. */
  observe(observer: (change: HistoryChange) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private changed(change: HistoryChange): void {
    for (const observer of this.observers) {
      try {
        observer(change);
      } catch (err) {
        console.error('[jsxc] history observer failed:', err);
      }
    }
  }

  // ---- reading the conversations into memory

  private async load(peer: string): Promise<void> {
    let loading = this.loading.get(peer);
    if (!loading) {
      loading = (async () => {
        const [rev, index, dup] = await getItems(this.store, [REV, 'idx:' + peer, 'dup:' + peer]);
        if (!this.loaded.has(peer)) {
          this.loaded.set(peer, { conversation: new Conversation({ index, dup } as StoredConversation), rev: rev as string | null });
        }
      })().finally(() => this.loading.delete(peer));
      this.loading.set(peer, loading);
    }
    return loading;
  }

  /** The conversation in memory (read first if needed). Use the result before the next await. */
  async conversation(peer: string): Promise<Conversation> {
    let loaded: Loaded | undefined;
    while (!(loaded = this.loaded.get(peer))) {
      await this.load(peer);
    }
    return loaded.conversation;
  }

  isLoaded(peer: string): boolean {
    return this.loaded.has(peer);
  }

  /** Peers whose conversation in memory has messages (some perhaps not written yet). */
  peersInMemory(): string[] {
    return [...this.loaded].filter(([, l]) => l.conversation.index.length > 0).map(([p]) => p);
  }

  /** The message as changed in memory, if that is not written yet. */
  unsavedMessage(peer: string, id: string): Message | undefined {
    return this.unsaved.get(msgKey({ peer, id }))?.message;
  }

  /** Drops what another writer changed since we read it (unless we have unwritten changes there: those are merged when written). */
  async sync(): Promise<void> {
    const rev = await this.store.getItem<string>(REV);
    const busy = this.touchedPeers();
    for (const [peer, loaded] of this.loaded) {
      if (loaded.rev !== rev && !busy.has(peer)) {
        this.loaded.delete(peer);
      }
    }
  }

  private touchedPeers(): Set<string> {
    const peers = new Set<string>();
    for (const batch of [this.inFlight, this.current]) {
      batch?.ops.forEach((op) => (op.kind === 'add' || op.kind === 'update') && peers.add(peerOf(op)));
    }
    return peers;
  }

  // ---- changes: applied in memory at once, written in batches

  /** Queues a change (already applied in memory) for the next write; returns the batch that writes it. */
  queue(op: Op): Batch {
    const batch = this.current;
    batch.ops.push(op);
    if (op.kind === 'add' || op.kind === 'update') {
      this.unsaved.set(msgKey(op.message), { message: op.message, batch });
    }
    this.schedule();
    return batch;
  }

  /** Notes that everything up to `at` was received (see ChatHistory.noteSeen); resolves once written. */
  noteSeen(at: number): Promise<void> {
    if (at <= this.current.seen) {
      return Promise.resolve();
    }
    this.current.seen = at;
    this.schedule();
    return this.current.done;
  }

  /** The catch-up point of the batches not written yet (0: none). */
  unsavedSeen(): number {
    return Math.max(this.current.seen, this.inFlight?.seen ?? 0);
  }

  private schedule(): void {
    if (this.writing) {
      return; // the running writer takes what is queued now
    }
    this.writing = (async () => {
      for (;;) {
        await Promise.resolve(); // let the caller queue the rest of its changes first
        if (this.held) {
          // an archive page being stored: written as one batch after it (a page that takes
          // unusually long is not allowed to hold back an outgoing message for more than a second)
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([this.held, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
          clearTimeout(timer);
        }
        try {
          await this.writeAll();
        } catch {
          // a failed write was logged and rejected to those waiting for it; its changes go with the next one
          this.writing = undefined;
          return;
        }
        // checked and cleared in one step: a change queued while the last write finished is not left behind
        if (this.current.empty) {
          this.writing = undefined;
          return;
        }
      }
    })();
  }

  private async writeAll(): Promise<void> {
    while (!this.current.empty) {
      await withCrossTabLock(this.lockName, () => this.write());
    }
  }

  /** Writes everything queued so far in one transaction (holding the cross-tab lock). */
  private async write(): Promise<void> {
    const [rev, lastSeen, outbox] = (await getItems(this.store, [REV, LAST_SEEN, OUTBOX])) as [string | null, number | null, OutboxEntry[] | null];
    // conversations another writer changed since we read them, and that we have changes for: read
    // again; and the page records that changed messages leave (see compactPages)
    const fresh = new Map<string, Conversation>();
    const pages = new Map<string, [LeftPage, Message[] | null]>();
    for (;;) {
      const stale = [...new Set(this.current.ops.map(peerOf))].filter((p) => !fresh.has(p) && this.loaded.has(p) && this.loaded.get(p)!.rev !== rev);
      const left = pagesLeft(this.current.ops, (p) => fresh.get(p) ?? this.loaded.get(p)?.conversation).filter((page) => !pages.has(page.key));
      if (stale.length === 0 && left.length === 0) {
        break;
      }
      const values = await getItems(this.store, [...stale.flatMap((p) => ['idx:' + p, 'dup:' + p]), ...left.map((page) => page.key)]);
      stale.forEach((p, i) => fresh.set(p, new Conversation({ index: values[2 * i], dup: values[2 * i + 1] } as StoredConversation)));
      left.forEach((page, i) => pages.set(page.key, [page, values[2 * stale.length + i] as Message[] | null]));
    }
    // from here on synchronous: nothing can be queued until the write is issued
    const batch = this.current;
    this.current = new Batch();
    this.inFlight = batch;
    for (const [peer, stored] of fresh) {
      this.merge(peer, stored, batch, rev);
    }
    const next = newRev();
    // the messages first (one page record for the new ones of a conversation), then the indexes,
    // then the page records that messages left (a page that dies before them only leaves copies
    // nobody reads)
    const conversationOf = (peer: string) => this.loaded.get(peer)?.conversation;
    const { entries, peers, changes } = batchRecords(batch.ops, next, conversationOf);
    entries.push(...compactPages([...pages.values()], conversationOf));
    const box = applyToOutbox(outbox ?? [], batch.ops);
    if (box) {
      entries.push([OUTBOX, box]);
    }
    if (batch.seen > (lastSeen ?? 0)) {
      entries.push([LAST_SEEN, batch.seen]);
    }
    entries.push([REV, next]);
    // what was current at `rev` is current after our write too; the rest is read again when needed
    const busy = this.touchedPeers();
    for (const [peer, loaded] of this.loaded) {
      if (loaded.rev === rev || peers.has(peer)) {
        loaded.rev = next;
      } else if (!busy.has(peer)) {
        this.loaded.delete(peer);
      }
    }
    try {
      await setItems(this.store, entries);
    } catch (err) {
      console.error('[jsxc] could not write the chat history (will try again with the next change):', err);
      changes.forEach((changed, conversation) => conversation.unwritten(changed));
      // written with the next batch, in their order
      this.current.ops.unshift(...batch.ops.filter((op) => !(op.kind === 'add' && op.dropped)));
      this.current.seen = Math.max(this.current.seen, batch.seen);
      for (const entry of this.unsaved.values()) {
        if (entry.batch === batch) {
          entry.batch = this.current;
        }
      }
      this.inFlight = undefined;
      batch.reject(err);
      throw err;
    }
    this.inFlight = undefined;
    for (const [key, entry] of this.unsaved) {
      if (entry.batch === batch) {
        this.unsaved.delete(key);
      }
    }
    for (const op of batch.ops) {
      if (op.kind === 'add' && !op.dropped) {
        this.changed({ op: 'add', message: op.message, older: op.older });
      } else if (op.kind === 'update') {
        this.changed({ op: 'update', message: op.message });
      } else if (op.kind === 'enqueue') {
        this.changed({ op: 'outbox' });
      }
    }
    batch.resolve();
  }

  /** Another writer changed this conversation: our unwritten changes go onto its stored state. */
  private merge(peer: string, stored: Conversation, batch: Batch, rev: string | null): void {
    this.loaded.set(peer, { conversation: replay(stored, peer, batch.ops), rev });
  }

  /** Resolves when everything changed so far is in the store. */
  saved(): Promise<void> {
    if (!this.current.empty) {
      return this.current.done;
    }
    return this.inFlight?.done ?? Promise.resolve();
  }

  /** See ChatHistory.together. */
  async together<T>(task: () => Promise<T>): Promise<T> {
    const run = task();
    const held = Promise.all([this.held, run.catch(() => undefined)]);
    this.held = held;
    try {
      return await run;
    } finally {
      if (this.held === held) {
        this.held = undefined;
      }
    }
  }
}
