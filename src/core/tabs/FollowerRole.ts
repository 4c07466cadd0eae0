import type { Chat } from '../../model/Chat';
import { ArchivePageResult, loadOlderFromArchive } from '../../model/Chats';
import type { Account, OwnPresence } from '../../model/Account';
import type { AccountRemote } from '../../model/AccountRemote';
import type { RoomMessageIds } from '../../model/RoomMessage';
import type { RosterItemUpdate } from '../../protocol/rosterEdit';
import { BLOCKING_SERVICE } from '../../plugins/blocking';
import { MucError, MucErrorKind, MucErrorParams } from '../../plugins/muc/errors';
import type { ErrorData, Intent, RoomOp, TabMessage } from './messages';
import { RemoteBlocking } from './RemoteBlocking';
import { RemoteHandlers } from './RemoteHandlers';
import { RemoteRooms } from './RemoteRooms';
import { applyRoomChange, applyRoomsSnapshot } from './roomSnapshot';
import { applyRosterSnapshot } from './rosterSnapshot';
import { ownAttention, watchAttention } from './tabAttention';

/** How long a request waits for a tab that holds the connection (a hand-over takes far less). */
const REQUEST_TIMEOUT = 20000;

interface Pending {
  intent: Intent;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

let counter = 0;

/** Where a room request carries the message's ids: sendMessage(body, ids), sendPrivateMessage(nick, body, ids). */
const IDS_ARGUMENT: Partial<Record<RoomOp, number>> = { sendMessage: 1, sendPrivateMessage: 2 };

/**
 * A request asked again (of a new leader, or done here after the hand-over): a room message (or a
 * private one) may have been sent by the leader that had it, so the one that sends it now looks
 * first (the timeline, then the room's archive or our own since the request) and sends it again
 * only if it is not there.
 */
function askedAgain(intent: Intent): Intent {
  const at = intent.kind === 'room' ? IDS_ARGUMENT[intent.op] : undefined;
  if (intent.kind !== 'room' || at === undefined || !intent.args[at]) {
    return intent;
  }
  const ids = intent.args[at] as RoomMessageIds;
  return { ...intent, args: [...intent.args.slice(0, at), { ...ids, attempted: ids.attempted ?? ids.requested }] };
}

/**
 * A tab that does not hold the account's connection: shows what the leader tells (state, own
 * presence, roster, chat states, group chats, the blocklist) and sends its user's intents to the
 * leader. Requests without an answer are sent again to the next leader, or done here when this tab
 * becomes the leader. Notifications are shown only when the leader chooses this tab.
 */
export class FollowerRole implements AccountRemote {
  private pending = new Map<string, Pending>();
  private offs: Array<() => void> = [];
  private readonly rooms: RemoteRooms;
  private blocking?: RemoteBlocking;
  /** this tab, for the leader's choice of the tab that notifies */
  readonly tab = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  /** the stanza handlers added on account.xmpp here: the leader sends them what they match */
  private readonly handlers: RemoteHandlers;

  constructor(
    private readonly account: Account,
    private readonly post: (message: TabMessage) => void,
  ) {
    const { chats } = account;
    this.offs.push(
      chats.on('ownState', (chat, state) => void this.request({ kind: 'ownChatState', peer: chat.peer, state }).catch(() => undefined)),
      chats.on('displayed', (chat) => void this.request({ kind: 'displayed', peer: chat.peer }).catch(() => undefined)),
      watchAttention(this.tab, (attention) => this.post({ type: 'attention', attention })),
    );
    this.rooms = new RemoteRooms(account.rooms, (intent) => this.request(intent));
    // scrolling a chat back past the stored history: the leader fetches the archive page and
    // stores it; the messages arrive here as the other stored ones do (before the answer)
    const archive = (chat: Chat) => loadOlderFromArchive(chat, (peer, cursor) => this.request({ kind: 'archiveOlder', peer, cursor }) as Promise<ArchivePageResult>);
    chats.archive = archive;
    this.offs.push(() => chats.archive === archive && (chats.archive = undefined));
    account.follow(this);
    // code that sends on account.xmpp here (a host plugin's UI): sent by the leader; its handlers
    // get what the leader's connection receives and they match
    this.handlers = new RemoteHandlers(this.tab, account.xmppHandlers, post);
    account.xmpp.forwardTo({
      send: (xml) => void this.request({ kind: 'stanza', xml }).catch((err: unknown) => console.warn('[jsxc] a stanza for the tab holding the connection was not sent:', err instanceof Error ? err.message : err)),
      sendIQ: (xml, timeout) => this.request({ kind: 'iq', xml, timeout }) as Promise<{ result?: string; error?: string }>,
    });
    this.offs.push(() => account.xmpp.forwardTo(undefined));
    // what this tab's UI would notify, the leader notifies (here, if it chooses this tab)
    account.routeAlerts(() => true);
    this.post({ type: 'hello' });
    this.postAttention();
  }

