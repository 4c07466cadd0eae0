/**
 * localforage (IndexedDB), the project's storage library for history and caches, as a chunk of
 * its own ("localforage"): the main bundle does not carry it, and the first store asks for it.
 * RosterCache starts the load when the widget starts (a cached roster is painted from it before
 * the connection is back), so it arrives while the rest of the page starts.
 */
type LocalForageModule = typeof import('localforage');
export type LocalForageInstance = ReturnType<LocalForageModule['createInstance']>;

let loading: Promise<LocalForageModule> | undefined;

/** localforage, loaded once (a failed load, e.g. network, is tried again next time). */
export function loadLocalforage(): Promise<LocalForageModule> {
  loading ??= import(/* webpackChunkName: "localforage" */ 'localforage').then(
    (m) => (m as unknown as { default?: LocalForageModule }).default ?? m,
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/**
 * One object store of one IndexedDB database through localforage (database `name`, object store
 * `storeName`; localforage adds a store missing from an existing database by a version upgrade).
 */
export async function localforageInstance(name: string, storeName: string): Promise<LocalForageInstance> {
  const localforage = await loadLocalforage();
  const instance = localforage.createInstance({ name, storeName, driver: localforage.INDEXEDDB });
  await instance.ready();
  return instance;
}
