import { JID } from '../../model/JID';
import { appendChild, childText, firstChild } from '../../protocol/xml';
import type { Plugin } from '../Plugin';

export const NS_CORRECT = 'urn:xmpp:message-correct:0';

/**
 * XEP-0308: the user corrects their last message (Chat.correctLast, the Up key in the window);
 * a correction from a contact replaces the text of the message it names — only when it comes from
 * the same sender as that message (§5: anyone else could rewrite history).
 */
export const correctionPlugin: Plugin = {
  id: 'correction',
  name: 'Last message correction',
  xeps: [{ id: 'XEP-0308', name: 'Last Message Correction', version: '1.2.1' }],
  features: [NS_CORRECT],
  requires: ['chat'],
  attach({ account, hooks }) {
    const offOut = hooks.messageOut.add('correction', ({ stanza, message }) => {
      if (message?.replaces) {
        appendChild(stanza, 'replace', { xmlns: NS_CORRECT, id: message.replaces });
      }
    });
    const offIn = hooks.messageIn.add(
      'correction',
      async (incoming) => {
        const { stanza, forwarded } = incoming;
        const id = firstChild(stanza, 'replace', NS_CORRECT)?.getAttribute('id');
        const body = childText(stanza, 'body');
        const from = stanza.getAttribute('from');
        if (!id || !body || !from || stanza.getAttribute('type') === 'error') {
          return;
        }
        const outgoing = forwarded?.direction === 'out';
        const peer = outgoing ? JID.parse(stanza.getAttribute('to') ?? account.uid).bare : JID.parse(from).bare;
        if (account.rooms.get(peer)) {
          return; // a room's private message: the group chat plugin places it (no one-to-one chat with a room)
        }
        const chat = account.chats.get(peer);
        const original = await chat.findBySenderId(outgoing ? 'me' : from, id);
        // findBySenderId keys by sender: a correction from someone else never finds the original
        if (original) {
          await chat.change(original, { body, corrected: true });
          incoming.handled = true;
        } else if (forwarded?.by === 'mam') {
          incoming.handled = true; // an archived correction of something we do not have
        }
      },
      60,
    );
    return () => {
      offOut();
      offIn();
    };
  },
};
