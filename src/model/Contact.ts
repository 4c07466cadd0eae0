import { Emitter } from '../core/Emitter';
import { aggregatePresence, PresenceShow, ResourcePresence } from './Presence';

export type Subscription = 'none' | 'to' | 'from' | 'both' | 'remove';

export interface RosterItem {
  jid: string;
  name?: string;
  groups: string[];
  subscription: Subscription;
  /** "subscribe" while our subscription request is pending. */
  ask?: string;
}

/** What a contact asks its account to do (the account owns the connection). */
export interface ContactActions {
  addToContactList(contact: Contact): Promise<void>;
}

export interface ContactEvents {
  change: [];
}

/**
 * A roster entry (or, from account.getContact(), a JID not in the roster yet) and what we know of
 * its presence. Generic over its events so that MultiUserContact (a room) can add its own.
 */
export class Contact<E extends ContactEvents & { [K in keyof E]: unknown[] } = ContactEvents> extends Emitter<E> {
  readonly jid: string;
  private item: RosterItem;
  private resources = new Map<string, ResourcePresence>();

  constructor(
    item: RosterItem,
    private readonly actions?: ContactActions,
  ) {
    super();
    this.jid = item.jid;
    this.item = item;
  }

  /** manual §3.5.3: adds the contact to the roster and asks for a presence subscription. */
  addToContactList(): Promise<void> {
    if (!this.actions) {
      return Promise.reject(new Error(`${this.jid} belongs to no account, so it cannot be added to a contact list`));
    }
    return this.actions.addToContactList(this as Contact);
  }

  /** A pending subscription request of ours ("ask" in the roster item). */
  get ask(): string | undefined {
    return this.item.ask;
  }

  get name(): string | undefined {
    return this.item.name;
  }

  /** The name shown to a person: the roster name, else the JID's local part, else the JID. */
  get displayName(): string {
    return this.item.name?.trim() || this.jid.split('@')[0] || this.jid;
  }

  get groups(): string[] {
    return this.item.groups;
  }

  get subscription(): Subscription {
    return this.item.subscription;
  }

  get presence(): PresenceShow {
    return aggregatePresence(this.resources.values())?.show ?? 'offline';
  }

  get statusText(): string {
    return aggregatePresence(this.resources.values())?.status ?? '';
  }

  /** Emits "change". */
  protected changed(): void {
    (this as unknown as Emitter<ContactEvents> & { emit(event: 'change'): void }).emit('change');
  }

  updateItem(item: RosterItem): void {
    this.item = item;
    this.changed();
  }

  setResourcePresence(resource: string, presence: ResourcePresence | undefined): void {
    if (presence) {
      this.resources.set(resource, presence);
    } else if (resource) {
      this.resources.delete(resource);
    } else {
      // unavailable from the bare JID: every resource is gone
      this.resources.clear();
    }
    this.changed();
  }

  clearPresence(): void {
    if (this.resources.size > 0) {
      this.resources.clear();
      this.changed();
    }
  }
}
