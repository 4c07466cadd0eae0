import contactTemplate from '../../../template/contact.hbs';
import { Translate } from '../../i18n';
import { Contact } from '../../model/Contact';
import { presenceRank } from '../../model/Presence';
import { initials, paintAvatar } from '../avatar';
import { presenceText } from '../presenceText';
import { renderElement } from '../templates';

export interface ContactListOptions {
  t: Translate;
  id: string;
  list: HTMLUListElement;
  hideOfflineContacts: boolean;
  /** a contact was activated (click, Enter, Space) */
  onActivate: (contact: Contact) => void;
  /** the contact's actions menu was asked for (its button, the context-menu key or Shift+F10) */
  onMenu: (contact: Contact, anchor: HTMLElement) => void;
  /** plugins' roster decorations (UIExtensions), run on each freshly rendered item */
  decorate?: (contact: Contact, element: HTMLElement) => void;
}

interface GroupElements {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  count: HTMLElement;
  ul: HTMLUListElement;
}

/** The bucket of contacts without a roster group. */
const NO_GROUP = '\u0000none';

/**
 * The list of contacts (ui-contract: `list` "Contacts", one `listitem` per contact starting with
 * its name). Grouped by roster group (collapsible; a contact in several groups appears in each)
 * or flat; sorted online-first then by name; filtered by the search text and hideOfflineContacts.
 * Keyboard: one tab stop (roving tabindex), arrows/Home/End move, Enter/Space activate, the
 * context-menu key or Shift+F10 open the contact's menu.
 */
export class ContactList {
  grouped = true;
  private filterText = '';
  private collapsed = new Set<string>();
  private cache = new Map<string, HTMLLIElement>();
  private keysOf = new Map<Contact, Set<string>>();
  private groups = new Map<string, GroupElements>();
  private byKey = new Map<string, Contact>();
  private currentKey?: string;
  private shown = 0;

  constructor(private readonly options: ContactListOptions) {
    const { list } = options;
    list.addEventListener('keydown', (ev) => this.onKey(ev));
    list.addEventListener('click', (ev) => this.onClick(ev));
    list.addEventListener('focusin', (ev) => {
      const li = (ev.target as Element).closest<HTMLLIElement>('li.jsxc-contact');
      if (li?.dataset.key) {
        this.setCurrent(li.dataset.key);
      }
    });
  }

  /** How many contacts the last render showed (after filters). */
  get visibleCount(): number {
    return this.shown;
  }

  get filter(): string {
    return this.filterText;
  }

  /** The "Hide offline contacts" setting; takes effect at the next render. */
  setHideOfflineContacts(hide: boolean): void {
    this.options.hideOfflineContacts = hide;
  }

  setFilter(text: string): void {
    this.filterText = text.trim().toLocaleLowerCase();
  }

  /** Forget the rendered element of a contact (it changed). */
  invalidate(contact: Contact): void {
    for (const key of this.keysOf.get(contact) ?? []) {
      this.cache.delete(key);
    }
    this.keysOf.delete(contact);
  }

  /** The first contact element, for moving focus into the list (e.g. ArrowDown from search). */
  focusFirst(): boolean {
    const first = this.visibleItems()[0];
    first?.focus();
    return first !== undefined;
  }

