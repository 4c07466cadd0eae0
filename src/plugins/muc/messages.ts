/**
 * Room messages: incoming groupchat (live and room history), subjects, private messages,
 * invitations (XEP-0249 direct and XEP-0045 mediated) and room errors; sending through the
 * account's messageOut hooks so that e.g. encryption can wrap room messages too.
 */
import { $msg } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import type { SendOptions } from '../../connection/ackedSend';
import { JID } from '../../model/JID';
import type { MultiUserContact } from '../../model/MultiUserContact';
import { mentions, RoomMessage } from '../../model/RoomMessage';
import type { RoomInvitation, RoomList } from '../../model/RoomList';
import { childElements, childText, firstChild } from '../../protocol/xml';
import type { AccountHooks, IncomingStanza, OutgoingStanza } from '../Plugin';
import { MucError, mucErrorFromCondition } from './errors';
import { NS_CONFERENCE, NS_CORRECT, NS_DELAY, NS_MAM, NS_MUC_USER, NS_OCCUPANT_ID, NS_STANZA_ID } from './ns';
import { parseError } from './presence';

/** The room's XEP-0359 stanza-id (only the one the room itself set counts). */
export function roomStanzaId(stanza: Element, room: string): string | undefined {
  return childElements(stanza, 'stanza-id', NS_STANZA_ID).find((el) => el.getAttribute('by')?.toLowerCase() === room)?.getAttribute('id') ?? undefined;
}

/** The XEP-0359 stanza-id our own server stamped (by = our bare JID): our archive's id of a private message. */
export function ownStanzaId(stanza: Element, ownJid: string): string | undefined {
  return roomStanzaId(stanza, ownJid);
}

export function delayStamp(stanza: Element): Date | undefined {
  const stamp = firstChild(stanza, 'delay', NS_DELAY)?.getAttribute('stamp');
  const time = stamp ? new Date(stamp) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : undefined;
}

/** The id of the message a correction (XEP-0308) replaces, when `stanza` is one. */
export function replacedId(stanza: Element): string | undefined {
  return firstChild(stanza, 'replace', NS_CORRECT)?.getAttribute('id') || undefined;
}

/**
 * Who sent a room message, as far as the room tells (what RoomTimeline's sameSender compares): its
 * XEP-0421 occupant-id, and the real bare JID — from the room's archive (`archived`: the message
 * came wrapped in our server's MAM result), the muc#user item the room adds in a non-anonymous
 * room, only when there is exactly one (an occupant's own would make two); otherwise (live, and the
 * join history, which arrives like live messages) the occupant's from its presence. An occupant can
 * put anything into its message, a <delay> too: nothing in a message that reached us directly says
 * whose it is.
 */
function senderOf(room: MultiUserContact, stanza: Element, nick: string, archived: boolean): Pick<RoomMessage, 'occupantId' | 'senderJid'> {
  const occupantId = firstChild(stanza, 'occupant-id', NS_OCCUPANT_ID)?.getAttribute('id') || undefined;
  let jid: string | undefined;
  if (archived) {
    const items = childElements(stanza, 'x', NS_MUC_USER).flatMap((x) => childElements(x, 'item', NS_MUC_USER));
    jid = items.length === 1 ? (items[0].getAttribute('jid') ?? undefined) : undefined;
  } else {
    jid = room.getOccupant(nick)?.jid;
  }
  const senderJid = jid ? JID.tryParse(jid)?.bare : undefined;
  return { ...(occupantId ? { occupantId } : {}), ...(senderJid ? { senderJid } : {}) };
}

/** Turns a groupchat <message/> with a body into a RoomMessage (no side effects). */
export function toRoomMessage(room: MultiUserContact, stanza: Element, extra: { stanzaId?: string; time?: Date; own?: boolean } = {}): RoomMessage | undefined {
  const body = childText(stanza, 'body');
  if (body === undefined) {
    return undefined;
  }
  const from = stanza.getAttribute('from') ?? '';
  const nick = from.includes('/') ? from.slice(from.indexOf('/') + 1) : '';
  const type = stanza.getAttribute('type') === 'groupchat' ? 'groupchat' : 'chat';
  const delayed = delayStamp(stanza);
  const stanzaId = extra.stanzaId ?? roomStanzaId(stanza, room.jid);
  const messageId = stanza.getAttribute('id') ?? undefined;
  const originId = firstChild(stanza, 'origin-id', NS_STANZA_ID)?.getAttribute('id') ?? undefined;
  // ours: our nickname, or the origin-id of a room message of ours still pending (sent under an
  // earlier nickname), or known otherwise (`extra.own`)
  const own = extra.own ?? (nick === room.nickname || (originId !== undefined && type === 'groupchat' && room.pendingMessages.some((e) => e.originId === originId && e.to === undefined)));
  const replaces = replacedId(stanza);
  const isDelayed = extra.time !== undefined || delayed !== undefined;
  return {
    uid: room.newMessageUid(),
    ...(stanzaId ? { stanzaId } : {}),
    ...(messageId ? { messageId } : {}),
    ...(originId ? { originId } : {}),
    nick,
    ...senderOf(room, stanza, nick, extra.time !== undefined),
    body,
    time: extra.time ?? delayed ?? new Date(),
    direction: own ? 'out' : 'in',
    type,
    mentionsMe: !own && type === 'groupchat' && mentions(body, room.nickname),
    delayed: isDelayed,
    ...(replaces ? { replaces } : {}),
  };
}

