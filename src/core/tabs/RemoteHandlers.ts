import { parseStanza } from '../../connection/stanzaForward';
import type { LastingHandlers } from '../../model/LastingHandlers';
import type { TabMessage } from './messages';

/**
 * A follower tab's side of the stanza handlers added on `account.xmpp` (docs/plugins.md, "Several
 * tabs"; the handlers themselves are the account's LastingHandlers). The leader registers the same
 * match on its connection and posts each matching stanza here, as XML; this tab parses it (a
 * message, presence or IQ, nothing else) and gives it to the handler. The follower tells the leader
 * its whole list whenever it changes and after every snapshot (a new leader starts with none).
 * When this tab takes the connection over, the handlers stay with the account, on its connection.
 */
export class RemoteHandlers {
  /** whether the leader may have handlers of this tab (a tab without any says nothing) */
  private told = false;
  private following = true;

  constructor(
    private readonly tab: string,
    private readonly handlers: LastingHandlers,
    private readonly post: (message: TabMessage) => void,
  ) {
    handlers.follow(() => this.announce());
  }

  /** Tells the leader every handler of this tab (after a change, and on each snapshot). */
  announce(): void {
    const handlers = this.handlers.registrations;
    if (!this.following || (handlers.length === 0 && !this.told)) {
      return;
    }
    this.told = handlers.length > 0;
    this.post({ type: 'handlers', tab: this.tab, handlers });
  }

  /** A stanza the leader matched for the handler `id` (gone meanwhile: dropped). */
  deliver(id: string, xml: string): void {
    if (!this.following) {
      return;
    }
    let stanza: Element;
    try {
      stanza = parseStanza(xml);
    } catch {
      console.warn('[jsxc] ignoring a stanza from the tab holding the connection that is not one');
      return;
    }
    this.handlers.deliver(id, stanza);
  }

  /** This tab no longer follows (it holds the connection now, or the account is gone here). */
  dispose(): void {
    if (this.following) {
      this.following = false;
      this.handlers.follow(undefined);
    }
  }
}
