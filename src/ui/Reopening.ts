import type { Account } from '../model/Account';
import type { OpenWindow, StoredWindow } from './OpenWindows';

/**
 * Windows reopened after a page load whose code is still loading (a chunk, src/ui/lazy.ts): until
 * the window shows, a provider still lists it as stored, so that saving the open windows meanwhile
 * (another window opened, the roster toggled) keeps it. A window whose code could not be loaded
 * stays listed: it is tried again after the next page load.
 */
export class Reopening<K> {
  private pending = new Map<K, { account: Account; stored: OpenWindow }>();

  /** `opening` resolves when the window of `key` is open. */
  track<W>(key: K, account: Account, stored: StoredWindow, opening: Promise<W>): Promise<W> {
    const { kind: _kind, ...listed } = stored;
    this.pending.set(key, { account, stored: listed });
    return opening.then((w) => {
      this.pending.delete(key);
      return w;
    });
  }

  /** The account's windows still on their way (`isOpen`: whether one shows by now). */
  list(account: Account, isOpen: (key: K) => boolean): OpenWindow[] {
    return [...this.pending].filter(([key, p]) => p.account === account && !isOpen(key)).map(([, p]) => p.stored);
  }
}
