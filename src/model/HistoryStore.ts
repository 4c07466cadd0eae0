/**
 * Where message history lives: IndexedDB through localforage in a browser (one store per
 * account), a Map where there is no IndexedDB (Node tests, private modes that refuse it).
 */
export interface KeyValueStore {
  getItem<T>(key: string): Promise<T | null>;
  setItem<T>(key: string, value: T): Promise<T>;
  removeItem(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

export class MemoryStore implements KeyValueStore {
  private map = new Map<string, unknown>();

  async getItem<T>(key: string): Promise<T | null> {
    const value = this.map.get(key);
    return value === undefined ? null : (structuredClone(value) as T);
  }

  async setItem<T>(key: string, value: T): Promise<T> {
    this.map.set(key, structuredClone(value));
    return value;
  }

  async removeItem(key: string): Promise<void> {
    this.map.delete(key);
  }

  async keys(): Promise<string[]> {
    return [...this.map.keys()];
  }
}

/** Stores of the accounts in this page, so two windows of one account share one store object. */
const stores = new Map<string, KeyValueStore>();

/**
 * The history store of an account (its bare JID): IndexedDB database "jsxc:<bare JID>", object
 * store "history".
 */
export async function historyStoreFor(accountUid: string): Promise<KeyValueStore> {
  let store = stores.get(accountUid);
  if (store) {
    return store;
  }
  if (typeof indexedDB === 'undefined') {
    store = new MemoryStore();
  } else {
    const { default: localforage } = await import(/* webpackChunkName: "localforage" */ 'localforage');
    // one database per account, so stores never need a schema upgrade of a shared database
    const instance = localforage.createInstance({ name: 'jsxc:' + accountUid, storeName: 'history', driver: localforage.INDEXEDDB });
    try {
      await instance.ready();
      store = instance;
    } catch (err) {
      console.warn('[jsxc] IndexedDB is not available; chat history will last only for this page:', err);
      store = new MemoryStore();
    }
  }
  stores.set(accountUid, store);
  return store;
}
