import { Emitter } from '../core/Emitter';
import { ChatHistory } from './ChatHistory';
import { DeliveryState, isStateProgress, Message, newMessageId, xmlSafeText } from './Message';

/** XEP-0085 states. */
export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

/** What a Chat needs from its account: the history, and sending (absent while offline). */
export interface ChatHost {
  readonly ownJid: string;
  history(): Promise<ChatHistory>;
  /** flushes the outbox when a session is up; no-op offline */
  flushOutbox(): Promise<void>;
  /** older messages from the server archive (MAM), when the plugin is on */
  fetchArchivePage?(chat: Chat): Promise<number>;
  chatStateChanged(chat: Chat, state: ChatState): void;
  displayed(chat: Chat, message: Message): void;
  requestWindow(chat: Chat, prominent: boolean): void;
}

interface ChatEvents {
  /** messages added to the loaded window; `where` says at which end */
  added: [messages: Message[], where: 'older' | 'newer'];
  /** a loaded message changed (state, body) */
  updated: [Message];
  /** the contact's XEP-0085 state */
  peerState: [ChatState];
  unread: [number];
}

const PAGE = 30;

/**
 * The conversation with one contact: the messages loaded so far (a window onto the history, paged
 * from IndexedDB and the archive), delivery states, the contact's typing state, the unread count.
 * The UI renders it and calls its methods; plugins feed it. No DOM, no stanzas here.
 */
export class Chat extends Emitter<ChatEvents> {
  readonly messages: Message[] = [];
  private loadedIds = new Set<string>();
  private loadedFrom: number | undefined;
  private loading?: Promise<void>;
  private peerChatState: ChatState = 'active';
  private unreadCount = 0;
  private ownState: ChatState = 'active';
  /** the archive has nothing older (or there is no archive) */
  archiveComplete = false;
  /** RSM cursor of the oldest archive page fetched */
  archiveBefore?: string;
  /** the next older archive page, asked for ahead (see fetchAhead) */
  private archiveAhead?: Promise<number>;
  /** an archive page was asked for (see prefetchOlder) */
  private archiveAsked = false;

  constructor(
    readonly peer: string,
    private readonly host: ChatHost,
  ) {
    super();
  }

  get peerState(): ChatState {
    return this.peerChatState;
  }

  get unread(): number {
    return this.unreadCount;
  }

  /** Loads the newest page of history (once). */
  open(): Promise<void> {
    if (this.loadedFrom !== undefined) {
      return Promise.resolve();
    }
    return (this.loading ??= (async () => {
      const history = await this.host.history();
      const { messages, start } = await history.page(this.peer, PAGE);
      this.loadedFrom = start;
      this.insert(messages, 'older');
      this.loading = undefined;
    })());
  }

  /**
   * Loads older messages: from IndexedDB first, then from the server archive. Resolves with the
   * number of messages added (0: nothing older exists).
   */
  async loadOlder(): Promise<number> {
    await this.open();
    const history = await this.host.history();
    if (this.loadedFrom! > 0) {
      const { messages, start } = await history.page(this.peer, PAGE, this.loadedFrom);
      this.loadedFrom = start;
      this.insert(messages, 'older');
      return messages.length;
    }
    // the page fetched ahead while the user read the last one (see fetchAhead), else one now
    const ahead = this.archiveAhead;
    this.archiveAhead = undefined;
    if (!ahead && (this.archiveComplete || !this.host.fetchArchivePage)) {
      return 0;
    }
    this.archiveAsked = true;
    const added = await (ahead ?? this.host.fetchArchivePage!(this));
    if (added > 0) {
      this.fetchAhead();
    }
    return added;
  }

  /**
   * A window opens on a chat with nothing stored: its newest archive page is asked for as soon as
   * the store has answered, while the window's code loads (the window would ask for it in its
   * first frame anyway; loadOlder takes it). Does nothing once any archive page was asked for.
   */
  async prefetchOlder(): Promise<void> {
    await this.open();
    if (this.loadedFrom === 0 && this.messages.length === 0 && !this.archiveAsked) {
      this.fetchAhead();
    }
  }

  /**
   * Scrolling back into the archive: the next older page is asked for as soon as one has arrived,
   * while the user reads it (one page ahead, no more). Its messages join the loaded ones when they
   * come; the next loadOlder waits for it (or finds it done) instead of asking then.
   */
  private fetchAhead(): void {
    if (this.archiveComplete || !this.host.fetchArchivePage) {
      return;
    }
    this.archiveAsked = true;
    const ahead = this.host.fetchArchivePage(this);
    ahead.catch(() => undefined); // a failure reaches the loadOlder that takes it (and is tried again after)
    this.archiveAhead = ahead;
  }

