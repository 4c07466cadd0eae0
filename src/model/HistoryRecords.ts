/**
 * How messages are laid out in the history store (docs/chat.md, "Storing"):
 * - `msg:<peer>:<id>` a message in a record of its own: a message that came alone in its batch (a
 *   live message, one I sent), one changed after it was stored, and every message stored before
 *   page records existed (their index entries have no record token, so they are read as before);
 * - `page:<peer>:<token>` the new messages of one conversation that were written in one batch (an
 *   archive page, a burst, a catch-up), up to PAGE_RECORD_MAX per record, as one array: an archive
 *   page of 50 is one write and is read back with one read instead of 50.
 * A message in a page record that changes (delivery state, correction, refined time) moves to a
 * record of its own and its index entry says so; in the same batch, after the index, the page
 * record it left is written again without it, or removed when no message is left in it
 * (pagesLeft, compactPages). A reader whose index is older (another tab, between its check of
 * `rev` and its read) finds the message in its own record instead (readMessages).
 */
import type { Op } from './HistoryBatch';
import type { Conversation, IndexEntry } from './HistoryIndex';
import { getItems, KeyValueStore } from './HistoryStore';
import type { Message } from './Message';

/** Most messages in one page record (a burst of 1,000 in one batch makes ten). */
export const PAGE_RECORD_MAX = 100;

export const msgKey = (m: Pick<Message, 'peer' | 'id'>): string => 'msg:' + m.peer + ':' + m.id;
const pageKey = (peer: string, token: string): string => 'page:' + peer + ':' + token;

/** A page record that messages leave in a batch: its key, conversation and token. */
export interface LeftPage {
  key: string;
  peer: string;
  token: string;
}

/** The store key of the record holding the message of this index entry. */
export const recordKey = (peer: string, entry: IndexEntry): string => (entry[2] === undefined ? msgKey({ peer, id: entry[0] }) : pageKey(peer, entry[2]));

/**
 * The message records a batch writes, and where each message's index entry now points: the new
 * messages of one conversation go into page records when there are several (token: unique for
 * this write, e.g. its revision), a lone one and changed ones into records of their own.
 */
export function messageRecords(ops: Op[], token: string, conversationOf: (peer: string) => Conversation | undefined): [string, unknown][] {
  const added = new Map<string, Map<string, Message>>();
  const own = new Map<string, Message>();
  for (const op of ops) {
    if (op.kind === 'add' && !op.dropped) {
      let messages = added.get(op.message.peer);
      if (!messages) {
        added.set(op.message.peer, (messages = new Map()));
      }
      messages.set(op.message.id, op.message);
    } else if (op.kind === 'update') {
      const messages = added.get(op.message.peer);
      if (messages?.has(op.message.id)) {
        messages.set(op.message.id, op.message); // new in this batch: written once, as it is now
      } else {
        own.set(msgKey(op.message), op.message);
      }
    }
  }
  const records: [string, unknown][] = [];
  for (const [peer, messages] of added) {
    const list = [...messages.values()];
    if (list.length === 1) {
      own.set(msgKey(list[0]), list[0]);
      continue;
    }
    const conversation = conversationOf(peer);
    for (let i = 0; i < list.length; i += PAGE_RECORD_MAX) {
      const part = list.slice(i, i + PAGE_RECORD_MAX);
      const partToken = `${token}-${i / PAGE_RECORD_MAX}`;
      records.push([pageKey(peer, partToken), part]);
      part.forEach((m) => conversation?.setRecord(m.id, partToken));
    }
  }
  for (const [key, message] of own) {
    records.push([key, message]);
    conversationOf(message.peer)?.setRecord(message.id, undefined);
  }
  return records;
}

/** What a batch writes of its conversations: message records, then changed indexes and duplicate maps. */
export interface BatchRecords {
  entries: [string, unknown][];
  /** conversations with new or changed messages */
  peers: Set<string>;
  /** what each conversation had changed (given back to it should the write fail: Conversation.unwritten) */
  changes: Map<Conversation, ReturnType<Conversation['takeChanges']>>;
}

