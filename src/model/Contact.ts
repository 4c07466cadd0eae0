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

/** A roster entry and what we know of its presence. */
export class Contact extends Emitter<{ change: []; chatWindowRequested: [prominent: boolean] }> {
  readonly jid: string;
  private item: RosterItem;
  private resources = new Map<string, ResourcePresence>();
  private unread = 0;

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

  /** Messages from this contact not yet seen by the user. */
  get unreadCount(): number {
    return this.unread;
  }

  setUnreadCount(n: number): void {
    if (n !== this.unread) {
      this.unread = n;
      this.emit('change');
    }
  }

  /** manual §3.5.1: opens the chat window with this contact (the UI does it; no DOM here). */
  openChatWindow(): void {
    this.emit('chatWindowRequested', false);
  }

  /** manual §3.5.2: opens the chat window, brings it to the front and focuses its input. */
  openChatWindowProminently(): void {
    this.emit('chatWindowRequested', true);
  }

  updateItem(item: RosterItem): void {
    this.item = item;
    this.emit('change');
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
    this.emit('change');
  }

  clearPresence(): void {
    if (this.resources.size > 0) {
      this.resources.clear();
      this.emit('change');
    }
  }
}
