import { StatusNumber, Status } from './status';

/** Why a connection attempt failed; `status` is strophe's status number. */
export class ConnectionError extends Error {
  constructor(
    message: string,
    public readonly status: StatusNumber,
    public readonly condition?: string,
    /** The service URL the attempt went to. */
    public readonly url?: string,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }

  get isAuthFailure(): boolean {
    return this.status === Status.AUTHFAIL;
  }
}

/** An IQ answered with type="error" (or not answered in time). */
export class StanzaError extends Error {
  constructor(
    public readonly condition: string,
    public readonly text: string | undefined,
    public readonly stanza: Element | null,
  ) {
    super(text ? `${condition}: ${text}` : condition);
    this.name = 'StanzaError';
  }

  static from(stanza: Element | null): StanzaError {
    if (!stanza) {
      return new StanzaError('timeout', 'no answer from the server in time', null);
    }
    const error = stanza.getElementsByTagName('error')[0];
    let condition = 'undefined-condition';
    let text: string | undefined;
    if (error) {
      for (const child of Array.from(error.childNodes)) {
        if (child.nodeType !== 1) {
          continue;
        }
        const el = child as Element;
        if (el.localName === 'text') {
          text = el.textContent ?? undefined;
        } else if (el.namespaceURI === 'urn:ietf:params:xml:ns:xmpp-stanzas') {
          condition = el.localName ?? condition;
        }
      }
    }
    return new StanzaError(condition, text, stanza);
  }
}
