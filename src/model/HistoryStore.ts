/**
 * Where message history lives: IndexedDB in a browser (one database per account), a Map where
 * there is no IndexedDB (Node tests, private modes that refuse it).
 */
export interface KeyValueStore {
  getItem<T>(key: string): Promise<T | null>;
  setItem<T>(key: string, value: T): Promise<T>;
  removeItem(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /** several values read in one transaction (null where there is none) */
  getItems?(keys: string[]): Promise<unknown[]>;
  /** several values written in one transaction: all or nothing */
  setItems?(entries: [string, unknown][]): Promise<void>;
}

/** Reads several keys, in one transaction where the store can. */
export function getItems(store: KeyValueStore, keys: string[]): Promise<unknown[]> {
  return store.getItems ? store.getItems(keys) : Promise.all(keys.map((k) => store.getItem(k)));
}

/** Writes several keys, in one transaction where the store can. */
export async function setItems(store: KeyValueStore, entries: [string, unknown][]): Promise<void> {
  if (store.setItems) {
    return store.setItems(entries);
  }
  for (const [key, value] of entries) {
    await store.setItem(key, value);
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
      this.map.set(key, structuredClone(value));
    }
  }
}

const requestDone = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/**
 * One object store of an IndexedDB database, keys are strings, values structured clones. The layout
 * is the one localforage wrote before (database "jsxc:<bare JID>", store "history", the key as the
 * record key, the value as is), so stored history stays readable. Several keys are read or written
 * in one transaction (`getItems`, `setItems`): a burst of messages costs one transaction, not seven
 * per message.
 */
export class IndexedDbStore implements KeyValueStore {
  private db?: Promise<IDBDatabase>;

  constructor(
    private readonly name: string,
    private readonly storeName: string,
  ) {}

  /** Opens the database (creating the store if it is missing); resolves once it can be used. */
  ready(): Promise<IDBDatabase> {
    return (this.db ??= this.open().catch((err) => {
      this.db = undefined;
      throw err;
    }));
  }

  private async open(version?: number): Promise<IDBDatabase> {
    const request = indexedDB.open(this.name, version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(this.storeName)) {
        request.result.createObjectStore(this.storeName);
      }
    };
    const db = await requestDone(request);
    if (!db.objectStoreNames.contains(this.storeName)) {
      // a database of ours without this store (another localforage store was made first)
      db.close();
      return this.open(db.version + 1);
    }
    // deleteAllData() (or a newer version) wants the database: let it go, open again when needed
    db.onversionchange = () => {
      db.close();
      this.db = undefined;
    };
    return db;
  }

  private async transaction(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.ready()).transaction(this.storeName, mode).objectStore(this.storeName);
  }

  async getItem<T>(key: string): Promise<T | null> {
    const value = await requestDone((await this.transaction('readonly')).get(key));
    return value === undefined ? null : (value as T);
  }

  async setItem<T>(key: string, value: T): Promise<T> {
    await this.setItems([[key, value]]);
    return value;
  }

  async removeItem(key: string): Promise<void> {
    const store = await this.transaction('readwrite');
    store.delete(key);
    await transactionDone(store.transaction);
  }

  async keys(): Promise<string[]> {
    return (await requestDone((await this.transaction('readonly')).getAllKeys())).map(String);
  }

  async getItems(keys: string[]): Promise<unknown[]> {
    if (keys.length === 0) {
      return [];
    }
    const store = await this.transaction('readonly');
    const values = await Promise.all(keys.map((k) => requestDone(store.get(k))));
    return values.map((v) => (v === undefined ? null : v));
  }

  async setItems(entries: [string, unknown][]): Promise<void> {
    if (entries.length === 0) {
      return;
    }
    const store = await this.transaction('readwrite');
    for (const [key, value] of entries) {
      store.put(value, key);
    }
    await transactionDone(store.transaction);
  }
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
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
    const instance = new IndexedDbStore('jsxc:' + accountUid, 'history');
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
