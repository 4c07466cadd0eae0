import { withCrossTabLock } from './crossTabLock';
import { applyToOutbox, Batch, newRev, Op, OutboxEntry, peerOf, replay } from './HistoryBatch';
import { Conversation, placeInItsSecond, StoredConversation } from './HistoryIndex';
import { batchRecords, msgKey, readMessages, recordKey } from './HistoryRecords';
import { getItems, KeyValueStore, setItems } from './HistoryStore';
import { dedupKeys, Message } from './Message';

/** A write to the history, for other tabs of the same account (src/core/tabs). */
export type HistoryChange = { op: 'add'; message: Message; older: boolean } | { op: 'update'; message: Message } | { op: 'outbox' };

export type { OutboxEntry };

const OUTBOX = 'outbox';
const LAST_SEEN = 'last-archived';
/** changes with every write: a reader whose copy is older reads again (another tab, another page) */
const REV = 'rev';

/** A conversation held in memory and the store revision it was read at (or last written by us). */
interface Loaded {
  conversation: Conversation;
  rev: string | null;
}

/**
 * The message history of one account, kept in its IndexedDB store:
 * - `msg:<peer>:<id>` one message, `page:<peer>:<token>` the messages of a conversation that came
 *   in one batch (an archive page, a burst): see HistoryRecords,
 * - `idx:<peer>` the ids and timestamps of a conversation in chronological order (paged reads),
 *   and the page record of each message that is in one,
 * - `dup:<peer>` stanza-id / origin-id / id attribute → message id, to drop duplicates,
 * - `outbox` messages not yet acknowledged by the server, in the order they were written,
 * - `rev` a token that changes with every write.
 *
 * Index and duplicate map of a conversation are held in memory once read: a new message is checked
 * and placed there at once (callers show it right away), and the writes of everything that came
 * meanwhile go to the store together, in one transaction, as soon as the previous one finished — a
 * burst of a thousand messages costs a handful of transactions. `enqueue`/`dequeue` (the outbox)
 * resolve only once written, with the message they belong to: an outgoing message is stored before
 * it is sent. `saved()` resolves when everything so far is written.
 *
 * With `lockName`, every write holds that Web Lock, so tabs of a browser sharing the store never
 * interleave. When the store's `rev` is not the one our copy was read at, another writer (tab,
 * earlier page) wrote meanwhile: a conversation with unwritten changes is read again and they are
 * applied to it (duplicates dropped), others are simply read again when next needed.
 */
