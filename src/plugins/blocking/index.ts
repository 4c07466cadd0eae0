import { discoFeatures } from '../../protocol/discoQuery';
import { JID } from '../../model/JID';
import { Plugin } from '../Plugin';
import { loadSessionCode } from '../../core/sessionCode';
import type { BlockingService } from './BlockingService';
import { NS_BLOCKING } from './ns';

export { BlockingService } from './BlockingService';
export { NS_BLOCKING };

/** What the UI and the host page use: the service of this tab, or another tab's (src/core/tabs). */
export type Blocking = Pick<BlockingService, 'list' | 'isBlocked' | 'block' | 'unblock' | 'on'>;

/** The id under which the service is provided on the account: account.service('blocking'). */
export const BLOCKING_SERVICE = 'blocking';

/**
 * What a page keeps for the next page of the same server session (account.serverState): whether
 * the server supports blocking, and the blocklist as the server's pushes left it.
 */
interface KeptBlocking {
  supported: boolean;
  list?: string[];
}

function isKeptBlocking(v: unknown): v is KeptBlocking {
  const k = v as KeptBlocking;
  return !!k && typeof k === 'object' && typeof k.supported === 'boolean' && (k.list === undefined || (Array.isArray(k.list) && k.list.every((j) => typeof j === 'string')));
}

/**
 * XEP-0191 blocking command. When the server supports it (disco#info of our domain), the account
 * provides a BlockingService: the blocklist, block() / unblock(), and blocked contacts marked on
 * the roster. Without server support (or with the plugin disabled) there is no service, and the
 * UI shows no block actions.
 *
 * A resumed server session (page load: BOSH attach, XEP-0198) still has the blocklist, and the
 * previous page kept it (and the server's support) in account.serverState, current with every
 * push: it is taken from there, with no request (docs/session.md, "What a resumed session skips").
 */
export const blockingPlugin: Plugin = {
  id: 'blocking',
  name: 'Blocking',
  xeps: [{ id: 'XEP-0191', name: 'Blocking Command', version: '1.3' }],
  async attach({ account, connection, resumed }) {
    const own = JID.parse(account.fullJid);
    const kept = resumed ? account.serverState('blocking') : undefined;
    const known = isKeptBlocking(kept) && (!kept.supported || kept.list !== undefined) ? kept : undefined;
    const supported = known ? known.supported : (await discoFeatures(connection, own.domain)).includes(NS_BLOCKING);
    if (!supported) {
      account.keepServerState('blocking', { supported: false });
      return;
    }
    // the service's code is in the "session" chunk, which attachPlugins waits for (src/core/sessionCode.ts)
    const code = loadSessionCode.loaded;
    if (!code) {
      throw new Error('the blocking code (chunk "session") could not be loaded');
    }
    const service = new code.BlockingService(connection, own, account.roster);
    const offPushes = service.handlePushes();
    // contacts that arrive later (roster result, additions) are marked too
    const mark = () => service.markContacts();
    const offRoster = [account.roster.on('reset', mark), account.roster.on('added', mark)];
    // '' until the list is known (restored or fetched): a list that failed to load is not kept
    let keptList = '';
    const keep = () => {
      const list = service.list();
      if (keptList !== '' && JSON.stringify(list) !== keptList) {
        keptList = JSON.stringify(list);
        account.keepServerState('blocking', { supported: true, list });
      }
    };
    if (known?.list) {
      service.restore(known.list);
      keptList = JSON.stringify(service.list());
    } else {
      try {
        await service.fetch();
        keptList = JSON.stringify(service.list());
        account.keepServerState('blocking', { supported: true, list: service.list() });
      } catch (err) {
        console.warn('[jsxc] could not fetch the blocklist:', err);
      }
    }
    const offChange = service.on('change', keep);
    account.provide(BLOCKING_SERVICE, service);
    return () => {
      offPushes();
      offChange();
      offRoster.forEach((off) => off());
      account.provide(BLOCKING_SERVICE, undefined);
    };
  },
};
