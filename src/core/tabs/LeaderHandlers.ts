import { stanzaXml } from '../../connection/stanzaForward';
import type { Account } from '../../model/Account';
import type { HandlerRegistration, TabMessage } from './messages';
import { StreamHandlerSet } from './StreamHandlerSet';

/** Handlers kept for one follower tab at most (more are ignored, with a warning). */
const MAX_PER_TAB = 100;
/** Follower tabs with handlers at most: beyond, the one heard of least recently is dropped. */
const MAX_TABS = 32;
/** A matching stanza longer than this (characters of XML) is not posted to the follower. */
export const MAX_FORWARDED_STANZA = 512 * 1024;
/** A follower that does not answer a snapshot with its handlers within this time is gone. */
const ROLL_CALL_TIMEOUT = 15000;

/**
 * The leader's side of the followers' stanza handlers (docs/plugins.md, "Several tabs"): for each
 * handler a follower tab added on `account.xmpp`, a handler with the same match on the real
 * connection, which posts each matching stanza (only those) to that tab as XML. A follower says
 * its whole list whenever it changes and after each snapshot; the list replaces what it had. A
 * closed follower's handlers go: when it says it is gone, when it does not answer a snapshot in
 * time, or when too many tabs have handlers.
 */
export class LeaderHandlers {
  private readonly streams: StreamHandlerSet;
  /** the handler ids of each follower tab, the tab heard of least recently first */
  private readonly tabs = new Map<string, Set<string>>();
  /** tabs asked by the last snapshot and not heard of since */
  private unconfirmed = new Set<string>();
  private rollCallTimer?: ReturnType<typeof setTimeout>;

  constructor(
    account: Account,
    private readonly post: (message: TabMessage) => void,
  ) {
    this.streams = new StreamHandlerSet(account);
  }

  /** A follower's handlers, all of them: registered here, and the ones it no longer has removed. */
  update(tab: string, handlers: HandlerRegistration[]): void {
    if (handlers.length > MAX_PER_TAB) {
      console.warn(`[jsxc] a tab added ${handlers.length} stanza handlers; only ${MAX_PER_TAB} get stanzas`);
    }
    const wanted = handlers.slice(0, MAX_PER_TAB);
    const ids = new Set(wanted.map((h) => h.id));
    for (const id of this.tabs.get(tab) ?? []) {
      if (!ids.has(id)) {
        this.streams.remove(key(tab, id));
      }
    }
    for (const { id, match } of wanted) {
      if (!this.streams.has(key(tab, id))) {
        this.streams.add(key(tab, id), match, (stanza) => this.forward(tab, id, stanza));
      }
    }
    this.tabs.delete(tab);
    this.unconfirmed.delete(tab);
    if (ids.size > 0) {
      this.tabs.set(tab, ids);
      if (this.tabs.size > MAX_TABS) {
        this.dropTab(this.tabs.keys().next().value as string);
      }
    }
  }

  private forward(tab: string, id: string, stanza: Element): void {
    const xml = stanzaXml(stanza);
    if (xml.length > MAX_FORWARDED_STANZA) {
      console.warn(`[jsxc] a <${stanza.nodeName}/> of ${xml.length} characters is too long for a handler in another tab`);
      return;
    }
    this.post({ type: 'handled', tab, id, xml });
  }

  /** The follower tab closed: its handlers go. */
  dropTab(tab: string): void {
    for (const id of this.tabs.get(tab) ?? []) {
      this.streams.remove(key(tab, id));
    }
    this.tabs.delete(tab);
    this.unconfirmed.delete(tab);
  }

  /** A snapshot went out: every follower with handlers answers with them, or its handlers go. */
  rollCall(): void {
    this.unconfirmed = new Set(this.tabs.keys());
    clearTimeout(this.rollCallTimer);
    if (this.unconfirmed.size > 0) {
      this.rollCallTimer = setTimeout(() => [...this.unconfirmed].forEach((tab) => this.dropTab(tab)), ROLL_CALL_TIMEOUT);
    }
  }

  /** How many follower handlers are registered (for tests and logs). */
  get size(): number {
    return this.streams.size;
  }

  dispose(): void {
    clearTimeout(this.rollCallTimer);
    this.streams.dispose();
    this.tabs.clear();
  }
}

function key(tab: string, id: string): string {
  return `${tab}\n${id}`;
}
