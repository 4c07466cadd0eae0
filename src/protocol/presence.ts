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

/**
 * Asks the server for the current presence of the contacts we are subscribed to (RFC 6121 §4.3:
 * the server answers a probe with the contact's available resources). Used when a page continues a
 * server session whose contact presence it never saw.
 */
export function probeContacts(connection: XmppConnection, roster: Roster): void {
  for (const contact of roster.all()) {
    if (contact.subscription === 'to' || contact.subscription === 'both') {
      connection.send($pres({ type: 'probe', to: contact.jid }));
    }
  }
}
