import { $iq } from 'strophe.js';
import type { Strophe } from 'strophe.js';
import type { StanzaError } from './errors';
import type { StreamManagementTuning } from './streamManagement';

type StropheConnection = InstanceType<typeof Strophe.Connection>;

const NS_PING = 'urn:xmpp:ping';

/** How XmppConnection.send / sendAcked send a stanza. */
export interface SendOptions {
  /**
   * a message an outbox owns (kept until acknowledged; looked for in the archive before it is sent
   * again): strophe does not re-send it blindly after a failed XEP-0198 resumption, and its ack
   * rejects then (StreamManagementTuning.sendForOutbox)
   */
  forOutbox?: boolean;
}

/** What sendAcked sends through: the connection of this tab, or the tab that holds it (a following tab). */
export interface AckedSendPath {
  send(stanza: Element): void;
  uniqueId(): string;
  /** the server's domain, where the ping goes (none: to our own account, answered by the server too) */
  domain: string | null | undefined;
  /** XEP-0198 acks on this path (only on this tab's own stream) */
  streamManagement: StreamManagementTuning | undefined;
}

/** This tab's own connection as a path for sendAcked. */
export function ownPath(strophe: StropheConnection, streamManagement: StreamManagementTuning | undefined): AckedSendPath {
  return {
    send: (stanza) => strophe.send(stanza),
    uniqueId: () => strophe.getUniqueId('msg'),
    domain: strophe.domain,
    streamManagement: strophe.sm?.enabled ? streamManagement : undefined,
  };
}

/**
 * XmppConnection.sendAcked: sends `stanza` (given an id if it has none) and resolves once the
 * server has it — acknowledged by XEP-0198 where the stream has it (`streamManagement`), otherwise
 * when a ping sent right after it is answered through `sendIQ` (the server handles a stream's
 * stanzas in order; an error reply to the ping proves that too, no answer in time rejects). In a
 * following tab both go through the tab that holds the connection, in this order.
 */
export function sendAcked(path: AckedSendPath, sendIQ: (iq: ReturnType<typeof $iq>) => Promise<Element>, stanza: Element, options: SendOptions = {}): Promise<void> {
  let id = stanza.getAttribute('id');
  if (!id) {
    id = path.uniqueId();
    stanza.setAttribute('id', id);
  }
  const sm = path.streamManagement;
  if (sm) {
    const acked = sm.whenAcked(id);
    if (options.forOutbox) {
      sm.sendForOutbox(id, () => path.send(stanza));
    } else {
      path.send(stanza);
    }
    return acked;
  }
  path.send(stanza);
  const ping = $iq({ type: 'get', ...(path.domain ? { to: path.domain } : {}) }).c('ping', { xmlns: NS_PING });
  return sendIQ(ping).then(
    () => undefined,
    (err: StanzaError) => {
      if (err.condition === 'timeout') {
        throw err;
      }
      // an error reply to the ping still proves the server processed what came before it
    },
  );
}
