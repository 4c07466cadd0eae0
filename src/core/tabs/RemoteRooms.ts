import type { MultiUserContact } from '../../model/MultiUserContact';
import type { Affiliation, Role } from '../../model/Occupant';
import type { BookmarkStore, HistoryPage, RoomInfo, RoomInvitation, RoomList, RoomListing, RoomListRemote, RoomProtocol } from '../../model/RoomList';
import { newRoomMessageIds, RoomMessage, RoomMessageIds } from '../../model/RoomMessage';
import type { DataForm } from '../../protocol/dataForm';
import type { Intent, RoomOp, RoomRef } from './messages';

/**
 * A follower tab's group chat protocol: every call on a room (join, send, subject, moderation,
 * bookmarks, the room browser…) goes to the leader tab as a request, and the answer comes back.
 * What the call changes reaches this tab's models as the leader's room changes (roomSnapshot.ts),
 * before the answer: so what a call returns (a sent message, a history page) is this tab's copy.
 */
export class RemoteRooms implements RoomProtocol, BookmarkStore, RoomListRemote {
  constructor(
    private readonly rooms: RoomList,
    private readonly request: (intent: Intent) => Promise<unknown>,
  ) {
    rooms.protocol = this;
    rooms.bookmarks = this;
    rooms.remote = this;
  }

  /**
   * This tab holds the connection now (or the account is gone): the plugins take over.
   * `keepCalls`: while this tab takes the session over, room calls still go through here (and wait
   * with the follower's unanswered requests, done once the session is back) until the group chat
   * plugin attaches; only forgetting rooms and invitations is this tab's own at once.
   */
  dispose(keepCalls = false): void {
    if (!keepCalls) {
      if (this.rooms.protocol === this) this.rooms.protocol = undefined;
      if (this.rooms.bookmarks === this) this.rooms.bookmarks = undefined;
    }
    if (this.rooms.remote === this) this.rooms.remote = undefined;
  }

  private call(op: RoomOp, room: MultiUserContact | undefined, ...args: unknown[]): Promise<unknown> {
    return this.request({ kind: 'room', op, ...(room ? { room: ref(room) } : {}), args });
  }

  async join(room: MultiUserContact): Promise<void> {
    await this.call('join', room);
  }

  async leave(room: MultiUserContact): Promise<void> {
    await this.call('leave', room);
  }

  async destroy(room: MultiUserContact, reason?: string, alternateVenue?: string): Promise<void> {
    await this.call('destroy', room, reason, alternateVenue);
  }

  async getConfigurationForm(room: MultiUserContact): Promise<DataForm> {
    return (await this.call('getConfigurationForm', room)) as DataForm;
  }

  async submitConfigurationForm(room: MultiUserContact, form: DataForm): Promise<void> {
    await this.call('submitConfigurationForm', room, form);
  }

  async fetchInfo(room: MultiUserContact): Promise<RoomInfo> {
    return (await this.call('fetchInfo', room)) as RoomInfo;
  }

  /** `ids` are chosen in this tab (MultiUserContact.sendMessage): the leader sends with them, also after a hand-over. */
  async sendMessage(room: MultiUserContact, body: string, ids: RoomMessageIds = newRoomMessageIds()): Promise<RoomMessage> {
    return ownCopy(room, (await this.call('sendMessage', room, body, ids)) as RoomMessage);
  }

  /** `ids` as sendMessage's: chosen in this tab, the leader sends with them (once, also after a hand-over). */
  async sendPrivateMessage(room: MultiUserContact, nick: string, body: string, ids: RoomMessageIds = newRoomMessageIds()): Promise<RoomMessage> {
    return ownCopy(room, (await this.call('sendPrivateMessage', room, nick, body, ids)) as RoomMessage);
  }

  async setSubject(room: MultiUserContact, subject: string): Promise<void> {
    await this.call('setSubject', room, subject);
  }

  async changeNickname(room: MultiUserContact, nick: string): Promise<void> {
    await this.call('changeNickname', room, nick);
  }

  async setRole(room: MultiUserContact, nick: string, role: Role, reason?: string): Promise<void> {
    await this.call('setRole', room, nick, role, reason);
  }

  async setAffiliation(room: MultiUserContact, jid: string, affiliation: Affiliation, reason?: string): Promise<void> {
    await this.call('setAffiliation', room, jid, affiliation, reason);
  }

  async getAffiliationList(room: MultiUserContact, affiliation: Affiliation): Promise<Array<{ jid: string; nick?: string }>> {
    return (await this.call('getAffiliationList', room, affiliation)) as Array<{ jid: string; nick?: string }>;
  }

  async invite(room: MultiUserContact, jid: string, reason: string | undefined, kind: 'direct' | 'mediated'): Promise<void> {
    await this.call('invite', room, jid, reason, kind);
  }

  async declineInvitation(invitation: RoomInvitation, reason: string | undefined): Promise<void> {
    await this.call('declineInvitation', undefined, invitation, reason);
  }

  async loadHistory(room: MultiUserContact, max: number): Promise<HistoryPage> {
    const page = (await this.call('loadHistory', room, max)) as HistoryPage;
    if (page.complete) {
      room.markHistoryComplete();
    }
    return { messages: page.messages.map((m) => ownCopy(room, m)), complete: page.complete };
  }

  async browse(service?: string): Promise<RoomListing[]> {
    return (await this.call('browse', undefined, service)) as RoomListing[];
  }

  async findConferenceService(): Promise<string | undefined> {
    return (await this.call('findConferenceService', undefined)) as string | undefined;
  }

  // BookmarkStore

  async save(room: MultiUserContact): Promise<void> {
    await this.call('saveBookmark', room);
  }

  async remove(room: MultiUserContact): Promise<void> {
    await this.call('removeBookmark', room);
  }

  // RoomListRemote

  forgetRoom(jid: string): void {
    void this.request({ kind: 'forgetRoom', jid }).catch(() => undefined);
  }

  forgetInvitation(room: string): void {
    void this.request({ kind: 'forgetInvitation', room }).catch(() => undefined);
  }

  roomRead(room: string): void {
    void this.request({ kind: 'roomRead', room }).catch(() => undefined);
  }
}

function ref(room: MultiUserContact): RoomRef {
  return {
    jid: room.jid,
    nickname: room.nickname,
    ...(room.name ? { name: room.name } : {}),
    ...(room.password !== undefined ? { password: room.password } : {}),
    ...(room.bookmark ? { bookmark: { ...room.bookmark } } : {}),
  };
}

/** The message as this tab's timeline has it (it came as a room change before the answer). */
function ownCopy(room: MultiUserContact, message: RoomMessage): RoomMessage {
  return room.messageByUid(message.uid) ?? message;
}
