import { Emitter } from '../core/Emitter';
import { Contact, RosterItem } from './Contact';

interface RosterEvents {
  /** The whole list was replaced (roster fetched). */
  reset: [];
  added: [Contact];
  removed: [Contact];
  /** A contact's item or presence changed. */
  changed: [Contact];
}

/** The contact list of one account. */
export class Roster extends Emitter<RosterEvents> {
  private contacts = new Map<string, Contact>();
  private loaded = false;
  /** XEP-0237 roster version of the items, when the server versions rosters */
  version?: string;

  get isLoaded(): boolean {
    return this.loaded;
  }

  get size(): number {
    return this.contacts.size;
  }

  get(bareJid: string): Contact | undefined {
    return this.contacts.get(bareJid);
  }

  all(): Contact[] {
    return [...this.contacts.values()];
  }

  /** Replaces the list with a full roster result (or the cached one). */
  reset(items: RosterItem[], version?: string): void {
    this.version = version;
    for (const contact of this.contacts.values()) {
      contact.off('change', this.relay(contact));
    }
    this.contacts.clear();
    for (const item of items) {
      this.contacts.set(item.jid, this.watch(new Contact(item)));
    }
    this.loaded = true;
    this.emit('reset');
  }

  /** Applies a roster push: add, update or (subscription "remove") delete. */
  apply(item: RosterItem): void {
    const existing = this.contacts.get(item.jid);
    if (item.subscription === 'remove') {
      if (existing) {
        this.contacts.delete(item.jid);
        this.emit('removed', existing);
      }
      return;
    }
    if (existing) {
      existing.updateItem(item);
    } else {
      const contact = this.watch(new Contact(item));
      this.contacts.set(item.jid, contact);
      this.emit('added', contact);
    }
  }

  /** The items, for the roster cache. */
  items(): RosterItem[] {
    return this.all().map((c) => c.toItem());
  }

  /** Everyone offline (our own stream went away). */
  clearPresence(): void {
    for (const contact of this.contacts.values()) {
      contact.clearPresence();
    }
  }

  private relays = new WeakMap<Contact, () => void>();

  private relay(contact: Contact): () => void {
    let fn = this.relays.get(contact);
    if (!fn) {
      fn = () => {
        if (this.contacts.get(contact.jid) === contact) {
          this.emit('changed', contact);
        }
      };
      this.relays.set(contact, fn);
    }
    return fn;
  }

  private watch(contact: Contact): Contact {
    contact.on('change', this.relay(contact));
    return contact;
  }
}
