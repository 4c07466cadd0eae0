import { $iq } from 'strophe.js';
import { JID } from '../../model/JID';
import { firstChild } from '../../protocol/xml';
import { delayOf } from '../chat/incoming';
import type { Plugin } from '../Plugin';

export const NS_CARBONS = 'urn:xmpp:carbons:2';
export const NS_FORWARD = 'urn:xmpp:forward:0';

/**
 * XEP-0280: copies of the messages my other clients send and receive. Enabled on each new session.
 * A carbon is accepted only from our own bare JID (XEP-0280 §11: anyone else could forge one to
 * put words in our mouth); its inner message replaces the wrapper for the hooks after this one.
 */
export const carbonsPlugin: Plugin = {
  id: 'carbons',
  name: 'Message carbons',
  xeps: [{ id: 'XEP-0280', name: 'Message Carbons', version: '1.0.1' }],
  features: [NS_CARBONS],
  requires: ['chat'],
  async attach({ account, connection, hooks, resumed }) {
    const off = hooks.messageIn.add(
      'carbons',
      (incoming) => {
        const wrapper = firstChild(incoming.stanza, 'received', NS_CARBONS) ?? firstChild(incoming.stanza, 'sent', NS_CARBONS);
        if (!wrapper) {
          return;
        }
        const from = incoming.stanza.getAttribute('from');
        let fromBare: string | undefined;
        try {
          fromBare = from ? JID.parse(from).bare : undefined;
        } catch {
          fromBare = undefined;
        }
        const forwarded = firstChild(wrapper, 'forwarded', NS_FORWARD);
        const inner = forwarded && firstChild(forwarded, 'message');
        if (fromBare !== account.uid || !inner || incoming.forwarded) {
          console.warn(`[jsxc] dropped a message carbon from ${from ?? 'nobody'}: carbons are only accepted from our own account`);
          incoming.handled = true;
          return;
        }
        incoming.stanza = inner;
        incoming.forwarded = { by: 'carbons', direction: wrapper.localName === 'sent' ? 'out' : 'in', timestamp: forwarded ? delayOf(forwarded) : undefined };
      },
      10,
    );
    if (!resumed) {
      try {
        await connection.sendIQ($iq({ type: 'set' }).c('enable', { xmlns: NS_CARBONS }), 10000);
      } catch (err) {
        console.warn('[jsxc] the server did not enable message carbons:', err instanceof Error ? err.message : err);
      }
    }
    return off;
  },
};
