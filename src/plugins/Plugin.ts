import type { ResolvedOptions } from '../api/Options';
import type { XmppConnection } from '../connection/XmppConnection';
import type { Account } from '../model/Account';
import type { Message } from '../model/Message';
import type { HookList } from './hooks';
import type { PluginRegistry } from './PluginRegistry';
import type { UIContext } from '../ui/UIExtensions';

/** A XEP (or RFC) a plugin implements, for docs and the About dialog. */
export interface XepReference {
  /** e.g. "XEP-0280" or "RFC 6121" */
  id: string;
  name: string;
  version?: string;
}

/** An outgoing stanza on its way out: hooks may add children or replace it (encryption). */
export interface OutgoingStanza {
  /** the stanza as a DOM element; hooks may modify it in place */
  stanza: Element;
  /** set to true to stop it from being sent */
  cancelled?: boolean;
  /** the chat message this stanza carries (absent for other stanzas) */
  message?: Message;
}

/** An incoming stanza before the core and the UI see it: hooks may decrypt it or drop it. */
export interface IncomingStanza {
  stanza: Element;
  /** set to true to stop further processing */
  handled?: boolean;
  /** how the stanza reached us when it was wrapped: a carbon copy or an archive result */
  forwarded?: {
    by: 'carbons' | 'mam';
    /** out: a message I sent (from another client of mine, or archived) */
    direction: 'in' | 'out';
    /** XEP-0203 delay of the forwarding wrapper (ms since the epoch) */
    timestamp?: number;
    /** an archived message missed while offline (catch-up): it counts as unread */
    missed?: boolean;
  };
  /** when it arrived (ms since the epoch): the time of a message without a delay stamp */
  arrived?: number;
  /** XEP-0359 ids found by the stanza-id plugin (stanzaId only when our own server assigned it) */
  stanzaId?: string;
  originId?: string;
}

/** The hooks of one account's stanza pipeline. */
export interface AccountHooks {
  /** outgoing <message/>, before it is sent (after the core built it) */
  messageOut: HookList<OutgoingStanza>;
  /** incoming <message/>, before the core turns it into a model change */
  messageIn: HookList<IncomingStanza>;
  /** outgoing available <presence/> (e.g. entity capabilities add <c/>) */
  presenceOut: HookList<OutgoingStanza>;
}

/** What a plugin gets for each account session. */
export interface AccountContext {
  account: Account;
  connection: XmppConnection;
  hooks: AccountHooks;
  options: ResolvedOptions;
  /** the registry, e.g. for the list of enabled features */
  plugins: PluginRegistry;
  /** whether this session resumed an earlier one (XEP-0198 / BOSH attach): no need to redo setup */
  resumed: boolean;
  /**
   * Lazy plugins only: the stanzas that arrived before the plugin's code was loaded and made it
   * load (its `loadOn`), oldest first. Handle them as if they had just arrived; the handlers
   * registered in `attach` see everything after them.
   */
  replay?: Element[];
}

/**
 * A feature of the client. Everything a plugin does goes through this interface, so that
 * `options.disabledPlugins: [id]` removes it whole: handlers, disco features and UI.
 */
export interface Plugin {
  /** stable identifier, the name used in options.disabledPlugins (e.g. "carbons", "muc") */
  id: string;
  /** human-readable name */
  name: string;
  xeps: XepReference[];
  /** disco#info features this plugin announces (and so entity capabilities, XEP-0115) */
  features?: string[];
  /** ids of plugins this one needs; it is off when one of them is off */
  requires?: string[];
  /**
   * Called for each established session of each account, before our initial presence is sent
   * (so handlers see offline messages). Register stanza handlers and hooks here; return a teardown.
   */
  attach?(context: AccountContext): void | (() => void) | Promise<void | (() => void)>;
  /**
   * Called once per widget when it mounts (only when the plugin is enabled): add chat-window
   * buttons, message renderers, roster decorations, menu entries and settings (docs/plugins.md).
   * Lazy plugins: this one lives in the metadata, not in the chunk. May return a teardown.
   */
  ui?(context: UIContext): void | (() => void);
}

/**
 * A heavy plugin: its metadata is in the main bundle (so disco features stay correct and
 * disabledPlugins works), its code is a lazy chunk loaded on first use.
 */
export interface LazyPlugin extends Omit<Plugin, 'attach'> {
  load(): Promise<Plugin>;
  /**
   * Stanzas that need this plugin (e.g. an incoming call): the first one that arrives loads the
   * code, which is then attached to the session and gets it (and any that arrived meanwhile) in
   * `context.replay`. Matched like strophe handlers: element name, and optionally the namespace
   * of the stanza or of one of its children, and the type attribute.
   */
  loadOn?: StanzaMatch[];
}

/** Which stanzas a lazy plugin's `loadOn` means. */
export interface StanzaMatch {
  name: 'message' | 'presence' | 'iq';
  ns?: string;
  type?: string | string[];
}

export type PluginEntry = Plugin | LazyPlugin;

export function isLazy(entry: PluginEntry): entry is LazyPlugin {
  return typeof (entry as LazyPlugin).load === 'function';
}
