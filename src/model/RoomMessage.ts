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
  /** a private message: true once corrected (XEP-0308); body is the latest text */
  corrected?: boolean;
  /**
   * a correction (XEP-0308) as it came: the id of the private message it corrects. The timeline
   * gives that message its text instead of adding this one (RoomTimeline.correct).
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
  /** corrections of private messages we do not have yet (by correctionKey), applied when the message comes */
  private asideCorrections = new Map<string, { body: string; time: number }>();
  /** when the correction a message shows was sent (ms), by uid: an older one does not undo it */
  private correctedAt = new Map<string, number>();
  private counter = 0;
  /** makes uids unique across the tabs of a browser too (a follower tab keeps the leader's uids) */
  private readonly prefix = Math.random().toString(36).slice(2, 8);

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
   * A correction (XEP-0308) of a private message: the message it names — by the same sender, in
   * the same private conversation (§5: no one else may rewrite it) — takes its text and is
   * returned. 'kept' when there is nothing to add: it was applied already (or a later correction
   * was), or it came from an archive before the message it corrects (an archive page newest first,
   * the message in an older page): kept aside and applied when that message comes. undefined: a
   * live correction of a message we do not have, shown as a message of its own. Of two corrections
   * of the same second, the one that came later wins ("append") or the one that came first
   * ("prepend": newest first).
   */
  correct(correction: RoomMessage, mode: 'append' | 'prepend'): RoomMessage | 'kept' | undefined {
    const id = correction.replaces;
    if (id === undefined || correction.type !== 'chat') {
      return undefined;
    }
    const time = correction.time.getTime();
    const newer = (than: number | undefined) => than === undefined || time > than || (time === than && mode === 'append');
    const original = this.bySenderId.get(`${correction.nick}\u0000${id}`);
    if (original && original.type === 'chat' && original.privateWith === correction.privateWith) {
      if (!newer(this.correctedAt.get(original.uid))) {
        return 'kept';
      }
      this.correctedAt.set(original.uid, time);
      if (original.corrected && original.body === correction.body) {
        return 'kept';
      }
      original.body = correction.body;
      original.corrected = true;
      return original;
    }
    if (!correction.delayed) {
      return undefined;
    }
    const key = correctionKey(correction, id);
    if (newer(this.asideCorrections.get(key)?.time)) {
      this.asideCorrections.set(key, { body: correction.body, time });
    }
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
      if (message.stanzaId && !existing.stanzaId) {
        existing.stanzaId = message.stanzaId;
        this.byStanzaId.set(message.stanzaId, existing);
      }
      if (ownOriginId && existing.direction === 'out' && !existing.originId) {
        existing.originId = ownOriginId;
        this.byOriginId.set(ownOriginId, existing);
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
    const aside = message.type === 'chat' && message.messageId ? this.asideCorrections.get(correctionKey(message, message.messageId)) : undefined;
    if (aside) {
      this.asideCorrections.delete(correctionKey(message, message.messageId!));
      this.correctedAt.set(message.uid, aside.time);
      message.body = aside.body;
      message.corrected = true;
    }
    this.list.splice(i, 0, message);
    this.uids.add(message.uid);
    if (message.stanzaId) {
      this.byStanzaId.set(message.stanzaId, message);
    }
    if (message.messageId) {
      this.bySenderId.set(`${message.nick}\u0000${message.messageId}`, message);
    }
    if (ownOriginId) {
      this.byOriginId.set(ownOriginId, message);
    }
    return message;
  }
}

/** A private message's sender, conversation and id: what a correction of it names. */
function correctionKey(m: RoomMessage, id: string): string {
  return `${m.privateWith ?? ''}\u0000${m.nick}\u0000${id}`;
}
