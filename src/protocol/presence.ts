import { $pres } from 'strophe.js';
import { XmppConnection } from '../connection/XmppConnection';
import { JID } from '../model/JID';
import { parseShow } from '../model/Presence';
import { Roster } from '../model/Roster';
import { childText } from './xml';


/** Tracks contacts' availability from incoming presence stanzas. */
export function handlePresence(connection: XmppConnection, roster: Roster): () => void {
  return connection.addHandler(
    (stanza) => {
      const type = stanza.getAttribute('type');
      const from = stanza.getAttribute('from');
      if (!from || (type && type !== 'unavailable')) {
        return; // subscription requests and errors are handled elsewhere
      }
      let jid: JID;
      try {
        jid = JID.parse(from);
      } catch {
        return;
      }
      const contact = roster.get(jid.bare);
      if (!contact) {
        return;
      }
      if (type === 'unavailable') {
        contact.setResourcePresence(jid.resource, undefined);
        return;
      }
      const priority = Number.parseInt(childText(stanza, 'priority') ?? '0', 10);
      contact.setResourcePresence(jid.resource, {
        show: parseShow(childText(stanza, 'show')),
        status: childText(stanza, 'status') ?? '',
        priority: Number.isFinite(priority) ? Math.max(-128, Math.min(127, priority)) : 0,
      });
    },
    { name: 'presence' },
  );
}

/** Probes sent before waiting for the server to acknowledge them. */
export const PROBE_BATCH = 50;

/**
 * Asks the server for the current presence of the contacts we are subscribed to (RFC 6121 §4.3:
 * the server answers a probe with the contact's available resources). Used when a page continues a
 * server session whose contact presence it never saw.
 *
 * In batches of PROBE_BATCH, the next once the server acknowledged the last one (XEP-0198, or a
 * ping over BOSH): 1,000 probes at once kept the page busy and left the server a backlog to read,
 * and Prosody cannot resume a session while it still has unread data from the previous connection
 * (docs/session.md, "Stream management"). Returns a function that stops what is not sent yet.
 */
export function probeContacts(connection: XmppConnection, roster: Roster): () => void {
  const queue = roster.all().filter((contact) => contact.subscription === 'to' || contact.subscription === 'both').map((contact) => contact.jid);
  let stopped = false;
  const next = (): void => {
    const batch = queue.splice(0, PROBE_BATCH);
    const last = batch.pop();
    if (stopped || last === undefined || !connection.connected) {
      return;
    }
    for (const jid of batch) {
      connection.send($pres({ type: 'probe', to: jid }));
    }
    connection.sendAcked($pres({ type: 'probe', to: last }).tree()).then(next, () => undefined);
  };
  next();
  return () => {
    stopped = true;
  };
}
