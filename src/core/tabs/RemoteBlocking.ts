import { Emitter } from '../../core/Emitter';
import type { Blocking } from '../../plugins/blocking';
import type { Intent } from './messages';

/**
 * A follower tab's XEP-0191 blocking service (`account.service('blocking')`): the blocklist as the
 * leader tab has it, and block / unblock done by the leader. Provided only while the leader has a
 * blocking service (the server supports it and the plugin is on).
 */
export class RemoteBlocking extends Emitter<{ change: [] }> implements Blocking {
  private blocked = new Set<string>();

  constructor(private readonly request: (intent: Intent) => Promise<unknown>) {
    super();
  }

  /** The leader's list. */
  mirror(blocklist: string[]): void {
    this.blocked = new Set(blocklist);
    this.emit('change');
  }

  list(): string[] {
    return [...this.blocked].sort();
  }

  isBlocked(jid: string): boolean {
    return this.blocked.has(jid);
  }

  async block(jid: string): Promise<void> {
    await this.request({ kind: 'block', jid });
  }

  async unblock(jid: string): Promise<void> {
    await this.request({ kind: 'unblock', jid });
  }
}
