import type { Account } from '../../model/Account';
import type { Chat } from '../../model/Chat';
import type { Contact } from '../../model/Contact';
import type { Intent, TabMessage } from './messages';
import { snapshotRoster } from './rosterSnapshot';

/**
 * The tab holding the account's connection: tells the other tabs what changes (state, own
 * presence, roster, contacts' chat states, conversations read) and does what their users ask.
 */
export class LeaderRole {
  private offs: Array<() => void> = [];
  private rosterTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly account: Account,
    private readonly post: (message: TabMessage) => void,
    /** logs the account out in this tab (and so, through the channel, in every tab) */
    private readonly logOut: () => Promise<void>,
  ) {
    const { roster, chats } = account;
    const rosterChanged = () => this.rosterChanged();
    this.offs.push(
      account.on('state', () => this.post(this.stateMessage())),
      account.on('presence', () => this.post(this.stateMessage())),
      roster.on('reset', rosterChanged),
      roster.on('added', rosterChanged),
      roster.on('removed', rosterChanged),
      roster.on('changed', rosterChanged),
      roster.on('requests', rosterChanged),
      chats.on('created', (chat) => this.watchChat(chat)),
      chats.on('displayed', (chat) => this.post({ type: 'read', peer: chat.peer })),
    );
    chats.all().forEach((chat) => this.watchChat(chat));
    this.announce();
  }

  /** Everything, for a follower that just started (and as the announcement of a new leader). */
  announce(): void {
    this.post({ ...this.stateMessage(), type: 'snapshot', roster: snapshotRoster(this.account.roster) });
  }

  private stateMessage(): TabMessage & { type: 'state' } {
    return { type: 'state', state: this.account.state, presence: this.account.ownPresence };
  }

  /** Presence changes come in bursts (a new session): one roster message per burst. */
  private rosterChanged(): void {
    clearTimeout(this.rosterTimer);
    this.rosterTimer = setTimeout(() => this.post({ type: 'roster', roster: snapshotRoster(this.account.roster) }), 50);
  }

  private watchChat(chat: Chat): void {
    this.offs.push(chat.on('peerState', (state) => this.post({ type: 'peerState', peer: chat.peer, state })));
  }

  /** Does what a follower's user asked, as if it had been asked here. */
  async execute(intent: Intent): Promise<void> {
    const account = this.account;
    switch (intent.kind) {
      case 'setPresence':
        return account.setPresence(intent.show, intent.status);
      case 'addContact':
        return account.addContact(intent.contact);
      case 'updateContact':
        return account.updateContact(intent.contact);
      case 'removeContact':
        return account.removeContact(intent.jid);
      case 'answerSubscription':
        return account.answerSubscription(intent.jid, intent.accept);
      case 'addToContactList':
        return (account.getContact(intent.jid) as Contact).addToContactList();
      case 'ownChatState':
        return account.chats.get(intent.peer).setOwnState(intent.state);
      case 'displayed': {
        const chat = account.chats.get(intent.peer);
        await chat.open();
        return chat.markDisplayed();
      }
      case 'logout':
        return this.logOut();
      default:
        throw new Error(`Unknown request from another tab: ${JSON.stringify(intent)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.rosterTimer);
    this.offs.splice(0).forEach((off) => off());
  }
}
