/**
 * One chat message as the client keeps it (in memory and in IndexedDB). Plain data, so it can be
 * stored as is; no DOM, no stanzas.
 */
export type MessageDirection = 'in' | 'out';

/**
 * Delivery state of an outgoing message: `pending` (stored, not yet acknowledged by our server) →
 * `sent` (XEP-0198 ack / ping round trip) → `delivered` (XEP-0184 receipt) → `read` (XEP-0333
 * displayed marker); or `failed` (the server returned an error; `error` says why).
 */
export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export type MessageType = 'chat' | 'normal';

export interface Message {
  /** local id: for outgoing messages our stanza id (= XEP-0359 origin-id); for incoming ones the best id we have */
  id: string;
  /** the bare JID of the contact this conversation is with */
  peer: string;
  direction: MessageDirection;
  /** full JID of the sender, as far as known */
  from: string;
  to: string;
  body: string;
  /** ms since the epoch (XEP-0203 delay when present) */
  timestamp: number;
  type: MessageType;
  /** the stanza's id attribute (what receipts, markers and corrections refer to) */
  stanzaIdAttr?: string;
  /** XEP-0359 origin-id */
  originId?: string;
  /** XEP-0359 stanza-id assigned by our own server (what MAM pages by) */
  stanzaId?: string;
  /** outgoing only */
  state?: DeliveryState;
  /** the server's error text when state is "failed" */
  error?: string;
  /** true once corrected (XEP-0308); body is the latest text */
  corrected?: boolean;
  /** the id this message replaces, when it is a correction still to be sent (outbox) */
  replaces?: string;
}

const RANK: Record<DeliveryState, number> = { failed: -1, pending: 0, sent: 1, delivered: 2, read: 3 };

/** Whether moving from `current` to `next` is progress (states never go backwards, except retry). */
export function isStateProgress(current: DeliveryState | undefined, next: DeliveryState): boolean {
  if (current === 'failed') {
    return false; // only a retry (back to pending) leaves "failed", e.g. an ack after the error
  }
  if (next === 'failed') {
    return current === 'pending' || current === 'sent' || current === undefined;
  }
  return current === undefined || RANK[next] > RANK[current];
}

/** A fresh id for an outgoing message (also its origin-id). */
export function newMessageId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return 'm-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The keys a duplicate of this message could be recognised by. */
export function dedupKeys(message: Pick<Message, 'stanzaId' | 'originId' | 'stanzaIdAttr' | 'from' | 'direction'>): string[] {
  const keys: string[] = [];
  if (message.stanzaId) {
    keys.push('sid:' + message.stanzaId);
  }
  if (message.originId) {
    keys.push('oid:' + message.originId);
  }
  if (message.stanzaIdAttr) {
    // a plain id attribute is only unique per sender
    keys.push(`id:${message.direction === 'out' ? 'me' : message.from.split('/')[0]}:${message.stanzaIdAttr}`);
  }
  return keys;
}

/** Characters XML 1.0 cannot carry (a server closes the stream on them): C0 controls, lone surrogates, U+FFFE/F. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** The text with characters XML cannot carry replaced by U+FFFD, so sending it cannot break the stream. */
export function xmlSafeText(text: string): string {
  return text.replace(NOT_XML, '\ufffd');
}
