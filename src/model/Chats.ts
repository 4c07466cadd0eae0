import { Emitter } from '../core/Emitter';
import { Chat, ChatHost, ChatState } from './Chat';
import { loadSessionCode } from '../core/sessionCode';
import type { ChatHistory, OutboxEntry } from './ChatHistory';
import { historyStoreFor, KeyValueStore } from './HistoryStore';
import { JID } from './JID';
import type { Roster } from './Roster';
import { Message } from './Message';

/** How the chat plugin sends a message; resolves once the server acknowledged it. */
export type MessageSender = (message: Message) => Promise<void>;

interface ChatsEvents {
  /** a chat object was made (first message or first open) */
  created: [Chat];
  /** the UI should open (prominent: and bring to front, focus) the window of this chat */
  windowRequested: [Chat, boolean];
  /** the user's XEP-0085 state in a chat changed (the chat-states plugin sends it) */
  ownState: [Chat, ChatState];
  /** the user has seen this incoming message (the chat-markers plugin sends "displayed") */
  displayed: [Chat, Message];
  /** a new incoming message, not from the archive (notifications, sounds) */
  incoming: [Chat, Message];
  /** the total number of unread messages of this account changed */
  unread: [number];
}

/**
 * The one-to-one conversations of an account, and its persisted outbox. The chat plugin plugs the
 * sender in when a session is up (and out when it ends); until then messages wait, stored, in the
 * outbox, and go out in the order they were written.
 */
/** Where an archive page continues (see Chats.archiveOlderPage). */
export interface ArchiveCursor {
  /** RSM `before`: the first id of the last page fetched */
  before?: string;
  /** else: older than this time (ms), the oldest message shown */
  end?: number;
}

/** What an archive page told about what is older. */
export interface ArchivePageResult {
  /** RSM first id of this page: where the next older page continues */
  first?: string;
  /** nothing older in the archive */
  complete: boolean;
}

/** One page of older messages of a chat from the archive, older than what is loaded. */
export async function loadOlderFromArchive(chat: Chat, fetchPage: (peer: string, cursor: ArchiveCursor) => Promise<ArchivePageResult>): Promise<number> {
  const before = chat.messages.length;
  const oldest = chat.oldest;
  const page = await fetchPage(chat.peer, chat.archiveBefore !== undefined ? { before: chat.archiveBefore } : oldest ? { end: oldest.timestamp } : {});
  chat.archiveBefore = page.first;
  if (page.complete) {
    chat.archiveComplete = true;
  }
  // archive results are inserted by Chat.receive only into loaded windows: load them as older
  return chat.messages.length - before;
}

export class Chats extends Emitter<ChatsEvents> {
  private chats = new Map<string, Chat>();
  private historyPromise?: Promise<ChatHistory>;
  private sender?: MessageSender;
  private flushing?: Promise<void>;
  private flushAgain = false;
  private incoming: Promise<unknown> = Promise.resolve();
  /** set by the mam plugin: fetches a page of older messages into the chat; resolves with the count */
  archive?: (chat: Chat) => Promise<number>;
  /**
   * set by the mam plugin: one page of the archive with `peer`, older than `cursor` (an RSM
   * `before` id, else the time of the oldest message shown); stored (and so shown in every tab).
   * The tab holding the connection does this for a following tab's scroll-back (src/core/tabs).
   */
  archiveOlderPage?: (peer: string, cursor: ArchiveCursor) => Promise<ArchivePageResult>;
  /**
   * set by the mam plugin: whether our archive has this outgoing message, sent (by any tab) at or
   * after `since` (ms): a send whose ack never came back may have reached the server
   */
  findSent?: (message: Message, since: number) => Promise<boolean>;

  private storagePromise: Promise<KeyValueStore> | undefined;

  constructor(
    private readonly ownJid: () => string,
    private readonly accountUid: string,
    private readonly store?: KeyValueStore,
  ) {
    super();
  }

  history(): Promise<ChatHistory> {
    // the history's code is in the "session" chunk (src/core/sessionCode.ts), asked for with the account
    if (!this.historyPromise) {
      const made = Promise.all([this.storage(), loadSessionCode()]).then(([s, { ChatHistory }]) => new ChatHistory(s, `jsxc:v1:history:${this.accountUid}`));
      this.historyPromise = made;
      // a chunk that could not be loaded (network) is asked for again next time
      made.catch(() => this.historyPromise === made && (this.historyPromise = undefined));
    }
    return this.historyPromise;
  }

  /** The account's message store (IndexedDB through localforage): history, and our room messages not yet reflected. */
  storage(): Promise<KeyValueStore> {
    return (this.storagePromise ??= this.store ? Promise.resolve(this.store) : historyStoreFor(this.accountUid));
  }

  /** The chat with this bare JID (made on first use). */
  get(jid: string): Chat {
    const peer = JID.parse(jid).bare;
    let chat = this.chats.get(peer);
    if (!chat) {
      chat = new Chat(peer, this.hostFor());
      chat.on('unread', () => this.emit('unread', this.totalUnread));
      this.chats.set(peer, chat);
      this.emit('created', chat);
    }
    return chat;
  }

