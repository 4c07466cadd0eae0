import type { Account, OwnPresence } from '../../model/Account';
import type { AccountRemote } from '../../model/AccountRemote';
import type { RosterItemUpdate } from '../../protocol/rosterEdit';
import type { Intent, TabMessage } from './messages';
import { applyRosterSnapshot } from './rosterSnapshot';

/** How long a request waits for a tab that holds the connection (a hand-over takes far less). */
const REQUEST_TIMEOUT = 20000;

interface Pending {
  intent: Intent;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

let counter = 0;

/**
 * A tab that does not hold the account's connection: shows what the leader tells (state, own
 * presence, roster, chat states) and sends its user's intents to the leader. Requests without an
 * answer are sent again to the next leader, or done here when this tab becomes the leader.
 */
export class FollowerRole implements AccountRemote {
  private pending = new Map<string, Pending>();
  private offs: Array<() => void> = [];

  constructor(
    private readonly account: Account,
    private readonly post: (message: TabMessage) => void,
  ) {
    const { chats } = account;
    this.offs.push(
      chats.on('ownState', (chat, state) => void this.request({ kind: 'ownChatState', peer: chat.peer, state }).catch(() => undefined)),
      chats.on('displayed', (chat) => void this.request({ kind: 'displayed', peer: chat.peer }).catch(() => undefined)),
    );
    account.follow(this);
    this.post({ type: 'hello' });
  }

  /** A message from the leader. */
  receive(message: TabMessage): void {
    switch (message.type) {
      case 'snapshot':
        // a (new) leader: it may not have seen what we asked the previous one
        for (const [id, p] of this.pending) {
          this.post({ type: 'request', id, intent: p.intent });
        }
        applyRosterSnapshot(this.account.roster, message.roster);
        this.account.mirror(message.state, message.presence);
        break;
      case 'state':
        this.account.mirror(message.state, message.presence);
        break;
      case 'roster':
        applyRosterSnapshot(this.account.roster, message.roster);
        break;
      case 'peerState':
        this.account.chats.get(message.peer).setPeerState(message.state);
        break;
      case 'read':
        if (this.account.chats.has(message.peer)) {
          this.account.chats.get(message.peer).setUnread(0);
        }
        break;
      case 'result':
        this.settle(message.id, message.error);
        break;
    }
  }

  private settle(id: string, error?: string): void {
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (error === undefined) {
        p.resolve();
      } else {
        p.reject(new Error(error));
      }
    }
  }

  private request(intent: Intent): Promise<void> {
    const id = `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`No tab holds the connection of ${this.account.uid}`));
      }, REQUEST_TIMEOUT);
      this.pending.set(id, { intent, resolve, reject, timer });
      this.post({ type: 'request', id, intent });
    });
  }

  /** This tab becomes the leader: what is still unanswered is done here by `execute`. */
  handOver(execute: (intent: Intent) => Promise<void>): void {
    this.dispose();
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      execute(p.intent).then(p.resolve, p.reject);
    }
  }

  dispose(): void {
    this.offs.splice(0).forEach((off) => off());
    if (this.account.following) {
      this.account.follow(undefined);
    }
  }

  /** Rejects whatever is still waiting (the account is gone here). */
  abandon(): void {
    this.dispose();
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (p.intent.kind === 'logout') {
        p.resolve(); // done, by whichever tab
      } else {
        p.reject(new Error(`${this.account.uid} was logged out`));
      }
    }
  }

  // AccountRemote: the account's intents while following

  setPresence(show: OwnPresence['show'], status: string): Promise<void> {
    return this.request({ kind: 'setPresence', show, status });
  }

  addContact(contact: RosterItemUpdate): Promise<void> {
    return this.request({ kind: 'addContact', contact });
  }

  updateContact(contact: RosterItemUpdate): Promise<void> {
    return this.request({ kind: 'updateContact', contact });
  }

  removeContact(jid: string): Promise<void> {
    return this.request({ kind: 'removeContact', jid });
  }

  answerSubscription(jid: string, accept: boolean): Promise<void> {
    return this.request({ kind: 'answerSubscription', jid, accept });
  }

  addToContactList(jid: string, name?: string): Promise<void> {
    return this.request({ kind: 'addToContactList', jid, ...(name ? { name } : {}) });
  }

  logout(): Promise<void> {
    return this.request({ kind: 'logout' });
  }
}
