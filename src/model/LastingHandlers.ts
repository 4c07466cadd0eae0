import type { ForwardedHandler } from '../connection/stanzaForward';
import { handlerArgs, runHandler, StanzaHandlerRef, StanzaMatch } from '../connection/stanzaHandlers';
import type { XmppConnection } from '../connection/XmppConnection';
import type { HandlerRegistration } from '../core/tabs/messages';
import { StreamHandlerSet } from '../core/tabs/StreamHandlerSet';
import type { Account } from './Account';

/**
 * The stanza handlers added on `account.xmpp` (docs/plugins.md, "Several tabs"). Each lasts until
 * it is removed (its remover, `deleteHandler`, or returning false in strophe's form) in every tab,
 * across reconnects, new sessions and hand-overs: while this tab holds the connection they are on
 * it, put there again for each stream (StreamHandlerSet); while another tab holds it, that tab is
 * told them and sends what they match (src/core/tabs/RemoteHandlers). One added before the tab
 * knows which it is waits here for either. Handlers a plugin adds in `attach` are not these: they
 * are on the stream's connection itself, and go with the stream.
 */
export class LastingHandlers {
  private readonly handlers = new Map<string, ForwardedHandler>();
  private readonly streams: StreamHandlerSet;
  private counter = 0;
  /** while another tab holds the connection: told of every change */
  private changed?: () => void;

  constructor(account: Account) {
    this.streams = new StreamHandlerSet(account);
  }

  /** `account.xmpp.addHandler`, in either form (XmppConnection.addHandler). */
  add(handler: (stanza: Element) => unknown, matchOrNs?: StanzaMatch | string | null, name?: string | null, type?: string | string[] | null, id?: string | null, from?: string | null): StanzaHandlerRef {
    const { match, strophe } = handlerArgs(matchOrNs, name, type, id, from);
    const key = (this.counter++).toString(36);
    this.handlers.set(key, { match, handle: (stanza) => runHandler(handler, stanza, match, strophe) });
    this.streams.add(key, match, (stanza) => this.deliver(key, stanza));
    this.changed?.();
    return () => this.remove(key);
  }

  private remove(key: string): void {
    if (this.handlers.delete(key)) {
      this.streams.remove(key);
      this.changed?.();
    }
  }

  /** A stanza the handler `key` matched, on this tab's stream or sent by the tab holding it. */
  deliver(key: string, stanza: Element): void {
    const handler = this.handlers.get(key);
    if (handler && !handler.handle(stanza)) {
      this.remove(key);
    }
  }

  /** Every handler, for the tab that holds the connection. */
  get registrations(): HandlerRegistration[] {
    return [...this.handlers].map(([id, h]) => ({ id, match: h.match }));
  }

  /** Several tabs: another tab holds the connection (`changed` hears of each change), or this one again (undefined). */
  follow(changed: (() => void) | undefined): void {
    this.changed = changed;
  }

  get size(): number {
    return this.handlers.size;
  }
}

/**
 * `account.xmpp`: the connection, except that `addHandler` adds a lasting handler (above). The
 * rest is the connection's own (its methods called on it).
 */
export function lastingView(connection: XmppConnection, handlers: LastingHandlers): XmppConnection {
  const addHandler = handlers.add.bind(handlers);
  return new Proxy(connection, {
    get(target, property) {
      if (property === 'addHandler') {
        return addHandler;
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
