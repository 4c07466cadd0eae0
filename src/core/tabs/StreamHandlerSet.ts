import { Status } from '../../connection/status';
import type { StanzaHandlerRef, StanzaMatch } from '../../connection/stanzaHandlers';
import type { Account } from '../../model/Account';

interface Entry {
  match: StanzaMatch;
  deliver: (stanza: Element) => void;
  /** its remover on the current stream's connection */
  off?: StanzaHandlerRef;
}

/**
 * Stanza handlers the tabs keep on this tab's connection of an account for as long as they are
 * wanted, across streams: strophe drops every handler when a stream ends, so each one is added
 * again whenever a stream opens (connected or attached). The handlers added on `account.xmpp`
 * (LastingHandlers), and the leader's registrations for its followers' ones (docs/plugins.md).
 */
export class StreamHandlerSet {
  private readonly entries = new Map<string, Entry>();
  private readonly offStatus: () => void;

  constructor(private readonly account: Account) {
    this.offStatus = account.on('status', (status) => {
      if (status === Status.CONNECTED || status === Status.ATTACHED) {
        this.entries.forEach((entry) => this.attach(entry));
      }
    });
  }

  /** Adds (or replaces) the handler under `key`; on the connection now if it is connected. */
  add(key: string, match: StanzaMatch, deliver: (stanza: Element) => void): void {
    this.remove(key);
    const entry: Entry = { match, deliver };
    this.entries.set(key, entry);
    if (this.account.stream.connected) {
      this.attach(entry);
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get size(): number {
    return this.entries.size;
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      entry.off?.();
    }
  }

  private attach(entry: Entry): void {
    entry.off?.(); // (a stream that ended has dropped it already: then this does nothing)
    entry.off = this.account.stream.addHandler(entry.deliver, entry.match);
  }

  dispose(): void {
    this.offStatus();
    this.entries.forEach((entry) => entry.off?.());
    this.entries.clear();
  }
}
