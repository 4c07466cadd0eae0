/**
 * Private messages with room occupants (room@service/nick, type chat) and our own archive
 * (XEP-0313 on our account): the server keeps our copy of one we send, and the recipient's of one
 * we receive, with the room's bare JID as the conversation (Prosody's mod_mam). So a private
 * message of ours whose acknowledgement was lost (a tab that closed, a page that went away) is
 * looked for there before it is sent again, and one that came while no tab was online comes back
 * with the account's archive catch-up (src/plugins/mam) into the room's private conversation.
 * docs/muc.md, "Private messages across a hand-over".
 */
import type { XmppConnection } from '../../connection/XmppConnection';
import { JID } from '../../model/JID';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomList } from '../../model/RoomList';
import type { RoomMessage, RoomMessageIds } from '../../model/RoomMessage';
import { childText, firstChild } from '../../protocol/xml';
import type { AccountHooks, IncomingStanza } from '../Plugin';
import { findInArchiveSince } from './history';
import { delayStamp, replacedId } from './messages';
import { NS_FORWARD, NS_STANZA_ID } from './ns';

/**
 * Turns a private <message/> with a body, from an occupant (`in`) or ours to one (`out`), into a
 * RoomMessage of the room's private conversation with that occupant (no side effects).
 */
export function toPrivateMessage(room: MultiUserContact, stanza: Element, direction: 'in' | 'out', extra: { stanzaId?: string; time?: Date } = {}): RoomMessage | undefined {
  const body = childText(stanza, 'body');
  const occupant = JID.tryParse(stanza.getAttribute(direction === 'in' ? 'from' : 'to'));
  if (body === undefined || !occupant?.resource || occupant.bare !== room.jid) {
    return undefined;
  }
  const delayed = delayStamp(stanza);
  const messageId = stanza.getAttribute('id') ?? undefined;
  const originId = firstChild(stanza, 'origin-id', NS_STANZA_ID)?.getAttribute('id') ?? undefined;
  const replaces = replacedId(stanza);
  return {
    uid: room.newMessageUid(),
    ...(extra.stanzaId ? { stanzaId: extra.stanzaId } : {}),
    ...(messageId ? { messageId } : {}),
    ...(originId ? { originId } : {}),
    nick: direction === 'in' ? occupant.resource : room.nickname,
    privateWith: occupant.resource,
    body,
    time: extra.time ?? delayed ?? new Date(),
    direction,
    type: 'chat',
    mentionsMe: false,
    delayed: extra.time !== undefined || delayed !== undefined,
    ...(replaces ? { replaces } : {}),
  };
}

/**
 * A messageIn hook (after the others have unwrapped and decrypted): a private message with an
 * occupant of a room we know that reached us forwarded — from our archive (the catch-up after a
 * gap, src/plugins/mam) or as a carbon copy — goes into that room's private conversation, not into
 * a one-to-one chat with the room. A copy we have (live, or an earlier page) is dropped by its
 * stanza-id (our archive's), its origin-id (ours) or its sender and id.
 */
export function receiveForwardedPrivate(rooms: RoomList, incoming: IncomingStanza): void {
  const { stanza, forwarded } = incoming;
  const type = stanza.getAttribute('type') ?? 'normal';
  if (!forwarded || incoming.handled || (type !== 'chat' && type !== 'normal')) {
    return;
  }
  const occupant = JID.tryParse(stanza.getAttribute(forwarded.direction === 'in' ? 'from' : 'to'));
  const room = occupant?.resource ? rooms.get(occupant.bare) : undefined;
  if (!room) {
    return;
  }
  const time = forwarded.timestamp !== undefined ? new Date(forwarded.timestamp) : undefined;
  const message = toPrivateMessage(room, stanza, forwarded.direction, { ...(incoming.stanzaId ? { stanzaId: incoming.stanzaId } : {}), ...(time ? { time } : {}) });
  if (!message) {
    return;
  }
  incoming.handled = true;
  room.addServerCopy(message);
}

/** Whether an archived result is our private message with these ids (origin-id, else id). */
function isOwnPrivate(result: Element, ownJid: string, ids: RoomMessageIds): boolean {
  const inner = firstChild(firstChild(result, 'forwarded', NS_FORWARD) ?? result, 'message');
  const from = inner && JID.tryParse(inner.getAttribute('from'));
  if (!inner || (from && from.bare !== ownJid) || !JID.tryParse(inner.getAttribute('to'))?.resource) {
    return false;
  }
  return firstChild(inner, 'origin-id', NS_STANZA_ID)?.getAttribute('id') === ids.originId || inner.getAttribute('id') === ids.id;
}

/**
 * Our private message with `ids` in our own archive (conversation: the room) since `since` (ms,
 * our clock): a copy an earlier leader tab or page sent whose acknowledgement never reached us.
 * Puts it into the room's timeline (no longer pending) and returns the timeline's copy, or
 * undefined when the server does not have it.
 */
export async function findOwnPrivateInArchive(connection: XmppConnection, ownJid: string, hooks: AccountHooks, room: MultiUserContact, ids: RoomMessageIds, since: number): Promise<RoomMessage | undefined> {
  const match = await findInArchiveSince(connection, { from: ownJid, with: room.jid }, since, (r) => isOwnPrivate(r, ownJid, ids));
  const forwarded = match && firstChild(match, 'forwarded', NS_FORWARD);
  const inner = forwarded && firstChild(forwarded, 'message');
  if (!forwarded || !inner) {
    return undefined;
  }
  const time = delayStamp(forwarded);
  const stanzaId = match.getAttribute('id') ?? undefined;
  // marked as an archived copy of ours, so that no hook answers it (receipts) or takes it for a
  // one-to-one chat (chat states, corrections)
  const incoming: IncomingStanza = { stanza: inner, forwarded: { by: 'mam', direction: 'out', ...(time ? { timestamp: time.getTime() } : {}) }, ...(stanzaId ? { stanzaId } : {}) };
  await hooks.messageIn.run(incoming); // (e.g. decryption)
  const extra = { stanzaId, ...(time ? { time } : {}) };
  // (the archived stanza itself when a hook made it something else: it is ours all the same)
  const message = toPrivateMessage(room, incoming.stanza, 'out', extra) ?? toPrivateMessage(room, inner, 'out', extra);
  if (message) {
    message.delayed = true;
    room.addServerCopy(message);
  }
  room.settlePending(ids.originId, ids.id); // (also when a hook made it no private message)
  return room.findOwnMessage(ids.originId, ids.id) ?? message;
}
