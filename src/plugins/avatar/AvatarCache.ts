import localforage from 'localforage';

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
 * Avatars by hash in IndexedDB (localforage), so a reload shows them without asking the network.
 * Where no IndexedDB exists (Node, some private modes) it keeps them in memory for the session.
 */
export class AvatarCache implements AvatarStore {
  private memory = new Map<string, CachedAvatar>();
  private store: Promise<LocalForage | undefined>;

  constructor(name = 'jsxc:avatars') { // a database of its own: see ROSTER_DB
    this.store = (async () => {
      try {
        const instance = localforage.createInstance({ name, storeName: 'avatars', driver: localforage.INDEXEDDB });
        await instance.ready();
        return instance;
      } catch {
        return undefined;
      }
    })();
  }

  async get(hash: string): Promise<CachedAvatar | undefined> {
    const hit = this.memory.get(hash);
    if (hit) {
      return hit;
    }
    const store = await this.store;
    try {
      const stored = await store?.getItem<CachedAvatar>(hash);
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
    const store = await this.store;
    try {
      await store?.setItem(hash, avatar);
    } catch (err) {
      console.warn('[jsxc] could not cache an avatar:', err);
    }
  }
}
