import { $msg } from 'strophe.js';
import { JID } from '../../model/JID';
import { appendChild, childText, firstChild } from '../../protocol/xml';
import type { Plugin } from '../Plugin';

export const NS_RECEIPTS = 'urn:xmpp:receipts';

/**
 * XEP-0184: we ask for a receipt with every chat message, mark ours "delivered" when one comes
 * back, and acknowledge the messages of contacts that asked (not archived copies, not errors).
 */
export const receiptsPlugin: Plugin = {
  id: 'receipts',
  name: 'Message delivery receipts',
  xeps: [{ id: 'XEP-0184', name: 'Message Delivery Receipts', version: '1.4.0' }],
  features: [NS_RECEIPTS],
  requires: ['chat'],
  attach({ account, connection, hooks }) {
    const offOut = hooks.messageOut.add('receipts', ({ stanza, message }) => {
      if (message && !message.replaces) {
        appendChild(stanza, 'request', { xmlns: NS_RECEIPTS });
      }
    });
    const offIn = hooks.messageIn.add('receipts', async (incoming) => {
      const { stanza, forwarded } = incoming;
      const from = stanza.getAttribute('from');
      if (!from || stanza.getAttribute('type') === 'error') {
        return;
      }
      const received = firstChild(stanza, 'received', NS_RECEIPTS);
      if (received?.getAttribute('id') && forwarded?.direction !== 'out') {
        const chat = account.chats.get(JID.parse(from).bare);
        const message = await chat.findBySenderId('me', received.getAttribute('id')!);
        if (message) {
          await chat.setDeliveryState(message, 'delivered');
        }
      }
      const hasBody = childText(stanza, 'body') !== undefined;
      if (!hasBody && received) {
        incoming.handled = true;
        return;
      }
      const id = stanza.getAttribute('id');
      if (hasBody && id && firstChild(stanza, 'request', NS_RECEIPTS) && !forwarded) {
        connection.send($msg({ to: from, type: stanza.getAttribute('type') ?? 'chat' }).c('received', { xmlns: NS_RECEIPTS, id }));
      }
    });
    return () => {
      offOut();
      offIn();
    };
  },
};
