import { appendChild, childElements, firstChild } from '../../protocol/xml';
import type { Plugin } from '../Plugin';

export const NS_SID = 'urn:xmpp:sid:0';

/**
 * XEP-0359: every message we send carries an origin-id (our message id); incoming stanza-ids are
 * read — but only the one our own server stamped (by="our bare JID"), since anyone can put a
 * stanza-id into a message. They let the history drop duplicates (live, carbon, archive).
 */
export const stanzaIdPlugin: Plugin = {
  id: 'stanza-id',
  name: 'Unique and stable stanza IDs',
  xeps: [{ id: 'XEP-0359', name: 'Unique and Stable Stanza IDs', version: '0.7.0' }],
  features: [NS_SID],
  attach({ account, hooks }) {
    const offOut = hooks.messageOut.add(
      'stanza-id',
      ({ stanza, message }) => {
        if (message) {
          appendChild(stanza, 'origin-id', { xmlns: NS_SID, id: message.originId ?? message.id });
        }
      },
      20,
    );
    const offIn = hooks.messageIn.add(
      'stanza-id',
      (incoming) => {
        const stamped = childElements(incoming.stanza, 'stanza-id', NS_SID).find((el) => el.getAttribute('by') === account.uid);
        if (stamped?.getAttribute('id') && incoming.forwarded?.by !== 'mam') {
          incoming.stanzaId = stamped.getAttribute('id')!;
        }
        const origin = firstChild(incoming.stanza, 'origin-id', NS_SID)?.getAttribute('id');
        if (origin) {
          incoming.originId = origin;
        }
      },
      20,
    );
    return () => {
      offOut();
      offIn();
    };
  },
};
