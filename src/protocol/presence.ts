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
