import { $iq, $pres } from 'strophe.js';
import { XmppConnection } from '../connection/XmppConnection';
import { JID } from '../model/JID';
import { Roster } from '../model/Roster';
import { NS_ROSTER } from './roster';
import { childText } from './xml';

/** RFC 6121 §3: presence subscriptions. No DOM: the roster model holds the pending requests. */
export const NS_NICK = 'http://jabber.org/protocol/nick';

type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

function sendSubscription(connection: XmppConnection, jid: string, type: SubscriptionType): void {
  connection.send($pres({ to: JID.parse(jid).bare, type }));
}

/** Asks to see the contact's presence. */
export function requestSubscription(connection: XmppConnection, jid: string): void {
  sendSubscription(connection, jid, 'subscribe');
}

/**
 * Accepts an incoming request: we let them see our presence, and ask for theirs back unless we
 * have (or asked for) it already.
 */
export function acceptSubscription(connection: XmppConnection, roster: Roster, jid: string): void {
  const bare = JID.parse(jid).bare;
  sendSubscription(connection, bare, 'subscribed');
  const contact = roster.get(bare);
  const haveTheirs = contact && (contact.subscription === 'to' || contact.subscription === 'both' || contact.pendingOut);
  if (!haveTheirs) {
    sendSubscription(connection, bare, 'subscribe');
  }
  roster.removeRequest(bare);
}

/** Declines an incoming request (or revokes what we granted). */
export function declineSubscription(connection: XmppConnection, roster: Roster, jid: string): void {
  const bare = JID.parse(jid).bare;
  sendSubscription(connection, bare, 'unsubscribed');
  roster.removeRequest(bare);
}

/**
 * Collects incoming subscription requests into the roster model. A request from someone who
 * already sees our presence is answered by the server itself; a request the requester withdraws
 * (unsubscribe) disappears again.
 */
export function handleSubscriptionRequests(connection: XmppConnection, account: JID, roster: Roster): () => void {
  return connection.addHandler(
    (stanza) => {
      const type = stanza.getAttribute('type');
      let from: JID;
      try {
        from = JID.parse(stanza.getAttribute('from') ?? '');
      } catch {
        return;
      }
      if (from.bare === account.bare) {
        return;
      }
      if (type === 'subscribe') {
        const contact = roster.get(from.bare);
        if (contact && (contact.subscription === 'from' || contact.subscription === 'both')) {
          return; // they already have it
        }
        const nick = childText(stanza, 'nick', NS_NICK)?.trim();
        roster.addRequest({ jid: from.bare, ...(nick ? { nick } : {}) });
      } else if (type === 'unsubscribe') {
        roster.removeRequest(from.bare);
      }
    },
    { name: 'presence', type: ['subscribe', 'unsubscribe'] },
  );
}

/**
 * Adding a contact (RFC 6121 §2.3 and §3.1): a roster set, then a subscription request. The server
 * answers the roster set with a roster push, which the roster handler turns into the new item.
 */
export async function addRosterItem(connection: XmppConnection, jid: string, name?: string): Promise<void> {
  const iq = $iq({ type: 'set' }).c('query', { xmlns: NS_ROSTER }).c('item', { jid, ...(name ? { name } : {}) });
  await connection.sendIQ(iq);
}
