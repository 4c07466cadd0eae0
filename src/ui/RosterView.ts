import rosterTemplate from '../../template/roster.hbs';
import { ConnectionState } from '../connection/status';
import { Translate } from '../i18n';
import { Account, OwnPresence } from '../model/Account';
import { Contact } from '../model/Contact';
import { FrameScheduler } from './FrameScheduler';
import { connectionStateText } from './presenceText';
import { ContactActions } from './roster/ContactActions';
import { ContactList } from './roster/ContactList';
import { PresenceSelector } from './roster/PresenceSelector';
import { RequestList } from './roster/RequestList';
import { renderElement } from './templates';

export interface RosterViewOptions {
  t: Translate;
  id: string;
  visibility: 'shown' | 'hidden';
  hideOfflineContacts: boolean;
  onLoginRequest: () => void;
  /** a contact was activated (click, Enter or Space on it; "Open chat" in its menu) */
  onContactActivate?: (contact: Contact) => void;
  /** options.getUsers, for suggestions in the Add contact dialog */
  getUsers?: (search: string) => Promise<{ [jid: string]: string }>;
  /** plugins' roster decorations (UIExtensions) */
  decorateContact?: (contact: Contact, element: HTMLElement) => void;
}

/**
 * The contact list panel (ui-contract: Roster): own presence, search, add contact, pending
 * subscription requests, and the contacts (grouped or flat) of the accounts it is given, plus the
 * `Connection` status region. Renders batched per animation frame; forwards the user's intent as
 * calls on the accounts and never builds stanzas.
 */
export class RosterView {
  readonly element: HTMLElement;
  private stateRegion: HTMLElement;
  private toggleButton: HTMLButtonElement;
  private search: HTMLInputElement;
  private groupingButton: HTMLButtonElement;
  private accounts = new Set<Account>();
  private contacts: ContactList;
  private requests: RequestList;
  private presence: PresenceSelector;
  private actions: ContactActions;
  private scheduler = new FrameScheduler(() => this.render());

  constructor(private readonly options: RosterViewOptions) {
    const { t } = options;
    this.element = renderElement(rosterTemplate, { id: options.id, visibility: options.visibility, expanded: String(options.visibility === 'shown') }, t);
    const $ = <T extends Element>(selector: string) => this.element.querySelector<T>(selector)!;
    this.stateRegion = $('[role="status"]');
    this.toggleButton = $('.jsxc-roster__toggle');
    this.search = $('.jsxc-roster__search');
    this.groupingButton = $('.jsxc-roster__grouping');
    this.toggleButton.addEventListener('click', () => this.toggle());
    $('.jsxc-roster__login-button').addEventListener('click', () => options.onLoginRequest());

    this.actions = new ContactActions({
      t,
      id: options.id,
      container: this.element,
      accountOf: (contact) => this.accountOf(contact),
      accounts: () => [...this.accounts],
      getUsers: options.getUsers,
      onActivate: options.onContactActivate,
    });
    this.contacts = new ContactList({
      t,
      id: options.id,
      list: $('.jsxc-roster__list'),
      hideOfflineContacts: options.hideOfflineContacts,
      onActivate: (contact) => options.onContactActivate?.(contact),
      onMenu: (contact, anchor) => this.actions.openMenu(contact, anchor),
      decorate: options.decorateContact,
    });
    this.requests = new RequestList($('.jsxc-roster__requests'), t);
    this.presence = new PresenceSelector({
      t,
      button: $('.jsxc-presence-button'),
      statusInput: $('.jsxc-roster__status-input'),
      container: this.element,
      onChange: (show, status) => this.choosePresence(show, status),
    });
    $('.jsxc-roster__add').addEventListener('click', () => this.actions.openAddDialog());
    this.groupingButton.addEventListener('click', () => {
      this.contacts.grouped = !this.contacts.grouped;
      this.groupingButton.setAttribute('aria-pressed', String(this.contacts.grouped));
      this.scheduler.schedule();
    });
    this.search.addEventListener('input', () => {
      this.contacts.setFilter(this.search.value);
      this.render(); // at once: the list follows every keystroke
    });
    this.search.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && this.search.value !== '') {
        ev.preventDefault();
        ev.stopPropagation();
        this.search.value = '';
        this.contacts.setFilter('');
        this.render();
      } else if (ev.key === 'ArrowDown' && this.contacts.focusFirst()) {
        ev.preventDefault();
      }
    });
    this.setConnectionState({ kind: 'offline' });
    this.setLoggedIn(false);
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


  /** Where the group chat section goes (muc UI), between requests and contacts. */
  get roomsSlot(): HTMLElement {
    return this.element.querySelector('.jsxc-roster__rooms')!;
  }

  /** Where the main menu button goes (in the bar). */
  get menuSlot(): HTMLElement {
    return this.element.querySelector('.jsxc-roster__menu')!;
  }

  /** The "Hide offline contacts" setting. */
  setHideOfflineContacts(hide: boolean): void {
    if (this.options.hideOfflineContacts !== hide) {
      this.options.hideOfflineContacts = hide;
      this.contacts.setHideOfflineContacts(hide);
      this.scheduler.schedule();
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
    this.showOwnPresence();
  }

  /** Whether an account is logged in; without one the panel offers the log-in action. */
  setLoggedIn(loggedIn: boolean): void {
    this.element.dataset.loggedIn = String(loggedIn);
  }

  /** Shows this account's roster, requests and presence; returns a function that stops it. */
  addAccount(account: Account): () => void {
    this.accounts.add(account);
    const { roster } = account;
    const changed = (contact: Contact) => {
      this.contacts.invalidate(contact);
      this.scheduler.schedule();
    };
    const offs = [
      roster.on('reset', () => this.scheduler.schedule()),
      roster.on('added', changed),
      roster.on('changed', changed),
      roster.on('removed', changed),
      roster.on('requests', () => this.scheduler.schedule()),
      account.on('presence', () => this.showOwnPresence()),
      account.on('state', () => this.showOwnPresence()),
    ];
    this.scheduler.schedule();
    this.showOwnPresence();
    return () => {
      offs.forEach((off) => off());
      this.accounts.delete(account);
      this.scheduler.schedule();
      this.showOwnPresence();
    };
  }

  private accountOf(contact: Contact): Account | undefined {
    return [...this.accounts].find((a) => a.roster.get(contact.jid) === contact);
  }

  private showOwnPresence(): void {
    const online = [...this.accounts].find((a) => a.isOnline);
    const presence: OwnPresence = online ? online.ownPresence : { show: 'offline', status: [...this.accounts][0]?.ownPresence.status ?? '' };
    this.presence.show(presence.show === 'chat' ? { ...presence, show: 'online' } : presence);
  }

  /** The user chose a presence: every account follows; going online from offline means logging in. */
  private choosePresence(show: OwnPresence['show'], status: string): void {
    const online = [...this.accounts].filter((a) => a.isOnline);
    if (online.length === 0) {
      if (show !== 'offline') {
        this.options.onLoginRequest();
      }
      return;
    }
    for (const account of online) {
      account.setPresence(show, status).catch((err: unknown) => console.warn('[jsxc] could not set the presence:', err));
    }
  }

  private render(): void {
    const all = [...this.accounts].flatMap((a) => a.roster.all());
    this.contacts.render(all);
    this.requests.render([...this.accounts]);
    this.element.dataset.empty = String(all.length === 0 || (this.contacts.visibleCount === 0 && this.contacts.filter === ''));
    (this.element.querySelector('.jsxc-roster__no-match') as HTMLElement).hidden = !(this.contacts.filter !== '' && this.contacts.visibleCount === 0);
  }
}
