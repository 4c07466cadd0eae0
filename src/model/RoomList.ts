import { Emitter } from '../core/Emitter';
import type { DataForm } from '../protocol/dataForm';
import type { Affiliation, Role } from './Occupant';
import type { RoomMessage, RoomMessageIds } from './RoomMessage';
import { JID } from './JID';
import { MultiUserContact } from './MultiUserContact';
import { MucError } from '../plugins/muc/errors';

/** What disco#info tells about a room (XEP-0045 §6.4, muc#roominfo). */
export interface RoomInfo {
  name?: string;
  description?: string;
  /** muc#roominfo_occupants, if the room says */
  occupantCount?: number;
  passwordProtected: boolean;
  membersOnly: boolean;
  moderated: boolean;
  persistent: boolean;
  public: boolean;
  /** real JIDs are visible to every occupant */
  nonAnonymous: boolean;
  /** muc#roominfo_changesubject (Prosody: muc#roomconfig_changesubject): participants (not only moderators) may change the subject; undefined: the room does not say */
  subjectChangeable?: boolean;
  /** every disco#info feature, e.g. "muc_passwordprotected", "urn:xmpp:mam:2" */
  features: string[];
}

/** One entry of the room browser (disco#items of a conference service plus each room's disco#info). */
export interface RoomListing {
  jid: string;
  name: string;
  occupantCount?: number;
  description?: string;
  info?: RoomInfo;
}

/** An invitation to a room we received (XEP-0249 direct, or XEP-0045 §7.8.2 mediated). */
export interface RoomInvitation {
  room: string;
  /** who invited us (their real JID, as far as we know it) */
  from: string;
  reason?: string;
  password?: string;
  kind: 'direct' | 'mediated';
}

/** A page of archived room messages (XEP-0313). */
export interface HistoryPage {
  /** the messages of this page that were new to the timeline, oldest first */
  messages: RoomMessage[];
  /** true when there is nothing older in the archive */
  complete: boolean;
}

/** The wire side of group chat; the "muc" plugin implements it. The models call it, never stanzas. */
export interface RoomProtocol {
  join(room: MultiUserContact): Promise<void>;
  leave(room: MultiUserContact): Promise<void>;
  destroy(room: MultiUserContact, reason?: string, alternateVenue?: string): Promise<void>;
  getConfigurationForm(room: MultiUserContact): Promise<DataForm>;
  submitConfigurationForm(room: MultiUserContact, form: DataForm): Promise<void>;
  fetchInfo(room: MultiUserContact): Promise<RoomInfo>;
  /**
   * Sends `body` with the ids the asking tab chose. Sends nothing when the room already has a
   * message of ours with them (a copy in the timeline, or — after `ids.attempted` — in the room's
   * archive), and resolves with that copy instead.
   */
  sendMessage(room: MultiUserContact, body: string, ids?: RoomMessageIds): Promise<RoomMessage>;
  /**
   * A private message to the occupant `nick`, with the ids the asking tab chose; the same rule:
   * nothing is sent when our own archive (after `ids.attempted`) or the timeline has it already.
   */
  sendPrivateMessage(room: MultiUserContact, nick: string, body: string, ids?: RoomMessageIds): Promise<RoomMessage>;
  setSubject(room: MultiUserContact, subject: string): Promise<void>;
  changeNickname(room: MultiUserContact, nick: string): Promise<void>;
  setRole(room: MultiUserContact, nick: string, role: Role, reason?: string): Promise<void>;
  setAffiliation(room: MultiUserContact, jid: string, affiliation: Affiliation, reason?: string): Promise<void>;
  getAffiliationList(room: MultiUserContact, affiliation: Affiliation): Promise<Array<{ jid: string; nick?: string }>>;
  invite(room: MultiUserContact, jid: string, reason: string | undefined, kind: 'direct' | 'mediated'): Promise<void>;
  /** tells the inviter, through the room, that we decline (XEP-0045 §7.8.2; also for XEP-0249 invitations, which have no decline of their own) */
  declineInvitation(invitation: RoomInvitation, reason: string | undefined): Promise<void>;
  loadHistory(room: MultiUserContact, max: number): Promise<HistoryPage>;
  browse(service?: string): Promise<RoomListing[]>;
  findConferenceService(): Promise<string | undefined>;
}

/** Where a room is remembered on the server (the "bookmarks" plugin implements it). */
export interface BookmarkStore {
  save(room: MultiUserContact): Promise<void>;
  remove(room: MultiUserContact): Promise<void>;
}

/**
 * Several tabs (src/core/tabs): what a tab that does not hold the connection tells the tab that
 * does, for the parts of the list that are not protocol calls.
 */
export interface RoomListRemote {
  /** the user forgot the room here (delete()) */
  forgetRoom(jid: string): void;
  /** an invitation was accepted or declined here */
  forgetInvitation(room: string): void;
  /** the user read the room here (its unread count is 0 in every tab) */
  roomRead(room: string): void;
}

