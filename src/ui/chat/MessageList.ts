import type { Message } from '../../model/Message';
import { FrameScheduler } from '../FrameScheduler';
import { LogLines } from './LogLines';
import { reconcile } from '../reconcile';
import { MessageViewContext, RenderedState, renderedState, renderMessage, sameRendered, ungroupArticle } from './renderMessage';

/** Consecutive messages of one side within this time are grouped (less space, one time stamp look). */
const GROUP_MS = 5 * 60 * 1000;
/** Distance from the bottom (px) within which the log follows new messages. */
const STICK_PX = 48;

/** What a message list shows: a Chat, or a group chat's timeline (src/ui/muc/RoomMessageSource.ts). */
export interface MessageSource {
  /** the loaded messages, oldest first */
  readonly messages: readonly Message[];
  /** nothing older exists */
  readonly archiveComplete: boolean;
  /** loads older messages (scroll-back) */
  loadOlder(): Promise<unknown>;
}

interface Rendered {
  el: HTMLElement;
  state: RenderedState;
}

/** At most this many messages are in the DOM: a window onto the loaded ones (Converse.js keeps 100). */
export const WINDOW = 150;
/** How far the window moves when the user scrolls past its top or bottom edge. */
const STEP = 50;
/** Distance from an edge (px) at which the window moves, or older messages are loaded. */
const EDGE_PX = 80;

/**
 * The message log (ui-contract: `log` "Messages") of one chat window: renders the messages the
 * Chat has loaded — batched per animation frame, reusing articles that did not change — with date
 * separators and the unread marker line. Only a window of at most WINDOW messages is in the DOM:
 * the newest while the log is scrolled to the bottom (a burst of a thousand messages keeps the
 * DOM small), an older stretch while the user reads back. Scrolling to the top of the window moves
 * it back (and at the oldest loaded message, loads older ones: IndexedDB, then the archive);
 * scrolling to its bottom moves it forward. The first visible message stays where it was on screen.
 * Messages added after the newest one (`added('newer')`) are rendered alone — a burst costs each
 * frame only its new messages — and everything else (`invalidate()`) renders the whole window.
 */
export class MessageList {
  private rendered = new Map<string, Rendered>();
  private scheduler = new FrameScheduler(() => this.render());
  private loadingOlder = false;
  /** a load of older messages finished: the next render ends it */
  private loaded = false;
  /** keep the first visible message in place in the next render (older ones came, the window moved) */
  private keepAnchor = false;
  /** older messages were added since the last render */
  private olderAdded = false;
  /** first message of the window while the user reads back; undefined: the window follows the newest */
  private startId?: string;
  /** what the last render showed: from the first loaded message, up to the newest */
  private shownFromFirst = true;
  private shownNewest = true;
  /**
   * The user has not scrolled away from the newest messages: the log keeps following them, also
   * when something other than a message changes its height (only the user's own scrolling stops it).
   */
  private following = true;
  /** where the list itself last scrolled the log: a scroll event there is not the user's */
  private ownScrollTop = -1;
  /** id of the first message that was unread when the window was last not in view */
  private unreadFrom?: string;
  /**
   * Something other than messages added at the newer end changed since the last render (a
   * correction, a delivery state, older messages, the window moved, the unread line): the next
   * render goes through the whole window. Otherwise it only appends (see `renderAppended`).
   */
  private full = true;
  /** what the last render was built from: positions in `messages` of the window, their count, the newest id, the day */
  private last?: { start: number; end: number; length: number; newestId: string; today: string };
  /** the date and unread lines, and the day of a time */
  private lines: LogLines;

