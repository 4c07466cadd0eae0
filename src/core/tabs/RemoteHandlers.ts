import { parseStanza } from '../../connection/stanzaForward';
import type { ForwardedHandler } from '../../connection/stanzaForward';
import type { StanzaHandlerRef } from '../../connection/stanzaHandlers';
import type { Account } from '../../model/Account';
import type { HandlerRegistration, TabMessage } from './messages';
import { StreamHandlerSet } from './StreamHandlerSet';

/**
 * The stanza handlers added on `account.xmpp` in a follower tab (docs/plugins.md, "Several tabs").
 * The leader registers the same match on its connection and posts each matching stanza here, as
 * XML; this tab parses it (a message, presence or IQ, nothing else) and calls the handler, which
 * stays as `addHandler` says (its remover, or strophe's rule: while it returns true). The follower
 * tells the leader its whole list whenever it changes and after every snapshot (a new leader
 * starts with none). When this tab takes the connection over, they go on its own connection.
 */
export class RemoteHandlers {
  private readonly handlers = new Map<string, ForwardedHandler>();
  private counter = 0;
  /** after the hand-over: the handlers on this tab's own connection */
  private local?: StreamHandlerSet;
  /** whether the leader may have handlers of this tab (a tab without any says nothing) */
  private told = false;

  constructor(
    private readonly tab: string,
    private readonly post: (message: TabMessage) => void,
  ) {}

  /** `account.xmpp.addHandler` while following. */
  add(handler: ForwardedHandler): StanzaHandlerRef {
    const id = (this.counter++).toString(36);
    this.handlers.set(id, handler);
    if (this.local) {
      this.keep(id, handler);
    } else {
      this.announce();
    }
    return () => this.remove(id);
  }

  private remove(id: string): void {
    if (!this.handlers.delete(id)) {
      return;
    }
    if (this.local) {
      this.local.remove(id);
    } else {
      this.announce();
    }
  }

  /** Tells the leader every handler of this tab (after a change, and on each snapshot). */
  announce(): void {
    if (this.local || (this.handlers.size === 0 && !this.told)) {
      return;
    }
    const handlers: HandlerRegistration[] = [...this.handlers].map(([id, h]) => ({ id, match: h.match }));
    this.told = handlers.length > 0;
    this.post({ type: 'handlers', tab: this.tab, handlers });
  }

  /** A stanza the leader matched for the handler `id` (gone meanwhile: dropped). */
  deliver(id: string, xml: string): void {
    const handler = this.handlers.get(id);
    if (!handler || this.local) {
      return;
    }
    let stanza: Element;
    try {
      stanza = parseStanza(xml);
    } catch {
      console.warn('[jsxc] ignoring a stanza from the tab holding the connection that is not one');
      return;
    }
    if (!handler.handle(stanza)) {
      this.remove(id);
    }
  }

  /** This tab holds the connection now: its handlers go on it, for each stream, until removed. */
  keepHere(account: Account): void {
    if (this.local) {
      return;
    }
    this.local = new StreamHandlerSet(account);
    this.handlers.forEach((handler, id) => this.keep(id, handler));
  }

  private keep(id: string, handler: ForwardedHandler): void {
    this.local!.add(id, handler.match, (stanza) => {
      if (!handler.handle(stanza)) {
        this.remove(id);
      }
    });
  }

  /** The account is gone from this tab: every handler with it. */
  dispose(): void {
    this.local?.dispose();
    this.handlers.clear();
  }
}
