/**
 * The constructor options of the manual's §3.1.1, with their documented defaults.
 * Validation lives in core/options.ts.
 */

/** Connection settings, as returned by `options.loadConnectionOptions`. */
export interface ConnectionSettings {
  xmpp?: {
    /** BOSH (http(s)://… or a path such as /http-bind/) or WebSocket (ws(s)://…) URL. */
    url?: string;
    /** Domain appended to a username without "@". */
    domain?: string;
    /** Resource; random when empty. */
    resource?: string;
  };
}

export interface RTCPeerConfig {
  /** Time-to-live in seconds of a config fetched from `url`. */
  ttl?: number;
  /** ICE servers as defined by WebRTC's RTCIceServer. */
  iceServers?: Array<{ urls: string | string[]; username?: string; credential?: string }>;
  /** An endpoint answering with a JSON RTCPeerConfig. */
  url?: string;
  /** Send cookies when fetching `url`. */
  withCredentials?: boolean;
}

/** The subset of the Web Storage API that JSXC uses. */
export interface StorageBackend {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type ConnectionCallback = (jid: string, status: number, condition?: string) => void;

export interface Options {
  appName?: string;
  lang?: string;
  autoLang?: boolean;
  rosterAppend?: string;
  rosterVisibility?: 'shown' | 'hidden';
  hideOfflineContacts?: boolean;
  loadOptions?: (jid: string, password: string) => Promise<{ [id: string]: { [key: string]: unknown } }>;
  loadConnectionOptions?: (username: string, password: string) => Promise<ConnectionSettings>;
  onOptionChange?: (id: string, key: string, value: unknown, exportId: () => unknown) => void;
  getUsers?: (search: string) => Promise<{ [uid: string]: string }>;
  RTCPeerConfig?: RTCPeerConfig;
  onlineHelp?: string;
  storage?: StorageBackend;
  disabledPlugins?: string[];
  connectionCallback?: ConnectionCallback;
  onUserRequestsToGoOnline?: () => void;
  /** Our addition: how long (ms) a connection attempt may take before it fails. Default 20000. */
  connectTimeout?: number;
}

export type ResolvedOptions = Required<Omit<Options, 'loadOptions' | 'loadConnectionOptions' | 'onOptionChange' | 'getUsers' | 'connectionCallback' | 'onUserRequestsToGoOnline' | 'storage'>> &
  Pick<Options, 'loadOptions' | 'loadConnectionOptions' | 'onOptionChange' | 'getUsers' | 'connectionCallback' | 'onUserRequestsToGoOnline'> & {
    storage: StorageBackend | undefined;
    RTCPeerConfig: Required<Pick<RTCPeerConfig, 'ttl' | 'iceServers' | 'withCredentials'>> & Pick<RTCPeerConfig, 'url'>;
  };
