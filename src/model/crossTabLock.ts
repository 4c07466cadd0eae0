/** Without the Web Locks API: tasks under one name run one after another within this page (or Node process). */
const localChains = new Map<string, Promise<unknown>>();

/**
 * Runs `task` while holding the Web Lock `name`, so that tabs of one browser never interleave
 * read-modify-write sequences on shared storage (IndexedDB). Without the Web Locks API (older
 * browsers, Node) tasks of one name still run one at a time within this page or process (two
 * objects of one account writing one store); other tabs cannot be excluded then.
 */
export function withCrossTabLock<T>(name: string | undefined, task: () => Promise<T>): Promise<T> {
  if (!name) {
    return task();
  }
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
  if (locks?.request) {
    return locks.request(name, () => task()) as Promise<T>;
  }
  const run = (localChains.get(name) ?? Promise.resolve()).then(task, task);
  const chain = run.catch(() => undefined);
  localChains.set(name, chain);
  void chain.then(() => localChains.get(name) === chain && localChains.delete(name));
  return run;
}
