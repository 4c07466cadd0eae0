/**
 * A small key–value store in one IndexedDB database with one object store (out-of-line keys), the
 * same layout localforage's IndexedDB driver writes: databases it made are read as they are.
 * It keeps localforage (about 29 KB minified) out of the main bundle: the roster and avatar caches
 * are read before the connection is back, so they must not wait for a chunk (docs/architecture.md).
 * The database is opened on first use; another page deleting it (deleteAllData) closes it here.
 */
export class IdbStore {
  private db?: Promise<IDBDatabase>;

  constructor(
    readonly name: string,
    private readonly storeName: string,
  ) {}

  get<T>(key: string): Promise<T | undefined> {
    return this.run<T | undefined>('readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.run('readwrite', (s) => s.put(value, key));
  }

  async remove(key: string): Promise<void> {
    await this.run('readwrite', (s) => s.delete(key));
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= this.connect().catch((err: unknown) => {
      this.db = undefined;
      throw err;
    });
    return this.db;
  }

  /**
   * Opens the database; one that exists without our object store (made by someone else, e.g. a
   * page that only looked) is opened again one version up to add it, as localforage does.
   */
  private connect(version?: number): Promise<IDBDatabase> {
    return new Promise<IDBDatabase>((resolve, reject) => {
      const req = version === undefined ? indexedDB.open(this.name) : indexedDB.open(this.name, version);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(this.storeName)) {
          req.result.createObjectStore(this.storeName);
        }
      };
      req.onsuccess = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains(this.storeName)) {
          db.close();
          resolve(this.connect(db.version + 1));
          return;
        }
        db.onversionchange = () => {
          db.close();
          this.db = undefined;
        };
        resolve(db);
      };
      req.onerror = () => reject(req.error ?? new Error(`IndexedDB ${this.name} could not be opened`));
      // another page holds an older version open: wait for it to close (it closes on versionchange)
      req.onblocked = () => console.warn(`[jsxc] IndexedDB ${this.name}: waiting for another page to close it`);
    });
  }

  private async run<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.open();
    return new Promise<T>((resolve, reject) => {
      const tx = db.transaction(this.storeName, mode);
      const req = op(tx.objectStore(this.storeName));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = tx.onabort = () => reject(tx.error ?? req.error ?? new Error(`IndexedDB ${this.name}: transaction failed`));
    });
  }
}
