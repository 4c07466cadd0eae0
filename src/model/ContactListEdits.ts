import type { XmppConnection } from '../connection/XmppConnection';
import { removeRosterItem, RosterItemUpdate, setRosterItem } from '../protocol/rosterEdit';
import { acceptSubscription, addRosterItem, declineSubscription, requestSubscription } from '../protocol/subscription';
import type { AccountRemote } from './AccountRemote';
import { Contact, ContactActions } from './Contact';
import { JID } from './JID';
import type { MultiUserContact } from './MultiUserContact';
import type { Roster } from './Roster';
import type { RoomList } from './RoomList';

/** What the contact list edits need of the account. */
export interface ContactListHost {
  readonly uid: string;
  readonly roster: Roster;
  readonly rooms: RoomList;
  readonly isOnline: boolean;
  /** the connection of the current session */
  readonly connection: XmppConnection;
  /** set while another tab of the browser holds the connection: the edits go there */
  readonly remote: AccountRemote | undefined;
}

/**
 * The account's contact list as the user edits it (manual §3.4, docs/roster.md): contacts by JID
 * (also outside the list), adding, renaming, removing, answering subscription requests — over this
 * tab's connection, or through the tab that holds it.
 */
export class ContactListEdits {
  /** what a Contact calls (contact.addToContactList()) */
  readonly actions: ContactActions = { addToContactList: (contact) => this.addToContactList(contact) };
  /** contacts handed out by getContact() for JIDs not in the roster */
  private detachedContacts = new Map<string, Contact>();

  constructor(private readonly host: ContactListHost) {}

  /** See Account.getContact. */
  getContact(jid: string): Contact | MultiUserContact {
    if (typeof jid !== 'string') {
      throw new TypeError(`account.getContact(jid): jid must be a string (a bare JID), got ${jid === null ? 'null' : typeof jid}`);
    }
    const bare = JID.parse(jid).bare;
    const listed = this.host.rooms.get(bare) ?? this.host.roster.get(bare);
    if (listed) {
      return listed;
    }
    let detached = this.detachedContacts.get(bare);
    if (!detached) {
      detached = new Contact({ jid: bare, groups: [], subscription: 'none' }, this.actions);
      this.detachedContacts.set(bare, detached);
    }
    return detached;
  }

  /** Roster add and subscription request (RFC 6121); resolves once the server has the roster item. */
  private async addToContactList(contact: Contact): Promise<void> {
    const { remote, uid } = this.host;
    if (remote) {
      return remote.addToContactList(contact.jid, contact.name);
    }
    if (!this.host.isOnline) {
      throw new Error(`Cannot add ${contact.jid} to the contact list: ${uid} is not online`);
    }
    if (contact.jid === uid) {
      throw new Error(`Cannot add ${contact.jid} to its own contact list`);
    }
    await addRosterItem(this.host.connection, contact.jid, contact.name);
    const current = this.host.roster.get(contact.jid) ?? contact;
    if ((current.subscription === 'none' || current.subscription === 'from') && current.ask !== 'subscribe') {
      requestSubscription(this.host.connection, contact.jid);
    }
    this.detachedContacts.delete(contact.jid);
  }

  async addContact(contact: RosterItemUpdate): Promise<void> {
    if (this.host.remote) {
      return this.host.remote.addContact(contact);
    }
    await setRosterItem(this.host.connection, contact);
    requestSubscription(this.host.connection, contact.jid);
  }

  updateContact(contact: RosterItemUpdate): Promise<void> {
    return this.host.remote ? this.host.remote.updateContact(contact) : setRosterItem(this.host.connection, contact);
  }

  removeContact(jid: string): Promise<void> {
    return this.host.remote ? this.host.remote.removeContact(jid) : removeRosterItem(this.host.connection, jid);
  }

  answerSubscription(jid: string, accept: boolean): void {
    if (this.host.remote) {
      void this.host.remote.answerSubscription(jid, accept).catch((err: unknown) => console.warn('[jsxc] answering the subscription request failed:', err));
      return;
    }
    (accept ? acceptSubscription : declineSubscription)(this.host.connection, this.host.roster, jid);
  }
}