export class ChatHistory {
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
    private readonly store: KeyValueStore,
    private readonly lockName?: string,
  ) {}

  /** Calls `observer` after each write made through this object; returns a function that stops it. */
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
  private async conversation(peer: string): Promise<Conversation> {
    let loaded: Loaded | undefined;
    while (!(loaded = this.loaded.get(peer))) {
      await this.load(peer);
    }
    return loaded.conversation;
  }

  /** Drops what another writer changed since we read it (unless we have unwritten changes there: those are merged when written). */
  private async sync(): Promise<void> {
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

  private queue(op: Op): Batch {
    const batch = this.current;
    batch.ops.push(op);
    if (op.kind === 'add' || op.kind === 'update') {
      this.unsaved.set(msgKey(op.message), { message: op.message, batch });
    }
    this.schedule();
    return batch;
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
    // conversations another writer changed since we read them, and that we have changes for: read again
    const fresh = new Map<string, StoredConversation>();
    for (;;) {
      const stale = [...new Set(this.current.ops.map(peerOf))].filter((p) => !fresh.has(p) && this.loaded.has(p) && this.loaded.get(p)!.rev !== rev);
      if (stale.length === 0) {
        break;
      }
      const values = await getItems(this.store, stale.flatMap((p) => ['idx:' + p, 'dup:' + p]));
      stale.forEach((p, i) => fresh.set(p, { index: values[2 * i] as StoredConversation['index'], dup: values[2 * i + 1] as StoredConversation['dup'] }));
    }
    // from here on synchronous: nothing can be queued until the write is issued
    const batch = this.current;
    this.current = new Batch();
    this.inFlight = batch;
    for (const [peer, stored] of fresh) {
      this.merge(peer, stored, batch, rev);
    }
    const next = newRev();
    // the messages first (one page record for the new ones of a conversation), then the indexes
    const { entries, peers, changes } = batchRecords(batch.ops, next, (peer) => this.loaded.get(peer)?.conversation);
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
  private merge(peer: string, stored: StoredConversation, batch: Batch, rev: string | null): void {
    this.loaded.set(peer, { conversation: replay(new Conversation(stored), peer, batch.ops), rev });
  }

  /** Resolves when everything changed so far is in the store. */
  saved(): Promise<void> {
    if (!this.current.empty) {
      return this.current.done;
    }
    return this.inFlight?.done ?? Promise.resolve();
  }

  /**
   * Runs `task` (storing an archive page) and writes what it changed together after it, as one
   * batch (its new messages in one page record). Nothing waits for the disk meanwhile: what it
   * adds is readable and shown at once; an outbox write queued meanwhile waits for it too.
   */
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

  // ---- the public operations

  /** The id of a message already stored under one of these keys (see dedupKeys), if any. */
  async findDuplicate(peer: string, keys: string[]): Promise<string | undefined> {
    await this.sync();
    return (await this.conversation(peer)).findDuplicate(keys);
  }

  /**
   * Stores a new message unless it is a duplicate; resolves with whether it was added, as soon as
   * that is decided (the write follows; see saved()). `older`: it comes from scrolling back, so it
   * goes before messages with the same timestamp (archive stamps have whole seconds).
   */
  async add(message: Message, older = false): Promise<boolean> {
    const conversation = await this.conversation(message.peer);
    if (conversation.isDuplicate(message)) {
      return false;
    }
    if (!older) {
      placeInItsSecond(message, conversation.index);
    }
    conversation.add(message, older);
    const batch = this.queue({ kind: 'add', message, older });
    if (message.state !== 'pending') {
      // a message written offline must not move the catch-up point past what we missed
      batch.seen = Math.max(batch.seen, message.timestamp);
    }
    return true;
  }

  /**
   * The same message arrived again with a more precise time than the stored copy: archive stamps
   * (XEP-0203 from Prosody's MAM) have whole seconds, a live copy has milliseconds. When the
   * stored copy came from the archive first (the two paths race), its time is corrected to the
   * precise one and it moves to its place in the conversation. Resolves with the stored message
   * if it changed.
   */
  async refineTime(message: Message): Promise<Message | undefined> {
    const id = (await this.conversation(message.peer)).findDuplicate(dedupKeys(message));
    const stored = id ? await this.get(message.peer, id) : null;
    // only a precise copy (not itself a whole-second stamp) refines, within the stored copy's second
    if (!stored || message.timestamp % 1000 === 0 || message.timestamp === stored.timestamp || Math.floor(message.timestamp / 1000) !== Math.floor(stored.timestamp / 1000)) {
      return undefined;
    }
    stored.timestamp = message.timestamp;
    (await this.conversation(message.peer)).move(stored);
    this.queue({ kind: 'update', message: stored, moved: true });
    return stored;
  }

  /** Saves changes to a stored message (state, body, ids); new ids are indexed for duplicates. */
  async update(message: Message): Promise<void> {
    (await this.conversation(message.peer)).addKeys(message);
    this.queue({ kind: 'update', message, moved: false });
  }

  async get(peer: string, id: string): Promise<Message | null> {
    const unsaved = this.unsaved.get(msgKey({ peer, id }));
    if (unsaved) {
      return unsaved.message;
    }
    const record = (await this.conversation(peer)).recordOf(id);
    if (record === undefined) {
      return this.store.getItem<Message>(msgKey({ peer, id }));
    }
    // a message leaves its page record only for a record of its own (when it changes): that one,
    // when there, is newer (another tab may have moved it since we read the index)
    const [own, page] = await getItems(this.store, [msgKey({ peer, id }), recordKey(peer, [id, 0, record])]);
    return (own as Message | null) ?? ((page as Message[] | null) ?? []).find((m) => m.id === id) ?? null;
  }

  /**
   * A page of a conversation, oldest first: the `limit` messages before position `before` of the
   * index (default: the newest). `start` is the index position of the first message returned.
   */
  async page(peer: string, limit: number, before?: number): Promise<{ messages: Message[]; start: number }> {
    if (this.loaded.has(peer)) {
      await this.sync(); // else it is read now, as it is
    }
    const index = (await this.conversation(peer)).index;
    const end = Math.min(before ?? index.length, index.length);
    const start = Math.max(0, end - limit);
    const messages = await readMessages(this.store, peer, index.slice(start, end), (id) => this.unsaved.get(msgKey({ peer, id }))?.message);
    return { messages, start };
  }

  async count(peer: string): Promise<number> {
    await this.sync();
    return (await this.conversation(peer)).index.length;
  }

  /** Contacts that have history. */
  async peers(): Promise<string[]> {
    const stored = (await this.store.keys()).filter((k) => k.startsWith('idx:')).map((k) => k.slice(4));
    const inMemory = [...this.loaded].filter(([, l]) => l.conversation.index.length > 0).map(([p]) => p);
    return [...new Set([...stored, ...inMemory])];
  }

  async outbox(): Promise<OutboxEntry[]> {
    await this.saved();
    return (await this.store.getItem<OutboxEntry[]>(OUTBOX)) ?? [];
  }

  /** Puts a message into the outbox; resolves once that (and the message) is written. */
  enqueue(entry: OutboxEntry): Promise<void> {
    return this.queue({ kind: 'enqueue', entry }).done;
  }

  /** Notes the first attempt to send an outbox entry (see OutboxEntry.attempted); resolves once written, before it goes out. */
  markAttempted(peer: string, id: string, at: number): Promise<void> {
    return this.queue({ kind: 'attempted', peer, id, at }).done;
  }

  dequeue(peer: string, id: string): Promise<void> {
    return this.queue({ kind: 'dequeue', peer, id }).done;
  }

  /**
   * Notes that everything up to `at` (ms) has been received, though no message may have come:
   * a later catch-up starts there at the latest (see lastSeen).
   */
  noteSeen(at: number): Promise<void> {
    if (at <= this.current.seen) {
      return Promise.resolve();
    }
    this.current.seen = at;
    this.schedule();
    return this.current.done;
  }

  /**
   * The newest timestamp of any stored message, or of a noted session start (noteSeen): where a
   * catch-up from the archive starts.
   */
  async lastSeen(): Promise<number | undefined> {
    const stored = (await this.store.getItem<number>(LAST_SEEN)) ?? undefined;
    const unsaved = Math.max(this.current.seen, this.inFlight?.seen ?? 0);
    return unsaved > (stored ?? 0) ? unsaved : stored;
  }
}
