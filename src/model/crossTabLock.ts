/**
 * Runs `task` while holding the Web Lock `name`, so that tabs of one browser never interleave
 * read-modify-write sequences on shared storage (IndexedDB). Without the Web Locks API (older
 * browsers, Node) the task just runs: there is then only one writer per store anyway.
 */
export function withCrossTabLock<T>(name: string | undefined, task: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { locks?: LockManager }).locks;
  if (!name || !locks?.request) {
    return task();
  }
  return locks.request(name, () => task()) as Promise<T>;
}
