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

/**
 * Deletes our IndexedDB databases (history, caches: localforage instances named jsxc…). A database
 * another tab (or this page) still has open is deleted once it closes; this does not wait for that.
 */
export async function deleteDatabases(): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') {
    return;
  }
  const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(IDB_PREFIX));
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve) => {
          const del = indexedDB.deleteDatabase(name);
          del.onsuccess = () => resolve();
          del.onerror = () => resolve();
          del.onblocked = () => resolve();
        }),
    ),
  );
}
