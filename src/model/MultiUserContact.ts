import { checkDataForm, DataForm } from '../protocol/dataForm';
import { MucError } from '../plugins/muc/errors';
import type { Affiliation, Role } from './Occupant';
import { newRoomMessageIds, RoomMessage } from './RoomMessage';
import type { HistoryPage, RoomInfo, RoomList } from './RoomList';
import { RoomModel } from './RoomModel';

export type { RoomBookmark, RoomEvents, RoomState } from './RoomModel';

/**
 * A group chat (XEP-0045), manual §3.6 "MultiUserContact extends Contact" (through RoomModel, which
 * holds the room's state and events). Its methods forward what a person wants to the "muc"
 * plugin's protocol and reject with a MucError when the room says no.
 */
export class MultiUserContact extends RoomModel {
  readonly isMultiUserContact = true;

  constructor(
    private readonly list: RoomList,
    jid: string,
    nickname: string,
    displayName?: string,
    password?: string,
  ) {
    super(jid, nickname, displayName, password);
  }

  // ——— manual §3.6 ———

  /**
   * §3.6.1 Joins the room under `nickname` (creating it if it does not exist, unless
   * `mustExist`); rejects with a MucError (see its `kind`).
   */
  async join(options: { mustExist?: boolean } = {}): Promise<void> {
    const protocol = this.protocol();
    if (options.mustExist && !this.isJoined) {
      try {
        await protocol.fetchInfo(this);
      } catch (err) {
        if (err instanceof MucError && err.kind === 'room-not-found') {
          this.setState('error', err);
        }
        throw err;
      }
    }
    this.wantJoined = true;
    await protocol.join(this);
  }

  /** §3.6.2 Leaves the room. */
  async leave(): Promise<void> {
    this.wantJoined = false;
    if (this.state === 'joined' || this.state === 'joining') {
      await this.protocol().leave(this);
    }
  }

  /** §3.6.3 Destroys the room (owners only), telling the occupants `reason` and where to go. */
  async destroy(reason?: string, alternateVenue?: string): Promise<void> {
    await this.protocol().destroy(this, reason, alternateVenue);
    this.wantJoined = false;
  }

  /** §3.6.4 The room configuration form as JSON (shape: docs/muc.md). Owners only. */
  getRoomConfigurationForm(): Promise<DataForm> {
    return this.protocol().getConfigurationForm(this);
  }

  /** §3.6.5 Submits a form from getRoomConfigurationForm(), changed as wanted. */
  async submitRoomConfigurationForm(form: DataForm): Promise<void> {
    checkDataForm(form);
    await this.protocol().submitConfigurationForm(this, form);
    const info = await this.refreshInfo().catch(() => undefined);
    if (info?.name && this.name && info.name !== this.name) {
      // we renamed the room: the name we gave it when creating it follows
      this.updateItem({ jid: this.jid, name: info.name, groups: [], subscription: 'none' });
    }
  }

  /** §3.5.3 Adds the room to the bookmarks (shared with my other clients), to autojoin on login. */
  override async addToContactList(autojoin = true): Promise<void> {
    const store = this.list.bookmarks;
    if (!store) {
      throw new Error(`Cannot bookmark ${this.jid}: the bookmarks plugin is disabled or we are offline`);
    }
    const previous = this.bookmark;
    this.bookmark = { autojoin, ...(this.name ? { name: this.name } : {}) };
    try {
      await store.save(this);
    } catch (err) {
      this.bookmark = previous;
      throw err;
    }
    this.changed();
  }

  /** Removes the room's bookmark. */
  async removeFromContactList(): Promise<void> {
    const store = this.list.bookmarks;
    if (!store) {
      throw new Error(`Cannot remove the bookmark of ${this.jid}: the bookmarks plugin is disabled or we are offline`);
    }
    await store.remove(this);
    this.bookmark = undefined;
    this.changed();
  }

  /**
   * The user has seen the room's messages (its window in view): the unread count goes to 0, in
   * every tab of the browser (several tabs: a follower tells the leader, which tells every tab).
   */
  markRead(): void {
    this.setUnreadCount(0);
    if (this.list.remote) {
      this.list.remote.roomRead(this.jid);
    } else {
      // after the current event's other listeners (a new message is told to the other tabs before its read)
      queueMicrotask(() => this.emit('read'));
    }
  }

  // ——— talking ———

  /**
   * Sends a message to the room. Its id and XEP-0359 origin-id are chosen here, before the call
   * leaves this tab: whichever tab holds the connection sends it with them, once (docs/muc.md).
   */
  sendMessage(body: string): Promise<RoomMessage> {
    return this.protocol().sendMessage(this, checkText(body, 'message'), newRoomMessageIds());
  }

  /**
   * XEP-0308: corrects our last message to the room (lastOwnMessage) to `body`, here and at every
   * occupant: a message naming it (`<replace id=…/>`), sent as sendMessage sends. Returns our
   * message, corrected.
   */
  async correctLastMessage(body: string): Promise<RoomMessage> {
    const last = this.lastOwnMessage;
    if (!last) {
      throw new Error(`There is no message of mine to correct in ${this.jid}`);
    }
    checkText(body, 'message');
    if (body === last.body) {
      return last;
    }
    await this.protocol().sendMessage(this, body, { ...newRoomMessageIds(), replaces: last.messageId });
    return this.messageByUid(last.uid) ?? last;
  }

