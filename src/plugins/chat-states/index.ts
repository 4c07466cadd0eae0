import { $msg } from 'strophe.js';
import type { ChatState } from '../../model/Chat';
import { JID } from '../../model/JID';
import { appendChild, childElements, childText } from '../../protocol/xml';
import type { Plugin } from '../Plugin';

export const NS_CHATSTATES = 'http://jabber.org/protocol/chatstates';
const STATES: ChatState[] = ['active', 'composing', 'paused', 'inactive', 'gone'];

/**
 * XEP-0085: our messages carry <active/>; while the user types we send <composing/>, then
 * <paused/> (the UI decides when, Chat.setOwnState()). The contact's states are shown in the
 * window. Standalone notifications carry a no-store hint so archives stay clean.
 */
export const chatStatesPlugin: Plugin = {
  id: 'chat-states',
  name: 'Chat state notifications',
  xeps: [{ id: 'XEP-0085', name: 'Chat State Notifications', version: '2.1' }],
  features: [NS_CHATSTATES],
  requires: ['chat'],
  attach({ account, connection, hooks }) {
    const offOut = hooks.messageOut.add('chat-states', ({ stanza, message }) => {
      if (message) {
        appendChild(stanza, 'active', { xmlns: NS_CHATSTATES });
      }
    });
    const offIn = hooks.messageIn.add('chat-states', (incoming) => {
      const { stanza, forwarded } = incoming;
      const state = childElements(stanza, undefined, NS_CHATSTATES).map((el) => el.localName as ChatState).find((s) => STATES.includes(s));
      const from = stanza.getAttribute('from');
      if (!state || !from || stanza.getAttribute('type') === 'error') {
        return;
      }
      if (!forwarded) {
        account.chats.get(JID.parse(from).bare).setPeerState(state);
      }
      if (childText(stanza, 'body') === undefined) {
        incoming.handled = true;
      }
    });
    const offOwn = account.chats.on('ownState', (chat, state) => {
      if (connection.connected) {
        connection.send($msg({ to: chat.peer, type: 'chat' }).c(state, { xmlns: NS_CHATSTATES }).up().c('no-store', { xmlns: 'urn:xmpp:hints' }));
      }
    });
    return () => {
      offOut();
      offIn();
      offOwn();
    };
  },
};
