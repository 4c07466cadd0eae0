import type { Account } from '../../model/Account';
import type { SessionRecord } from '../SessionStore';
import { AccountTabs, TabsHost } from './AccountTabs';
import { tabsSupported } from './leadership';

/**
 * The tabs side of a Client: one connection per account per browser (docs/session.md, "Several
 * tabs"). Where the browser lacks Web Locks or BroadcastChannel (or the session record is not in
 * shared storage), every tab is on its own, as before.
 */
export class TabCoordinator {
  private accounts = new Map<Account, AccountTabs>();
  private readonly enabled: boolean;

  constructor(
    private readonly host: TabsHost,
    shared: boolean,
  ) {
    this.enabled = shared && tabsSupported();
  }

  /** This tab makes a new session for `account` (login, prebind) and so holds its connection. */
  lead(account: Account): Promise<void> {
    return this.enabled ? this.tabsOf(account).lead() : Promise.resolve();
  }

  /** Continues a stored session: here if no other tab holds it, otherwise by following that tab. */
  restore(account: Account, record: SessionRecord): Promise<void> {
    return this.enabled ? this.tabsOf(account).restore(record) : account.restore(record);
  }

  /** The account is gone from this tab; `loggedOut`: tell the other tabs, they drop it too. */
  drop(account: Account, loggedOut: boolean): void {
    this.accounts.get(account)?.close(loggedOut);
    this.accounts.delete(account);
  }

  private tabsOf(account: Account): AccountTabs {
    let tabs = this.accounts.get(account);
    if (!tabs) {
      tabs = new AccountTabs(account, this.host);
      this.accounts.set(account, tabs);
    }
    return tabs;
  }
}
