/**
 * Which tab of the browser holds an account's connection: the one holding the Web Lock
 * `jsxc:v1:connection:<bare JID>`. The browser releases a lock when its tab closes (or crashes), and
 * grants it at once to the next tab waiting for it: that is the hand-over.
 */

/** Whether this browser can coordinate tabs (Web Locks and BroadcastChannel). */
export function tabsSupported(): boolean {
  return typeof navigator !== 'undefined' && typeof (navigator as Navigator & { locks?: LockManager }).locks?.request === 'function' && typeof BroadcastChannel === 'function';
}

/**
 * Whether the session records in `storage` are seen by every tab (localStorage or a host's own
 * shared storage); with sessionStorage (one per tab) or none, every tab is on its own.
 */
export function sharedAcrossTabs(storage: unknown): boolean {
  if (storage === undefined) {
    return false;
  }
  try {
    return typeof sessionStorage === 'undefined' || storage !== sessionStorage;
  } catch {
    return true; // sessionStorage refused (sandboxed frame): storage is the host's own
  }
}

export function lockName(accountUid: string): string {
  return `jsxc:v1:connection:${accountUid}`;
}

/** A claim on the lock: held (leading) or waiting for it; `release()` gives it up either way. */
export class Leadership {
  private abort = new AbortController();
  private letGo!: () => void;
  private held = new Promise<void>((resolve) => (this.letGo = resolve));
  private released = false;
  /** whether this tab holds the lock */
  leading = false;

  private constructor(private readonly name: string) {}

  /**
   * Takes the lock if no tab holds it: resolves with the held claim, or `undefined` when another
   * tab holds it.
   */
  static async tryTake(accountUid: string): Promise<Leadership | undefined> {
    const claim = new Leadership(lockName(accountUid));
    const got = await new Promise<boolean>((resolve) => {
      void navigator.locks
        .request(claim.name, { ifAvailable: true }, (lock) => {
          resolve(lock !== null);
          if (!lock) {
            return undefined;
          }
          claim.leading = true;
          return claim.held;
        })
        .catch((err: unknown) => {
          console.warn('[jsxc] the tab lock failed:', err);
          resolve(false);
        });
    });
    return got ? claim : undefined;
  }

  /** Waits in line for the lock; `onGranted` runs when this tab gets it (unless released before). */
  static wait(accountUid: string, onGranted: () => void): Leadership {
    const claim = new Leadership(lockName(accountUid));
    navigator.locks
      .request(claim.name, { signal: claim.abort.signal }, () => {
        if (claim.released) {
          return undefined;
        }
        claim.leading = true;
        onGranted();
        return claim.held;
      })
      .catch((err: unknown) => {
        if ((err as Error)?.name !== 'AbortError') {
          console.warn('[jsxc] waiting for the tab lock failed:', err);
        }
      });
    return claim;
  }

  /** Gives the lock up (the next waiting tab gets it), or stops waiting for it. */
  release(): void {
    this.released = true;
    this.leading = false;
    this.abort.abort();
    this.letGo();
  }
}
