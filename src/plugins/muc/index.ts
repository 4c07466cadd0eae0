import { Plugin } from '../Plugin';
import { NS_MUC } from './ns';
import { loadSessionCode } from '../../core/sessionCode';

export interface MucPluginSettings {
  /** milliseconds between XEP-0410 self-pings of every joined room (default 5 minutes) */
  selfPingInterval?: number;
}

export const DEFAULT_SELF_PING_INTERVAL = 5 * 60 * 1000;

/**
 * Group chat (XEP-0045) with room archives (XEP-0313), stanza ids (XEP-0359), direct invitations
 * (XEP-0249) and self-ping (XEP-0410). The models are account.rooms / MultiUserContact; this
 * plugin is their wire side. No DOM here.
 */
export function createMucPlugin(settings: MucPluginSettings = {}): Plugin {
  return {
    id: 'muc',
    name: 'Group chat',
    xeps: [
      { id: 'XEP-0045', name: 'Multi-User Chat', version: '1.34.5' },
      { id: 'XEP-0249', name: 'Direct MUC Invitations', version: '1.2' },
      { id: 'XEP-0313', name: 'Message Archive Management (rooms)', version: '1.1.0' },
      { id: 'XEP-0359', name: 'Unique and Stable Stanza IDs', version: '0.7.0' },
      { id: 'XEP-0410', name: 'MUC Self-Ping (Schrödinger\'s Chat)', version: '1.1.0' },
    ],
    features: [NS_MUC, 'jabber:x:conference'],
    attach(context) {
      // the protocol's code is in the "session" chunk, which attachPlugins waits for (src/core/sessionCode.ts)
      const code = loadSessionCode.loaded;
      if (!code) {
        throw new Error('the group chat code (chunk "session") could not be loaded');
      }
      const service = new code.MucService(context, settings.selfPingInterval ?? DEFAULT_SELF_PING_INTERVAL);
      return service.attach();
    },
  };
}

export const mucPlugin = createMucPlugin();
