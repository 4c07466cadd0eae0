import type { Account } from '../../model/Account';
import type { SessionRecord } from '../SessionStore';
import { AccountTabs, TabsHost } from './AccountTabs';
import { tabsSupported } from './leadership';

/** What the coordinator needs beyond the tabs of each account. */
export interface CoordinatorHost extends TabsHost {
  /** another tab logged in to this account: follow it, unless this tab has it already */
  sessionStartedElsewhere(accountUid: string): void;
}

/** On this channel a tab that starts a session (login, prebind) tells the tabs that do not have it. */
const ANNOUNCE_CHANNEL = 'jsxc:v1:tabs';

/**
 * The tabs side of a Client: one connection per account per browser (docs/session.md, "Several
 * tabs"). Where the browser lacks Web Locks or BroadcastChannel (or the session record is not in
 * shared storage), every tab is on its own, as before.
 */
export class TabCoordinator {
  private accounts = new Map<Account, AccountTabs>();
  /** whether the tabs of this browser coordinate (share the connection and the open windows) */
  readonly enabled: boolean;
  private announcements?: BroadcastChannel;

  constructor(
    private readonly host: CoordinatorHost,
    shared: boolean,
  ) {
    this.enabled = shared && tabsSupported();
    if (this.enabled) {
      this.announcements = new BroadcastChannel(ANNOUNCE_CHANNEL);
      this.announcements.onmessage = (event: MessageEvent) => {
        const data = event.data as { type?: unknown; uid?: unknown } | null;
        if (data?.type === 'session' && typeof data.uid === 'string') {
          this.host.sessionStartedElsewhere(data.uid);
        }
      };
    }
  }

  /**
   * This tab makes a new session for `account` (login, prebind) and so holds its connection; once
   * it is online, the tabs without it follow.
   */
  async lead(account: Account): Promise<void> {
    if (!this.enabled) {
      return;
    }
    await this.tabsOf(account).lead();
    const off = account.on('state', (state) => {
      if (state.kind !== 'connecting') {
        off();
        if (state.kind === 'online') {
          this.announcements?.postMessage({ type: 'session', uid: account.uid });
        }
      }
    });
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
