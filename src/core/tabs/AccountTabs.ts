import type { Account } from '../../model/Account';
import type { ChatHistory, HistoryChange } from '../../model/ChatHistory';
import type { SessionRecord, SessionStore } from '../SessionStore';
import { loadSessionCode, SessionCode } from '../sessionCode';
import type { FollowerRole } from './FollowerRole';
import { LeaderRole } from './LeaderRole';
import { Leadership } from './leadership';
import type { TabMessage } from './messages';
import { TabChannel } from './TabChannel';

/** What the tabs of an account need from the Client that owns it. */
export interface TabsHost {
  readonly sessions: SessionStore;
  /** logs the account out in this tab and drops it from the client */
  logOut(account: Account): Promise<void>;
}

/**
 * One account in this tab, among the tabs of the browser (docs/session.md, "Several tabs"): the tab
 * holding the Web Lock leads (holds the connection), the others follow through the account's
 * BroadcastChannel and wait in line for the lock. Whichever tab writes to the shared history tells
 * the others, so every tab shows each message once.
 *
 * The follower role's code is in the "session" chunk (src/core/sessionCode.ts), asked for when the
 * account was made: a tab that follows does so at once, and what the leader tells it before that
 * code is there is kept and given to its FollowerRole when it arrives. (The leader role is in the
 * main bundle: made later, its first announcement — the whole roster — would fall right on the
 * first paint of the cached roster after a page load.)
 */
export class AccountTabs {
  private channel: TabChannel;
  private claim?: Leadership;
  private leader?: LeaderRole;
  /** another tab holds the connection (the FollowerRole is there once the session chunk is) */
  private following = false;
  private follower?: FollowerRole;
  /** what the leader sent before the FollowerRole's code was there: given to it when it is made */
  private early: TabMessage[] = [];
  private offHistory?: () => void;
  private observing = false;
  private offState: () => void;
  private closed = false;

  constructor(
    private readonly account: Account,
    private readonly host: TabsHost,
  ) {
    this.channel = new TabChannel(account.uid, (message) => this.receive(message));
    // an expired session is over in every tab; nobody waits for it any more
    this.offState = account.on('state', (state) => {
      if (state.kind === 'online') {
        this.observeHistory();
      } else if (state.kind === 'expired') {
        if (this.leader) {
          this.channel.post({ type: 'state', state, presence: account.ownPresence });
        }
        this.close(false);
      }
    });
  }

  /**
   * Tells the other tabs about writes to the history. Only once there is a session: a page that
   * never logged in does not even open IndexedDB.
   */
  private observeHistory(): void {
    if (this.observing) {
      return;
    }
    this.observing = true;
    void this.account.chats.history().then((history: ChatHistory) => {
      if (!this.closed) {
        this.offHistory = history.observe((change) => this.historyChanged(change));
      }
    });
  }

  get leading(): boolean {
    return this.leader !== undefined;
  }

  /** This tab makes a new session (login, prebind): it leads. */
  async lead(): Promise<void> {
    this.claim = await Leadership.tryTake(this.account.uid);
    if (!this.claim) {
      console.warn(`[jsxc] another tab already holds a connection of ${this.account.uid}; this tab connects as well`);
    }
    this.becomeLeader();
  }

  /** A stored session after a page load: continued here if no tab holds it, followed otherwise. */
  async restore(record: SessionRecord): Promise<void> {
    this.observeHistory();
    const claim = await Leadership.tryTake(this.account.uid);
    if (this.closed) {
      claim?.release();
      return;
    }
    if (claim) {
      this.claim = claim;
      this.becomeLeader();
      await this.account.restore(record);
      return;
    }
    this.follow();
    this.account.mirror({ kind: 'connecting' });
    this.claim = Leadership.wait(this.account.uid, () => void this.takeOver());
    // the contact list at once, from the cache, until the leader's snapshot (or our own session) comes
    await this.account.paintCachedRoster();
  }

  /** The leader tab went away: this one continues the session, without a password. */
  private async takeOver(): Promise<void> {
    const record = this.host.sessions.get(this.account.uid);
    if (this.closed) {
      return;
    }
    if (!record) {
      // logged out meanwhile (the message may not have reached us)
      this.close(false);
      await this.host.logOut(this.account);
      return;
    }
    const follower = this.follower;
    this.follower = undefined;
    this.following = false;
    this.early = []; // for a follower whose code had not come yet
    follower?.dispose(); // from now on this tab's user acts here
    this.becomeLeader();
    await this.account.restore(record);
    // what the user asked and no leader answered: done now that the session is back
    follower?.handOver((intent) => (this.leader ? this.leader.execute(intent) : Promise.reject(new Error(`The session of ${this.account.uid} ended`))));
  }

  /** Follows the tab that holds the connection: now if the code is there, else when it comes. */
  private follow(): void {
    this.following = true;
    const make = ({ FollowerRole }: SessionCode) => {
      if (this.following && !this.follower && !this.closed) {
        this.follower = new FollowerRole(this.account, (m) => this.channel.post(m));
        this.early.splice(0).forEach((m) => this.follower?.receive(m));
      }
    };
    if (loadSessionCode.loaded) {
      make(loadSessionCode.loaded);
      return;
    }
    loadSessionCode().then(make, (err: unknown) => {
      this.early = [];
      console.error(`[jsxc] the code to follow the tab that holds the session of ${this.account.uid} (chunk "session") could not be loaded:`, err);
    });
  }

  private becomeLeader(): void {
    this.leader = new LeaderRole(this.account, (m) => this.channel.post(m), () => this.host.logOut(this.account));
  }

  private historyChanged(change: HistoryChange): void {
    if (change.op === 'outbox') {
      if (!this.leader) {
        this.channel.post({ type: 'outbox' });
      }
    } else {
      this.channel.post({ type: 'stored', op: change.op, message: change.message, older: change.op === 'add' && change.older });
    }
  }

  private receive(message: TabMessage): void {
    if (this.closed) {
      return;
    }
    switch (message.type) {
      case 'stored': {
        const { chats } = this.account;
        if (message.op === 'add') {
          void chats.get(message.message.peer).mirror(message.message, message.older);
        } else if (chats.has(message.message.peer)) {
          chats.get(message.message.peer).mirrorUpdate(message.message);
        }
        return;
      }
      case 'loggedOut':
        this.close(false);
        void this.host.logOut(this.account);
        return;
      case 'outbox':
        if (this.leader) {
          void this.account.chats.flushOutbox();
        }
        return;
      case 'hello':
      case 'request':
      case 'attention':
      case 'handlers':
        this.leader?.receive(message);
        return;
      default:
        if (this.follower) {
          this.follower.receive(message);
        } else if (this.following) {
          this.early.push(message);
        }
    }
  }

  /**
   * The account is gone from this tab (logout here or elsewhere, expiry): stop leading or waiting.
   * `announce`: tell the other tabs that the account logged out.
   */
  close(announce: boolean): void {
    if (this.closed) {
      return;
    }
    if (announce) {
      this.channel.post({ type: 'loggedOut' });
    }
    this.closed = true;
    this.offState();
    this.offHistory?.();
    this.leader?.dispose();
    this.follower?.abandon();
    this.leader = undefined;
    this.follower = undefined;
    this.following = false;
    this.early = [];
    this.claim?.release();
    this.channel.close();
  }
}
