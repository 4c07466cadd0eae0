import { $iq } from 'strophe.js';
import type { Strophe } from 'strophe.js';

type StropheConnection = InstanceType<typeof Strophe.Connection>;

/** Which stanzas a handler gets; `ns` is the namespace of the stanza or of a direct child (payload). */
export interface StanzaMatch {
  ns?: string;
  name?: string;
  type?: string | string[];
  id?: string;
  from?: string;
}

/** What `addHandler` returns (either form): removes the handler; `deleteHandler(ref)` calls it. */
export type StanzaHandlerRef = () => void;

/**
 * The arguments of `XmppConnection.addHandler` in either form as one match: `(handler, match)`, or
 * strophe's `(handler, ns, name, type, id, from)` (`strophe`: the handler's return value decides
 * whether it stays, as in strophe).
 */
export function handlerArgs(
  matchOrNs: StanzaMatch | string | null | undefined,
  name?: string | null,
  type?: string | string[] | null,
  id?: string | null,
  from?: string | null,
): { match: StanzaMatch; strophe: boolean } {
  if (matchOrNs !== null && typeof matchOrNs === 'object') {
    return { match: matchOrNs, strophe: false };
  }
  const match: StanzaMatch = {};
  const set = <K extends keyof StanzaMatch>(key: K, value: StanzaMatch[K] | null | undefined) => value !== null && value !== undefined && (match[key] = value);
  set('ns', matchOrNs);
  set('name', name);
  set('type', type);
  set('id', id);
  set('from', from);
  return { match, strophe: true };
}

/**
 * Calls a handler with a stanza it matched; returns whether it stays. A handler of the match form
 * stays until removed (one that throws is logged); one of strophe's form stays only while it
 * returns a truthy value (strophe's rule; one that throws is logged and removed, as strophe does).
 */
export function runHandler(handler: (stanza: Element) => unknown, stanza: Element, match: StanzaMatch, strophe: boolean): boolean {
  try {
    const keep = handler(stanza);
    return !strophe || !!keep;
  } catch (err) {
    console.error(`[jsxc] handler for <${match.name ?? '*'}> failed:`, err);
    return !strophe;
  }
}

/** Whether the stanza or its payload (a direct child) has the namespace `ns` (undefined: any). */
function matchesNamespace(stanza: Element, ns: string | undefined): boolean {
  return ns === undefined || hasNamespace(stanza, ns) || Array.from(stanza.childNodes).some((c) => c.nodeType === 1 && hasNamespace(c as Element, ns));
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

  /**
   * Registers a handler (kept until removed, or with `strophe` while it returns a truthy value: see
   * runHandler); returns its remover.
   */
  add(handler: (stanza: Element) => unknown, match: StanzaMatch, strophe = false): StanzaHandlerRef {
    const ref = this.strophe.addHandler(
      (stanza: Element) => {
        // `ns` is matched here, on the stanza and its payload (direct children), not by strophe:
        // strophe searches every descendant for each handler with a namespace, which made one
        // roster result of 5,000 items cost a traversal of all of them per handler
        if (!matchesNamespace(stanza, match.ns)) {
          return true;
        }
        if (stanza.nodeName === 'iq') {
          this.handledRequests.add(stanza);
        }
        return runHandler(handler, stanza, match, strophe);
      },
      null,
      match.name ?? null,
      match.type ?? null,
      match.id ?? null,
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
