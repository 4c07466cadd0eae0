import { Translate } from '../../i18n';
import { Contact } from '../../model/Contact';
import { FrameScheduler } from '../FrameScheduler';
import { ContactListFocus } from './ContactListFocus';
import { groupContacts, matchesFilter, NO_GROUP, sortContacts } from './ContactOrder';
import { buildContactRow, RowTexts, updateContactRow } from './ContactRow';
import { RowWindow, Section } from './RowWindow';

export interface ContactListOptions {
  t: Translate;
  id: string;
  list: HTMLUListElement;
  hideOfflineContacts: boolean;
  /** a contact was activated (click, Enter, Space) */
  onActivate: (contact: Contact) => void;
  /** the contact's actions menu was asked for (its button, the context-menu key or Shift+F10) */
  onMenu: (contact: Contact, anchor: HTMLElement) => void;
  /** plugins' roster decorations (UIExtensions), run on each rendered item (again after each update of it) */
  decorate?: (contact: Contact, element: HTMLElement) => void;
}

interface GroupElements {
  li: HTMLLIElement;
  button: HTMLButtonElement;
  count: HTMLElement;
  ul: HTMLUListElement;
}

/**
 * The list of contacts (ui-contract: `list` "Contacts", one `listitem` per contact starting with
 * its name). Grouped by roster group (collapsible; a contact in several groups appears in each)
 * or flat; sorted online-first then by name; filtered by the search text and hideOfflineContacts
 * (ContactOrder). Virtualised (RowWindow): only the rows in view are in the DOM, each with
 * aria-setsize and aria-posinset; filtering, sorting and keyboard navigation (ContactListFocus:
 * one tab stop, arrows, Enter/Space, the menu keys) work on the whole roster.
 * A changed contact's row is updated in place. While a pointer is pressed on a contact, the order
 * is held (rows are still updated in place, nothing moves): a contact that comes online at that
 * moment does not slide away from under the pointer, so the click opens the contact it was meant for.
 */
export class ContactList {
  grouped = true;
  private filterText = '';
  private collapsed = new Set<string>();
  private groups = new Map<string, GroupElements>();
  private byKey = new Map<string, Contact>();
  private sectionOf = new Map<string, Section>();
  private sections: Section[] = [];
  /** every contact, sorted; the previous order makes the next sort nearly linear */
  private sorted: Contact[] = [];
  private lastContacts: Contact[] = [];
  private flat?: boolean;
  private shown = 0;
  private texts: RowTexts;
  private window: RowWindow;
  private focus: ContactListFocus;
  /** a pointer is pressed on a contact row: the order is held until it is released */
  private pressed = false;
  /** a render was asked for while the order was held */
  private held = false;
  private afterRelease = new FrameScheduler(() => this.render(this.lastContacts));
  /** the elements the plugins' decorations added to a row (taken out before they run again) */
  private decorations = new WeakMap<HTMLLIElement, Element[]>();

