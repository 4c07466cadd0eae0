import { Plugin } from '../Plugin';
import { loadSessionCode } from '../../core/sessionCode';
import { AvatarCache, AvatarStore } from './AvatarCache';
import { NS_AVATAR_METADATA } from './ns';

export type { AvatarService } from './AvatarService';

/** One cache per page: avatars are shared by hash between accounts and JSXC objects. */
let sharedCache: AvatarStore | undefined;

/**
 * Contacts' avatars: XEP-0153 (vCard-based, hash in presence) and XEP-0084 (PEP, metadata
 * notifications), cached by hash in IndexedDB. Without an avatar the UI shows initials in the
 * contact's XEP-0392 colour.
 */
export const avatarPlugin: Plugin = {
  id: 'avatar',
  name: 'Avatars',
  xeps: [
    { id: 'XEP-0153', name: 'vCard-Based Avatars', version: '1.1' },
    { id: 'XEP-0084', name: 'User Avatar', version: '1.1.4' },
    { id: 'XEP-0392', name: 'Consistent Color Generation', version: '0.8' },
  ],
  features: [`${NS_AVATAR_METADATA}+notify`],
  attach({ account, connection }) {
    // the service's code is in the "session" chunk, which attachPlugins waits for (src/core/sessionCode.ts)
    const code = loadSessionCode.loaded;
    if (!code) {
      throw new Error('the avatar code (chunk "session") could not be loaded');
    }
    sharedCache ??= new AvatarCache();
    const service = new code.AvatarService(connection, account.roster, sharedCache);
    const offs = [service.handlePresence(), service.handleMetadataNotifications()];
    account.provide('avatar', service);
    return () => {
      offs.forEach((off) => off());
      account.provide('avatar', undefined);
    };
  },
};