  /** A private message to one occupant (room@service/nick, type chat); its ids are chosen here, as sendMessage's. */
  sendPrivateMessage(nick: string, body: string): Promise<RoomMessage> {
    return this.protocol().sendPrivateMessage(this, checkText(nick, 'nickname'), checkText(body, 'message'), newRoomMessageIds());
  }

  /**
   * Sends again one of our messages the room refused (shown as failed; the room window's Retry),
   * e.g. a private message to an occupant that was not in the room ("Recipient not in room": not
   * back yet after a server restart). The same message, with the same ids: whichever tab holds the
   * connection sends it once; refused again, it shows as failed again (docs/muc.md).
   */
  retryMessage(uid: string): Promise<RoomMessage> {
    const message = this.messageByUid(uid);
    if (!message || message.direction !== 'out' || message.errorKey === undefined || message.messageId === undefined || message.originId === undefined) {
      return Promise.reject(new Error(`There is no refused message of mine to send again in ${this.jid}`));
    }
    const ids = { id: message.messageId, originId: message.originId, requested: Date.now(), retry: true };
    this.clearMessageError(uid);
    const sent = message.privateWith !== undefined ? this.protocol().sendPrivateMessage(this, message.privateWith, message.body, ids) : this.protocol().sendMessage(this, message.body, ids);
    return sent.catch((err: unknown) => {
      if (err instanceof MucError) {
        this.mirrorMessageError(uid, err); // not sent (e.g. we are not in the room): failed again, with why
      }
      throw err;
    });
  }

  setSubject(subject: string): Promise<void> {
    if (typeof subject !== 'string') {
      throw new TypeError('The subject must be a string');
    }
    return this.protocol().setSubject(this, subject);
  }

  /** Changes our nickname; rejects with kind "nickname-in-use" when taken. */
  async changeNickname(nick: string): Promise<void> {
    checkText(nick, 'nickname');
    if (!this.isJoined) {
      this.nickname = nick;
      return;
    }
    await this.protocol().changeNickname(this, nick);
  }

  /** Loads an older page of the room archive (XEP-0313) for scroll-back. */
  loadOlderMessages(max = 50): Promise<HistoryPage> {
    return this.protocol().loadHistory(this, max);
  }

  /** Re-reads the room's disco#info (name, features, occupant count). */
  refreshInfo(): Promise<RoomInfo> {
    return this.protocol().fetchInfo(this);
  }

  // ——— moderation (XEP-0045 §8–§10) ———

  kick(nick: string, reason?: string): Promise<void> {
    return this.setRole(nick, 'none', reason);
  }

  grantVoice(nick: string, reason?: string): Promise<void> {
    return this.setRole(nick, 'participant', reason);
  }

  revokeVoice(nick: string, reason?: string): Promise<void> {
    return this.setRole(nick, 'visitor', reason);
  }

  grantModerator(nick: string, reason?: string): Promise<void> {
    return this.setRole(nick, 'moderator', reason);
  }

  setRole(nick: string, role: Role, reason?: string): Promise<void> {
    return this.protocol().setRole(this, checkText(nick, 'nickname'), role, reason);
  }

  /** Bans a person (by bare JID, or by the nickname of an occupant whose JID we can see). */
  ban(jidOrNick: string, reason?: string): Promise<void> {
    return this.setAffiliation(jidOrNick, 'outcast', reason);
  }

  grantMembership(jidOrNick: string, reason?: string): Promise<void> {
    return this.setAffiliation(jidOrNick, 'member', reason);
  }

  /** Takes away membership, admin or owner status (affiliation "none"). */
  revokeMembership(jidOrNick: string, reason?: string): Promise<void> {
    return this.setAffiliation(jidOrNick, 'none', reason);
  }

  grantAdmin(jidOrNick: string, reason?: string): Promise<void> {
    return this.setAffiliation(jidOrNick, 'admin', reason);
  }

  grantOwner(jidOrNick: string, reason?: string): Promise<void> {
    return this.setAffiliation(jidOrNick, 'owner', reason);
  }

  setAffiliation(jidOrNick: string, affiliation: Affiliation, reason?: string): Promise<void> {
    checkText(jidOrNick, 'JID');
    let jid = jidOrNick;
    if (!jidOrNick.includes('@')) {
      const real = this.getOccupant(jidOrNick)?.jid;
      if (!real) {
        return Promise.reject(new TypeError(`Cannot change the affiliation of "${jidOrNick}" in ${this.jid}: give a JID, the room does not show this occupant's`));
      }
      jid = real;
    }
    return this.protocol().setAffiliation(this, jid.split('/')[0], affiliation, reason);
  }

  /** The people with an affiliation (owners and admins may ask), e.g. the member list. */
  getAffiliationList(affiliation: Affiliation): Promise<Array<{ jid: string; nick?: string }>> {
    return this.protocol().getAffiliationList(this, affiliation);
  }

  /** Invites someone: "direct" (XEP-0249, the default) or "mediated" (through the room, XEP-0045 §7.8.2). */
  invite(jid: string, reason?: string, kind: 'direct' | 'mediated' = 'direct'): Promise<void> {
    return this.protocol().invite(this, checkText(jid, 'JID'), reason, kind);
  }

  private protocol() {
    return this.list.requireProtocol(this.jid);
  }

}

function checkText(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`The ${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Whether a contact is a room. */
export function isMultiUserContact(contact: unknown): contact is MultiUserContact {
  return contact instanceof MultiUserContact;
}