export function batchRecords(ops: Op[], token: string, conversationOf: (peer: string) => Conversation | undefined): BatchRecords {
  const entries = messageRecords(ops, token, conversationOf);
  const peers = new Set<string>();
  for (const op of ops) {
    if ((op.kind === 'add' && !op.dropped) || op.kind === 'update') {
      peers.add(op.message.peer);
    }
  }
  const changes: BatchRecords['changes'] = new Map();
  for (const peer of peers) {
    const conversation = conversationOf(peer);
    if (!conversation) {
      continue;
    }
    const changed = conversation.takeChanges();
    changes.set(conversation, changed);
    if (changed.index) {
      entries.push(['idx:' + peer, changed.index]);
    }
    if (changed.dup) {
      entries.push(['dup:' + peer, changed.dup]);
    }
  }
  return { entries, peers, changes };
}

/**
 * The page records that messages changed by these ops are in now, before the batch moves them to
 * records of their own (a message new in the same batch is in none yet).
 */
export function pagesLeft(ops: Op[], conversationOf: (peer: string) => Conversation | undefined): LeftPage[] {
  const added = new Set(ops.flatMap((op) => (op.kind === 'add' && !op.dropped ? [msgKey(op.message)] : [])));
  const pages = new Map<string, LeftPage>();
  for (const op of ops) {
    if (op.kind !== 'update' || added.has(msgKey(op.message))) {
      continue;
    }
    const peer = op.message.peer;
    const token = conversationOf(peer)?.recordOf(op.message.id);
    if (token !== undefined) {
      pages.set(pageKey(peer, token), { key: pageKey(peer, token), peer, token });
    }
  }
  return [...pages.values()];
}

/**
 * What becomes of page records that messages left (their content as read, null: not there): each
 * keeps the messages whose index entry still points to it; one that lost some is written again,
 * one that kept none is removed (value undefined: see setItems). Call after messageRecords.
 */
export function compactPages(pages: [LeftPage, Message[] | null][], conversationOf: (peer: string) => Conversation | undefined): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const [{ key, peer, token }, content] of pages) {
    const conversation = conversationOf(peer);
    if (!content || !conversation) {
      continue;
    }
    const kept = content.filter((m) => conversation.recordOf(m.id) === token);
    if (kept.length === 0) {
      entries.push([key, undefined]);
    } else if (kept.length < content.length) {
      entries.push([key, kept]);
    }
  }
  return entries;
}

/**
 * The messages of these index entries of `peer`, read with one read per record (a page record
 * once for all its messages); `unsaved` gives those not written yet. A message no longer in the
 * page record its entry names (it moved to a record of its own after the index was read) is read
 * from its own record. Entries whose message is not there (a write a closed page never finished)
 * are left out.
 */
export async function readMessages(store: KeyValueStore, peer: string, entries: IndexEntry[], unsaved: (id: string) => Message | undefined): Promise<Message[]> {
  // what is not written yet, taken now: a write that ends during the read below takes it out
  const inMemory = entries.map(([id]) => unsaved(id));
  const keys = [...new Set(entries.filter((_, i) => !inMemory[i]).map((entry) => recordKey(peer, entry)))];
  const values = await getItems(store, keys);
  const records = new Map(keys.map((key, i) => [key, values[i]]));
  const found = entries.map((entry, i) => {
    const value = inMemory[i] ?? records.get(recordKey(peer, entry));
    return Array.isArray(value) ? (value as Message[]).find((m) => m.id === entry[0]) : (value as Message | null | undefined);
  });
  const moved = entries.filter((entry, i) => !found[i] && entry[2] !== undefined);
  if (moved.length > 0) {
    const own = new Map(moved.map((entry, i) => [entry[0], i]));
    const values = await getItems(store, moved.map(([id]) => msgKey({ peer, id })));
    entries.forEach((entry, i) => {
      const at = found[i] ? undefined : own.get(entry[0]);
      found[i] = at === undefined ? found[i] : ((values[at] as Message | null) ?? undefined);
    });
  }
  return found.filter((m): m is Message => !!m);
}
