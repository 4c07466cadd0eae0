import type { Translate } from '../../i18n';
import type { Message } from '../../model/Message';
import { meAction, renderBody } from './styling';

export interface MessageViewContext {
  t: Translate;
  /** the contact's display name (for /me of incoming messages) */
  peerName: string;
  /** the user's own name (for /me of outgoing messages) */
  ownName: string;
  /** a failed message offers Retry when this is given */
  onRetry?: (message: Message) => void;
  /** group chats: the sender's nickname, shown above incoming messages (and used for /me and grouping) */
  senderOf?: (message: Message) => string;
  /** time and date formats in the widget's language */
  timeFormat: Intl.DateTimeFormat;
  /** plugins' message renderers (UIExtensions), run on each freshly rendered message */
  decorate?: (message: Message, element: HTMLElement) => void;
}

/** Text of a delivery state (ui-contract: sent, delivered, read, failed). */
export function deliveryText(t: Translate, message: Message): string {
  return message.state ? t(`delivery_${message.state}`) : '';
}

/**
 * One message as an <article> (ui-contract): body as text (styled per XEP-0393, /me per XEP-0245),
 * data-direction in/out, the time, the delivery state, "edited", and for a failed message the
 * server's error with a Retry button. Remote text only ever goes in through textContent.
 */
export function renderMessage(message: Message, ctx: MessageViewContext, grouped: boolean): HTMLElement {
  const doc = document;
  const article = doc.createElement('article');
  article.className = 'jsxc-msg';
  article.dataset.direction = message.direction;
  article.dataset.id = message.id;
  if (grouped) {
    article.dataset.grouped = 'true';
  }
  if (message.state) {
    article.dataset.state = message.state;
  }
  const sender = ctx.senderOf?.(message);
  if (sender !== undefined && message.direction === 'in' && !grouped) {
    article.appendChild(senderLine(doc, sender));
  }
  const bubble = doc.createElement('div');
  bubble.className = 'jsxc-msg__body';
  bubble.dir = 'auto';
  const action = meAction(message.body);
  if (action !== undefined) {
    article.dataset.me = 'true';
    const who = doc.createElement('span');
    who.className = 'jsxc-msg__actor';
    who.textContent = (sender ?? (message.direction === 'out' ? ctx.ownName : ctx.peerName)) + ' ';
    bubble.appendChild(who);
    renderBody(bubble, action, doc);
  } else {
    renderBody(bubble, message.body, doc);
  }
  article.appendChild(bubble);

  const meta = doc.createElement('p');
  meta.className = 'jsxc-msg__meta';
  const time = doc.createElement('time');
  time.dateTime = new Date(message.timestamp).toISOString();
  time.textContent = ctx.timeFormat.format(message.timestamp);
  meta.appendChild(time);
  if (message.corrected) {
    const edited = doc.createElement('span');
    edited.className = 'jsxc-msg__edited';
    edited.textContent = ctx.t('edited');
    meta.appendChild(edited);
  }
  if (message.direction === 'out' && message.state) {
    const state = doc.createElement('span');
    state.className = 'jsxc-msg__state';
    state.textContent = deliveryText(ctx.t, message);
    meta.appendChild(state);
  }
  article.appendChild(meta);

  if (message.state === 'failed') {
    const error = doc.createElement('p');
    error.className = 'jsxc-msg__error';
    error.textContent = message.error ?? '';
    const onRetry = ctx.onRetry;
    if (onRetry) {
      const retry = doc.createElement('button');
      retry.type = 'button';
      retry.className = 'jsxc-button jsxc-msg__retry';
      retry.textContent = ctx.t('Retry');
      retry.addEventListener('click', () => onRetry(message));
      error.appendChild(doc.createTextNode(' '));
      error.appendChild(retry);
    }
    article.appendChild(error);
  }
  return article;
}

/** The sender's nickname above an incoming group chat message that is not grouped with the one before. */
function senderLine(doc: Document, sender: string): HTMLElement {
  const from = doc.createElement('p');
  from.className = 'jsxc-msg__sender';
  from.dir = 'auto';
  from.textContent = sender;
  return from;
}

/**
 * A grouped article of `message` (built by renderMessage) as renderMessage builds it not grouped,
 * changed in place: no `data-grouped`, and in a group chat the sender's nickname before the body.
 * The message list does this when a message becomes the first of its window (the window moved on
 * in a burst) instead of building its article again; plugins' decorations (`decorate`) stay.
 */
export function ungroupArticle(article: HTMLElement, message: Message, ctx: MessageViewContext): void {
  delete article.dataset.grouped;
  const sender = ctx.senderOf?.(message);
  const body = article.querySelector(':scope > .jsxc-msg__body');
  if (sender !== undefined && message.direction === 'in' && body) {
    article.insertBefore(senderLine(article.ownerDocument, sender), body);
  }
}

/** What a rendered article shows; when it differs from the message, the article is rebuilt. */
export interface RenderedState {
  body: string;
  state?: string;
  error?: string;
  corrected?: boolean;
  grouped: boolean;
}

export function renderedState(m: Message, grouped: boolean): RenderedState {
  return { body: m.body, state: m.state, error: m.error, corrected: m.corrected, grouped };
}

export function sameRendered(a: RenderedState, b: RenderedState): boolean {
  return a.body === b.body && a.state === b.state && a.error === b.error && a.corrected === b.corrected && a.grouped === b.grouped;
}