interface RoomListEvents {
  added: [MultiUserContact];
  removed: [MultiUserContact];
  invitation: [RoomInvitation];
  /** the list of pending invitations changed (one arrived, was accepted or declined) */
  invitations: [];
}

/**
 * The rooms an account knows (joined, bookmarked or created), keyed by bare JID. The "muc" and
 * "bookmarks" plugins plug their protocol in while attached; without them the rooms only hold state.
 */
export class RoomList extends Emitter<RoomListEvents> {
  private rooms = new Map<string, MultiUserContact>();
  /** set by the "muc" plugin while a session is attached */
  protocol: RoomProtocol | undefined;
  /** set by the "bookmarks" plugin while a session is attached */
  bookmarks: BookmarkStore | undefined;
  /** set while another tab holds the connection (src/core/tabs) */
  remote: RoomListRemote | undefined;

  get(jid: string): MultiUserContact | undefined {
    return this.rooms.get(JID.parse(jid).bare);
  }

  all(): MultiUserContact[] {
    return [...this.rooms.values()];
  }

  /** The room with this JID, made (not joined) if it is new. */
  ensure(jid: string, nickname: string, displayName?: string, password?: string): MultiUserContact {
    const parsed = JID.parse(jid);
    if (!parsed.local || parsed.resource) {
      throw new TypeError(`A room JID must be a bare JID like room@conference.example.org, got "${jid}"`);
    }
    let room = this.rooms.get(parsed.bare);
    if (!room) {
      room = new MultiUserContact(this, parsed.bare, nickname, displayName, password);
      this.rooms.set(parsed.bare, room);
      this.emit('added', room);
    }
    return room;
  }

  /** Forgets a room (after it was destroyed, or its bookmark removed and it left). */
  delete(room: MultiUserContact): void {
    if (this.rooms.get(room.jid) === room) {
      this.rooms.delete(room.jid);
      this.remote?.forgetRoom(room.jid);
      this.emit('removed', room);
    }
  }

  /** @internal several tabs: the tab holding the connection forgot the room */
  mirrorDelete(jid: string): void {
    const room = this.rooms.get(jid);
    if (room) {
      this.rooms.delete(jid);
      this.emit('removed', room);
    }
  }

  /** @internal several tabs: the pending invitations as the tab holding the connection has them */
  mirrorInvitations(invitations: RoomInvitation[], arrived?: RoomInvitation): void {
    this.pending = [...invitations];
    if (arrived) {
      this.emit('invitation', arrived);
    }
    this.emit('invitations');
  }

  /** The protocol, or an error saying group chat is off / we are offline. */
  requireProtocol(room: string): RoomProtocol {
    if (!this.protocol) {
      throw new MucError('disabled', { room });
    }
    return this.protocol;
  }

  private pending: RoomInvitation[] = [];

  /** @internal the muc plugin reports an invitation */
  receivedInvitation(invitation: RoomInvitation): void {
    // a newer invitation to the same room replaces the older one
    this.pending = [...this.pending.filter((i) => i.room !== invitation.room), invitation];
    this.emit('invitation', invitation);
    this.emit('invitations');
  }

  /** Invitations received and not yet accepted or declined, oldest first. */
  invitations(): RoomInvitation[] {
    return [...this.pending];
  }

  /**
   * Declines a pending invitation: forgets it and, while online, tells the inviter through the room
   * (with `reason`, if given). Offline, the invitation is only forgotten.
   */
  async decline(invitation: RoomInvitation, reason?: string): Promise<void> {
    this.forget(invitation.room);
    await this.protocol?.declineInvitation(invitation, reason);
  }

  /** Forgets a pending invitation without answering it (e.g. the room was joined another way). */
  dismiss(invitation: RoomInvitation): void {
    this.forget(invitation.room);
  }

  private forget(room: string): void {
    const before = this.pending.length;
    this.pending = this.pending.filter((i) => i.room !== room);
    this.remote?.forgetInvitation(room);
    if (this.pending.length !== before) {
      this.emit('invitations');
    }
  }

  /** @internal several tabs: another tab accepted or declined the invitation */
  forgetInvitation(room: string): void {
    this.forget(room);
  }

  /** Room browser: rooms of a conference service (default: the server's), with names and occupant counts. */
  browse(service?: string): Promise<RoomListing[]> {
    return this.requireProtocol(service ?? 'the room browser').browse(service);
  }

  /** The server's conference (MUC) service, found by disco. */
  findConferenceService(): Promise<string | undefined> {
    return this.requireProtocol('the room browser').findConferenceService();
  }

  /** Accepts an invitation: makes the room and joins it under `nickname`. */
  async accept(invitation: RoomInvitation, nickname: string): Promise<MultiUserContact> {
    const room = this.ensure(invitation.room, nickname, undefined, invitation.password);
    room.nickname = nickname;
    if (invitation.password) {
      room.password = invitation.password;
    }
    await room.join({ mustExist: true }); // an invitation to a room gone since must not create it anew
    this.forget(invitation.room);
    return room;
  }
}
