import type { RosterCache } from '../core/RosterCache';
import type { SessionStore } from '../core/SessionStore';
import type { Roster } from './Roster';

/** Milliseconds after a roster change before the cache is written (the changes meanwhile go with it). */
const WRITE_DELAY = 200;

/**
 * Keeps an account's roster cache (docs/session.md, "Roster cache and versioning") current while
 * there is a session to restore: written WRITE_DELAY ms after a change of the items or the version
 * (presence-only changes write nothing), or at once when the page goes away (`writeNow`).
 */
export class RosterCacheWriter {
  private timer?: ReturnType<typeof setTimeout>;
  /** what was written last (JSON): a change that leaves it the same is not written again */
  private written = '';

  constructor(
    private readonly uid: string,
    private readonly roster: Roster,
    private readonly sessions: SessionStore,
    private readonly cache: RosterCache,
  ) {
    // presence changes come as "changed" too: written only when the items or the version differ.
    // The first change not yet written sets the time: later ones don't put it off, or a steady
    // flow of presence (a large roster coming online) would keep the roster out of the cache until
    // the page goes away, when a write may no longer finish (the next page then has no cache)
    const soon = () => {
      this.timer ??= setTimeout(() => this.write(), WRITE_DELAY);
    };
    roster.on('reset', soon);
    roster.on('added', soon);
    roster.on('removed', soon);
    roster.on('changed', soon);
  }

  /** Writes now if a write is waiting (the page goes away). */
  writeNow(): void {
    if (this.timer !== undefined) {
      this.write();
    }
  }

  /** Drops a waiting write (logout: the cache is removed). */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private write(): void {
    this.cancel();
    if (this.roster.isLoaded && this.sessions.get(this.uid)) {
      const roster = { version: this.roster.version, items: this.roster.items() };
      const json = JSON.stringify(roster);
      if (json !== this.written) {
        this.written = json;
        void this.cache.save(this.uid, roster);
      }
    }
  }
}
