import { appendChild } from '../../protocol/xml';
import { Plugin } from '../Plugin';
import { capsHash, Identity } from './caps';
import { DiscoInfoAnswers } from './answers';

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
    const answers = new DiscoInfoAnswers(connection, identities, features, `${CAPS_NODE}#${ver}`);
    const offQuery = connection.addHandler((iq) => answers.answer(iq), { ns: NS_DISCO_INFO, name: 'iq', type: 'get' });
    const offCaps = hooks.presenceOut.add('disco', ({ stanza }) => {
      if (stanza.getAttribute('type') || stanza.getAttribute('to')) {
        return; // caps only in our broadcast available presence
      }
      appendChild(stanza, 'c', { xmlns: NS_CAPS, hash: 'sha-1', node: CAPS_NODE, ver });
    });
    return () => {
      offQuery();
      offCaps();
      answers.stop();
    };
  },
};
