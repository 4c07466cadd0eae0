import { $msg } from 'strophe.js';
import type { Account } from '../../model/Account';
import type { Message } from '../../model/Message';
import type { OutgoingStanza, Plugin } from '../Plugin';
import { deliverIncoming } from './incoming';

/** Builds the <message/> for a chat message and sends it through the messageOut hooks. */
export async function sendChatMessage(account: Account, message: Message): Promise<void> {
  const stanza = $msg({ to: message.peer, type: message.type, id: message.stanzaIdAttr ?? message.id })
    .c('body')
    .t(message.body)
    .tree();
  const outgoing: OutgoingStanza = { stanza, message };
  await account.hooks.messageOut.run(outgoing);
  if (outgoing.cancelled) {
    return;
  }
  // the outbox keeps it until acknowledged (not re-sent blindly after a failed resumption: Chats.flushOutbox)
  await account.xmpp.sendAcked(outgoing.stanza, { forOutbox: true });
}

/**
 * RFC 6121 one-to-one messaging: incoming <message/>s go through the account's messageIn hooks
 * into the chats; outgoing ones are built here, go through the messageOut hooks and are sent with
 * an acknowledgement. On each new session the outbox is flushed.
 */
export const chatPlugin: Plugin = {
  id: 'chat',
  name: 'One-to-one chat',
  xeps: [{ id: 'RFC 6121', name: 'XMPP: Instant Messaging and Presence' }],
  attach({ account, connection }) {
    // one at a time, in the order they arrived (with archive pages): processing is asynchronous (hooks, IndexedDB)
    const deliver = (stanza: Element) => {
      const arrived = Date.now();
      account.chats.inOrder(() => deliverIncoming(account, { stanza, arrived })).catch((err) => console.error('[jsxc] could not process a message:', err));
    };
    const off = connection.addHandler(deliver, { name: 'message' });
    // what came with the first responses of the stream, before this handler existed
    connection.takeEarlyMessages().forEach(deliver);
    account.chats.setSender((message) => sendChatMessage(account, message));
    void account.chats.flushOutbox();
    return () => {
      off();
      account.chats.setSender(undefined);
    };
  },
};
