import type { SMState, SMStorageBackend } from 'strophe.js';
import type { StorageBackend } from '../api/Options';
import type { Transport } from '../connection/transport';

/**
 * The small per-account session record in `options.storage` (Web Storage), so that a page load
 * can continue the session (docs/session.md). Keys are namespaced: `jsxc:v1:session:<bare JID>`
 * (the record), `jsxc:v1:sm:<bare JID>` (XEP-0198 state), `jsxc:v1:ui:<bare JID>` (UI state),
 * `jsxc:v1:state:<bare JID>` (what a resumed server session still has: see getServerState).
 * The password is never part of it.
 */
const PREFIX = 'jsxc:v1:';
const SESSION = `${PREFIX}session:`;
const SM = `${PREFIX}sm:`;
const UI = `${PREFIX}ui:`;
const STATE = `${PREFIX}state:`;

/** SCRAM client and server keys after a SCRAM login (strophe's `connection.scram_keys`). */
export interface ScramKeys {
  /** hash name, e.g. "SHA-256" */
  name: string;
  /** base64 ClientKey and ServerKey */
  ck: string;
  sk: string;
  iter: number;
  /** base64 salt the server gave */
  salt: string;
}

export interface SessionRecord {
  /** the full JID of the session */
  jid: string;
  /** the service URL (BOSH or WebSocket) */
  url: string;
  transport: Transport;
  /** BOSH: the session id */
  sid?: string;
  /** BOSH: the next request id to use */
  rid?: number;
  /**
   * BOSH: the oldest request id that went out (or was about to) without an answer; the server may
   * not have it. Absent when every request was answered.
   */
  ridUnanswered?: number;
  /** keys for a login without the password; absent after a PLAIN login or a prebind */
  scram?: ScramKeys;
}

function isScramKeys(v: unknown): v is ScramKeys {
  const k = v as ScramKeys;
  return !!k && typeof k === 'object' && typeof k.name === 'string' && typeof k.ck === 'string' && typeof k.sk === 'string' && typeof k.iter === 'number' && typeof k.salt === 'string';
}

function isRecord(v: unknown): v is SessionRecord {
  const r = v as SessionRecord;
  return (
    !!r &&
    typeof r === 'object' &&
    typeof r.jid === 'string' &&
    r.jid.includes('@') &&
    typeof r.url === 'string' &&
    (r.transport === 'bosh' || r.transport === 'websocket') &&
    (r.sid === undefined || typeof r.sid === 'string') &&
    (r.rid === undefined || (typeof r.rid === 'number' && Number.isSafeInteger(r.rid))) &&
    (r.ridUnanswered === undefined || (typeof r.ridUnanswered === 'number' && Number.isSafeInteger(r.ridUnanswered))) &&
    (r.scram === undefined || isScramKeys(r.scram))
  );
}

function bareOf(jid: string): string {
  return jid.split('/')[0].toLowerCase();
}

export class SessionStore {
  constructor(private readonly storage: StorageBackend | undefined) {}

  /** Whether anything can be persisted at all (no storage: sessions end with the page). */
  get available(): boolean {
    return this.storage !== undefined;
  }

  /** Every stored, well-formed session record; malformed ones are removed. */
  records(): SessionRecord[] {
    const keys: string[] = [];
    for (let i = 0; i < (this.storage?.length ?? 0); i++) {
      const key = this.storage!.key(i);
      if (key?.startsWith(SESSION)) {
        keys.push(key);
      }
    }
    return keys.map((key) => this.get(key.slice(SESSION.length))).filter((r): r is SessionRecord => r !== undefined);
  }

  get(bareJid: string): SessionRecord | undefined {
    const value = this.read(SESSION + bareOf(bareJid));
    if (value === undefined) {
      return undefined;
    }
    if (!isRecord(value)) {
      console.warn(`[jsxc] dropping a malformed session record for ${bareJid}`);
      this.remove(bareJid);
      return undefined;
    }
    return value;
  }

  save(record: SessionRecord): void {
    this.write(SESSION + bareOf(record.jid), record);
  }

  /** Changes fields of an existing record (no-op when there is none: e.g. after logout). */
  update(bareJid: string, patch: Partial<SessionRecord>): void {
    const record = this.get(bareJid);
    if (record) {
      this.save({ ...record, ...patch });
    }
  }

  /** Forgets everything about this account's session (logout, expiry, failed login). */
  remove(bareJid: string): void {
    const bare = bareOf(bareJid);
    for (const key of [SESSION + bare, SM + bare, UI + bare, STATE + bare]) {
      this.storage?.removeItem(key);
    }
  }

  /**
   * XEP-0198 resumption state for strophe, in options.storage. Strophe names its key
   * `strophe-sm:<bare JID>`; we keep it under `jsxc:v1:sm:<bare JID>`.
   */
  streamManagementStorage(): SMStorageBackend {
    const key = (smKey: string) => SM + bareOf(smKey.replace(/^strophe-sm:/, ''));
    return {
      load: (smKey) => (this.read(key(smKey)) as SMState | undefined) ?? null,
      save: (smKey, state) => this.write(key(smKey), state),
      clear: (smKey) => this.storage?.removeItem(key(smKey)),
    };
  }

  /**
   * UI state that should survive a page load (e.g. the open chat windows). Any JSON value; the UI
   * owns its shape. Removed together with the session record.
   */
  getUiState<T = unknown>(bareJid: string): T | undefined {
    return this.read(UI + bareOf(bareJid)) as T | undefined;
  }

  setUiState(bareJid: string, state: unknown): void {
    if (this.get(bareJid)) {
      this.write(UI + bareOf(bareJid), state);
    }
  }

  /**
   * What this page knows about the server session that the server keeps for as long as the
   * session lives (e.g. the XEP-0191 blocklist): a page that resumes the same server session (BOSH
   * attach, XEP-0198) takes it from here instead of asking the server again. One small JSON value
   * per `key` (a plugin's id); written only while the account has a session record, removed with it.
   */
  getServerState<T = unknown>(bareJid: string, key: string): T | undefined {
    const all = this.read(STATE + bareOf(bareJid));
    return all && typeof all === 'object' && Object.prototype.hasOwnProperty.call(all, key) ? ((all as Record<string, unknown>)[key] as T) : undefined;
  }

  setServerState(bareJid: string, key: string, value: unknown): void {
    if (!this.get(bareJid)) {
      return;
    }
    const previous = this.read(STATE + bareOf(bareJid));
    const all = previous && typeof previous === 'object' ? (previous as Record<string, unknown>) : {};
    this.write(STATE + bareOf(bareJid), { ...all, [key]: value });
  }

  /** A new server session: nothing of the previous one's state holds any more. */
  clearServerState(bareJid: string): void {
    this.storage?.removeItem(STATE + bareOf(bareJid));
  }

  private read(key: string): unknown {
    const raw = this.storage?.getItem(key);
    if (raw === null || raw === undefined) {
      return undefined;
    }
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined;
    }
  }

  private write(key: string, value: unknown): void {
    try {
      this.storage?.setItem(key, JSON.stringify(value));
    } catch (err) {
      // quota exceeded or storage disabled: the session just won't survive a page load
      console.warn('[jsxc] could not write to options.storage:', err instanceof Error ? err.message : err);
    }
  }
}
