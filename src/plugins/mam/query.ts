import { $iq } from 'strophe.js';
import type { XmppConnection } from '../../connection/XmppConnection';
import { childText, firstChild } from '../../protocol/xml';
import { NS_FORWARD } from '../carbons';
import { delayOf } from '../chat/incoming';

export const NS_MAM = 'urn:xmpp:mam:2';
const NS_RSM = 'http://jabber.org/protocol/rsm';

export interface ArchiveQuery {
  /** bare JID of the conversation; absent: all conversations */
  with?: string;
  /** ISO 8601 start / end */
  start?: string;
  end?: string;
  max: number;
  /** RSM: page before this archive id ("" = the last page) */
  before?: string;
  /** RSM: page after this archive id */
  after?: string;
}

export interface ArchivedMessage {
  /** the archive's id (= the stanza-id our server stamped) */
  archiveId: string;
  timestamp?: number;
  message: Element;
}

export interface ArchivePage {
  messages: ArchivedMessage[];
  complete: boolean;
  first?: string;
  last?: string;
}

let queryCounter = 0;

/**
 * XEP-0313: one page of our own archive. Results arrive as <message/>s before the IQ result; only
 * those from our own account with our query id are taken (anyone could send a fake <result/>).
 */
export async function queryArchive(connection: XmppConnection, ownBareJid: string, query: ArchiveQuery): Promise<ArchivePage> {
  const queryid = `mam-${Date.now().toString(36)}-${++queryCounter}`;
  const messages: ArchivedMessage[] = [];
  const off = connection.addHandler(
    (stanza) => {
      const from = stanza.getAttribute('from');
      const result = firstChild(stanza, 'result', NS_MAM);
      if (!result || result.getAttribute('queryid') !== queryid || (from && from !== ownBareJid)) {
        return;
      }
      const forwarded = firstChild(result, 'forwarded', NS_FORWARD);
      const message = forwarded && firstChild(forwarded, 'message');
      if (forwarded && message && result.getAttribute('id')) {
        messages.push({ archiveId: result.getAttribute('id')!, timestamp: delayOf(forwarded), message });
      }
    },
    { name: 'message' },
  );
  const iq = $iq({ type: 'set' }).c('query', { xmlns: NS_MAM, queryid }).c('x', { xmlns: 'jabber:x:data', type: 'submit' });
  iq.c('field', { var: 'FORM_TYPE', type: 'hidden' }).c('value').t(NS_MAM).up().up();
  for (const key of ['with', 'start', 'end'] as const) {
    if (query[key]) {
      iq.c('field', { var: key }).c('value').t(query[key]!).up().up();
    }
  }
  iq.up().c('set', { xmlns: NS_RSM }).c('max').t(String(query.max)).up();
  if (query.before !== undefined) {
    iq.c('before').t(query.before).up();
  }
  if (query.after !== undefined) {
    iq.c('after').t(query.after).up();
  }
  try {
    const result = await connection.sendIQ(iq, 30000);
    const fin = firstChild(result, 'fin', NS_MAM);
    const set = fin && firstChild(fin, 'set', NS_RSM);
    return {
      messages,
      complete: fin?.getAttribute('complete') === 'true',
      first: set ? childText(set, 'first') : undefined,
      last: set ? childText(set, 'last') : undefined,
    };
  } finally {
    off();
  }
}