  constructor(
    readonly element: HTMLElement,
    private readonly chat: MessageSource,
    private readonly ctx: MessageViewContext & { lang: string },
  ) {
    this.lines = new LogLines(element, ctx.t, ctx.lang);
    element.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  /** Something in the messages changed (or older ones came): the next frame renders the whole window. */
  invalidate(older = false): void {
    if (older) {
      this.olderAdded = true;
      this.keepAnchor = true;
    }
    this.full = true;
    this.scheduler.schedule();
  }

  /** The other party's name changed (e.g. the contact became known): every article is built again. */
  renamePeer(name: string): void {
    if (this.ctx.peerName !== name) {
      this.ctx.peerName = name;
      this.rendered.clear();
      this.invalidate();
    }
  }

  /**
   * Messages were added and nothing else changed. 'newer': the next frame only builds the new ones
   * when they all come after the last loaded message (a burst into an open chat); anything else
   * (one put in between by its time stamp) still renders the whole window.
   */
  added(where: 'older' | 'newer'): void {
    if (where === 'older') {
      this.invalidate(true);
    } else {
      this.scheduler.schedule();
    }
  }

  /** Puts the "new messages" line before this message (the first unread), until cleared. */
  markUnreadFrom(message: Message | undefined): void {
    if (message?.id !== this.unreadFrom) {
      this.unreadFrom = message?.id;
      this.invalidate();
    }
  }

  get hasUnreadMarker(): boolean {
    return this.unreadFrom !== undefined;
  }

  /** Shows the newest messages, scrolled to the bottom. */
  scrollToBottom(): void {
    this.following = true;
    if (this.startId !== undefined || !this.shownNewest) {
      this.startId = undefined;
      this.invalidate();
    }
    this.scrollTo(this.element.scrollHeight);
  }

  /** Scrolls the log (not the user: see onScroll). */
  private scrollTo(top: number): void {
    this.element.scrollTop = top;
    this.ownScrollTop = this.element.scrollTop;
  }

  private atBottom(): boolean {
    const el = this.element;
    return el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  }

  private onScroll(): void {
    const el = this.element;
    if (el.scrollTop === this.ownScrollTop) {
      // the list's own scrolling (to the bottom, keeping the view in place): under load its event
      // can come after the log's height changed, and must not count as the user reading back
      return;
    }
    this.ownScrollTop = -1;
    this.following = this.atBottom();
    const messages = this.chat.messages;
    const first = this.firstShownIndex();
    if (el.scrollTop < EDGE_PX && first > 0) {
      // older messages are loaded but not in the window: move it back
      this.moveWindow(messages[Math.max(0, first - STEP)].id);
    } else if (el.scrollTop < EDGE_PX && !this.loadingOlder) {
      this.loadOlder();
    } else if (!this.shownNewest && el.scrollHeight - el.scrollTop - el.clientHeight < EDGE_PX) {
      // newer messages are loaded but not in the window: move it forward
      this.moveWindow(messages[Math.min(first + STEP, Math.max(0, messages.length - WINDOW))].id);
    } else if (this.startId === undefined && !this.atBottom() && first >= 0) {
      // reading back: new messages must not push the window (and what the user reads) away
      this.startId = messages[first].id;
    }
  }

  private moveWindow(startId: string): void {
    if (startId !== this.startId) {
      this.startId = startId;
      this.keepAnchor = true;
      this.full = true;
      this.scheduler.schedule();
    }
  }

  private loadOlder(): void {
    this.loadingOlder = true;
    this.element.setAttribute('aria-busy', 'true');
    this.chat
      .loadOlder()
      .then(
        (added) => typeof added === 'number' && added > 0,
        (err) => {
          console.warn('[jsxc] could not load older messages:', err instanceof Error ? err.message : err);
          return false;
        },
      )
      .then((added) => {
        this.element.removeAttribute('aria-busy');
        if (added) {
          // the next load may start once these are rendered (and the view kept in place)
          this.loaded = true;
          this.full = true;
          this.scheduler.schedule();
        } else {
          // nothing came (or it failed): not again at once
          setTimeout(() => (this.loadingOlder = false), 100);
        }
      });
  }

  /** Position in the loaded messages of the first message in the DOM (-1: none). */
  private firstShownIndex(): number {
    const first = this.element.querySelector<HTMLElement>('article[data-id]');
    if (!first) {
      return -1;
    }
    const id = first.dataset.id;
    return this.chat.messages.findIndex((m) => m.id === id);
  }

  /** Which loaded messages are in the window: [start, end). */
  private windowRange(stick: boolean): [number, number] {
    const messages = this.chat.messages;
    const n = messages.length;
    if (this.olderAdded && this.shownFromFirst && (this.loadingOlder || this.element.scrollTop < EDGE_PX) && n > 0) {
      // the user scrolled to the oldest message and older ones came: the window begins with them
      // (older ones fetched ahead while the user reads further down leave the window where it is)
      this.startId = messages[0].id;
    } else if (stick && this.shownNewest) {
      this.startId = undefined; // at the bottom: follow the newest
    }
    this.olderAdded = false;
    let start = this.startId === undefined ? -1 : messages.findIndex((m) => m.id === this.startId);
    if (start < 0) {
      this.startId = undefined;
      start = Math.max(0, n - WINDOW);
    }
    return [start, Math.min(n, start + WINDOW)];
  }

  private render(): void {
    const el = this.element;
    // (scrollToBottom sets `following` and clears `startId`: the next render sticks)
    const stick = this.atBottom() || (this.following && this.startId === undefined);
    // the anchor: the first message on screen keeps its distance from the top
    const anchor = this.keepAnchor ? this.firstVisible() : undefined;
    const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    this.keepAnchor = false;
    const full = this.full || this.loaded;
    this.full = false;

    const messages = this.chat.messages;
    const [start, end] = this.windowRange(stick);
    this.shownFromFirst = start === 0;
    this.shownNewest = end === messages.length;
    if (full || !this.renderAppended(messages, start, end)) {
      this.renderWindow(messages, start, end);
    }
    const today = new Date().toDateString();
    this.last = messages.length > 0 ? { start, end, length: messages.length, newestId: messages[messages.length - 1].id, today } : undefined;
    // the anchor's article may have been rebuilt (its grouping changed): find it by message id
    const anchorNow = anchor && this.rendered.get(anchor.dataset.id ?? '')?.el;
    if (anchorNow) {
      this.scrollTo(el.scrollTop + anchorNow.getBoundingClientRect().top - anchorTop);
    } else if (stick) {
      this.scrollTo(el.scrollHeight);
    }
    if (this.loaded) {
      this.loaded = false;
      this.loadingOlder = false;
    }
    // not enough to scroll yet (a new browser, a short history): fetch older ones right away
    if (el.clientHeight > 0 && el.scrollHeight <= el.clientHeight + EDGE_PX && !this.chat.archiveComplete && !this.loadingOlder) {
      this.loadOlder();
    }
  }

  /** The whole window: every message's day and grouping, reusing the articles that did not change. */
  private renderWindow(messages: readonly Message[], start: number, end: number): void {
    const nodes: Node[] = [];
    const seen = new Set<string>();
    for (let i = start; i < end; i++) {
      this.place(messages[i], i > start ? messages[i - 1] : undefined, nodes);
      seen.add(messages[i].id);
    }
    for (const id of this.rendered.keys()) {
      if (!seen.has(id)) {
        this.rendered.delete(id);
      }
    }
    reconcile(this.element, nodes);
    this.lines.dropDetached();
  }

  /**
   * Since the last render only messages after the newest one were added (`added('newer')`, nothing
   * else invalidated): builds only those, and when the window moved on, drops the articles that
   * left it at the top and places its new first message again (it has no predecessor in the window
   * now: a date line, and not grouped: its article is ungrouped in place, see `place`). The DOM is then the same as `renderWindow` would make it.
   * Returns false, having changed nothing, when that does not hold (then the whole window renders).
   */
  private renderAppended(messages: readonly Message[], start: number, end: number): boolean {
    const last = this.last;
    if (!last || messages.length < last.length || messages[last.length - 1].id !== last.newestId) {
      return false; // something was inserted before the newest message, or removed
    }
    if (last.today !== new Date().toDateString()) {
      return false; // past midnight: "Today" became "Yesterday"
    }
    if (start < last.start || end < last.end || start >= last.end) {
      return false; // the window went back, or moved past everything it showed
    }
    const el = this.element;
    if (start > last.start) {
      // the first article that stays, and what is before it, become the window's beginning
      const stays = this.rendered.get(messages[start].id)?.el;
      if (!stays || stays.parentNode !== el) {
        return false;
      }
      for (let i = last.start; i < start; i++) {
        this.rendered.delete(messages[i].id);
      }
      const after = stays.nextSibling;
      const head: Node[] = [];
      this.place(messages[start], undefined, head);
      reconcile(el, head, el.firstChild, after);
    }
    const tail: Node[] = [];
    for (let i = last.end; i < end; i++) {
      this.place(messages[i], messages[i - 1], tail);
    }
    el.append(...tail);
    if (start > last.start) {
      this.lines.dropDetached();
    }
    return true;
  }

  /**
   * Adds to `nodes` what one message shows, after `previous` (undefined: the window's first): a date
   * line when its day begins, the unread line, and its article (reused when unchanged).
   */
  private place(message: Message, previous: Message | undefined, nodes: Node[]): void {
    const day = this.lines.dayOf(message.timestamp);
    const previousDay = previous && this.lines.dayOf(previous.timestamp);
    if (previousDay !== day) {
      nodes.push(this.lines.line(this.lines.dayText(message.timestamp), 'jsxc-chat__date'));
    }
    if (message.id === this.unreadFrom) {
      nodes.push(this.lines.line(this.ctx.t('New_messages'), 'jsxc-chat__unread-line'));
    }
    const grouped =
      !!previous &&
      previous.direction === message.direction &&
      this.ctx.senderOf?.(previous) === this.ctx.senderOf?.(message) &&
      message.timestamp - previous.timestamp < GROUP_MS &&
      previousDay === day;
    const state = renderedState(message, grouped);
    let view = this.rendered.get(message.id);
    if (view && view.state.grouped && !grouped && sameRendered(view.state, { ...state, grouped: true })) {
      // it lost its grouping (the window's new first message): changed in place, not built again
      ungroupArticle(view.el, message, this.ctx);
      view.state = state;
    } else if (!view || !sameRendered(view.state, state)) {
      view = { el: renderMessage(message, this.ctx, grouped), state };
      this.ctx.decorate?.(message, view.el);
      this.rendered.set(message.id, view);
    }
    nodes.push(view.el);
  }

  private firstVisible(): HTMLElement | undefined {
    const top = this.element.getBoundingClientRect().top;
    for (const child of Array.from(this.element.children) as HTMLElement[]) {
      if (child.tagName === 'ARTICLE' && child.getBoundingClientRect().bottom > top) {
        return child;
      }
    }
    return undefined;
  }
}