export class RoomMessages {
  private counter = 0;

  constructor(
    private readonly connection: XmppConnection,
    private readonly rooms: RoomList,
    private readonly hooks: AccountHooks,
    /** our bare JID: our server's stanza-id on a private message is by it */
    private readonly ownJid: string,
  ) {}

  listen(): () => void {
    const off = this.connection.addHandler((stanza) => void this.onMessage(stanza), { name: 'message' });
    // what came with the first responses of the stream (a taken-over BOSH session), before this handler
    this.connection.peekEarlyMessages().forEach((stanza) => void this.onMessage(stanza));
    return off;
  }

  private nextId(): string {
    this.counter += 1;
    return `muc-${Date.now().toString(36)}-${this.counter}`;
  }

  /** Sets the subject; resolves once the room reflects it, rejects with the room's error. */
  setSubject(room: MultiUserContact, subject: string): Promise<void> {
    if (!room.isJoined) {
      return Promise.reject(new MucError('not-joined', { room: room.jid }));
    }
    const id = this.nextId();
    return this.awaitReflection(room, id, () => this.send($msg({ to: room.jid, type: 'groupchat', id }).c('subject').t(subject).tree()));
  }

  async invite(room: MultiUserContact, jid: string, reason: string | undefined, kind: 'direct' | 'mediated'): Promise<void> {
    const invitee = JID.parse(jid).bare;
    if (kind === 'direct') {
      await this.send($msg({ to: invitee, id: this.nextId() }).c('x', { xmlns: NS_CONFERENCE, jid: room.jid, ...(reason ? { reason } : {}), ...(room.password ? { password: room.password } : {}) }).tree());
      return;
    }
    const msg = $msg({ to: room.jid, id: this.nextId() }).c('x', { xmlns: NS_MUC_USER }).c('invite', { to: invitee });
    if (reason) {
      msg.c('reason').t(reason);
    }
    await this.send(msg.tree());
  }

  async declineInvitation(invitation: RoomInvitation, reason: string | undefined): Promise<void> {
    // the inviter's real JID, or the room's occupant JID in semi-anonymous rooms: the room routes either
    const msg = $msg({ to: invitation.room, id: this.nextId() }).c('x', { xmlns: NS_MUC_USER }).c('decline', { to: invitation.from });
    if (reason) {
      msg.c('reason').t(reason);
    }
    await this.send(msg.tree());
  }

  /** Sends through the messageOut hooks; false when a hook cancelled it. (Room and private messages: roomOutbox.ts.) */
  async send(stanza: Element, options: SendOptions = {}): Promise<boolean> {
    const outgoing: OutgoingStanza = { stanza };
    await this.hooks.messageOut.run(outgoing);
    if (!outgoing.cancelled) {
      this.connection.send(outgoing.stanza, options);
    }
    return !outgoing.cancelled;
  }

  /**
   * Sends through the messageOut hooks and returns, once it is out, the server's acknowledgement
   * (XEP-0198, or a ping answered after it: XmppConnection.sendAcked); undefined when a hook
   * cancelled it.
   */
  async sendAcked(stanza: Element, options: SendOptions = {}): Promise<{ acked: Promise<void> } | undefined> {
    const outgoing: OutgoingStanza = { stanza };
    await this.hooks.messageOut.run(outgoing);
    return outgoing.cancelled ? undefined : { acked: this.connection.sendAcked(outgoing.stanza, options) };
  }

  private pendingReflections = new Map<string, { room: string; reject: (e: MucError) => void }>();

