import { withCrossTabLock } from './crossTabLock';
import { KeyValueStore } from './HistoryStore';
import { dedupKeys, Message } from './Message';

/** An index entry: message id and timestamp, in chronological order per contact. */
type IndexEntry = [id: string, timestamp: number];

/**
 * Puts a message's entry where its time belongs (usually the newest: searched from the end);
 * `older` (scrolling back): before the entries of the same time, else after them.
 */
function insertInOrder(index: IndexEntry[], message: Message, older = false): void {
  let at = index.length;
  while (at > 0 && (index[at - 1][1] > message.timestamp || (older && index[at - 1][1] === message.timestamp))) {
    at--;
  }
  index.splice(at, 0, [message.id, message.timestamp]);
}

/**
 * A whole-second time stamp (XEP-0203 from the archive or offline storage: Prosody gives seconds)
 * says the message came somewhere in that second. What is already stored from that second (e.g.
 * what I typed while offline) came first as far as we can know: the message goes after it, its
 * time moved by less than a second, so that the conversation's order and its times agree.
 */
function placeInItsSecond(message: Message, index: IndexEntry[]): void {
  const second = message.timestamp;
  if (second % 1000 !== 0) {
    return;
  }
  let latest = -1;
  for (let i = index.length - 1; i >= 0 && index[i][1] >= second; i--) {
    if (index[i][1] < second + 1000) {
      latest = Math.max(latest, index[i][1]);
    }
  }
  if (latest >= second) {
    message.timestamp = Math.min(second + 999, latest + 1);
  }
}

/** A message waiting to be sent, in the order it was written. `correction` is a correction stanza to send. */
export interface OutboxEntry {
  peer: string;
  id: string;
  correction?: Message;
  /**
   * When a tab first tried to send it (ms): it may have reached the server even though no ack came
   * back, so whoever sends it again first looks in the archive (docs/session.md, "Several tabs").
   */
  attempted?: number;
}

/** A write to the history, for other tabs of the same account (src/core/tabs). */
export type HistoryChange = { op: 'add'; message: Message; older: boolean } | { op: 'update'; message: Message } | { op: 'outbox' };

const OUTBOX = 'outbox';
const LAST_SEEN = 'last-archived';

/**
 * The message history of one account, kept in its IndexedDB store:
 * - `msg:<peer>:<id>` one message,
 * - `idx:<peer>` the ids and timestamps of a conversation in chronological order (paged reads),
 * - `dup:<peer>` stanza-id / origin-id / id attribute → message id, to drop duplicates,
 * - `outbox` messages not yet acknowledged by the server, in the order they were written.
 * Writes are serialised, so concurrent arrivals never lose an index update; with `lockName` also
 * across the tabs of a browser that share the store (a Web Lock around each write).
 */