  /** The oldest loaded message (where the archive continues). */
  get oldest(): Message | undefined {
    return this.messages[0];
  }

  private insert(messages: Message[], hint: 'older' | 'newer'): void {
    const fresh = messages.filter((m) => !this.loadedIds.has(m.id));
    if (fresh.length === 0) {
      return;
    }
    // archive pages arrive one message at a time: what is older than everything loaded is "older"
    const where = hint === 'older' || (this.messages.length > 0 && fresh.every((m) => m.timestamp < this.messages[0].timestamp)) ? 'older' : 'newer';
    // older ones go before those of the same time, newer ones after: placed by binary search
    // (a burst must not sort the whole conversation once per message)
    for (const m of where === 'older' ? [...fresh].reverse() : fresh) {
      this.messages.splice(this.positionFor(m.timestamp, where === 'older'), 0, m);
      this.loadedIds.add(m.id);
    }
    this.emit('added', fresh, where);
  }

  /** Where a message of this time goes: before (`before`) or after the loaded ones of the same time. */
  private positionFor(timestamp: number, before: boolean): number {
    let low = 0;
    let high = this.messages.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const t = this.messages[mid].timestamp;
      if (t < timestamp || (!before && t === timestamp)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /**
   * Sends a message: it is stored (pending) first, then sent when a session is up; it becomes
   * "sent" when the server acknowledged it. Blank messages are refused.
   */
  async send(body: string): Promise<Message> {
    if (typeof body !== 'string' || body.trim() === '') {
      throw new TypeError('A message needs a non-blank body');
    }
    const timestamp = Date.now(); // when the user sent it, not when the history was ready
    await this.open();
    const id = newMessageId();
    body = xmlSafeText(body);
    const message: Message = { id, peer: this.peer, direction: 'out', from: this.host.ownJid, to: this.peer, body, timestamp, type: 'chat', state: 'pending', originId: id, stanzaIdAttr: id };
    const history = await this.host.history();
    await history.add(message);
    await history.enqueue({ peer: this.peer, id });
    this.insert([message], 'newer');
    this.ownState = 'active';
    void this.host.flushOutbox();
    return message;
  }

  /** Sends a failed message again. */
  async retry(id: string): Promise<void> {
    const message = this.messages.find((m) => m.id === id);
    if (!message || message.direction !== 'out' || message.state !== 'failed') {
      throw new Error(`No failed outgoing message with the id "${id}" in the chat with ${this.peer}`);
    }
    message.state = 'pending';
    delete message.error;
    const history = await this.host.history();
    await history.update(message);
    await history.enqueue({ peer: this.peer, id });
    this.emit('updated', message);
    void this.host.flushOutbox();
  }

  /** The last message I sent in this chat (what the Up key corrects). */
  get lastOutgoing(): Message | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      if (this.messages[i].direction === 'out') {
        return this.messages[i];
      }
    }
    return undefined;
  }

  /** XEP-0308: replaces the text of my last message, here and at the contact's. */
  async correctLast(body: string): Promise<void> {
    const last = this.lastOutgoing;
    if (!last) {
      throw new Error('There is no message of mine to correct');
    }
    if (body.trim() === '') {
      throw new TypeError('A correction needs a non-blank body');
    }
    body = xmlSafeText(body);
    if (body === last.body) {
      return;
    }
    last.body = body;
    last.corrected = true;
    const history = await this.host.history();
    await history.update(last);
    this.emit('updated', last);
    if (last.state === 'pending' || last.state === 'failed') {
      return; // not sent yet: the corrected text goes out with it
    }
    const id = newMessageId();
    const correction: Message = { ...last, id, originId: id, stanzaIdAttr: id, replaces: last.stanzaIdAttr ?? last.id, timestamp: Date.now(), state: 'pending' };
    await history.enqueue({ peer: this.peer, id, correction });
    void this.host.flushOutbox();
  }

