import type { Account } from '../../model/Account';
import type { Chat } from '../../model/Chat';
import type { Contact } from '../../model/Contact';
import type { Blocking } from '../../plugins/blocking';
import { BLOCKING_SERVICE } from '../../plugins/blocking';
import { MucError } from '../../plugins/muc/errors';
import { StanzaError } from '../../connection/errors';
import { parseStanza, stanzaXml } from '../../connection/stanzaForward';
import { LeaderHandlers } from './LeaderHandlers';
import { executeRoomIntent, watchRooms } from './LeaderRooms';
import type { ErrorData, Intent, TabMessage } from './messages';
import { snapshotRooms } from './roomSnapshot';
import { snapshotRoster } from './rosterSnapshot';
import { AttentionTable, ownAttention } from './tabAttention';


/** How many request ids the leader remembers, to do a request asked again only once. */
const TAKEN_KEPT = 500;
/**
 * The tab holding the account's connection: tells the other tabs what changes (state, own
 * presence, roster, contacts' chat states, conversations read, group chats, the blocklist), does
 * what their users ask, and chooses the tab that shows each notification.
 */
export class LeaderRole {
  /** the requests taken, by id, with their answer once there is one (the newest TAKEN_KEPT) */
  private readonly taken = new Map<string, (TabMessage & { type: 'result' }) | undefined>();
  private offs: Array<() => void> = [];
  private rosterTimer?: ReturnType<typeof setTimeout>;
  private attention = new AttentionTable();
  private offBlocking?: () => void;
  /** the stanza handlers of the follower tabs, on this tab's connection */
  private readonly handlers: LeaderHandlers;

  constructor(
    private readonly account: Account,
    private readonly post: (message: TabMessage) => void,
    /** logs the account out in this tab (and so, through the channel, in every tab) */
    private readonly logOut: () => Promise<void>,
  ) {
    this.handlers = new LeaderHandlers(account, post);
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
    this.offs.push(
      watchRooms(account.rooms, post),
      account.on('service', (id) => {
        if (id === BLOCKING_SERVICE) {
          this.watchBlocking();
          this.post({ type: 'blocklist', ...this.blocklist() });
        }
      }),
      () => this.offBlocking?.(),
    );
    this.watchBlocking();
    account.routeAlerts((alert) => {
      const tab = this.attention.choose(ownAttention(''));
      if (tab !== undefined) {
        this.post({ type: 'alert', tab, alert });
      }
      return tab !== undefined;
    });
    this.announce();
  }

  /** Everything, for a follower that just started (and as the announcement of a new leader). */
  announce(): void {
    this.post({ ...this.stateMessage(), type: 'snapshot', roster: snapshotRoster(this.account.roster), rooms: snapshotRooms(this.account.rooms), ...this.blocklist() });
    this.handlers.rollCall(); // the followers answer with their handlers
  }

  /** A message from a follower tab. */
  receive(message: TabMessage): void {
    switch (message.type) {
      case 'hello':
        this.announce();
        break;
      case 'attention':
        this.attention.update(message.attention);
        if (message.attention.gone) {
          this.handlers.dropTab(message.attention.tab);
        }
        break;
      case 'handlers':
        this.handlers.update(message.tab, message.handlers);
        break;
      case 'request': {
        const { id, intent } = message;
        if (this.taken.has(id)) {
          // asked again (a follower asks again what is unanswered on every snapshot, e.g. when a
          // new tab says hello): done once; the answer again if there is one, else it comes when done
          const answer = this.taken.get(id);
          if (answer) {
            this.post(answer);
          }
          break;
        }
        this.taken.set(id, undefined);
        if (this.taken.size > TAKEN_KEPT) {
          this.taken.delete(this.taken.keys().next().value as string);
        }
        const answer = (result: TabMessage & { type: 'result' }) => {
          if (this.taken.has(id)) {
            this.taken.set(id, result);
          }
          this.post(result);
        };
        this.execute(intent).then(
          (value) => answer({ type: 'result', id, ...(value !== undefined ? { value } : {}) }),
          (err: unknown) => answer({ type: 'result', id, error: err instanceof Error ? err.message : String(err), errorData: errorData(err) }),
        );
        break;
      }
    }
  }

  private blocking(): Blocking | undefined {
    return this.account.service<Blocking>(BLOCKING_SERVICE);
  }

  private blocklist(): { blocklist?: string[] } {
    const blocking = this.blocking();
    return blocking ? { blocklist: blocking.list() } : {};
  }

  private watchBlocking(): void {
    this.offBlocking?.();
    this.offBlocking = this.blocking()?.on('change', () => this.post({ type: 'blocklist', ...this.blocklist() }));
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

  /** Does what a follower's user asked, as if it had been asked here; resolves with what it returns. */
  async execute(intent: Intent): Promise<unknown> {
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
      case 'archiveOlder': {
        if (!account.chats.archiveOlderPage) {
          return { complete: true }; // no archive here (plugin off, or not attached yet)
        }
        const page = await account.chats.archiveOlderPage(intent.peer, intent.cursor);
        // stored, and so told to the tabs, before the answer: the asking tab counts what it got
        await (await account.chats.history()).saved();
        return page;
      }
      case 'room':
      case 'forgetRoom':
      case 'forgetInvitation':
      case 'roomRead':
        return executeRoomIntent(account, intent);
      case 'stanza':
        account.xmpp.send(parseStanza(intent.xml));
        return undefined;
      case 'iq':
        return account.xmpp.sendIQ(parseStanza(intent.xml), intent.timeout).then(
          (result) => ({ result: stanzaXml(result) }),
          (err: unknown) => {
            if (err instanceof StanzaError) {
              return err.stanza ? { error: stanzaXml(err.stanza) } : {}; // (no stanza: no answer in time)
            }
            throw err;
          },
        );
      case 'block':
      case 'unblock': {
        const blocking = this.blocking();
        if (!blocking) {
          throw new Error(`Blocking is not available for ${account.uid}`);
        }
        return intent.kind === 'block' ? blocking.block(intent.jid) : blocking.unblock(intent.jid);
      }
      default:
        throw new Error(`Unknown request from another tab: ${JSON.stringify(intent)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.rosterTimer);
    this.handlers.dispose();
    this.offs.splice(0).forEach((off) => off());
    this.account.routeAlerts(undefined);
  }
}

/** A rejection as plain data: a MucError keeps its kind (the follower shows the same text). */
function errorData(err: unknown): ErrorData {
  return {
    message: err instanceof Error ? err.message : String(err),
    ...(err instanceof MucError ? { muc: { kind: err.kind, params: { ...err.params } } } : {}),
  };
}
