import type { OwnPresence } from './Account';
import type { RosterItemUpdate } from '../protocol/rosterEdit';

/**
 * What an account does through another tab of the browser, while that tab holds the account's
 * connection (src/core/tabs). Each call resolves once the tab holding the connection has done it.
 */
export interface AccountRemote {
  setPresence(show: OwnPresence['show'], status: string): Promise<void>;
  addContact(contact: RosterItemUpdate): Promise<void>;
  updateContact(contact: RosterItemUpdate): Promise<void>;
  removeContact(jid: string): Promise<void>;
  answerSubscription(jid: string, accept: boolean): Promise<void>;
  addToContactList(jid: string, name?: string): Promise<void>;
  /** logs out (every tab) */
  logout(): Promise<void>;
}
