import type { Message } from '../../model/Message';
import { FrameScheduler } from '../FrameScheduler';
import { MessageViewContext, RenderedState, renderedState, renderMessage, sameRendered } from './renderMessage';

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

/**
 * The message log (ui-contract: `log` "Messages") of one chat window: renders the messages the
 * Chat has loaded — batched per animation frame, reusing articles that did not change — with date
 * separators and the unread marker line. Scrolling to the top loads older messages (IndexedDB,
 * then the archive) and keeps the first visible message where it was.
 */
export class MessageList {
  private rendered = new Map<string, Rendered>();
  private scheduler = new FrameScheduler(() => this.render());
  private loadingOlder = false;
  private pendingOlder = false;
  /** id of the first message that was unread when the window was last not in view */
  private unreadFrom?: string;
  private dateFormat: Intl.DateTimeFormat;

  constructor(
    readonly element: HTMLElement,
    private readonly chat: MessageSource,
    private readonly ctx: MessageViewContext & { lang: string },
  ) {
    this.dateFormat = new Intl.DateTimeFormat(ctx.lang, { dateStyle: 'full' });
    element.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  invalidate(older = false): void {
    this.pendingOlder ||= older;
    this.scheduler.schedule();
  }

  /** Puts the "new messages" line before this message (the first unread), until cleared. */
  markUnreadFrom(message: Message | undefined): void {
    this.unreadFrom = message?.id;
    this.invalidate();
  }

  get hasUnreadMarker(): boolean {
    return this.unreadFrom !== undefined;
  }

  scrollToBottom(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }

  private atBottom(): boolean {
    const el = this.element;
    return el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
  }

  private onScroll(): void {
    if (this.element.scrollTop < 80 && !this.loadingOlder) {
      this.loadingOlder = true;
      this.element.setAttribute('aria-busy', 'true');
      this.chat
        .loadOlder()
        .catch((err) => console.warn('[jsxc] could not load older messages:', err instanceof Error ? err.message : err))
        .finally(() => {
          this.element.removeAttribute('aria-busy');
          // let the render land before another load may start
          setTimeout(() => (this.loadingOlder = false), 100);
        });
    }
  }

  private render(): void {
    const el = this.element;
    const stick = this.atBottom();
    // the anchor: the first message on screen keeps its distance from the top
    const anchor = this.pendingOlder ? this.firstVisible() : undefined;
    const anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    this.pendingOlder = false;

    const nodes: Node[] = [];
    const seen = new Set<string>();
    let previous: Message | undefined;
    for (const message of this.chat.messages) {
      const day = new Date(message.timestamp).toDateString();
      if (!previous || new Date(previous.timestamp).toDateString() !== day) {
        nodes.push(this.separator(this.dayText(message.timestamp), 'jsxc-chat__date'));
      }
      if (message.id === this.unreadFrom) {
        nodes.push(this.separator(this.ctx.t('New_messages'), 'jsxc-chat__unread-line'));
      }
      const grouped =
        !!previous &&
        previous.direction === message.direction &&
        this.ctx.senderOf?.(previous) === this.ctx.senderOf?.(message) &&
        message.timestamp - previous.timestamp < GROUP_MS &&
        new Date(previous.timestamp).toDateString() === day;
      const state = renderedState(message, grouped);
      let view = this.rendered.get(message.id);
      if (!view || !sameRendered(view.state, state)) {
        view = { el: renderMessage(message, this.ctx, grouped), state };
        this.ctx.decorate?.(message, view.el);
        this.rendered.set(message.id, view);
      }
      seen.add(message.id);
      nodes.push(view.el);
      previous = message;
    }
    for (const id of this.rendered.keys()) {
      if (!seen.has(id)) {
        this.rendered.delete(id);
      }
    }
    const current = Array.from(el.childNodes);
    if (current.length !== nodes.length || nodes.some((n, i) => n !== current[i])) {
      el.replaceChildren(...nodes);
    }
    // the anchor's article may have been rebuilt (its grouping changed): find it by message id
    const anchorNow = anchor && this.rendered.get(anchor.dataset.id ?? '')?.el;
    if (anchorNow) {
      el.scrollTop += anchorNow.getBoundingClientRect().top - anchorTop;
    } else if (stick) {
      this.scrollToBottom();
    }
    // not enough to scroll yet (a new browser, a short history): fetch older ones right away
    if (el.clientHeight > 0 && el.scrollHeight <= el.clientHeight + 80 && !this.chat.archiveComplete) {
      this.onScroll();
    }
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

  private separators = new Map<string, HTMLElement>();

  private separator(text: string, className: string): HTMLElement {
    const key = className + text;
    let p = this.separators.get(key);
    if (!p) {
      p = document.createElement('p');
      p.className = className;
      p.textContent = text;
      this.separators.set(key, p);
    }
    return p;
  }

  private dayText(timestamp: number): string {
    const day = new Date(timestamp).toDateString();
    if (day === new Date().toDateString()) {
      return this.ctx.t('Today');
    }
    if (day === new Date(Date.now() - 86400000).toDateString()) {
      return this.ctx.t('Yesterday');
    }
    return this.dateFormat.format(timestamp);
  }
}
