import { Emitter } from '../core/Emitter';
import { Contact, ContactActions, RosterItem } from './Contact';

interface RosterEvents {
  /** The whole list was replaced (roster fetched). */
  reset: [];
  added: [Contact];
  removed: [Contact];
  /** A contact's item or presence changed. */
  changed: [Contact];
  /** The list of incoming subscription requests changed. */
  requests: [];
  /** contact.openChatWindow() / openChatWindowProminently() was called */
  chatWindowRequested: [Contact, boolean];
}

/** Someone asks to see our presence (RFC 6121 §3.1.3). */
export interface SubscriptionRequest {
  /** bare JID of the requester */
  jid: string;
  /** the nickname they suggested (XEP-0172), as text */
  nick?: string;
}

/** The contact list of one account. */
export class Roster extends Emitter<RosterEvents> {
  private contacts = new Map<string, Contact>();
  private loaded = false;
  private pending = new Map<string, SubscriptionRequest>();

  /** `actions`: what the contacts ask their account to do (contact.addToContactList()). */
  constructor(private readonly actions?: ContactActions) {
    super();
  }
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

  /** Every group name in use, sorted. */
  groups(): string[] {
    const names = new Set<string>();
    for (const contact of this.contacts.values()) {
      contact.groups.forEach((g) => names.add(g));
    }
    return [...names].sort((a, b) => a.localeCompare(b));
  }

  /** Incoming subscription requests not answered yet, oldest first. */
  requests(): SubscriptionRequest[] {
    return [...this.pending.values()];
  }

  addRequest(request: SubscriptionRequest): void {
    if (!this.pending.has(request.jid)) {
      this.pending.set(request.jid, request);
      this.emit('requests');
    }
  }

  removeRequest(jid: string): void {
    if (this.pending.delete(jid)) {
      this.emit('requests');
    }
  }

  /**
   * Replaces the list with a full roster result (or the cached one). Contacts that stay keep their
   * object (and so what we know beyond the roster item: presence, avatar, unread count).
   */
  reset(items: RosterItem[], version?: string): void {
    this.version = version;
    const previous = this.contacts;
    this.contacts = new Map();
    for (const item of items) {
      const kept = previous.get(item.jid);
      if (kept) {
        previous.delete(item.jid);
        this.contacts.set(item.jid, kept);
        kept.updateItem(item);
      } else {
        this.contacts.set(item.jid, this.watch(new Contact(item, this.actions)));
      }
    }
    for (const gone of previous.values()) {
      gone.off('change', this.relay(gone));
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
        existing.off('change', this.relay(existing));
        this.emit('removed', existing);
      }
      return;
    }
    if (existing) {
      existing.updateItem(item);
    } else {
      const contact = this.watch(new Contact(item, this.actions));
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
    contact.on('chatWindowRequested', (prominent) => {
      if (this.contacts.get(contact.jid) === contact) {
        this.emit('chatWindowRequested', contact, prominent);
      }
    });
    return contact;
  }
}