  private awaitReflection(room: MultiUserContact, id: string, send: () => Promise<unknown>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const finish = () => {
        off();
        clearTimeout(timer);
        this.pendingReflections.delete(id);
      };
      const off = room.on('subject', () => {
        finish();
        resolve();
      });
      const timer = setTimeout(() => {
        finish();
        reject(new MucError('timeout', { room: room.jid }));
      }, 10000);
      this.pendingReflections.set(id, {
        room: room.jid,
        reject: (e) => {
          finish();
          reject(e);
        },
      });
      send().catch((e) => {
        finish();
        reject(e);
      });
    });
  }

  private async onMessage(stanza: Element): Promise<void> {
    if (firstChild(stanza, 'result', NS_MAM)) {
      return; // archive results belong to the history query that asked
    }
    const from = stanza.getAttribute('from') ?? '';
    let jid: JID;
    try {
      jid = JID.parse(from);
    } catch {
      return;
    }
    const direct = firstChild(stanza, 'x', NS_CONFERENCE);
    // a mediated invitation may carry a jabber:x:conference too (Prosody adds one): muc#user wins
    const mediated = firstChild(stanza, 'x', NS_MUC_USER);
    if (direct?.getAttribute('jid') && !(mediated && firstChild(mediated, 'invite', NS_MUC_USER))) {
      this.onDirectInvitation(direct, jid.bare);
      return;
    }
    const room = this.rooms.get(jid.bare);
    if (!room) {
      this.onMediatedInvitation(stanza, jid.bare);
      return;
    }
    const type = stanza.getAttribute('type');
    if (type === 'error') {
      this.onErrorMessage(room, stanza);
      return;
    }
    if (type !== 'groupchat') {
      if (jid.resource && firstChild(stanza, 'body')) {
        await this.receive(room, stanza); // a private message from an occupant
      } else {
        this.onMediatedInvitation(stanza, jid.bare);
      }
      return;
    }
    const subject = firstChild(stanza, 'subject');
    if (subject && !firstChild(stanza, 'body')) {
      room.setSubjectFromRoom(subject.textContent ?? '', jid.resource || undefined);
      return;
    }
    await this.receive(room, stanza);
  }

  private async receive(room: MultiUserContact, stanza: Element): Promise<void> {
    const incoming: IncomingStanza = { stanza };
    await this.hooks.messageIn.run(incoming);
    if (incoming.handled) {
      return;
    }
    const message = toRoomMessage(room, incoming.stanza);
    if (message) {
      if (message.type === 'chat') {
        message.privateWith = message.nick;
        message.stanzaId ??= ownStanzaId(incoming.stanza, this.ownJid); // as the archive catch-up has it
      }
      room.addServerCopy(message); // (ours: the room's reflection)
    }
  }

  private onErrorMessage(room: MultiUserContact, stanza: Element): void {
    const condition = parseError(stanza)?.condition ?? 'undefined-condition';
    const recipient = occupantNick(stanza.getAttribute('from'));
    const error =
      condition === 'forbidden' || condition === 'not-allowed' || condition === 'not-acceptable'
        ? new MucError('not-allowed', { room: room.jid, condition })
        : condition === 'item-not-found' && recipient !== undefined
          ? // a private message to an occupant who is not in the room ("Recipient not in room"):
            // left, or not back yet (a server restart); the user may send it again (docs/muc.md)
            new MucError('recipient-not-in-room', { room: room.jid, nickname: recipient })
          : mucErrorFromCondition(condition, { room: room.jid, nickname: room.nickname });
    const pending = this.pendingReflections.get(stanza.getAttribute('id') ?? '');
    if (pending) {
      pending.reject(error);
    } else {
      room.reportError(error, stanza.getAttribute('id') ?? undefined);
    }
  }

  private onDirectInvitation(x: Element, from: string): void {
    const reason = x.getAttribute('reason');
    const password = x.getAttribute('password');
    try {
      this.rooms.receivedInvitation({ room: JID.parse(x.getAttribute('jid')!).bare, from, kind: 'direct', ...(reason ? { reason } : {}), ...(password ? { password } : {}) });
    } catch {
      // an invitation to a malformed room JID cannot be joined: said in the console, not shown
      console.warn(`[jsxc] ignored an invitation from ${from} to a malformed room address`);
    }
  }

  private onMediatedInvitation(stanza: Element, roomJid: string): void {
    const x = firstChild(stanza, 'x', NS_MUC_USER);
    const decline = x && firstChild(x, 'decline', NS_MUC_USER);
    if (decline) {
      this.rooms.get(roomJid)?.invitationDeclined(bareOr(decline.getAttribute('from'), roomJid), childText(decline, 'reason', NS_MUC_USER) || undefined);
      return;
    }
    const invite = x && firstChild(x, 'invite', NS_MUC_USER);
    if (!x || !invite) {
      return;
    }
    const reason = childText(invite, 'reason', NS_MUC_USER);
    const password = childText(x, 'password', NS_MUC_USER);
    this.rooms.receivedInvitation({ room: roomJid, from: invite.getAttribute('from') ?? roomJid, kind: 'mediated', ...(reason ? { reason } : {}), ...(password ? { password } : {}) });
  }
}

/** The bare form of a JID attribute, or `fallback` when it is missing or malformed. */
function bareOr(jid: string | null, fallback: string): string {
  try {
    return jid ? JID.parse(jid).bare : fallback;
  } catch {
    return fallback;
  }
}

/** The occupant's nickname in room@service/nick; undefined for the room's bare JID. */
function occupantNick(from: string | null): string | undefined {
  try {
    return (from && JID.parse(from).resource) || undefined;
  } catch {
    return undefined;
  }
}