  private postAttention(): void {
    this.post({ type: 'attention', attention: ownAttention(this.tab) });
  }

  /** A message from the leader. */
  receive(message: TabMessage): void {
    switch (message.type) {
      case 'snapshot':
        // a (new) leader: it may not have seen what we asked the previous one
        for (const [id, p] of this.pending) {
          p.intent = askedAgain(p.intent);
          this.post({ type: 'request', id, intent: p.intent });
        }
        this.handlers.announce();
        applyRosterSnapshot(this.account.roster, message.roster);
        if (message.rooms) {
          applyRoomsSnapshot(this.account.rooms, message.rooms);
        }
        this.mirrorBlocklist(message.blocklist);
        this.account.mirror(message.state, message.presence);
        this.postAttention();
        break;
      case 'room':
        applyRoomChange(this.account.rooms, message.jid, message.change);
        break;
      case 'invitations':
        this.account.rooms.mirrorInvitations(message.invitations, message.arrived);
        break;
      case 'blocklist':
        this.mirrorBlocklist(message.blocklist);
        break;
      case 'alert':
        if (message.tab === this.tab) {
          this.account.showAlert(message.alert);
        }
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
        this.settle(message.id, message.error, message.errorData, message.value);
        break;
      case 'handled':
        if (message.tab === this.tab) {
          this.handlers.deliver(message.id, message.xml);
        }
        break;
    }
  }

  /** The leader's blocklist: a blocking service here while the leader has one. */
  private mirrorBlocklist(blocklist: string[] | undefined): void {
    if (!blocklist) {
      if (this.blocking) {
        this.blocking = undefined;
        this.account.provide(BLOCKING_SERVICE, undefined);
      }
      return;
    }
    if (!this.blocking) {
      this.blocking = new RemoteBlocking((intent) => this.request(intent));
      this.blocking.mirror(blocklist);
      this.account.provide(BLOCKING_SERVICE, this.blocking);
    } else {
      this.blocking.mirror(blocklist);
    }
  }

  private settle(id: string, error?: string, data?: ErrorData, value?: unknown): void {
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (error === undefined) {
        p.resolve(value);
      } else {
        p.reject(data?.muc ? new MucError(data.muc.kind as MucErrorKind, data.muc.params as unknown as MucErrorParams) : new Error(error));
      }
    }
  }

  private request(intent: Intent): Promise<unknown> {
    const id = `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`No tab holds the connection of ${this.account.uid}`));
      }, REQUEST_TIMEOUT);
      this.pending.set(id, { intent, resolve, reject, timer });
      this.post({ type: 'request', id, intent });
    });
  }

  /** This tab becomes the leader: what is still unanswered is done here by `execute`. */
  handOver(execute: (intent: Intent) => Promise<unknown>): void {
    this.dispose();
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      execute(askedAgain(p.intent)).then(p.resolve, p.reject);
    }
    this.rooms.dispose(); // (the group chat plugin has replaced it, unless it is off)
  }

  /** This tab stops following (it takes the session over, or the account is gone). */
  dispose(): void {
    this.offs.splice(0).forEach((off) => off());
    this.handlers.dispose(); // (the account's handlers go on this tab's connection, for each stream)
    this.rooms.dispose(true);
    if (this.blocking) {
      this.blocking = undefined;
      this.account.provide(BLOCKING_SERVICE, undefined);
    }
    if (this.account.following) {
      this.account.follow(undefined);
      this.account.routeAlerts(undefined);
    }
  }

  /** Rejects whatever is still waiting (the account is gone here). */
  abandon(): void {
    this.dispose();
    this.rooms.dispose();
    for (const [id, p] of [...this.pending]) {
      this.pending.delete(id);
      clearTimeout(p.timer);
      if (p.intent.kind === 'logout') {
        p.resolve(undefined); // done, by whichever tab
      } else {
        p.reject(new Error(`${this.account.uid} was logged out`));
      }
    }
  }

  // AccountRemote: the account's intents while following

  async setPresence(show: OwnPresence['show'], status: string): Promise<void> {
    await this.request({ kind: 'setPresence', show, status });
  }

  async addContact(contact: RosterItemUpdate): Promise<void> {
    await this.request({ kind: 'addContact', contact });
  }

  async updateContact(contact: RosterItemUpdate): Promise<void> {
    await this.request({ kind: 'updateContact', contact });
  }

  async removeContact(jid: string): Promise<void> {
    await this.request({ kind: 'removeContact', jid });
  }

  async answerSubscription(jid: string, accept: boolean): Promise<void> {
    await this.request({ kind: 'answerSubscription', jid, accept });
  }

  async addToContactList(jid: string, name?: string): Promise<void> {
    await this.request({ kind: 'addToContactList', jid, ...(name ? { name } : {}) });
  }

  async logout(): Promise<void> {
    await this.request({ kind: 'logout' });
  }
}
