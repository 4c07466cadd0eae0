import type { Account } from '../../model/Account';
import { JID } from '../../model/JID';
import { Message, newMessageId } from '../../model/Message';
import { childText, firstChild } from '../../protocol/xml';
import type { IncomingStanza } from '../Plugin';

export const NS_DELAY = 'urn:xmpp:delay';
const NS_STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/** XEP-0203: the delay stamp of a stanza (or forwarding wrapper), in ms since the epoch. */
export function delayOf(el: Element): number | undefined {
  const stamp = firstChild(el, 'delay', NS_DELAY)?.getAttribute('stamp');
  const t = stamp ? Date.parse(stamp) : NaN;
  return Number.isFinite(t) ? t : undefined;
}

/** The readable text of a stanza error: its <text/>, else its condition name. */
export function errorText(stanza: Element): string {
  const error = firstChild(stanza, 'error');
  if (!error) {
    return 'unknown error';
  }
  const text = childText(error, 'text', NS_STANZAS);
  if (text) {
    return text;
  }
  const condition = Array.from(error.childNodes).find((n) => n.nodeType === 1 && (n as Element).localName !== 'text') as Element | undefined;
  return condition?.localName ?? 'unknown error';
}


/**
 * RFC 6121 §5: what the core does with an incoming <message/> once every messageIn hook has run
 * (carbons unwrapped, ids found, receipts/markers/states/corrections taken care of):
 * errors mark our message failed, chat/normal messages with a body join the conversation.
 */
export async function deliverIncoming(account: Account, incoming: IncomingStanza): Promise<void> {
  await account.hooks.messageIn.run(incoming);
  if (incoming.handled) {
    return;
  }
  const { stanza, forwarded } = incoming;
  const type = stanza.getAttribute('type') ?? 'normal';
  const own = account.uid;
  const from = JID.tryParse(stanza.getAttribute('from')) ?? JID.parse(own);
  const to = JID.tryParse(stanza.getAttribute('to')) ?? JID.parse(own);
  const outgoing = forwarded?.direction === 'out';
  const peer = outgoing ? to.bare : from.bare;

  if (type === 'error') {
    const id = stanza.getAttribute('id');
    if (id && account.chats.has(peer)) {
      const chat = account.chats.get(peer);
      const message = await chat.findBySenderId('me', id);
      if (message) {
        await chat.setDeliveryState(message, 'failed', errorText(stanza));
      }
    }
    return;
  }
  if (type !== 'chat' && type !== 'normal') {
    return; // groupchat and headline belong to other features
  }
  if (account.rooms.get(peer)) {
    return; // private messages with room occupants belong to the room (muc plugin)
  }
  const body = childText(stanza, 'body');
  if (body === undefined || body === '' || peer === own) {
    return;
  }
  const idAttr = stanza.getAttribute('id') ?? undefined;
  const message: Message = {
    id: incoming.stanzaId ?? incoming.originId ?? idAttr ?? newMessageId(),
    peer,
    direction: outgoing ? 'out' : 'in',
    from: from.full,
    to: to.full,
    body,
    timestamp: delayOf(stanza) ?? forwarded?.timestamp ?? incoming.arrived ?? Date.now(),
    type,
    stanzaIdAttr: idAttr,
    originId: incoming.originId,
    stanzaId: incoming.stanzaId,
    ...(outgoing ? { state: 'sent' as const } : {}),
  };
  const chat = account.chats.get(peer);
  const archived = forwarded?.by === 'mam' && !forwarded.missed;
  const added = await chat.receive(message, archived, archived);
  if (added && !archived && !outgoing) {
    account.chats.notifyIncoming(chat, message);
  }
}
