import { $msg } from 'strophe.js';
import { JID } from '../../model/JID';
import type { Message } from '../../model/Message';
import { appendChild, childText, firstChild } from '../../protocol/xml';
import type { Plugin } from '../Plugin';

export const NS_MARKERS = 'urn:xmpp:chat-markers:0';

/**
 * XEP-0333: our messages are markable; a "displayed" marker from the contact marks that message
 * and the ones before it "read". When the user has seen a conversation (window visible and
 * focused — the UI decides, Chat.markDisplayed()), we send "displayed" for the newest message
 * of the contact that asked for markers, once.
 */
export const chatMarkersPlugin: Plugin = {
  id: 'chat-markers',
  name: 'Chat markers',
  xeps: [{ id: 'XEP-0333', name: 'Chat Markers', version: '0.4' }],
  features: [NS_MARKERS],
  requires: ['chat'],
  attach({ account, connection, hooks }) {
    const markableIds = new Set<string>();
    const lastSent = new Map<string, string>();
    const offOut = hooks.messageOut.add('chat-markers', ({ stanza, message }) => {
      if (message && !message.replaces) {
        appendChild(stanza, 'markable', { xmlns: NS_MARKERS });
      }
    });
    const offIn = hooks.messageIn.add('chat-markers', async (incoming) => {
      const { stanza, forwarded } = incoming;
      const from = stanza.getAttribute('from');
      if (!from || stanza.getAttribute('type') === 'error') {
        return;
      }
      if (firstChild(stanza, 'markable', NS_MARKERS) && stanza.getAttribute('id')) {
        markableIds.add(`${JID.parse(from).bare}/${stanza.getAttribute('id')}`);
      }
      const displayed = firstChild(stanza, 'displayed', NS_MARKERS) ?? firstChild(stanza, 'acknowledged', NS_MARKERS);
      const id = displayed?.getAttribute('id');
      if (id && forwarded?.direction !== 'out') {
        const chat = account.chats.get(JID.parse(from).bare);
        const message = await chat.findBySenderId('me', id);
        if (message) {
          await chat.setDeliveryState(message, 'read', undefined, true);
        }
      }
      const anyMarker = displayed ?? firstChild(stanza, 'received', NS_MARKERS);
      if (anyMarker && childText(stanza, 'body') === undefined) {
        incoming.handled = true;
      }
    });
    const offDisplayed = account.chats.on('displayed', (chat, message: Message) => {
      const id = message.stanzaIdAttr;
      if (!id || lastSent.get(chat.peer) === id || !connection.connected || !markableIds.has(`${chat.peer}/${id}`)) {
        return;
      }
      lastSent.set(chat.peer, id);
      connection.send($msg({ to: message.from, type: 'chat' }).c('displayed', { xmlns: NS_MARKERS, id }).up().c('store', { xmlns: 'urn:xmpp:hints' }));
    });
    return () => {
      offOut();
      offIn();
      offDisplayed();
    };
  },
};
