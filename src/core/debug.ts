import { StorageBackend } from '../api/Options';
import { setProtocolDebugLogging } from '../connection/XmppConnection';

/**
 * Debug mode (manual §3.3): a flag in options.storage, as JSXC 4 kept it, so it survives page loads.
 * While it is on, strophe.js logs every frame to the console, and deleteAllData() is allowed.
 */
export const STORAGE_PREFIX = 'jsxc:';
export const DEBUG_KEY = `${STORAGE_PREFIX}v1:debug`;
/** IndexedDB databases (localforage instances) whose name starts with this are ours. */
const IDB_PREFIX = 'jsxc';

export function isDebugMode(storage: StorageBackend | undefined): boolean {
  try {
    return storage?.getItem(DEBUG_KEY) === 'true';
  } catch {
    return false;
  }
}

export function setDebugMode(storage: StorageBackend | undefined, on: boolean): void {
  try {
    if (on) {
      storage?.setItem(DEBUG_KEY, 'true');
    } else {
      storage?.removeItem(DEBUG_KEY);
    }
  } catch (err) {
    console.warn('[jsxc] could not store the debug flag:', err);
  }
  setProtocolDebugLogging(on);
}

/** Removes every key of ours from the storage (except the debug flag); returns how many. */
export function deleteStoredKeys(storage: StorageBackend | undefined): number {
  if (!storage) {
    return 0;
  }
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null && key.startsWith(STORAGE_PREFIX) && key !== DEBUG_KEY) {
      keys.push(key);
    }
  }
  keys.forEach((key) => storage.removeItem(key));
  return keys.length;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function countRecords(name: string): Promise<number> {
  const open = indexedDB.open(name);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    const stores = Array.from(db.objectStoreNames);
    if (stores.length === 0) {
      return 0;
    }
    const tx = db.transaction(stores, 'readonly');
    const counts = await Promise.all(stores.map((store) => request(tx.objectStore(store).count())));
    return counts.reduce((a, b) => a + b, 0);
  } finally {
    db.close();
  }
}

/**
 * Deletes our IndexedDB databases (history, caches: localforage instances named jsxc…); returns
 * the number of records they held. A database another tab still has open is deleted once it closes.
 */
export async function deleteDatabases(): Promise<number> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') {
    return 0;
  }
  const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(IDB_PREFIX));
  let total = 0;
  for (const name of names) {
    total += await countRecords(name).catch(() => 0);
    await new Promise<void>((resolve) => {
      const del = indexedDB.deleteDatabase(name);
      del.onsuccess = () => resolve();
      del.onerror = () => resolve();
      del.onblocked = () => resolve();
    });
  }
  return total;
}
