import { $iq } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import { firstChild } from '../../protocol/xml';
import type { Identity } from './caps';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/** Answers sent before waiting for the server to acknowledge them. */
export const ANSWER_BATCH = 50;

/**
 * Answers disco#info requests about us (XEP-0030), cheaply and in batches: right after our first
 * presence the server's PEP service asks once per contact that has not seen our caps hash yet
 * (1,000 contacts: 1,000 requests in a second). The `<query/>` is built once and cloned into each
 * answer; at most ANSWER_BATCH answers go out at a time, the next batch once the server
 * acknowledged the last one. A server busy with such a burst reads slowly, and Prosody 0.12 cannot
 * resume a session (page reload) while it still has unread data from the previous connection
 * (docs/session.md, "Stream management"): so that backlog stays small.
 */
export class DiscoInfoAnswers {
  private readonly query: Element;
  private queue: Element[] = [];
  private timer?: ReturnType<typeof setTimeout>;
  /** a batch is out and not acknowledged yet */
  private waiting = false;
  private stopped = false;

  constructor(
    private readonly connection: XmppConnection,
    identities: Identity[],
    features: string[],
    /** the node of our caps (`node#ver`): asked with it, the same answer */
    private readonly capsNode: string,
  ) {
    const query = $iq({ type: 'result' }).c('query', { xmlns: NS_DISCO_INFO });
    for (const id of identities) {
      query.c('identity', { category: id.category, type: id.type, name: id.name }).up();
    }
    for (const feature of features) {
      query.c('feature', { var: feature }).up();
    }
    this.query = firstChild(query.tree(), 'query')!;
  }

  /** Handler for an incoming disco#info get; the answer goes out with the others of this burst. */
  answer(iq: Element): void {
    this.queue.push(iq);
    if (!this.waiting) {
      this.timer ??= setTimeout(() => this.flush(), 0);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  private flush(): void {
    this.timer = undefined;
    const batch = this.queue.splice(0, ANSWER_BATCH);
    const last = batch.pop();
    if (!last || this.stopped) {
      return;
    }
    for (const iq of batch) {
      this.connection.send(this.reply(iq));
    }
    this.waiting = true;
    const next = () => {
      this.waiting = false;
      if (!this.stopped && this.queue.length > 0) {
        this.flush();
      }
    };
    this.connection.sendAcked(this.reply(last)).then(next, next);
  }

  private reply(iq: Element): Element {
    const node = firstChild(iq, 'query', NS_DISCO_INFO)?.getAttribute('node');
    const from = iq.getAttribute('from');
    const reply = $iq({ type: 'result', id: iq.getAttribute('id') ?? '', ...(from ? { to: from } : {}) }).tree();
    if (node && node !== this.capsNode) {
      reply.setAttribute('type', 'error');
      const query = reply.ownerDocument.createElement('query');
      query.setAttribute('xmlns', NS_DISCO_INFO);
      query.setAttribute('node', node);
      reply.appendChild(query);
      const error = reply.ownerDocument.createElement('error');
      error.setAttribute('type', 'cancel');
      const condition = reply.ownerDocument.createElement('item-not-found');
      condition.setAttribute('xmlns', NS_STANZAS);
      error.appendChild(condition);
      reply.appendChild(error);
      return reply;
    }
    const query = this.query.cloneNode(true) as Element;
    if (node) {
      query.setAttribute('node', node);
    }
    reply.appendChild(query);
    return reply;
  }
}
