import { $iq } from 'strophe.js';
import { Plugin } from './Plugin';

export const NS_PING = 'urn:xmpp:ping';

/** XEP-0199: answer pings, so servers and contacts see that we are alive. */
export const pingPlugin: Plugin = {
  id: 'ping',
  name: 'XMPP Ping',
  xeps: [{ id: 'XEP-0199', name: 'XMPP Ping', version: '2.0.1' }],
  features: [NS_PING],
  attach({ connection }) {
    return connection.addHandler(
      (iq) => {
        connection.send($iq({ type: 'result', to: iq.getAttribute('from') ?? '', id: iq.getAttribute('id') ?? '' }));
      },
      { ns: NS_PING, name: 'iq', type: 'get' },
    );
  },
};