  constructor(private readonly options: ContactListOptions) {
    const { list } = options;
    this.texts = new RowTexts(options.t);
    this.window = new RowWindow({
      list,
      build: (contact, key) => this.buildRow(contact, key),
      update: (li, contact) => this.updateRow(li, contact),
      pinned: () => this.focus.current(),
    });
    list.classList.add('jsxc-contact-rows');
    this.focus = new ContactListFocus({
      list,
      window: this.window,
      sections: () => this.sections,
      isListed: (key) => this.sectionOf.has(key),
      contactOf: (li) => this.contactOf(li),
      onActivate: (contact) => options.onActivate(contact),
      onMenu: (contact, anchor) => options.onMenu(contact, anchor),
    });
    list.addEventListener('click', (ev) => this.onClick(ev));
    list.addEventListener('pointerdown', (ev) => this.hold(ev));
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

  /** The contact changed: its row is rebuilt at the next render (only its row). */
  invalidate(contact: Contact): void {
    this.window.invalidate(contact);
  }

  /** Focuses the first contact, for moving focus into the list (e.g. ArrowDown from search). */
  focusFirst(): boolean {
    return this.focus.focusFirst();
  }

  /** Renders these contacts (everything the rosters list); cheap when nothing changed. */
  render(contacts: Contact[]): void {
    this.lastContacts = contacts;
    if (this.pressed) {
      // the order is held: the rows in the window are updated in place, nothing moves
      this.held = true;
      this.window.paint();
      return;
    }
    const { list } = this.options;
    const active = document.activeElement;
    const focusedKey = active && list.contains(active) ? active.closest<HTMLElement>('li.jsxc-contact')?.dataset.key : undefined;
    const focusedGroup = active && list.contains(active) ? active.closest<HTMLElement>('li.jsxc-group')?.dataset.group : undefined;

    this.sorted = sortContacts(this.sorted, contacts);
    const listed = this.sorted.filter((c) => matchesFilter(c, this.filterText, this.options.hideOfflineContacts));
    this.shown = listed.length;
    const useGroups = this.grouped && contacts.some((c) => c.groups.length > 0);
    if (this.flat !== !useGroups) {
      // the shape changes: rows move between the list and the group lists
      this.flat = !useGroups;
      this.window.clear();
      list.replaceChildren();
      list.style.removeProperty('height');
    }
    this.byKey.clear();
    this.sectionOf.clear();
    this.focus.sectionsChanged();
    if (!useGroups) {
      this.sections = [this.section(list, listed, '', true)];
    } else {
      const groups = groupContacts(listed);
      const names = groups.map(([name]) => name);
      this.sections = groups.map(([name, members]) => {
        const group = this.group(name);
        group.count.textContent = String(members.length);
        // while searching, matches in collapsed groups show too
        const expanded = !this.collapsed.has(name) || this.filterText !== '';
        group.button.setAttribute('aria-expanded', String(expanded));
        group.ul.hidden = !expanded;
        return this.section(group.ul, members, name, expanded);
      });
      const groupItems = names.map((name) => this.groups.get(name)!.li);
      const current = list.children;
      if (current.length !== groupItems.length || groupItems.some((g, i) => current[i] !== g)) {
        list.replaceChildren(...groupItems);
      }
    }
    this.window.layout(this.sections);
    this.window.paint(this.sections);
    this.focus.updateTabStop();
    // an element that had focus and was re-rendered gets it back
    if (focusedKey && !list.contains(document.activeElement)) {
      const row = this.window.rows.get(focusedKey) ?? this.window.rows.get(this.focus.current() ?? '');
      row?.focus({ preventScroll: true });
    } else if (focusedGroup && !list.contains(document.activeElement)) {
      this.groups.get(focusedGroup)?.button.focus();
    }
  }

  private section(ul: HTMLUListElement, members: Contact[], group: string, expanded: boolean): Section {
    const keys = members.map((c) => `${group}\n${c.jid}`);
    const index = new Map<string, number>();
    const section: Section = { ul, members, keys, index, expanded };
    keys.forEach((key, i) => {
      index.set(key, i);
      this.byKey.set(key, members[i]);
      if (expanded) {
        this.sectionOf.set(key, section);
      }
    });
    return section;
  }

  private buildRow(contact: Contact, key: string): HTMLLIElement {
    const li = buildContactRow(contact, this.texts);
    li.dataset.key = key;
    if (key === this.focus.current()) {
      this.focus.setTabStop(li);
    }
    this.decorate(contact, li);
    return li;
  }

  private updateRow(li: HTMLLIElement, contact: Contact): void {
    for (const added of this.decorations.get(li) ?? []) {
      added.remove();
    }
    updateContactRow(li, contact, this.texts);
    this.decorate(contact, li);
  }

  /** Runs the plugins' decorations on a row and remembers the elements they added to it. */
  private decorate(contact: Contact, li: HTMLLIElement): void {
    const { decorate } = this.options;
    if (!decorate) {
      return;
    }
    const before = new Set<Element>(li.querySelectorAll('*'));
    decorate(contact, li);
    const added = [...li.querySelectorAll('*')].filter((e) => !before.has(e) && (e.parentElement === li || before.has(e.parentElement!)));
    if (added.length > 0) {
      this.decorations.set(li, added);
    } else {
      this.decorations.delete(li);
    }
  }

  /** A pointer pressed on a contact: hold the order until it is released (or cancelled). */
  private hold(ev: PointerEvent): void {
    if (this.pressed || !(ev.target as Element).closest('li.jsxc-contact')) {
      return;
    }
    this.pressed = true;
    const release = () => {
      window.removeEventListener('pointerup', release, true);
      window.removeEventListener('pointercancel', release, true);
      window.removeEventListener('blur', release);
      this.pressed = false;
      if (this.held) {
        this.held = false;
        // after this frame's click event: the click goes to the row that was pressed
        this.afterRelease.schedule();
      }
    };
    window.addEventListener('pointerup', release, true);
    window.addEventListener('pointercancel', release, true);
    window.addEventListener('blur', release);
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
      ul.className = 'jsxc-group__list jsxc-contact-rows';
      ul.setAttribute('aria-label', label.textContent);
      button.addEventListener('click', () => {
        if (this.collapsed.has(name)) {
          this.collapsed.delete(name);
        } else {
          this.collapsed.add(name);
        }
        this.render(this.lastContacts);
      });
      li.append(button, ul);
      group = { li, button, count, ul };
      this.groups.set(name, group);
    }
    return group;
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
}
