/**
 * A message in a group chat (or a private message with one of its occupants). A small model of its
 * own until the one-to-one chat's Message model is shared (the lead unifies them).
 */
export interface RoomMessage {
  /** local identifier, unique within the room's timeline */
  uid: string;
  /** XEP-0359 stanza-id assigned by the room (also the MAM archive id), once known */
  stanzaId?: string;
  /** the stanza's id attribute (our own messages: the id we sent, echoed back by the room) */
  messageId?: string;
  /** XEP-0359 origin-id the sender set (ours: chosen by the tab that asked to send it) */
  originId?: string;
  /** the occupant's nickname at the time of sending */
  nick: string;
  /** XEP-0421: the sender's occupant-id, as the room stamped it (a room that supports it replaces any the sender set) */
  occupantId?: string;
  /**
   * the sender's real bare JID when the room reveals it: live, the occupant's (from its presence);
   * from the room's history or archive, the one muc#user item the room added (non-anonymous rooms)
   */
  senderJid?: string;
  body: string;
  time: Date;
  direction: 'in' | 'out';
  /** "groupchat" for the room, "chat" for a private message (see privateWith) */
  type: 'groupchat' | 'chat';
  /** for a private message: the other occupant's nickname */
  privateWith?: string;
  /** the body names my nickname (and it is not my own message) */
  mentionsMe: boolean;
  /** came from room history or the archive rather than live */
  delayed: boolean;
  /** for our own message: the room refused it (e.g. we have no voice); a MucError locale key */
  errorKey?: string;
  /** true once corrected (XEP-0308); body is the latest text */
  corrected?: boolean;
  /**
   * a correction (XEP-0308) as it came: the id of the message it corrects. The timeline gives that
   * message its text instead of adding this one (RoomTimeline.correct).
   */
  replaces?: string;
}

/**
 * The ids of a room message of ours, chosen by the tab that asks to send it before the request
 * leaves that tab (several tabs, docs/muc.md "Sending across a hand-over"): whichever tab holds the
 * connection sends it with these, once.
 */
export interface RoomMessageIds {
  /** the stanza's id attribute */
  id: string;
  /** XEP-0359 origin-id */
  originId: string;
  /** when it was asked for (ms) */
  requested: number;
  /** when a tab first tried to send it (ms): it may have reached the room, so look there before sending again */
  attempted?: number;
  /** a correction (XEP-0308): the id of our room message it corrects (MultiUserContact.correctLastMessage) */
  replaces?: string;
  /**
   * the user sends again a message of ours the room refused (MultiUserContact.retryMessage): it is
   * in the timeline already (failed), and it goes out again with the same ids
   */
  retry?: boolean;
}

/**
 * A message of ours the server has not confirmed yet: a room message until the room reflects (or
 * refuses) it; a private message (`to`: the occupant's nickname) until the server acknowledges it.
 */
export interface PendingRoomMessage extends RoomMessageIds {
  body: string;
  /** a private message to this occupant (room@service/to, type chat); absent: a message to the room */
  to?: string;
}

let idCounter = 0;
const randomPart = (): string => Math.random().toString(36).slice(2, 10);

