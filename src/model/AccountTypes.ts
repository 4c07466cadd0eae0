import type { ResolvedOptions } from '../api/Options';
import type { ConnectionState, StatusNumber } from '../connection/status';
import type { RosterCache } from '../core/RosterCache';
import type { SessionStore } from '../core/SessionStore';
import type { PluginRegistry } from '../plugins/PluginRegistry';
import type { Alert } from './Alert';
import type { KeyValueStore } from './HistoryStore';
import type { JID } from './JID';
import type { OwnPresence } from './OwnPresence';

/** What an Account is made with. */
export interface AccountSettings {
  url: string;
  jid: JID;
  connectTimeout: number;
  /** the JSXC instance's plugins (default: the built-in ones) */
  plugins?: PluginRegistry;
  /** the JSXC instance's options (default: all defaults) */
  options?: ResolvedOptions;
  /** where chat history lives (default: IndexedDB in a browser, memory elsewhere) */
  historyStore?: KeyValueStore;
  /** where the session record lives (default: options.storage) */
  sessions?: SessionStore;
  /** where the roster is cached (default: memory) */
  rosterCache?: RosterCache;
}

/** A session became usable: a new one (plugins set up from scratch) or a resumed one. */
export interface SessionEvent {
  resumed: boolean;
  /** our full JID in this session */
  jid: string;
}

/** What an Account tells its listeners (the UI, the tabs, the host through the facade). */
export interface AccountEvents {
  /** strophe status numbers, for options.connectionCallback */
  status: [status: StatusNumber, condition: string | undefined];
  /** what a person should be told, for the Connection status region */
  state: [ConnectionState];
  /** a session was established: after login, prebind, page load or reconnect */
  session: [SessionEvent];
  /** our own chosen presence changed (setPresence) */
  presence: [OwnPresence];
  /** a plugin provided (or withdrew) a service, see provide() */
  service: [id: string];
  /** this tab should show a notification (chime, desktop notification) for something new */
  alert: [Alert];
  /** the roster cache was read after a page load (painted, or there was none): see Account.paintCachedRoster */
  rosterCacheRead: [];
}
