import { $iq } from 'strophe.js';
import { XmppConnection } from '../connection/XmppConnection';
import { JID } from '../model/JID';
import { NS_ROSTER } from './roster';

/** What a roster set writes for one contact (RFC 6121 §2.3). */
export interface RosterItemUpdate {
  jid: string;
  /** the name we give the contact; empty or undefined: none */
  name?: string;
  groups: string[];
}

/** Trims, drops empty and duplicate group names. */
export function cleanGroups(groups: string[]): string[] {
  return [...new Set(groups.map((g) => g.trim()).filter((g) => g !== ''))];
}

/**
 * Adds or updates a roster item (RFC 6121 §2.3). Resolves when the server accepted it; the
 * roster push that follows updates the model. A malformed JID throws a JIDError naming it.
 */
export async function setRosterItem(connection: XmppConnection, update: RosterItemUpdate): Promise<void> {
  const jid = JID.parse(update.jid).bare;
  const name = update.name?.trim();
  const iq = $iq({ type: 'set' })
    .c('query', { xmlns: NS_ROSTER })
    .c('item', { jid, ...(name ? { name } : {}) });
  for (const group of cleanGroups(update.groups)) {
    iq.c('group').t(group).up();
  }
  await connection.sendIQ(iq);
}

/** Removes a contact (RFC 6121 §2.5): the server also cancels the subscriptions both ways. */
export async function removeRosterItem(connection: XmppConnection, jid: string): Promise<void> {
  const bare = JID.parse(jid).bare;
  await connection.sendIQ($iq({ type: 'set' }).c('query', { xmlns: NS_ROSTER }).c('item', { jid: bare, subscription: 'remove' }));
}