/** New ids for a room message of ours (unique across the tabs of a browser and across page loads). */
export function newRoomMessageIds(now = Date.now()): RoomMessageIds {
  idCounter += 1;
  return { id: `muc-${now.toString(36)}-${idCounter.toString(36)}-${randomPart()}`, originId: `${randomPart()}${randomPart()}-${now.toString(36)}`, requested: now };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `body` mentions `nick` as a word of its own (case-insensitive; "@nick" counts). */
export function mentions(body: string, nick: string): boolean {
  if (!nick) {
    return false;
  }
  return new RegExp(`(^|[^\\p{L}\\p{N}_])@?${escapeRegExp(nick)}($|[^\\p{L}\\p{N}_])`, 'iu').test(body);
}

/**
 * The messages of one room, in time order, without duplicates: a message seen again (room history
 * after a rejoin, the archive, the room's echo of our own message) is merged into the one we have,
 * matched by the room's stanza-id, else by sender and message id.
 */
export class RoomTimeline {
  private list: RoomMessage[] = [];
  private byStanzaId = new Map<string, RoomMessage>();
  private bySenderId = new Map<string, RoomMessage>();
  /** our own messages by origin-id (only ours: an occupant could copy another's origin-id) */
  private byOriginId = new Map<string, RoomMessage>();
  private uids = new Set<string>();
  /** every message by its id attribute (senders choose ids: several may share one) */
  private byMessageId = new Map<string, RoomMessage[]>();
  /** corrections of messages we do not have yet, by the id they name, applied when the message comes */
  private asideCorrections = new Map<string, Array<{ correction: RoomMessage; time: number }>>();
  /** when the correction a message shows was sent (ms), by uid: an older one does not undo it */
  private correctedAt = new Map<string, number>();
  private counter = 0;
  /** makes uids unique across the tabs of a browser too (a follower tab keeps the leader's uids) */
  private readonly prefix = Math.random().toString(36).slice(2, 8);

  /** `learned`: told when a message we have learns ids a copy of it brought (learnIds) */
  constructor(private readonly learned: (message: RoomMessage) => void = () => undefined) {}

  get messages(): readonly RoomMessage[] {
    return this.list;
  }

  /** Where scroll-back continues: the archive's RSM <first/> of the last page, else our oldest stanza-id. */
  archiveCursor: string | undefined;

  get oldestStanzaId(): string | undefined {
    // private messages carry our own archive's ids, not the room's
    return this.archiveCursor ?? this.list.find((m) => m.stanzaId && m.type === 'groupchat')?.stanzaId;
  }

  newUid(): string {
    this.counter += 1;
    return `m${this.prefix}${this.counter}`;
  }

  /** Our own message with this id (for the room's error answer to it). */
  findOwn(messageId: string): RoomMessage | undefined {
    return [...this.list].reverse().find((m) => m.direction === 'out' && m.messageId === messageId);
  }

  /** Our own message with this origin-id, else with this message id (a reflection, a local copy or an archived copy). */
  findOwnSent(originId: string | undefined, messageId: string | undefined): RoomMessage | undefined {
    return (originId ? this.byOriginId.get(originId) : undefined) ?? (messageId ? this.findOwn(messageId) : undefined);
  }

  /** Our last room message, unless the room refused it (RoomModel.lastOwnMessage). */
  lastOwn(): RoomMessage | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const m = this.list[i];
      if (m.direction === 'out' && m.type === 'groupchat') {
        return m.errorKey === undefined && m.messageId !== undefined ? m : undefined;
      }
    }
    return undefined;
  }

  byUid(uid: string): RoomMessage | undefined {
    return this.uids.has(uid) ? this.list.find((m) => m.uid === uid) : undefined;
  }

  find(stanzaId: string | undefined, nick: string, messageId: string | undefined, ownOriginId?: string): RoomMessage | undefined {
    return (
      (stanzaId ? this.byStanzaId.get(stanzaId) : undefined) ??
      (ownOriginId ? this.byOriginId.get(ownOriginId) : undefined) ??
      (messageId ? this.bySenderId.get(`${nick}\u0000${messageId}`) : undefined)
    );
  }

  /**
   * A correction (XEP-0308) of a room message or a private message: the message it names — of the
   * same kind and private conversation, by the same sender (§5: no one else may rewrite it;
   * sameSender) — takes its text and is returned. 'kept' when there is nothing to add: it was
   * applied already (or a later correction was), or it came from the room's history or an archive
   * before the message it corrects (an archive page is given newest first, the message may be in an
   * older page): kept aside and applied when that message comes. undefined: a live correction of a
   * message we do not have, shown as a message of its own. Of two corrections of the same second,
   * the one that came later wins ("append") or the one that came first ("prepend": newest first).
   */
  correct(correction: RoomMessage, mode: 'append' | 'prepend'): RoomMessage | 'kept' | undefined {
    const id = correction.replaces;
    if (id === undefined) {
      return undefined;
    }
    const time = correction.time.getTime();
    const newer = (than: number | undefined) => than === undefined || time > than || (time === than && mode === 'append');
    const original = this.byMessageId.get(id)?.find((m) => correctable(m, correction));
    if (original) {
      if (!newer(this.correctedAt.get(original.uid))) {
        return 'kept';
      }
      if (original.corrected && original.body === correction.body) {
        this.correctedAt.set(original.uid, time);
        return 'kept';
      }
      this.takeText(original, correction, time);
      return original;
    }
    if (!correction.delayed) {
      return undefined;
    }
    const aside = this.asideCorrections.get(id) ?? [];
    const same = aside.findIndex((a) => a.correction.type === correction.type && a.correction.privateWith === correction.privateWith && sameSender(a.correction, correction));
    if (same < 0) {
      aside.push({ correction, time });
    } else if (newer(aside[same].time)) {
      aside[same] = { correction, time };
    }
    this.asideCorrections.set(id, aside);
    return 'kept';
  }

  /**
   * Adds a message in time order; returns it, or undefined when it was a duplicate (then the
   * stored one learns the stanza-id if it lacked it). Delay stamps often have whole seconds only,
   * so times are compared by the second: a message of the same second goes after those we have
   * ("append", live and room history) or before them ("prepend", older archive pages, which are
   * given newest first).
   */
  insert(message: RoomMessage, mode: 'append' | 'prepend' = 'append'): RoomMessage | undefined {
    const ownOriginId = message.direction === 'out' ? message.originId : undefined;
    const existing = this.find(message.stanzaId, message.nick, message.messageId, ownOriginId) ?? (this.uids.has(message.uid) ? this.byUid(message.uid) : undefined);
    if (existing) {
      if (this.learnIds(existing, { stanzaId: message.stanzaId, originId: ownOriginId })) {
        this.learned(existing);
      }
      return undefined;
    }
    const second = Math.floor(message.time.getTime() / 1000);
    const secondOf = (m: RoomMessage) => Math.floor(m.time.getTime() / 1000);
    let i: number;
    if (mode === 'append') {
      i = this.list.length;
      while (i > 0 && secondOf(this.list[i - 1]) > second) {
        i -= 1;
      }
    } else {
      i = 0;
      while (i < this.list.length && secondOf(this.list[i]) < second) {
        i += 1;
      }
    }
    this.applyAside(message);
    this.list.splice(i, 0, message);
    this.uids.add(message.uid);
    if (message.stanzaId) {
      this.byStanzaId.set(message.stanzaId, message);
    }
    if (message.messageId) {
      this.bySenderId.set(`${message.nick}\u0000${message.messageId}`, message);
      this.byMessageId.set(message.messageId, [...(this.byMessageId.get(message.messageId) ?? []), message]);
    }
    if (ownOriginId) {
      this.byOriginId.set(ownOriginId, message);
    }
    return message;
  }

  /**
   * A message we have takes the ids a copy of it brought, those it lacks: the room's stanza-id
   * (XEP-0359: the reflection of our message, an archive copy), the origin-id of ours. Several tabs:
   * also what the tab holding the connection learned (RoomModel.mirrorIds). Whether it learned any.
   */
  learnIds(existing: RoomMessage, ids: { stanzaId?: string; originId?: string }): boolean {
    let learned = false;
    if (ids.stanzaId && !existing.stanzaId && !this.byStanzaId.has(ids.stanzaId)) {
      existing.stanzaId = ids.stanzaId;
      this.byStanzaId.set(ids.stanzaId, existing);
      learned = true;
    }
    if (ids.originId && existing.direction === 'out' && !existing.originId && !this.byOriginId.has(ids.originId)) {
      existing.originId = ids.originId;
      this.byOriginId.set(ids.originId, existing);
      learned = true;
    }
    return learned;
  }

  /** A message new to the timeline takes the text of a correction of it that came first (kept aside). */
  private applyAside(message: RoomMessage): void {
    const aside = message.messageId !== undefined ? this.asideCorrections.get(message.messageId) : undefined;
    const at = aside?.findIndex((a) => correctable(message, a.correction)) ?? -1;
    if (!aside || at < 0) {
      return;
    }
    const [{ correction, time }] = aside.splice(at, 1);
    if (aside.length === 0) {
      this.asideCorrections.delete(message.messageId!);
    }
    this.takeText(message, correction, time);
  }

  /** `message` shows the text of `correction`, sent at `time` (ms). */
  private takeText(message: RoomMessage, correction: RoomMessage, time: number): void {
    this.correctedAt.set(message.uid, time);
    message.body = correction.body;
    message.corrected = true;
  }
}

/**
 * Whether two messages are by the same occupant (a correction is only applied to its sender's
 * message, §5): the room's XEP-0421 occupant-ids when both have one (a room that stamps them
 * replaces any an occupant set, and stamps every message; it stays the same across nickname
 * changes); else both ours; else the real JIDs when the room revealed both; else the nicknames.
 */
export function sameSender(a: RoomMessage, b: RoomMessage): boolean {
  if (a.occupantId !== undefined && b.occupantId !== undefined) {
    return a.occupantId === b.occupantId;
  }
  if (a.direction === 'out' && b.direction === 'out') {
    return true; // (our copy made here has no occupant-id)
  }
  if (a.senderJid !== undefined && b.senderJid !== undefined) {
    return a.senderJid === b.senderJid;
  }
  return a.nick === b.nick;
}

/** Whether `correction` may correct `message`: the same kind (room or private) and private conversation, the same sender. */
function correctable(message: RoomMessage, correction: RoomMessage): boolean {
  return message.type === correction.type && message.privateWith === correction.privateWith && sameSender(message, correction);
}
