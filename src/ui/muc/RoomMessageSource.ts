import type { Translate } from '../../i18n';
import type { Message } from '../../model/Message';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomMessage } from '../../model/RoomMessage';
import type { MessageSource } from '../chat/MessageList';

/** A room message as the shared message list renders it (a Message), with the room's own fields. */
export interface RoomViewMessage extends Message {
  /** the sender's nickname */
  nick: string;
  mentionsMe: boolean;
  /** for a private message: the other occupant */
  privateWith?: string;
}

/**
 * The room's timeline (RoomModel.messages, already ordered and without duplicates) as a
 * MessageSource for src/ui/chat/MessageList: each RoomMessage becomes one Message, kept by its uid
 * so that unchanged articles are reused; a message the room refused shows as "failed" with the
 * room's reason. Scroll-back asks the room's archive (XEP-0313).
 */
export class RoomMessageSource implements MessageSource {
  private views = new Map<string, RoomViewMessage>();
  /** readable errors of my refused messages, by uid */
  private errors = new Map<string, string>();
  private mapped: RoomViewMessage[] | undefined;
  private mappedRevision = -1;
  private mappings = 0;

  constructor(
    private readonly room: MultiUserContact,
    private readonly t: Translate,
  ) {}

  /**
   * Mapped again only when the timeline changed (RoomModel.timelineRevision) or an error text was
   * set: the message list reads this once per frame, a busy room's timeline is long.
   */
  get messages(): readonly RoomViewMessage[] {
    const revision = this.room.timelineRevision;
    if (!this.mapped || this.mappedRevision !== revision) {
      this.mapped = this.room.messages.map((m) => this.view(m));
      this.mappedRevision = revision;
      this.mappings += 1;
    }
    return this.mapped;
  }

  /** how many times the timeline was mapped (tests, bench) */
  get mappingCount(): number {
    return this.mappings;
  }

  get archiveComplete(): boolean {
    // out of the room there is nobody to ask
    return this.room.isHistoryComplete || !this.room.isJoined;
  }

  /** The room refused one of my messages: show it as failed, with this text. */
  setError(uid: string, text: string): void {
    this.errors.set(uid, text);
    this.mapped = undefined;
  }

  loadOlder(): Promise<unknown> {
    return this.room.isJoined ? this.room.loadOlderMessages(30) : Promise.resolve();
  }

  private view(m: RoomMessage): RoomViewMessage {
    let v = this.views.get(m.uid);
    if (!v) {
      v = {
        id: m.uid,
        peer: this.room.jid,
        direction: m.direction,
        from: `${this.room.jid}/${m.nick}`,
        to: this.room.jid,
        body: m.body,
        timestamp: m.time.getTime(),
        type: 'chat',
        nick: m.nick,
        mentionsMe: m.mentionsMe,
        ...(m.stanzaId ? { stanzaId: m.stanzaId } : {}),
        ...(m.privateWith ? { privateWith: m.privateWith } : {}),
      };
      this.views.set(m.uid, v);
    }
    if (m.stanzaId && v.stanzaId !== m.stanzaId) {
      v.stanzaId = m.stanzaId; // learned later (the room's reflection, an archive copy)
    }
    if (v.body !== m.body || v.corrected !== m.corrected) {
      v.body = m.body; // corrected (XEP-0308)
      v.corrected = m.corrected;
    }
    if (m.errorKey && v.state !== 'failed') {
      v.state = 'failed';
      v.error = this.errors.get(m.uid) ?? this.t(m.errorKey, { room: this.room.displayName, condition: '?', nickname: m.privateWith ?? '?' });
    } else if (!m.errorKey && v.state === 'failed') {
      // sent again (Retry): no longer failed; a new refusal sets its own text
      delete v.state;
      delete v.error;
      this.errors.delete(m.uid);
    }
    return v;
  }
}
