import contactTemplate from '../../template/contact.hbs';
import rosterTemplate from '../../template/roster.hbs';
import { ConnectionState } from '../connection/status';
import { Translate } from '../i18n';
import { Contact } from '../model/Contact';
import { presenceRank } from '../model/Presence';
import { Roster } from '../model/Roster';
import { FrameScheduler } from './FrameScheduler';
import { connectionStateText, presenceText } from './presenceText';
import { renderElement } from './templates';

export interface RosterViewOptions {
  t: Translate;
  id: string;
  visibility: 'shown' | 'hidden';
  hideOfflineContacts: boolean;
  onLoginRequest: () => void;
  /** a contact was activated (click, Enter): open its chat */
  onContactActivate?: (contact: Contact) => void;
}

/**
 * The contact list panel (ui-contract: Roster). Renders the roster of the accounts it is given,
 * sorted online-first then by name, and the `Connection` status region. Forwards the user's
 * intent (log in, toggle) and never builds stanzas.
 */
export class RosterView {
  readonly element: HTMLElement;
  private list: HTMLUListElement;
  private stateRegion: HTMLElement;
  private toggleButton: HTMLButtonElement;
  private rosters = new Set<Roster>();
  private items = new Map<Contact, HTMLLIElement>();
  private dirty = new Set<Contact>();
  private scheduler = new FrameScheduler(() => this.render());

  constructor(private readonly options: RosterViewOptions) {
    this.element = renderElement(rosterTemplate, { id: options.id, visibility: options.visibility, expanded: String(options.visibility === 'shown') }, options.t);
    this.list = this.element.querySelector('ul')!;
    this.stateRegion = this.element.querySelector('[role="status"]')!;
    this.toggleButton = this.element.querySelector('.jsxc-roster__toggle')!;
    this.toggleButton.addEventListener('click', () => this.toggle());
    this.element.querySelector('.jsxc-roster__login-button')!.addEventListener('click', () => options.onLoginRequest());
    this.setConnectionState({ kind: 'offline' });
    this.setLoggedIn(false);
    this.list.addEventListener('click', (ev) => this.activate(ev));
    this.list.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        this.activate(ev);
      }
    });
    this.unreadBadge = this.element.querySelector('.jsxc-roster__unread')!;
  }

  private unreadBadge: HTMLElement;

  /** The unread total of all chats, on the toggle button. */
  setUnreadTotal(total: number): void {
    this.unreadBadge.textContent = total > 0 ? String(total) : '';
    this.unreadBadge.dataset.count = String(total);
    if (total > 0) {
      this.toggleButton.setAttribute('aria-description', this.options.t('unread_count', { count: total }));
    } else {
      this.toggleButton.removeAttribute('aria-description');
    }
  }

  private activate(ev: Event): void {
    const li = (ev.target as Element).closest<HTMLElement>('.jsxc-contact');
    const jid = li?.dataset.jid;
    if (!jid) {
      return;
    }
    for (const roster of this.rosters) {
      const contact = roster.get(jid);
      if (contact) {
        ev.preventDefault();
        this.options.onContactActivate?.(contact);
        return;
      }
    }
  }

  get visible(): boolean {
    return this.element.dataset.visibility === 'shown';
  }

  /** Shows or hides the contact list (jsxc.toggleRoster() and the toggle button). */
  toggle(show = !this.visible): void {
    this.element.dataset.visibility = show ? 'shown' : 'hidden';
    this.toggleButton.setAttribute('aria-expanded', String(show));
  }

  setConnectionState(state: ConnectionState): void {
    this.stateRegion.textContent = connectionStateText(this.options.t, state);
    this.element.dataset.connection = state.kind;
  }

  /** Whether an account is logged in; without one the panel offers the log-in action. */
  setLoggedIn(loggedIn: boolean): void {
    this.element.dataset.loggedIn = String(loggedIn);
  }

  addRoster(roster: Roster): () => void {
    this.rosters.add(roster);
    const offs = [
      roster.on('reset', () => this.invalidateAll()),
      roster.on('added', (c) => this.invalidate(c)),
      roster.on('changed', (c) => this.invalidate(c)),
      roster.on('removed', (c) => this.invalidate(c)),
    ];
    this.invalidateAll();
    return () => {
      offs.forEach((off) => off());
      this.rosters.delete(roster);
      this.invalidateAll();
    };
  }

  private invalidate(contact: Contact): void {
    this.dirty.add(contact);
    this.scheduler.schedule();
  }

  private invalidateAll(): void {
    for (const contact of this.items.keys()) {
      this.dirty.add(contact);
    }
    for (const roster of this.rosters) {
      for (const contact of roster.all()) {
        this.dirty.add(contact);
      }
    }
    this.scheduler.schedule();
  }

  private isListed(contact: Contact): boolean {
    for (const roster of this.rosters) {
      if (roster.get(contact.jid) === contact) {
        return !(this.options.hideOfflineContacts && contact.presence === 'offline');
      }
    }
    return false;
  }

  private render(): void {
    for (const contact of this.dirty) {
      const old = this.items.get(contact);
      if (!this.isListed(contact)) {
        old?.remove();
        this.items.delete(contact);
        continue;
      }
      const li = this.renderContact(contact);
      if (old) {
        const hadFocus = old.contains(document.activeElement);
        old.replaceWith(li);
        if (hadFocus) {
          li.focus();
        }
      }
      this.items.set(contact, li);
    }
    this.dirty.clear();
    const sorted = [...this.items.keys()].sort(compareContacts);
    // re-append only when the order differs, so a presence change does not rebuild the list
    const current = Array.from(this.list.children);
    if (sorted.length !== current.length || sorted.some((c, i) => this.items.get(c) !== current[i])) {
      const fragment = document.createDocumentFragment();
      for (const contact of sorted) {
        fragment.appendChild(this.items.get(contact)!);
      }
      this.list.replaceChildren(fragment);
    }
    this.element.dataset.empty = String(sorted.length === 0);
  }

  private renderContact(contact: Contact): HTMLLIElement {
    const name = contact.displayName;
    return renderElement<HTMLLIElement>(
      contactTemplate,
      {
        jid: contact.jid,
        name,
        initial: Array.from(name)[0]?.toUpperCase() ?? '?',
        presence: contact.presence,
        presenceText: presenceText(this.options.t, contact.presence),
        status: contact.statusText,
        unread: contact.unreadCount > 0 ? this.options.t('unread_count', { count: contact.unreadCount }) : '',
      },
      this.options.t,
    );
  }
}

function compareContacts(a: Contact, b: Contact): number {
  const byPresence = presenceRank(b.presence) - presenceRank(a.presence);
  if (byPresence !== 0) {
    return byPresence;
  }
  return a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }) || a.jid.localeCompare(b.jid);
}
