import type { Strophe } from 'strophe.js';

type StropheConnection = InstanceType<typeof Strophe.Connection>;

/** At most this many early messages are kept. */
const MAX_EARLY = 500;

/**
 * The <message/>s that arrive with the very first responses of a stream (a BOSH attach's ping, a
 * resumed session), before the session's handlers are set up: kept (a bounded number) until the
 * handler that processes messages takes them (XmppConnection.takeEarlyMessages).
 */
export class EarlyMessages {
  private early?: { stanzas: Element[]; ref: ReturnType<StropheConnection['addHandler']> };

  constructor(private readonly strophe: StropheConnection) {}

  /** A stream just opened: keep its messages from now on. */
  collect(): void {
    const stanzas: Element[] = [];
    const ref = this.strophe.addHandler(
      (stanza: Element) => {
        if (stanzas.length < MAX_EARLY) {
          stanzas.push(stanza);
        }
        return true;
      },
      null,
      'message',
      null,
    );
    this.early = { stanzas, ref };
  }

  /** The kept messages, in order; from now on none are kept. */
  take(): Element[] {
    const early = this.early;
    this.early = undefined;
    if (!early) {
      return [];
    }
    this.strophe.deleteHandler(early.ref);
    return early.stanzas;
  }

  /** The kept messages, without taking them. */
  peek(): Element[] {
    return this.early ? [...this.early.stanzas] : [];
  }
}