export class ChatHistory {
  private queue: Promise<unknown> = Promise.resolve();
  private observers = new Set<(change: HistoryChange) => void>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly lockName?: string,
  ) {}

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const locked = () => withCrossTabLock(this.lockName, task);
    const run = this.queue.then(locked, locked);
    this.queue = run.catch(() => undefined);
    return run;
  }

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

  private async index(peer: string): Promise<IndexEntry[]> {
    return (await this.store.getItem<IndexEntry[]>('idx:' + peer)) ?? [];
  }

  /** The id of a message already stored under one of these keys (see dedupKeys), if any. */
  async findDuplicate(peer: string, keys: string[]): Promise<string | undefined> {
    const dup = (await this.store.getItem<Record<string, string>>('dup:' + peer)) ?? {};
    for (const key of keys) {
      if (dup[key]) {
        return dup[key];
      }
    }
    return undefined;
  }

  /**
   * Stores a new message unless it is a duplicate; resolves with whether it was added. `older`:
   * it comes from scrolling back, so it goes before messages with the same timestamp (archive
   * stamps have whole seconds).
   */
  add(message: Message, older = false): Promise<boolean> {
    return this.serial(async () => {
      const keys = dedupKeys(message);
      if ((await this.findDuplicate(message.peer, keys)) || (await this.store.getItem('msg:' + message.peer + ':' + message.id))) {
        return false;
      }
      const index = await this.index(message.peer);
      if (!older) {
        placeInItsSecond(message, index);
      }
      insertInOrder(index, message, older);
      await this.store.setItem('msg:' + message.peer + ':' + message.id, message);
      await this.store.setItem('idx:' + message.peer, index);
      await this.addKeys(message.peer, message.id, keys);
      if (message.state !== 'pending') {
        // a message written offline must not move the catch-up point past what we missed
        await this.noteLastSeen(message.timestamp);
      }
      this.changed({ op: 'add', message, older });
      return true;
    });
  }

  /**
   * The same message arrived again with a more precise time than the stored copy: archive stamps
   * (XEP-0203 from Prosody's MAM) have whole seconds, a live copy has milliseconds. When the
   * stored copy came from the archive first (the two paths race), its time is corrected to the
   * precise one and it moves to its place in the conversation. Resolves with the stored message
   * if it changed.
   */
  refineTime(message: Message): Promise<Message | undefined> {
    return this.serial(async () => {
      const id = await this.findDuplicate(message.peer, dedupKeys(message));
      const stored = id ? await this.get(message.peer, id) : null;
      // only a precise copy (not itself a whole-second stamp) refines, within the stored copy's second
      if (!stored || message.timestamp % 1000 === 0 || message.timestamp === stored.timestamp || Math.floor(message.timestamp / 1000) !== Math.floor(stored.timestamp / 1000)) {
        return undefined;
      }
      stored.timestamp = message.timestamp;
      const index = (await this.index(message.peer)).filter(([x]) => x !== stored.id);
      insertInOrder(index, stored);
      await this.store.setItem('msg:' + message.peer + ':' + stored.id, stored);
      await this.store.setItem('idx:' + message.peer, index);
      this.changed({ op: 'update', message: stored });
      return stored;
    });
  }

  private async addKeys(peer: string, id: string, keys: string[]): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    const dup = (await this.store.getItem<Record<string, string>>('dup:' + peer)) ?? {};
    for (const key of keys) {
      dup[key] = id;
    }
    await this.store.setItem('dup:' + peer, dup);
  }

  /** Saves changes to a stored message (state, body, ids); new ids are indexed for duplicates. */
  update(message: Message): Promise<void> {
    return this.serial(async () => {
      await this.store.setItem('msg:' + message.peer + ':' + message.id, message);
      await this.addKeys(message.peer, message.id, dedupKeys(message));
      this.changed({ op: 'update', message });
    });
  }

  get(peer: string, id: string): Promise<Message | null> {
    return this.store.getItem<Message>('msg:' + peer + ':' + id);
  }

  /**
   * A page of a conversation, oldest first: the `limit` messages before position `before` of the
   * index (default: the newest). `start` is the index position of the first message returned.
   */
  async page(peer: string, limit: number, before?: number): Promise<{ messages: Message[]; start: number }> {
    const index = await this.index(peer);
    const end = Math.min(before ?? index.length, index.length);
    const start = Math.max(0, end - limit);
    const messages = await Promise.all(index.slice(start, end).map(([id]) => this.get(peer, id)));
    return { messages: messages.filter((m): m is Message => m !== null), start };
  }

  async count(peer: string): Promise<number> {
    return (await this.index(peer)).length;
  }

  /** Contacts that have history. */
  async peers(): Promise<string[]> {
    return (await this.store.keys()).filter((k) => k.startsWith('idx:')).map((k) => k.slice(4));
  }

  outbox(): Promise<OutboxEntry[]> {
    return this.store.getItem<OutboxEntry[]>(OUTBOX).then((o) => o ?? []);
  }

  enqueue(entry: OutboxEntry): Promise<void> {
    return this.serial(async () => {
      const outbox = await this.outbox();
      if (!outbox.some((e) => e.peer === entry.peer && e.id === entry.id)) {
        outbox.push(entry);
        await this.store.setItem(OUTBOX, outbox);
        this.changed({ op: 'outbox' });
      }
    });
  }

  /** Notes the first attempt to send an outbox entry (see OutboxEntry.attempted); before it goes out. */
  markAttempted(peer: string, id: string, at: number): Promise<void> {
    return this.serial(async () => {
      const outbox = await this.outbox();
      const entry = outbox.find((e) => e.peer === peer && e.id === id);
      if (entry && entry.attempted === undefined) {
        entry.attempted = at;
        await this.store.setItem(OUTBOX, outbox);
      }
    });
  }

  dequeue(peer: string, id: string): Promise<void> {
    return this.serial(async () => {
      const outbox = await this.outbox();
      await this.store.setItem(
        OUTBOX,
        outbox.filter((e) => !(e.peer === peer && e.id === id)),
      );
    });
  }

  /** The newest timestamp of any stored message: where a catch-up from the archive starts. */
  lastSeen(): Promise<number | undefined> {
    return this.store.getItem<number>(LAST_SEEN).then((t) => t ?? undefined);
  }

  private async noteLastSeen(timestamp: number): Promise<void> {
    const last = (await this.store.getItem<number>(LAST_SEEN)) ?? 0;
    if (timestamp > last) {
      await this.store.setItem(LAST_SEEN, timestamp);
    }
  }
}
