import { checkDataForm, DataForm } from '../protocol/dataForm';
import { MucError } from '../plugins/muc/errors';
import type { LeaveReason } from '../plugins/muc/presence';
import { Contact, ContactEvents } from './Contact';
import { Affiliation, compareOccupants, Occupant, Role } from './Occupant';
import type { PresenceShow } from './Presence';
import { RoomMessage, RoomTimeline } from './RoomMessage';
import type { HistoryPage, RoomInfo, RoomList } from './RoomList';

/**
 * Where we are with a room: "left" (not in it), "joining", "joined", or out of it because of
 * something the room did ("error": see `lastError` — kicked, banned, destroyed, a failed join…).
 */
export type RoomState = 'left' | 'joining' | 'joined' | 'error';

export interface RoomEvents extends ContactEvents {
  state: [RoomState];
  /** the occupants list changed (someone came, left, changed role, affiliation, presence or nick) */
  occupants: [];
  'occupant-joined': [Occupant];
  'occupant-left': [Occupant, LeaveReason];
  'occupant-nick': [Occupant, string];
  /** a new message in the timeline (live, history or archive); `RoomMessage.mentionsMe` flags mentions */
  message: [RoomMessage];
  /** the room refused one of our messages (`errorKey` is now set on it) */
  'message-error': [RoomMessage, MucError];
  subject: [subject: string, by: string | undefined];
  /** our own nickname changed (by us, or by the room: status 210) */
  nickname: [string];
  /** something the room answered that a person should be told */
  error: [MucError];
  /** disco#info about the room was (re)read */
  info: [RoomInfo];
}

export interface RoomBookmark {
  autojoin: boolean;
  /** the name the bookmark gives the room */
  name?: string;
}

/**
 * A group chat (XEP-0045), manual §3.6 "MultiUserContact extends Contact". It holds the room's
 * state (occupants, subject, messages, features) and forwards what a person wants to the "muc"
 * plugin's protocol. The events above are for the UI.
 */
export class MultiUserContact extends Contact<RoomEvents> {
  readonly isMultiUserContact = true;
  /** our nickname in the room (the one we want while not joined) */
  nickname: string;
  /** password to join with (kept in memory and the server-side bookmark only) */
  password: string | undefined;
  /** set while stored as a bookmark (by the "bookmarks" plugin) */
  bookmark: RoomBookmark | undefined;
  /** whether we want to be in the room (rejoined after a new session or a dropped occupancy) */
  wantJoined = false;
  private roomState: RoomState = 'left';
  private error: MucError | undefined;
  private occupantMap = new Map<string, Occupant>();
  private timeline = new RoomTimeline();
  private currentSubject = '';
  private currentSubjectBy: string | undefined;
  private roomInfo: RoomInfo | undefined;
  private historyComplete = false;

  constructor(
    private readonly list: RoomList,
    jid: string,
    nickname: string,
    displayName?: string,
    password?: string,
  ) {
    super({ jid, name: displayName, groups: [], subscription: 'none' });
    if (typeof nickname !== 'string' || nickname.trim() === '') {
      throw new TypeError(`A nickname for ${jid} must be a non-empty string`);
    }
    this.nickname = nickname;
    this.password = password;
  }

  override get displayName(): string {
    return this.name?.trim() || this.bookmark?.name || this.roomInfo?.name || this.jid.split('@')[0];
  }

  override get presence(): PresenceShow {
    return this.roomState === 'joined' ? 'online' : 'offline';
  }

  get state(): RoomState {
    return this.roomState;
  }

  get isJoined(): boolean {
    return this.roomState === 'joined';
  }

  /** why we are out of the room, if the room put us out or refused us */
  get lastError(): MucError | undefined {
    return this.error;
  }

  /** the occupants, sorted: by role, then affiliation, then nickname */
  get occupants(): Occupant[] {
    return [...this.occupantMap.values()].sort(compareOccupants);
  }

  getOccupant(nick: string): Occupant | undefined {
    return this.occupantMap.get(nick);
  }

  /** our own occupant while joined */
  get self(): Occupant | undefined {
    return this.occupantMap.get(this.nickname);
  }

  get subject(): string {
    return this.currentSubject;
  }

  get subjectBy(): string | undefined {
    return this.currentSubjectBy;
  }

  get info(): RoomInfo | undefined {
    return this.roomInfo;
  }

