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

/** An avatar image as received: its hash (the XEP-0153/0084 id), sniffed MIME type and bytes. */
export interface AvatarImage {
  hash: string;
  /** one of image/png, image/jpeg, image/gif, image/webp (checked from the bytes) */
  type: string;
  data: Uint8Array;
}

/** What a contact asks its account to do (the account owns the connection). */
export interface ContactActions {
  addToContactList(contact: Contact): Promise<void>;
}

export interface ContactEvents {
  change: [];
  /** manual §3.5.1–3.5.2: the UI should open the chat window (prominently: bring it forward) */
  chatWindowRequested: [prominent: boolean];
}

/**
 * A roster entry (or, from account.getContact(), a JID not in the roster yet) and what we know of
 * its presence. Generic over its events so that MultiUserContact (a room) can add its own.
 */
export class Contact<E extends ContactEvents & { [K in keyof E]: unknown[] } = ContactEvents> extends Emitter<E> {
  readonly jid: string;
  private item: RosterItem;
  private resources = new Map<string, ResourcePresence>();
  private unread = 0;
  private avatarImage: AvatarImage | undefined;
  private isBlocked = false;

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

  /** Our subscription request to this contact is waiting for an answer. */
  get pendingOut(): boolean {
    return this.item.ask === 'subscribe';
  }

  /** Messages from this contact not read yet (set by the chat window). */
  get unreadCount(): number {
    return this.unread;
  }

  setUnreadCount(n: number): void {
    const value = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
    if (value !== this.unread) {
      this.unread = value;
      this.changed();
    }
  }

  /** The contact's avatar (avatar plugin), undefined when it has none or we do not know it yet. */
  get avatar(): AvatarImage | undefined {
    return this.avatarImage;
  }

  setAvatar(avatar: AvatarImage | undefined): void {
    if (avatar?.hash !== this.avatarImage?.hash) {
      this.avatarImage = avatar;
      this.changed();
    }
  }

  /** Whether we block this contact (blocking plugin, XEP-0191). */
  get blocked(): boolean {
    return this.isBlocked;
  }

  setBlocked(blocked: boolean): void {
    if (blocked !== this.isBlocked) {
      this.isBlocked = blocked;
      this.changed();
    }
  }

  /** A copy of the roster item (for the roster cache). */
  toItem(): RosterItem {
    return { ...this.item, groups: [...this.item.groups] };
  }

  /** Emits "change". */
  protected changed(): void {
    (this as unknown as Emitter<ContactEvents> & { emit(event: 'change'): void }).emit('change');
  }

  /** The typed emit of the base class, for the events every contact has. */
  private emitContact<K extends keyof ContactEvents>(event: K, ...args: ContactEvents[K]): void {
    (this as unknown as { emit(event: K, ...args: ContactEvents[K]): void }).emit(event, ...args);
  }

  /** manual §3.5.1: opens the chat window with this contact (the UI does it; no DOM here). */
  openChatWindow(): void {
    this.emitContact('chatWindowRequested', false);
  }

  /** manual §3.5.2: opens the chat window, brings it to the front and focuses its input. */
  openChatWindowProminently(): void {
    this.emitContact('chatWindowRequested', true);
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

  /** What each resource announced (for mirroring to other tabs, src/core/tabs). */
  resourcePresences(): Array<[resource: string, presence: ResourcePresence]> {
    return [...this.resources];
  }

  clearPresence(): void {
    if (this.resources.size > 0) {
      this.resources.clear();
      this.changed();
    }
  }
}