  /** Renders these contacts (everything the rosters list); cheap when nothing changed. */
  render(contacts: Contact[]): void {
    const { list } = this.options;
    const active = document.activeElement;
    const focusedKey = active && list.contains(active) ? active.closest<HTMLElement>('li.jsxc-contact')?.dataset.key : undefined;
    const focusedGroup = active && list.contains(active) ? active.closest<HTMLElement>('li.jsxc-group')?.dataset.group : undefined;

    const listed = contacts.filter((c) => this.matches(c)).sort(compareContacts);
    this.shown = listed.length;
    const useGroups = this.grouped && contacts.some((c) => c.groups.length > 0);
    this.byKey.clear();
    if (!useGroups) {
      this.sync(list, listed.map((c) => this.item(c, '')));
    } else {
      const buckets = new Map<string, Contact[]>();
      for (const contact of listed) {
        for (const group of contact.groups.length > 0 ? contact.groups : [NO_GROUP]) {
          (buckets.get(group) ?? buckets.set(group, []).get(group)!).push(contact);
        }
      }
      const names = [...buckets.keys()].sort((a, b) => (a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : a.localeCompare(b)));
      const groupItems = names.map((name) => {
        const group = this.group(name);
        const members = buckets.get(name)!;
        group.count.textContent = String(members.length);
        // while searching, matches in collapsed groups show too
        const expanded = !this.collapsed.has(name) || this.filterText !== '';
        group.button.setAttribute('aria-expanded', String(expanded));
        group.ul.hidden = !expanded;
        this.sync(group.ul, members.map((c) => this.item(c, name)));
        return group.li;
      });
      this.sync(list, groupItems);
    }
    for (const [key, li] of this.cache) {
      if (!this.byKey.has(key)) {
        this.cache.delete(key);
        li.remove();
      }
    }
    this.updateRoving();
    // an element that had focus and was re-rendered gets it back
    if (focusedKey && !list.contains(document.activeElement)) {
      (this.cache.get(focusedKey) ?? this.visibleItems()[0])?.focus();
    } else if (focusedGroup && !list.contains(document.activeElement)) {
      this.groups.get(focusedGroup)?.button.focus();
    }
  }

  private matches(contact: Contact): boolean {
    if (this.options.hideOfflineContacts && contact.presence === 'offline') {
      return false;
    }
    const q = this.filterText;
    return q === '' || contact.displayName.toLocaleLowerCase().includes(q) || contact.jid.includes(q);
  }

  /** Replaces a parent's children only when they differ (keeps focus and scroll position). */
  private sync(parent: HTMLElement, children: HTMLElement[]): void {
    const current = parent.children;
    if (current.length === children.length && children.every((c, i) => current[i] === c)) {
      return;
    }
    parent.replaceChildren(...children);
  }

  private item(contact: Contact, group: string): HTMLLIElement {
    const key = `${group}\n${contact.jid}`;
    this.byKey.set(key, contact);
    let li = this.cache.get(key);
    if (!li) {
      li = this.renderContact(contact);
      li.dataset.key = key;
      this.cache.set(key, li);
      (this.keysOf.get(contact) ?? this.keysOf.set(contact, new Set()).get(contact)!).add(key);
    }
    return li;
  }

  private renderContact(contact: Contact): HTMLLIElement {
    const { t } = this.options;
    const name = contact.displayName;
    const li = renderElement<HTMLLIElement>(
      contactTemplate,
      {
        jid: contact.jid,
        name,
        initials: initials(name),
        presence: contact.presence,
        presenceText: presenceText(t, contact.presence),
        status: contact.statusText,
        blocked: contact.blocked,
        pending: contact.pendingOut,
        unread: contact.unreadCount,
      },
      t,
    );
    paintAvatar(li.querySelector('.jsxc-avatar')!, contact.jid, contact.avatar);
    this.options.decorate?.(contact, li);
    return li;
  }

  private group(name: string): GroupElements {
    let group = this.groups.get(name);
    if (!group) {
      const index = this.groups.size;
      const li = document.createElement('li');
      li.className = 'jsxc-group';
      li.dataset.group = name;
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'jsxc-group__toggle';
      button.setAttribute('aria-controls', `${this.options.id}-group-${index}`);
      const label = document.createElement('span');
      label.className = 'jsxc-group__name';
      label.textContent = name === NO_GROUP ? this.options.t('Contacts_without_group') : name;
      const count = document.createElement('span');
      count.className = 'jsxc-group__count';
      const chevron = document.createElement('span');
      chevron.className = 'jsxc-chevron';
      chevron.setAttribute('aria-hidden', 'true');
      button.append(chevron, label, ' ', count);
      const ul = document.createElement('ul');
      ul.id = `${this.options.id}-group-${index}`;
      ul.className = 'jsxc-group__list';
      ul.setAttribute('aria-label', label.textContent);
      button.addEventListener('click', () => {
        if (this.collapsed.has(name)) {
          this.collapsed.delete(name);
        } else {
          this.collapsed.add(name);
        }
        const expanded = !this.collapsed.has(name) || this.filterText !== '';
        button.setAttribute('aria-expanded', String(expanded));
        ul.hidden = !expanded;
        this.updateRoving();
      });
      li.append(button, ul);
      group = { li, button, count, ul };
      this.groups.set(name, group);
    }
    return group;
  }

