import { dedupKeys, Message } from './Message';

/**
 * An index entry: message id and timestamp, in chronological order per contact, and where the
 * message is stored: absent = a record of its own (`msg:<peer>:<id>`, every message stored before
 * page records existed), else the token of the page record holding it (see HistoryRecords).
 */
export type IndexEntry = [id: string, timestamp: number, record?: string];

/** How a conversation's index and duplicate map are stored. */
export interface StoredConversation {
  index: IndexEntry[] | null;
  dup: Record<string, string> | null;
}

/**
 * Puts a message's entry where its time belongs: after the entries of the same time, or, `older`
 * (scrolling back), before them. The index is sorted by time, so a binary search finds the place.
 */
export function insertInOrder(index: IndexEntry[], message: Pick<Message, 'id' | 'timestamp'>, older = false): IndexEntry {
  let low = 0;
  let high = index.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const t = index[mid][1];
    if (t < message.timestamp || (!older && t === message.timestamp)) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  const entry: IndexEntry = [message.id, message.timestamp];
  index.splice(low, 0, entry);
  return entry;
}

/**
 * A whole-second time stamp (XEP-0203 from the archive or offline storage: Prosody gives seconds)
 * says the message came somewhere in that second. What is already stored from that second (e.g.
 * what I typed while offline) came first as far as we can know: the message goes after it, its
 * time moved by less than a second, so that the conversation's order and its times agree.
 */
export function placeInItsSecond(message: Message, index: IndexEntry[]): void {
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

/**
 * One conversation's index and duplicate map, held in memory: the ids and times in chronological
 * order (paged reads) and stanza-id / origin-id / id attribute → message id (duplicates).
 */
export class Conversation {
  readonly index: IndexEntry[];
  /** message id → its index entry */
  private readonly entries: Map<string, IndexEntry>;
  private readonly dup: Map<string, string>;
  /** changed since last written (takeChanges) */
  private indexChanged = false;
  private dupChanged = false;

  constructor(stored: StoredConversation) {
    this.index = stored.index ?? [];
    this.entries = new Map(this.index.map((entry) => [entry[0], entry]));
    this.dup = new Map(Object.entries(stored.dup ?? {}));
  }

  /** The id of a message already here under one of these keys (see dedupKeys), if any. */
  findDuplicate(keys: string[]): string | undefined {
    for (const key of keys) {
      const id = this.dup.get(key);
      if (id) {
        return id;
      }
    }
    return undefined;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The token of the page record holding the message (undefined: a record of its own). */
  recordOf(id: string): string | undefined {
    return this.entries.get(id)?.[2];
  }

  /** The message is written to this page record (undefined: to a record of its own). */
  setRecord(id: string, record: string | undefined): void {
    const entry = this.entries.get(id);
    if (!entry || entry[2] === record) {
      return;
    }
    if (record === undefined) {
      entry.length = 2;
    } else {
      entry[2] = record;
    }
    this.indexChanged = true;
  }

  /** Whether the message is one already here (same id, or a duplicate key). */
  isDuplicate(message: Message): boolean {
    return this.has(message.id) || this.findDuplicate(dedupKeys(message)) !== undefined;
  }

  /** Adds a message that is no duplicate; `older`: see insertInOrder. */
  add(message: Message, older: boolean): void {
    this.entries.set(message.id, insertInOrder(this.index, message, older));
    this.indexChanged = true;
    this.addKeys(message);
  }

  addKeys(message: Message): void {
    for (const key of dedupKeys(message)) {
      if (this.dup.get(key) !== message.id) {
        this.dup.set(key, message.id);
        this.dupChanged = true;
      }
    }
  }

  /** The message's time changed: it moves to its new place. */
  move(message: Message): void {
    const at = this.index.findIndex(([x]) => x === message.id);
    const record = at >= 0 ? this.index[at][2] : undefined;
    if (at >= 0) {
      this.index.splice(at, 1);
    }
    const entry = insertInOrder(this.index, message);
    if (record !== undefined) {
      entry[2] = record;
    }
    this.entries.set(message.id, entry);
    this.indexChanged = true;
  }

  /**
   * What changed since the last call, as stored (a delivery state changes neither: then nothing
   * of a long conversation's index is written again). A copy: the write is serialised a moment
   * later, and what changes meanwhile belongs to the next write.
   */
  takeChanges(): Partial<{ index: IndexEntry[]; dup: Record<string, string> }> {
    const changes = { ...(this.indexChanged ? { index: this.index.map((entry) => entry.slice() as IndexEntry) } : {}), ...(this.dupChanged ? { dup: Object.fromEntries(this.dup) } : {}) };
    this.indexChanged = this.dupChanged = false;
    return changes;
  }

  /** The last write of the changes failed: they go with the next one. */
  unwritten(changes: Partial<{ index: IndexEntry[]; dup: Record<string, string> }>): void {
    this.indexChanged ||= changes.index !== undefined;
    this.dupChanged ||= changes.dup !== undefined;
  }
}
