import type { RosterItem } from '../model/Contact';
import { IdbStore } from '../util/IdbStore';

/**
 * The roster of each account cached in IndexedDB through localforage (util/IdbStore), so that the contact list is painted
 * at once after a page load, before the connection is back, and so that roster versioning
 * (XEP-0237) can ask the server for changes only. One key per account: `roster:<bare JID>`.
 */
export interface CachedRoster {
  /** the roster version the items belong to (XEP-0237), if the server gave one */
  version?: string;
  items: RosterItem[];
}

export interface RosterCache {
  load(bareJid: string): Promise<CachedRoster | undefined>;
  save(bareJid: string, roster: CachedRoster): Promise<void>;
  remove(bareJid: string): Promise<void>;
}

function isCachedRoster(v: unknown): v is CachedRoster {
  const r = v as CachedRoster;
  return !!r && typeof r === 'object' && Array.isArray(r.items) && r.items.every((i) => i && typeof i.jid === 'string' && Array.isArray(i.groups)) && (r.version === undefined || typeof r.version === 'string');
}

/**
 * The roster cache's own database: each store of ours has a database of its own, because two
 * localforage stores in one database need a version upgrade when the second is first opened, and
 * that upgrade waits (blocked) while another page or tab holds the database open.
 */
export const ROSTER_DB = 'jsxc:roster';

/** localforage (IndexedDB); the database is only created when something is saved or read. */
export class IndexedDbRosterCache implements RosterCache {
  private store?: IdbStore;

  private db(): IdbStore {
    this.store ??= new IdbStore(ROSTER_DB, 'roster');
    return this.store;
  }

  async load(bareJid: string): Promise<CachedRoster | undefined> {
    try {
      const value = await this.db().get<unknown>(`roster:${bareJid}`);
      return isCachedRoster(value) ? value : undefined;
    } catch (err) {
      console.warn('[jsxc] roster cache unavailable:', err instanceof Error ? err.message : err);
      return undefined;
    }
  }

  async save(bareJid: string, roster: CachedRoster): Promise<void> {
    try {
      await this.db().set(`roster:${bareJid}`, roster);
    } catch (err) {
      console.warn('[jsxc] could not cache the roster:', err instanceof Error ? err.message : err);
    }
  }

  async remove(bareJid: string): Promise<void> {
    if (!this.store) {
      // nothing was opened in this page; only touch IndexedDB when there may be something to delete
      const dbs = typeof indexedDB !== 'undefined' && indexedDB.databases ? await indexedDB.databases().catch(() => []) : [{ name: ROSTER_DB }];
      if (!dbs.some((d) => d.name === ROSTER_DB)) {
        return;
      }
    }
    await this.db()
      .remove(`roster:${bareJid}`)
      .catch(() => undefined);
  }
}

/** For Node (integration tests) and pages without IndexedDB: lives as long as the object. */
export class MemoryRosterCache implements RosterCache {
  private data = new Map<string, string>();

  async load(bareJid: string): Promise<CachedRoster | undefined> {
    const raw = this.data.get(bareJid);
    return raw ? (JSON.parse(raw) as CachedRoster) : undefined;
  }

  async save(bareJid: string, roster: CachedRoster): Promise<void> {
    this.data.set(bareJid, JSON.stringify(roster));
  }

  async remove(bareJid: string): Promise<void> {
    this.data.delete(bareJid);
  }
}

export function defaultRosterCache(): RosterCache {
  return typeof indexedDB === 'undefined' ? new MemoryRosterCache() : new IndexedDbRosterCache();
}
