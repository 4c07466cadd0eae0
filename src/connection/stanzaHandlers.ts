import { $iq } from 'strophe.js';
import type { Strophe } from 'strophe.js';

type StropheConnection = InstanceType<typeof Strophe.Connection>;

/** Which stanzas a handler gets; `ns` is the namespace of the stanza or of a direct child (payload). */
export interface StanzaMatch {
  ns?: string;
  name?: string;
  type?: string | string[];
  from?: string;
}

/**
 * The stanza handlers of one strophe connection (XmppConnection.addHandler), and the error reply
 * to IQ requests that none of them took.
 */
export class StanzaHandlers {
  /** IQ requests some handler took care of; the others get an error reply (RFC 6120 §8.2.3) */
  private handledRequests = new WeakSet<Element>();

  constructor(
    private readonly strophe: StropheConnection,
    private readonly connected: () => boolean,
  ) {}

  /** Registers a handler (kept until removed; a throwing one is logged); returns its remover. */
  add(handler: (stanza: Element) => void, match: StanzaMatch): () => void {
    const { ns } = match;
    const ref = this.strophe.addHandler(
      (stanza: Element) => {
        // `ns` is matched here, on the stanza and its payload (direct children), not by strophe:
        // strophe searches every descendant for each handler with a namespace, which made one
        // roster result of 5,000 items cost a traversal of all of them per handler
        if (ns !== undefined && !hasNamespace(stanza, ns) && !Array.from(stanza.childNodes).some((c) => c.nodeType === 1 && hasNamespace(c as Element, ns))) {
          return true;
        }
        if (stanza.nodeName === 'iq') {
          this.handledRequests.add(stanza);
        }
        try {
          handler(stanza);
        } catch (err) {
          console.error(`[jsxc] handler for <${match.name ?? '*'}> failed:`, err);
        }
        return true;
      },
      null,
      match.name ?? null,
      match.type ?? null,
      null,
      match.from ?? null,
    );
    return () => this.strophe.deleteHandler(ref);
  }

  /**
   * An IQ get/set that no handler takes gets a service-unavailable error, as RFC 6120 requires,
   * instead of leaving the requester waiting. Checked after the other handlers have run. For each
   * new stream (strophe drops every handler when one ends).
   */
  answerUnhandledRequests(): void {
    this.strophe.addHandler(
      (iq: Element) => {
        setTimeout(() => {
          if (this.handledRequests.has(iq) || !this.connected()) {
            return;
          }
          const reply = $iq({ type: 'error', id: iq.getAttribute('id') ?? '', ...(iq.getAttribute('from') ? { to: iq.getAttribute('from')! } : {}) });
          reply.c('error', { type: 'cancel' }).c('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' });
          this.strophe.send(reply);
        }, 0);
        return true;
      },
      null,
      'iq',
      ['get', 'set'],
    );
  }
}

function hasNamespace(el: Element, ns: string): boolean {
  return el.namespaceURI === ns || el.getAttribute('xmlns') === ns;
}
