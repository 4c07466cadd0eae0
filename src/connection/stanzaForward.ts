/**
 * Several tabs (docs/session.md, "Several tabs"; docs/plugins.md): in a tab that does not hold the
 * account's connection, what code sends on `account.xmpp` goes to the tab that holds it, as XML
 * text, and an IQ's answer comes back the same way; so do the incoming stanzas a handler added
 * there matches.
 */
import { Strophe } from 'strophe.js';
import { StanzaError } from './errors';
import type { StanzaMatch } from './stanzaHandlers';

/** A handler added on `account.xmpp` (model/LastingHandlers): what it matches, and the call (false: it is removed). */
export interface ForwardedHandler {
  match: StanzaMatch;
  handle(stanza: Element): boolean;
}

/** Where a following tab's `send` / `sendIQ` go (src/core/tabs/FollowerRole). */
export interface StanzaForwarder {
  send(xml: string): void;
  /** the answer's XML: `result` for a result, `error` for an error stanza (undefined: no answer in time) */
  sendIQ(xml: string, timeout: number): Promise<{ result?: string; error?: string }>;
}

/** A stanza as XML text (an Element or a strophe builder). */
export function stanzaXml(stanza: Element | { tree(): Element }): string {
  const element = 'tree' in stanza && typeof stanza.tree === 'function' ? stanza.tree() : (stanza as Element);
  return Strophe.serialize(element) ?? '';
}

const STANZA_NAMES = new Set(['message', 'presence', 'iq']);

/**
 * XML text of one stanza as an Element (strophe's DOMParser shim in Node). Anything else — not
 * text, not well-formed, not a message/presence/iq — is refused: sent on, it would end the stream.
 */
export function parseStanza(xml: unknown): Element {
  const root = typeof xml === 'string' ? new DOMParser().parseFromString(xml, 'text/xml').documentElement : null;
  if (!root || root.getElementsByTagName('parsererror').length > 0 || !STANZA_NAMES.has(root.localName ?? root.nodeName)) {
    throw new TypeError('Not a stanza from another tab');
  }
  return root;
}

/** Sends an IQ through `forward`: resolves with the result stanza, rejects with a StanzaError. */
export async function forwardIQ(forward: StanzaForwarder, stanza: Element | { tree(): Element }, timeout: number): Promise<Element> {
  const answer = await forward.sendIQ(stanzaXml(stanza), timeout);
  if (answer.result !== undefined) {
    return parseStanza(answer.result);
  }
  throw StanzaError.from(answer.error !== undefined ? parseStanza(answer.error) : null);
}
