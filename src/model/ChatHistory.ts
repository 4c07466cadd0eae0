import type { OutboxEntry } from './HistoryBatch';
import { placeInItsSecond } from './HistoryIndex';
import { msgKey, readMessages, recordKey } from './HistoryRecords';
import { getItems, KeyValueStore } from './HistoryStore';
import { HistoryChange, HistoryWriter, LAST_SEEN, OUTBOX } from './HistoryWriter';
import { dedupKeys, Message } from './Message';

export type { HistoryChange, OutboxEntry };

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
 * and placed there at once (callers show it right away); its write is queued in HistoryWriter,
 * which writes everything that came meanwhile together, in one transaction, as soon as the
 * previous one finished. `enqueue`/`dequeue` (the outbox) resolve only once written, with the
 * message they belong to: an outgoing message is stored before it is sent. `saved()` resolves when
 * everything so far is written. With `lockName`, every write holds that Web Lock, so tabs of a
 * browser sharing the store never interleave (HistoryWriter: what happens when another wrote).
 */
export class ChatHistory {
  private readonly writer: HistoryWriter;

  constructor(
    private readonly store: KeyValueStore,
    lockName?: string,
  ) {
    this.writer = new HistoryWriter(store, lockName);
  }

  /** Calls `observer` after each write made through this object; returns a function that stops it. */
  observe(observer: (change: HistoryChange) => void): () => void {
    return this.writer.observe(observer);
  }

  /** Resolves when everything changed so far is in the store. */
  saved(): Promise<void> {
    return this.writer.saved();
  }

  /**
   * Runs `task` (storing an archive page) and writes what it changed together after it, as one
   * batch (its new messages in one page record). Nothing waits for the disk meanwhile: what it
   * adds is readable and shown at once; an outbox write queued meanwhile waits for it too.
   */
  together<T>(task: () => Promise<T>): Promise<T> {
    return this.writer.together(task);
  }

  // ---- the public operations

  /** The id of a message already stored under one of these keys (see dedupKeys), if any. */
  async findDuplicate(peer: string, keys: string[]): Promise<string | undefined> {
    await this.writer.sync();
    return (await this.writer.conversation(peer)).findDuplicate(keys);
  }

  /**
   * Stores a new message unless it is a duplicate; resolves with whether it was added, as soon as
   * that is decided (the write follows; see saved()). `older`: it comes from scrolling back, so it
   * goes before messages with the same timestamp (archive stamps have whole seconds).
   */
  async add(message: Message, older = false): Promise<boolean> {
    const conversation = await this.writer.conversation(message.peer);
    if (conversation.isDuplicate(message)) {
      return false;
    }
    if (!older) {
      placeInItsSecond(message, conversation.index);
    }
    conversation.add(message, older);
    const batch = this.writer.queue({ kind: 'add', message, older });
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
    const id = (await this.writer.conversation(message.peer)).findDuplicate(dedupKeys(message));
    const stored = id ? await this.get(message.peer, id) : null;
    // only a precise copy (not itself a whole-second stamp) refines, within the stored copy's second
    if (!stored || message.timestamp % 1000 === 0 || message.timestamp === stored.timestamp || Math.floor(message.timestamp / 1000) !== Math.floor(stored.timestamp / 1000)) {
      return undefined;
    }
    stored.timestamp = message.timestamp;
    (await this.writer.conversation(message.peer)).move(stored);
    this.writer.queue({ kind: 'update', message: stored, moved: true });
    return stored;
  }

  /** Saves changes to a stored message (state, body, ids); new ids are indexed for duplicates. */
  async update(message: Message): Promise<void> {
    (await this.writer.conversation(message.peer)).addKeys(message);
    this.writer.queue({ kind: 'update', message, moved: false });
  }

  async get(peer: string, id: string): Promise<Message | null> {
    const unsaved = this.writer.unsavedMessage(peer, id);
    if (unsaved) {
      return unsaved;
    }
    const record = (await this.writer.conversation(peer)).recordOf(id);
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
    if (this.writer.isLoaded(peer)) {
      await this.writer.sync(); // else it is read now, as it is
    }
    const index = (await this.writer.conversation(peer)).index;
    const end = Math.min(before ?? index.length, index.length);
    const start = Math.max(0, end - limit);
    const messages = await readMessages(this.store, peer, index.slice(start, end), (id) => this.writer.unsavedMessage(peer, id));
    return { messages, start };
  }

  async count(peer: string): Promise<number> {
    await this.writer.sync();
    return (await this.writer.conversation(peer)).index.length;
  }

  /** Contacts that have history. */
  async peers(): Promise<string[]> {
    const stored = (await this.store.keys()).filter((k) => k.startsWith('idx:')).map((k) => k.slice(4));
    const inMemory = this.writer.peersInMemory();
    return [...new Set([...stored, ...inMemory])];
  }

  async outbox(): Promise<OutboxEntry[]> {
    await this.saved();
    return (await this.store.getItem<OutboxEntry[]>(OUTBOX)) ?? [];
  }

  /** Puts a message into the outbox; resolves once that (and the message) is written. */
  enqueue(entry: OutboxEntry): Promise<void> {
    return this.writer.queue({ kind: 'enqueue', entry }).done;
  }

  /** Notes the first attempt to send an outbox entry (see OutboxEntry.attempted); resolves once written, before it goes out. */
  markAttempted(peer: string, id: string, at: number): Promise<void> {
    return this.writer.queue({ kind: 'attempted', peer, id, at }).done;
  }

  dequeue(peer: string, id: string): Promise<void> {
    return this.writer.queue({ kind: 'dequeue', peer, id }).done;
  }

  /**
   * Notes that everything up to `at` (ms) has been received, though no message may have come:
   * a later catch-up starts there at the latest (see lastSeen).
   */
  noteSeen(at: number): Promise<void> {
    return this.writer.noteSeen(at);
  }

  /**
   * The newest timestamp of any stored message, or of a noted session start (noteSeen): where a
   * catch-up from the archive starts.
   */
  async lastSeen(): Promise<number | undefined> {
    const stored = (await this.store.getItem<number>(LAST_SEEN)) ?? undefined;
    const unsaved = this.writer.unsavedSeen();
    return unsaved > (stored ?? 0) ? unsaved : stored;
  }
}
