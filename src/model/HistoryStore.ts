import { LocalForageInstance, localforageInstance } from '../util/localforageStore';

/**
 * Where message history lives: IndexedDB through localforage in a browser (one database per
 * account), a Map where there is no IndexedDB (Node tests, private modes that refuse it).
 */
export interface KeyValueStore {
  getItem<T>(key: string): Promise<T | null>;
  setItem<T>(key: string, value: T): Promise<T>;
  removeItem(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /** several values read in one transaction (null where there is none) */
  getItems?(keys: string[]): Promise<unknown[]>;
  /** several values written in one transaction: all or nothing (value undefined: the key is removed) */
  setItems?(entries: [string, unknown][]): Promise<void>;
}

/** Reads several keys, in one transaction where the store can. */
export function getItems(store: KeyValueStore, keys: string[]): Promise<unknown[]> {
  return store.getItems ? store.getItems(keys) : Promise.all(keys.map((k) => store.getItem(k)));
}

/** Writes several keys (value undefined: removes the key), in one transaction where the store can. */
export async function setItems(store: KeyValueStore, entries: [string, unknown][]): Promise<void> {
  if (store.setItems) {
    return store.setItems(entries);
  }
  for (const [key, value] of entries) {
    await (value === undefined ? store.removeItem(key) : store.setItem(key, value));
  }
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

  async getItems(keys: string[]): Promise<unknown[]> {
    return keys.map((k) => {
      const value = this.map.get(k);
      return value === undefined ? null : structuredClone(value);
    });
  }

  async setItems(entries: [string, unknown][]): Promise<void> {
    for (const [key, value] of entries) {
      if (value === undefined) {
        this.map.delete(key);
      } else {
        this.map.set(key, structuredClone(value));
      }
    }
  }
}

/**
 * The history of an account in IndexedDB through localforage. Several keys are read together and
 * written together: localforage makes one transaction per key, and IndexedDB runs read-write
 * transactions on one store in the order they were made, so a batch lands in its order (ChatHistory
 * writes the messages first and the index, outbox, catch-up point and revision after them: a page
 * that dies in the middle leaves a consistent prefix, and the archive fills the rest).
 */
export class LocalforageStore implements KeyValueStore {
  constructor(private readonly instance: LocalForageInstance) {}

  getItem<T>(key: string): Promise<T | null> {
    return this.instance.getItem<T>(key);
  }

  setItem<T>(key: string, value: T): Promise<T> {
    return this.instance.setItem(key, value);
  }

  removeItem(key: string): Promise<void> {
    return this.instance.removeItem(key);
  }

  keys(): Promise<string[]> {
    return this.instance.keys();
  }

  getItems(keys: string[]): Promise<unknown[]> {
    return Promise.all(keys.map((k) => this.instance.getItem(k)));
  }

  async setItems(entries: [string, unknown][]): Promise<void> {
    // all issued at once, in order (see above); resolves when the last has committed
    await Promise.all(entries.map(([key, value]) => (value === undefined ? this.instance.removeItem(key) : this.instance.setItem(key, value))));
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
    // one database per account, so stores never need a schema upgrade of a shared database
    try {
      store = new LocalforageStore(await localforageInstance('jsxc:' + accountUid, 'history'));
    } catch (err) {
      console.warn('[jsxc] IndexedDB is not available; chat history will last only for this page:', err);
      store = new MemoryStore();
    }
  }
  stores.set(accountUid, store);
  return store;
}
