import { $iq } from 'strophe.js';
import { XmppConnection } from '../../connection/XmppConnection';
import { Emitter } from '../../core/Emitter';
import { JID } from '../../model/JID';
import { Roster } from '../../model/Roster';
import { childElements, firstChild } from '../../protocol/xml';

import { NS_BLOCKING } from './ns';

export { NS_BLOCKING };

/**
 * XEP-0191 blocking command for one session: the blocklist (fetched once, kept current by the
 * server's pushes) and block / unblock. Blocked roster contacts are marked on the model. No DOM.
 */
export class BlockingService extends Emitter<{ change: [] }> {
  private blocked = new Set<string>();

  constructor(
    private readonly connection: XmppConnection,
    private readonly account: JID,
    private readonly roster: Roster,
  ) {
    super();
  }

  /** The blocked JIDs (bare JIDs, or domains), sorted. */
  list(): string[] {
    return [...this.blocked].sort();
  }

  isBlocked(jid: string): boolean {
    return this.blocked.has(jid);
  }

  /** Blocks a JID: the server then delivers nothing from it, and shows us offline to it. */
  async block(jid: string): Promise<void> {
    await this.command('block', jid);
  }

  async unblock(jid: string): Promise<void> {
    await this.command('unblock', jid);
  }

  private async command(kind: 'block' | 'unblock', jid: string): Promise<void> {
    const bare = JID.parse(jid).bare;
    await this.connection.sendIQ($iq({ type: 'set' }).c(kind, { xmlns: NS_BLOCKING }).c('item', { jid: bare }));
    // the push that follows updates the list as well; applying it here makes the result immediate
    this.apply(kind, [bare]);
  }

  /** Fetches the blocklist (XEP-0191 §3.2). */
  async fetch(): Promise<void> {
    const result = await this.connection.sendIQ($iq({ type: 'get' }).c('blocklist', { xmlns: NS_BLOCKING }));
    const list = firstChild(result, 'blocklist', NS_BLOCKING);
    this.blocked = new Set(list ? itemJids(list) : []);
    this.markContacts();
  }

  /** Takes the blocklist this page's predecessor had for the same server session (no request). */
  restore(jids: string[]): void {
    this.blocked = new Set(jids);
    this.markContacts();
  }

  /** Handles the server's block / unblock pushes (§3.3, §3.4); only from our own account. */
  handlePushes(): () => void {
    return this.connection.addHandler(
      (iq) => {
        const from = iq.getAttribute('from');
        if (from && from !== this.account.bare && from !== this.account.full) {
          return;
        }
        const block = firstChild(iq, 'block', NS_BLOCKING);
        const unblock = firstChild(iq, 'unblock', NS_BLOCKING);
        if (block) {
          this.apply('block', itemJids(block));
        } else if (unblock) {
          const jids = itemJids(unblock);
          if (jids.length === 0) {
            this.blocked.clear(); // "unblock everyone"
            this.markContacts();
          } else {
            this.apply('unblock', jids);
          }
        }
        this.connection.send($iq({ type: 'result', id: iq.getAttribute('id') ?? '' }));
      },
      { ns: NS_BLOCKING, name: 'iq', type: 'set' },
    );
  }

  private apply(kind: 'block' | 'unblock', jids: string[]): void {
    for (const jid of jids) {
      if (kind === 'block') {
        this.blocked.add(jid);
      } else {
        this.blocked.delete(jid);
      }
    }
    this.markContacts();
  }

  /** Marks the roster's contacts as blocked or not. */
  markContacts(): void {
    for (const contact of this.roster.all()) {
      contact.setBlocked(this.blocked.has(contact.jid));
    }
    this.emit('change');
  }
}

function itemJids(parent: Element): string[] {
  const out: string[] = [];
  for (const item of childElements(parent, 'item')) {
    try {
      out.push(JID.parse(item.getAttribute('jid') ?? '').bare);
    } catch {
      // a malformed item is skipped
    }
  }
  return out;
}
