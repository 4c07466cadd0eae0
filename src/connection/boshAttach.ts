import { $iq } from 'strophe.js';
import type { JID } from '../model/JID';
import { ConnectionError, StanzaError } from './errors';
import { Status } from './status';
import type { XmppConnection } from './XmppConnection';

const NS_PING = 'urn:xmpp:ping';

/** The strophe member used here. */
interface ProtocolErrors {
  addProtocolErrorHandler(protocol: string, status: number, callback: (status: number) => void): void;
}

/**
 * BOSH attach (XmppConnection.attach): strophe attaches without asking the server, so a ping proves
 * that the server still knows the session. Rejects with a ConnectionError: condition
 * "item-not-found" when the server does not know the session (any more), CONNTIMEOUT (after
 * `abort()`) when nothing answers within `timeout`. An error reply to the ping still proves the
 * session alive.
 */
export async function proveAttached(connection: XmppConnection, strophe: unknown, attached: { jid: JID; sid: string; timeout: number }, abort: () => void): Promise<void> {
  const { jid, sid, timeout } = attached;
  let off = (): void => undefined;
  let notFound = false;
  // Prosody answers an unknown sid with <body type="terminate" condition="item-not-found"/>,
  // other servers with HTTP 404 (XEP-0124 §17)
  (strophe as ProtocolErrors).addProtocolErrorHandler('HTTP', 404, () => {
    notFound = true;
  });
  const gone = new Promise<never>((_resolve, reject) => {
    off = connection.on('status', (status, condition) => {
      if (status === Status.DISCONNECTED || status === Status.CONNFAIL) {
        reject(new ConnectionError(`The server does not know the BOSH session ${sid} (any more)`, Status.CONNFAIL, notFound ? 'item-not-found' : condition || 'unknown', connection.url));
      }
    });
  });
  const ping = $iq({ type: 'get', to: jid.domain }).c('ping', { xmlns: NS_PING });
  const alive = connection.sendIQ(ping, timeout).then(
    () => undefined,
    (err: StanzaError) => {
      if (err.condition === 'timeout') {
        off();
        abort();
        throw new ConnectionError(`No answer from ${connection.url} on the attached BOSH session`, Status.CONNTIMEOUT, 'timeout', connection.url);
      }
      // an error reply still proves that the session is alive
    },
  );
  try {
    await Promise.race([alive, gone]);
  } finally {
    off();
  }
}