  /** the timeline, oldest first */
  get messages(): readonly RoomMessage[] {
    return this.timeline.messages;
  }

  /** whether scroll-back has reached the start of the archive */
  get isHistoryComplete(): boolean {
    return this.historyComplete;
  }

  /** May we change the subject? (moderators, or everyone if the room allows; the room decides) */
  get canModerate(): boolean {
    return this.self?.role === 'moderator';
  }

  get isOwner(): boolean {
    return this.self?.affiliation === 'owner';
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
    if (this.roomState === 'joined' || this.roomState === 'joining') {
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
    await this.refreshInfo().catch(() => undefined);
  }

  /** §3.5.3 Adds the room to the bookmarks (shared with my other clients), to autojoin on login. */
  async addToContactList(autojoin = true): Promise<void> {
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

  // ——— talking ———

  sendMessage(body: string): Promise<RoomMessage> {
    return this.protocol().sendMessage(this, checkText(body, 'message'));
  }

  /** A private message to one occupant (room@service/nick, type chat). */
  sendPrivateMessage(nick: string, body: string): Promise<RoomMessage> {
    return this.protocol().sendPrivateMessage(this, checkText(nick, 'nickname'), checkText(body, 'message'));
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
    if (this.roomState !== 'joined') {
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
      const real = this.occupantMap.get(jidOrNick)?.jid;
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

  // ——— state changes, called by the muc plugin (@internal) ———

  /** @internal */
  setState(state: RoomState, error?: MucError): void {
    this.error = error ?? (state === 'joined' ? undefined : this.error);
    if (state !== 'joined') {
      this.occupantMap.clear();
    }
    if (state === this.roomState && !error) {
      return;
    }
    this.roomState = state;
    this.emit('state', state);
    if (error) {
      this.emit('error', error);
    }
    this.changed();
  }

  /** @internal the room answered with an error; to one of our messages if `messageId` is one */
  reportError(error: MucError, messageId?: string): void {
    const own = messageId ? this.timeline.findOwn(messageId) : undefined;
    if (own) {
      own.errorKey = error.localeKey;
      this.emit('message-error', own, error);
    }
    this.emit('error', error);
  }

  /** @internal */
  setOccupant(occupant: Occupant): void {
    const isNew = !this.occupantMap.has(occupant.nick);
    this.occupantMap.set(occupant.nick, occupant);
    if (isNew) {
      this.emit('occupant-joined', occupant);
    }
    this.emit('occupants');
  }

  /** @internal */
  removeOccupant(nick: string, reason: LeaveReason, newNick?: string): void {
    const occupant = this.occupantMap.get(nick);
    if (!occupant) {
      return;
    }
    this.occupantMap.delete(nick);
    if (reason === 'nick-change' && newNick) {
      const renamed = { ...occupant, nick: newNick };
      this.occupantMap.set(newNick, renamed);
      this.emit('occupant-nick', renamed, nick);
    } else {
      this.emit('occupant-left', occupant, reason);
    }
    this.emit('occupants');
  }

  /** @internal */
  setNickname(nick: string): void {
    if (nick !== this.nickname) {
      this.nickname = nick;
      this.emit('nickname', nick);
      this.changed();
    }
  }

  /** @internal */
  setSubjectFromRoom(subject: string, by: string | undefined): void {
    this.currentSubject = subject;
    this.currentSubjectBy = by;
    this.emit('subject', subject, by);
  }

  /** @internal */
  setInfo(info: RoomInfo): void {
    this.roomInfo = info;
    this.emit('info', info);
    this.changed();
  }

  /** @internal a uid for a new message */
  newMessageUid(): string {
    return this.timeline.newUid();
  }

  /** @internal adds to the timeline; returns undefined for a duplicate */
  addMessage(message: RoomMessage, mode: 'append' | 'prepend' = 'append'): RoomMessage | undefined {
    const added = this.timeline.insert(message, mode);
    if (added) {
      this.emit('message', added);
    }
    return added;
  }

  /** @internal */
  get oldestArchivedId(): string | undefined {
    return this.timeline.oldestStanzaId;
  }

  /** @internal where the next older archive page starts (RSM "before") */
  setArchiveCursor(first: string): void {
    this.timeline.archiveCursor = first;
  }

  /** @internal */
  markHistoryComplete(): void {
    this.historyComplete = true;
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
