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

export interface ContactEvents {
  change: [];
}

/**
 * A roster entry and what we know of its presence. Generic over its events so that
 * MultiUserContact (a room) can add its own.
 */
export class Contact<E extends ContactEvents & { [K in keyof E]: unknown[] } = ContactEvents> extends Emitter<E> {
  readonly jid: string;
  private item: RosterItem;
  private resources = new Map<string, ResourcePresence>();

  constructor(item: RosterItem) {
    super();
    this.jid = item.jid;
    this.item = item;
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

  /** A copy of the roster item (for the roster cache). */
  toItem(): RosterItem {
    return { ...this.item, groups: [...this.item.groups] };
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
