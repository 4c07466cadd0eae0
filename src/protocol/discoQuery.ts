import { $iq } from 'strophe.js';
import { XmppConnection } from '../connection/XmppConnection';
import { childElements, firstChild } from './xml';

const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';

/** The features an entity announces in disco#info (XEP-0030); an error reply means none. */
export async function discoFeatures(connection: XmppConnection, jid: string): Promise<string[]> {
  try {
    const result = await connection.sendIQ($iq({ type: 'get', to: jid }).c('query', { xmlns: NS_DISCO_INFO }));
    const query = firstChild(result, 'query', NS_DISCO_INFO);
    return query ? childElements(query, 'feature').map((f) => f.getAttribute('var') ?? '') : [];
  } catch {
    return [];
  }
}
