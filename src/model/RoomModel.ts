import type { MucError } from '../plugins/muc/errors';
import type { LeaveReason } from '../plugins/muc/presence';
import { Contact } from './Contact';
import type { RoomBookmark, RoomEvents, RoomSettings, RoomState } from './RoomEvents';
import { compareOccupants, Occupant } from './Occupant';
import type { PresenceShow } from './Presence';
import { PendingRoomMessage, RoomMessage, RoomTimeline } from './RoomMessage';
import type { RoomInfo } from './RoomList';

export type { RoomBookmark, RoomEvents, RoomSettings, RoomState } from './RoomEvents';

/** The events that tell of a change of the timeline (its messages or a message of it). */
const TIMELINE_EVENTS: ReadonlySet<keyof RoomEvents> = new Set<keyof RoomEvents>(['message', 'corrected', 'message-error', 'message-retry', 'message-ids']);

/**
 * The state of a group chat — occupants, subject, messages, features — and its events, for the
 * UI to render. MultiUserContact adds the API (manual §3.6) on top. The "muc" plugin changes the
 * state through the methods marked @internal.
 */
export class RoomModel extends Contact<RoomEvents> {
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
  private timeline = new RoomTimeline((message) => this.emit('message-ids', message));
  private revision = 0;
  private currentSubject = '';
  private currentSubjectBy: string | undefined;
  private roomInfo: RoomInfo | undefined;
  private historyComplete = false;
  private pending = new Map<string, PendingRoomMessage>();

