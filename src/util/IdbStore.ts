import { LocalForageInstance, localforageInstance } from './localforageStore';

/**
 * A small key–value store (one IndexedDB database and object store, through localforage) for the
 * roster and avatar caches. The database is opened on first use; a failed open is tried again next
 * time (another page may have been deleting it: deleteAllData).
 */
export class IdbStore {
  private instance?: Promise<LocalForageInstance>;

  constructor(
    readonly name: string,
    private readonly storeName: string,
  ) {}

  async get<T>(key: string): Promise<T | undefined> {
    const value = await (await this.open()).getItem<T>(key);
    return value === null ? undefined : value;
  }

  async set(key: string, value: unknown): Promise<void> {
    await (await this.open()).setItem(key, value);
  }

  async remove(key: string): Promise<void> {
    await (await this.open()).removeItem(key);
  }

  private open(): Promise<LocalForageInstance> {
    this.instance ??= localforageInstance(this.name, this.storeName).catch((err: unknown) => {
      this.instance = undefined;
      throw err;
    });
    return this.instance;
  }
}
