import { $iq, $pres } from 'strophe.js';
import { XmppConnection } from '../connection/XmppConnection';
import { NS_ROSTER } from './roster';

/**
 * Adding a contact (RFC 6121 §2.3 and §3.1): a roster set, then a subscription request. The server
 * answers the roster set with a roster push, which the roster handler turns into the new item.
 */
export async function addRosterItem(connection: XmppConnection, jid: string, name?: string): Promise<void> {
  const iq = $iq({ type: 'set' }).c('query', { xmlns: NS_ROSTER }).c('item', { jid, ...(name ? { name } : {}) });
  await connection.sendIQ(iq);
}

/** Asks the contact to share their presence with us. */
export function requestSubscription(connection: XmppConnection, jid: string): void {
  connection.send($pres({ to: jid, type: 'subscribe' }));
}