  /** Contact elements a person can reach now, in order (not in collapsed groups). */
  private visibleItems(): HTMLLIElement[] {
    return Array.from(this.options.list.querySelectorAll<HTMLLIElement>('li.jsxc-contact')).filter((li) => !li.closest('ul[hidden]'));
  }

  private setCurrent(key: string): void {
    if (key !== this.currentKey) {
      this.currentKey = key;
      this.updateRoving();
    }
  }

  /** Exactly one contact is in the tab order (with its actions button): the current one. */
  private updateRoving(): void {
    const items = this.visibleItems();
    const current = items.find((li) => li.dataset.key === this.currentKey) ?? items[0];
    for (const li of this.cache.values()) {
      const on = li === current;
      li.tabIndex = on ? 0 : -1;
      li.querySelector<HTMLElement>('.jsxc-contact__actions')!.tabIndex = on ? 0 : -1;
    }
  }

  private contactOf(li: HTMLElement | null | undefined): Contact | undefined {
    return li?.dataset.key ? this.byKey.get(li.dataset.key) : undefined;
  }

  private onClick(ev: MouseEvent): void {
    const target = ev.target as Element;
    const li = target.closest<HTMLLIElement>('li.jsxc-contact');
    const contact = this.contactOf(li);
    if (!li || !contact) {
      return;
    }
    if (target.closest('.jsxc-contact__actions')) {
      this.options.onMenu(contact, li.querySelector<HTMLElement>('.jsxc-contact__actions')!);
    } else {
      this.options.onActivate(contact);
    }
  }

  private onKey(ev: KeyboardEvent): void {
    const target = ev.target as HTMLElement;
    const li = target.closest<HTMLLIElement>('li.jsxc-contact');
    const contact = this.contactOf(li);
    if (!li || !contact) {
      return;
    }
    const onItem = target === li;
    const items = this.visibleItems();
    const index = items.indexOf(li);
    const focus = (i: number) => items[Math.max(0, Math.min(items.length - 1, i))]?.focus();
    switch (ev.key) {
      case 'ArrowDown':
        focus(index + 1);
        break;
      case 'ArrowUp':
        if (index === 0) {
          // above the first contact: back to the search field
          this.options.list.closest('.jsxc-roster__body')?.querySelector<HTMLElement>('.jsxc-roster__search')?.focus();
        } else {
          focus(index - 1);
        }
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(items.length - 1);
        break;
      case 'Enter':
      case ' ':
        if (!onItem) {
          return; // the actions button handles its own activation
        }
        this.options.onActivate(contact);
        break;
      case 'ContextMenu':
        this.options.onMenu(contact, li.querySelector<HTMLElement>('.jsxc-contact__actions')!);
        break;
      case 'F10':
        if (!ev.shiftKey) {
          return;
        }
        this.options.onMenu(contact, li.querySelector<HTMLElement>('.jsxc-contact__actions')!);
        break;
      default:
        return;
    }
    ev.preventDefault();
  }
}

/** Online first (by availability), then by name, then by JID. */
export function compareContacts(a: Contact, b: Contact): number {
  const byPresence = presenceRank(b.presence) - presenceRank(a.presence);
  if (byPresence !== 0) {
    return byPresence;
  }
  return a.displayName.localeCompare(b.displayName, undefined, { sensitivity: 'base' }) || a.jid.localeCompare(b.jid);
}