  /**
   * A message arrived (live, carbon or archive). Duplicates (same stanza-id / origin-id / id)
   * are dropped; resolves with whether it was new. `silent`: archived, does not count as unread.
   * `older`: from scrolling back (such pages are delivered newest first).
   */
  async receive(message: Message, silent = false, older = false): Promise<boolean> {
    const history = await this.host.history();
    if (!(await history.add(message, older))) {
      const refined = await history.refineTime(message);
      const live = refined && this.messages.find((m) => m.id === refined.id);
      if (live) {
        live.timestamp = refined.timestamp;
        this.messages.sort((a, b) => a.timestamp - b.timestamp);
        this.emit('updated', live);
      }
      return false;
    }
    // count first: a window in view clears the count when it sees the message added
    if (message.direction === 'in') {
      this.setPeerState('active');
      if (!silent) {
        this.setUnread(this.unreadCount + 1);
      }
    }
    if (this.loading) {
      await this.loading; // the window is reading its first page: show this one after it
    }
    if (this.loadedFrom !== undefined) {
      this.insert([message], older ? 'older' : 'newer');
    }
    return true;
  }

  /**
   * Another tab of this browser stored this message (src/core/tabs): show it here too, without
   * storing it again. A message already shown (same id) is updated instead, so nothing shows twice.
   * `older`: it came from the archive (not unread). Resolves with whether it was new here.
   */
  async mirror(message: Message, older = false): Promise<boolean> {
    if (this.mirrorUpdate(message)) {
      return false;
    }
    if (message.direction === 'in' && !older) {
      this.setPeerState('active');
      this.setUnread(this.unreadCount + 1);
    }
    if (this.loading) {
      await this.loading;
    }
    if (this.loadedFrom !== undefined) {
      this.insert([message], older ? 'older' : 'newer');
    }
    return true;
  }

  /** Another tab changed a stored message (delivery state, correction): updates the shown copy. */
  mirrorUpdate(message: Message): boolean {
    const live = this.messages.find((m) => m.id === message.id);
    if (!live) {
      return false;
    }
    const moved = live.timestamp !== message.timestamp;
    Object.assign(live, message);
    if (moved) {
      this.messages.sort((a, b) => a.timestamp - b.timestamp);
    }
    this.emit('updated', live);
    return true;
  }

  /** Finds a message by the id attribute its sender gave it (for receipts, markers, corrections, errors). */
  async findBySenderId(sender: 'me' | string, stanzaIdAttr: string): Promise<Message | undefined> {
    const history = await this.host.history();
    const key = `id:${sender === 'me' ? 'me' : sender.split('/')[0]}:${stanzaIdAttr}`;
    const id = await history.findDuplicate(this.peer, [key]);
    if (!id) {
      return undefined;
    }
    return this.messages.find((m) => m.id === id) ?? (await history.get(this.peer, id)) ?? undefined;
  }

  /** Applies a change to a stored message and tells the views. */
  async change(message: Message, changes: Partial<Message>): Promise<void> {
    const live = this.messages.find((m) => m.id === message.id) ?? message;
    Object.assign(live, changes);
    await (await this.host.history()).update(live);
    this.emit('updated', live);
  }

  /**
   * Moves an outgoing message's delivery state forward (never backwards). XEP-0333 markers mean
   * "this one and everything before it", so `andEarlier` applies the state to earlier ones too.
   */
  async setDeliveryState(message: Message, state: DeliveryState, error?: string, andEarlier = false): Promise<void> {
    if (isStateProgress(message.state, state) || (state === 'failed' && message.state !== 'failed')) {
      await this.change(message, state === 'failed' ? { state, error } : { state });
    }
    if (andEarlier) {
      for (const m of this.messages) {
        if (m.direction === 'out' && m.timestamp <= message.timestamp && m.id !== message.id && (m.state === 'sent' || m.state === 'delivered')) {
          await this.change(m, { state });
        }
      }
    }
  }

  setPeerState(state: ChatState): void {
    if (state !== this.peerChatState) {
      this.peerChatState = state;
      this.emit('peerState', state);
    }
  }

  /** The user is typing (composing), stopped (paused) or left the conversation (active/inactive). */
  setOwnState(state: ChatState): void {
    if (state !== this.ownState) {
      this.ownState = state;
      this.host.chatStateChanged(this, state);
    }
  }

  /** The user has seen the conversation (window visible and focused): clears unread, sends a marker. */
  markDisplayed(): void {
    this.setUnread(0);
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i];
      if (m.direction === 'in') {
        this.host.displayed(this, m);
        return;
      }
    }
  }

  setUnread(count: number): void {
    if (count !== this.unreadCount) {
      this.unreadCount = count;
      this.emit('unread', count);
    }
  }

  /** manual §3.5: asks the UI to open (or bring forward) this chat's window. */
  openWindow(prominent = false): void {
    this.host.requestWindow(this, prominent);
  }
}
