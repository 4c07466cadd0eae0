import { $iq } from 'strophe.js';
import type { Strophe } from 'strophe.js';
import type { StanzaError } from './errors';
import type { StreamManagementTuning } from './streamManagement';

type StropheConnection = InstanceType<typeof Strophe.Connection>;

const NS_PING = 'urn:xmpp:ping';

/**
 * XmppConnection.sendAcked: sends `stanza` (given an id if it has none) and resolves once the
 * server has it — acknowledged by XEP-0198 where the stream has it (`streamManagement`), otherwise
 * when a ping sent right after it is answered through `sendIQ` (the server handles a stream's
 * stanzas in order; an error reply to the ping proves that too, no answer in time rejects).
 */
export function sendAcked(strophe: StropheConnection, streamManagement: StreamManagementTuning | undefined, sendIQ: (iq: ReturnType<typeof $iq>) => Promise<Element>, stanza: Element): Promise<void> {
  let id = stanza.getAttribute('id');
  if (!id) {
    id = strophe.getUniqueId('msg');
    stanza.setAttribute('id', id);
  }
  if (strophe.sm?.enabled && streamManagement) {
    const acked = streamManagement.whenAcked(id);
    strophe.send(stanza);
    return acked;
  }
  strophe.send(stanza);
  const ping = $iq({ type: 'get', to: strophe.domain ?? '' }).c('ping', { xmlns: NS_PING });
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
