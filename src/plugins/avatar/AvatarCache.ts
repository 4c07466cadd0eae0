import { IdbStore } from '../../util/IdbStore';

export interface CachedAvatar {
  type: string;
  data: Uint8Array;
}

/** Where avatar images are kept between page loads, keyed by their SHA-1 hash. */
export interface AvatarStore {
  get(hash: string): Promise<CachedAvatar | undefined>;
  set(hash: string, avatar: CachedAvatar): Promise<void>;
}

/**
 * Avatars by hash in IndexedDB (util/IdbStore), so a reload shows them without asking the network.
 * Where no IndexedDB exists (Node, some private modes) it keeps them in memory for the session.
 */
export class AvatarCache implements AvatarStore {
  private memory = new Map<string, CachedAvatar>();
  private store: IdbStore | undefined;

  constructor(name = 'jsxc:avatars') { // a database of its own: see ROSTER_DB
    this.store = typeof indexedDB === 'undefined' ? undefined : new IdbStore(name, 'avatars');
  }

  async get(hash: string): Promise<CachedAvatar | undefined> {
    const hit = this.memory.get(hash);
    if (hit) {
      return hit;
    }
    try {
      const stored = await this.store?.get<CachedAvatar>(hash);
      if (stored && typeof stored.type === 'string' && stored.data instanceof Uint8Array) {
        this.memory.set(hash, stored);
        return stored;
      }
    } catch {
      // an unreadable entry is fetched again
    }
    return undefined;
  }

  async set(hash: string, avatar: CachedAvatar): Promise<void> {
    this.memory.set(hash, avatar);
    try {
      await this.store?.set(hash, avatar);
    } catch (err) {
      console.warn('[jsxc] could not cache an avatar:', err);
    }
  }
}
