import { $iq } from 'strophe.js';
import { appendChild, firstChild } from '../../protocol/xml';
import { Plugin } from '../Plugin';
import { capsHash, Identity } from './caps';

export const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
export const NS_CAPS = 'http://jabber.org/protocol/caps';
export const CAPS_NODE = 'https://github.com/jsxc/jsxc-next';

/**
 * Service discovery (XEP-0030) about us, and entity capabilities (XEP-0115) in our presence. The
 * feature list is the enabled plugins' features: a disabled plugin disappears from both.
 */
export const discoPlugin: Plugin = {
  id: 'disco',
  name: 'Service discovery and entity capabilities',
  xeps: [
    { id: 'XEP-0030', name: 'Service Discovery', version: '2.5' },
    { id: 'XEP-0115', name: 'Entity Capabilities', version: '1.6' },
  ],
  features: [NS_DISCO_INFO, NS_CAPS],
  async attach({ connection, hooks, plugins, options }) {
    const identities: Identity[] = [{ category: 'client', type: 'web', name: `JSXC (${options.appName})` }];
    const features = plugins.features();
    const ver = await capsHash(identities, features);
    const offQuery = connection.addHandler(
      (iq) => {
        const query = firstChild(iq, 'query', NS_DISCO_INFO)!;
        const node = query.getAttribute('node');
        const reply = $iq({ type: 'result', to: iq.getAttribute('from') ?? '', id: iq.getAttribute('id') ?? '' });
        if (node && node !== `${CAPS_NODE}#${ver}`) {
          reply.attrs({ type: 'error' }).c('query', { xmlns: NS_DISCO_INFO, node }).up().c('error', { type: 'cancel' }).c('item-not-found', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' });
          connection.send(reply);
          return;
        }
        reply.c('query', { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) });
        for (const id of identities) {
          reply.c('identity', { category: id.category, type: id.type, name: id.name }).up();
        }
        for (const feature of features) {
          reply.c('feature', { var: feature }).up();
        }
        connection.send(reply);
      },
      { ns: NS_DISCO_INFO, name: 'iq', type: 'get' },
    );
    const offCaps = hooks.presenceOut.add('disco', ({ stanza }) => {
      if (stanza.getAttribute('type') || stanza.getAttribute('to')) {
        return; // caps only in our broadcast available presence
      }
      appendChild(stanza, 'c', { xmlns: NS_CAPS, hash: 'sha-1', node: CAPS_NODE, ver });
    });
    return () => {
      offQuery();
      offCaps();
    };
  },
};
