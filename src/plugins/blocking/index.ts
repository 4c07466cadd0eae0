import { discoFeatures } from '../../protocol/discoQuery';
import { JID } from '../../model/JID';
import { Plugin } from '../Plugin';
import { BlockingService, NS_BLOCKING } from './BlockingService';

export { BlockingService, NS_BLOCKING };

/** What the UI and the host page use: the service of this tab, or another tab's (src/core/tabs). */
export type Blocking = Pick<BlockingService, 'list' | 'isBlocked' | 'block' | 'unblock' | 'on'>;

/** The id under which the service is provided on the account: account.service('blocking'). */
export const BLOCKING_SERVICE = 'blocking';

/**
 * XEP-0191 blocking command. When the server supports it (disco#info of our domain), the account
 * provides a BlockingService: the blocklist, block() / unblock(), and blocked contacts marked on
 * the roster. Without server support (or with the plugin disabled) there is no service, and the
 * UI shows no block actions.
 */
export const blockingPlugin: Plugin = {
  id: 'blocking',
  name: 'Blocking',
  xeps: [{ id: 'XEP-0191', name: 'Blocking Command', version: '1.3' }],
  async attach({ account, connection }) {
    const own = JID.parse(account.fullJid);
    const features = await discoFeatures(connection, own.domain);
    if (!features.includes(NS_BLOCKING)) {
      return;
    }
    const service = new BlockingService(connection, own, account.roster);
    const offPushes = service.handlePushes();
    // contacts that arrive later (roster result, additions) are marked too
    const mark = () => service.markContacts();
    const offRoster = [account.roster.on('reset', mark), account.roster.on('added', mark)];
    try {
      await service.fetch();
    } catch (err) {
      console.warn('[jsxc] could not fetch the blocklist:', err);
    }
    account.provide(BLOCKING_SERVICE, service);
    return () => {
      offPushes();
      offRoster.forEach((off) => off());
      account.provide(BLOCKING_SERVICE, undefined);
    };
  },
};