  constructor(jid: string, nickname: string, displayName?: string, password?: string) {
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

  /**
   * Changes whenever the timeline does — a message added, corrected, refused, given its ids (the
   * events of TIMELINE_EVENTS): what is derived from `messages` may be kept until it changes.
   */
  get timelineRevision(): number {
    return this.revision;
  }

  protected override emit<K extends keyof RoomEvents>(event: K, ...args: RoomEvents[K]): void {
    if (TIMELINE_EVENTS.has(event)) {
      this.revision += 1; // before any listener reads the timeline
    }
    super.emit(event, ...args);
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
    if (messageId) {
      this.settlePending(undefined, messageId); // refused: not sent again
    }
    this.emit('error', error);
  }

  /** @internal several tabs: the room refused this message of ours (its "error" event comes on its own) */
  mirrorMessageError(uid: string, error: MucError): void {
    const own = this.timeline.byUid(uid);
    if (own) {
      own.errorKey = error.localeKey;
      this.emit('message-error', own, error);
    }
  }

  /**
   * @internal one of our refused messages is sent again (MultiUserContact.retryMessage; several
   * tabs: also as the tab holding the connection tells)
   */
  clearMessageError(uid: string): void {
    const own = this.timeline.byUid(uid);
    if (own?.errorKey !== undefined) {
      delete own.errorKey;
      this.emit('message-retry', own);
    }
  }

  /** @internal several tabs: a message learned its stanza-id or origin-id in the tab holding the connection */
  mirrorIds(uid: string, ids: { stanzaId?: string; originId?: string }): void {
    const message = this.timeline.byUid(uid);
    if (message && this.timeline.learnIds(message, ids)) {
      this.emit('message-ids', message);
    }
  }

  /** @internal several tabs: a message was corrected in the tab holding the connection */
  mirrorCorrection(uid: string, body: string): void {
    const message = this.timeline.byUid(uid);
    if (message && (message.body !== body || !message.corrected)) {
      message.body = body;
      message.corrected = true;
      this.emit('corrected', message);
    }
  }

  /** @internal */
  setOccupant(occupant: Occupant): void {
    const isNew = !this.occupantMap.has(occupant.nick);
    this.occupantMap.set(occupant.nick, occupant);
    if (isNew) {
      this.emit('occupant-joined', occupant);
    }
    this.emit('occupants', occupant);
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
  invitationDeclined(by: string, reason: string | undefined): void {
    this.emit('invitation-declined', by, reason);
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

  /** our messages sent (or being sent) that the room has not reflected yet, oldest first */
  get pendingMessages(): PendingRoomMessage[] {
    return [...this.pending.values()];
  }

  /** Our own message with this origin-id or message id, if the timeline has it (sent here, reflected, archived). */
  findOwnMessage(originId: string | undefined, messageId: string | undefined): RoomMessage | undefined {
    return this.timeline.findOwnSent(originId, messageId);
  }

  /** @internal a message of ours is about to be sent: kept until the room reflects (or refuses) it */
  notePending(entry: PendingRoomMessage): void {
    this.pending.set(entry.id, entry);
    this.emit('pending');
  }

  /** @internal the room has our message (reflected, archived) or refused it: no longer pending */
  settlePending(originId: string | undefined, messageId: string | undefined): void {
    const entry = [...this.pending.values()].find((e) => (originId !== undefined && e.originId === originId) || (messageId !== undefined && e.id === messageId));
    if (entry) {
      this.pending.delete(entry.id);
      this.emit('pending');
    }
  }

  /** @internal several tabs: the pending messages as the tab holding the connection has them */
  mirrorPending(entries: PendingRoomMessage[]): void {
    if (JSON.stringify(entries) !== JSON.stringify(this.pendingMessages)) {
      this.pending = new Map(entries.map((e) => [e.id, e]));
      this.emit('pending');
    }
  }

  /** @internal a uid for a new message */
  newMessageUid(): string {
    return this.timeline.newUid();
  }

  /**
   * @internal adds to the timeline; returns undefined for a duplicate. A correction (`replaces`)
   * corrects the message it names instead ("corrected"; undefined too), unless it is a live one of a
   * message we do not have (RoomTimeline.correct).
   */
  addMessage(message: RoomMessage, mode: 'append' | 'prepend' = 'append'): RoomMessage | undefined {
    const corrected = message.replaces !== undefined ? this.timeline.correct(message, mode) : undefined;
    if (corrected === 'kept') {
      return undefined;
    }
    if (corrected) {
      this.emit('corrected', corrected);
      return undefined;
    }
    const added = this.timeline.insert(message, mode);
    if (added) {
      this.emit('message', added, mode);
    }
    return added;
  }

  /**
   * @internal a copy of a message that the server gave back — the room's reflection or join
   * history, the room's archive, our own archive, a carbon — adds it as addMessage does, and when it
   * is ours the server has it: its pending entry (by origin-id or id) is settled, not sent again.
   * (A copy made here, or mirrored from the tab holding the connection, goes through addMessage.)
   */
  addServerCopy(message: RoomMessage, mode: 'append' | 'prepend' = 'append'): RoomMessage | undefined {
    const added = this.addMessage(message, mode);
    if (message.direction === 'out') {
      this.settlePending(message.originId, message.messageId);
    }
    return added;
  }

  /**
   * Our last message to the room, what a correction (XEP-0308) may change: not refused by the room,
   * with the id a correction names. (The Up key in the room window edits it.)
   */
  get lastOwnMessage(): RoomMessage | undefined {
    return this.timeline.lastOwn();
  }

  /** a message of the timeline by its uid */
  messageByUid(uid: string): RoomMessage | undefined {
    return this.timeline.byUid(uid);
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

  /**
   * @internal several tabs (src/core/tabs): what the tab holding the connection knows of the room
   * beyond its events (name, bookmark, wanted, nickname; never the password); "change" if anything differs.
   */
  mirrorSettings(settings: RoomSettings): void {
    const before = JSON.stringify(this.settings());
    if (settings.name !== this.name) {
      this.updateItem({ ...this.toItem(), name: settings.name });
    }
    this.bookmark = settings.bookmark;
    this.wantJoined = settings.wantJoined;
    this.nickname = settings.nickname;
    if (settings.historyComplete) {
      this.historyComplete = true;
    }
    if (JSON.stringify(this.settings()) !== before) {
      this.changed();
    }
  }

  /** The room's settings, as mirrorSettings() takes them. */
  settings(): RoomSettings {
    return {
      ...(this.name !== undefined ? { name: this.name } : {}),
      ...(this.bookmark ? { bookmark: { ...this.bookmark } } : {}),
      wantJoined: this.wantJoined,
      nickname: this.nickname,
      historyComplete: this.historyComplete,
    };
  }
}