  has(jid: string): boolean {
    return this.chats.has(JID.parse(jid).bare);
  }

  all(): Chat[] {
    return [...this.chats.values()];
  }

  get totalUnread(): number {
    let n = 0;
    for (const chat of this.chats.values()) {
      n += chat.unread;
    }
    return n;
  }

  /** Called by the chat plugin when a session is up (sender) or gone (undefined). */
  /**
   * Runs the processing of incoming messages one task at a time, in the order the tasks were
   * queued: live messages and archive pages go through here, so a message that is both live and
   * in an archive page is always stored from whichever came first in the stream (the live copy,
   * with its exact time), and messages are never stored out of order by a race between the two.
   */
  inOrder<T>(task: () => Promise<T>): Promise<T> {
    const run = this.incoming.then(task, task);
    this.incoming = run.catch(() => undefined);
    return run;
  }

  setSender(sender: MessageSender | undefined): void {
    this.sender = sender;
  }

  /** A message arrived live (not from the archive): for the attention features. */
  notifyIncoming(chat: Chat, message: Message): void {
    this.emit('incoming', chat, message);
  }

  /**
   * Sends what waits in the outbox, one after another in order. A message whose sending fails
   * because the session dropped stays in the outbox for the next session.
   */
  flushOutbox(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushing;
    }
    this.flushing = (async () => {
      try {
        do {
          this.flushAgain = false;
          await this.flushOnce();
        } while (this.flushAgain);
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const history = await this.history();
    for (const entry of await history.outbox()) {
      const send = this.sender;
      if (!send) {
        return;
      }
      const chat = this.get(entry.peer);
      const message = entry.correction ?? chat.messages.find((m) => m.id === entry.id) ?? (await history.get(entry.peer, entry.id));
      if (!message || message.state === 'failed') {
        await history.dequeue(entry.peer, entry.id);
        continue;
      }
      if (entry.attempted !== undefined && (await this.reachedServer(message, entry.attempted))) {
        // an earlier send (a tab that closed, a stream that dropped) got there; only its ack was lost
        await this.markSent(chat, entry, history);
        continue;
      }
      if (entry.attempted === undefined) {
        await history.markAttempted(entry.peer, entry.id, Date.now());
      }
      try {
        await send(message);
      } catch (err) {
        // the session went away before the ack: keep it for the next one
        console.warn('[jsxc] message stays in the outbox:', err instanceof Error ? err.message : err);
        return;
      }
      await this.markSent(chat, entry, history);
    }
  }

  /** Whether the archive shows that an earlier attempt to send `message` reached the server. */
  private async reachedServer(message: Message, attempted: number): Promise<boolean> {
    if (!this.findSent) {
      return false; // no archive (plugin disabled, server without MAM): send again
    }
    try {
      return await this.findSent(message, attempted);
    } catch (err) {
      console.warn('[jsxc] could not look for an unacknowledged message in the archive; sending it again:', err instanceof Error ? err.message : err);
      return false;
    }
  }

  private async markSent(chat: Chat, entry: OutboxEntry, history: ChatHistory): Promise<void> {
    await history.dequeue(entry.peer, entry.id);
    if (entry.correction) {
      return;
    }
    const message = chat.messages.find((m) => m.id === entry.id) ?? (await history.get(entry.peer, entry.id));
    if (message) {
      await chat.setDeliveryState(message, 'sent');
    }
  }

  private hostFor(): ChatHost {
    const ownJid = this.ownJid;
    return {
      get ownJid() {
        return ownJid();
      },
      history: () => this.history(),
      flushOutbox: () => this.flushOutbox(),
      fetchArchivePage: (chat) => (this.archive ? this.archive(chat) : Promise.resolve(0)),
      chatStateChanged: (chat, state) => this.emit('ownState', chat, state),
      displayed: (chat, message) => this.emit('displayed', chat, message),
      requestWindow: (chat, prominent) => this.emit('windowRequested', chat, prominent),
    };
  }
}

/**
 * Keeps contacts and chats in step: a contact's openChatWindow*() opens its chat's window, and a
 * chat's unread count shows on the contact. Returns a function that undoes it.
 */
export function linkChatsToRoster(chats: Chats, roster: Roster): () => void {
  const offs = [
    roster.on('chatWindowRequested', (contact, prominent) => chats.get(contact.jid).openWindow(prominent)),
    chats.on('created', (chat) => {
      offs.push(chat.on('unread', (n) => roster.get(chat.peer)?.setUnreadCount(n)));
    }),
    // messages may arrive (offline delivery, archive catch-up) before the roster does
    roster.on('reset', () => chats.all().forEach((chat) => roster.get(chat.peer)?.setUnreadCount(chat.unread))),
    roster.on('added', (contact) => contact.setUnreadCount(chats.has(contact.jid) ? chats.get(contact.jid).unread : 0)),
  ];
  return () => offs.forEach((off) => off());
}
