import { Translate } from '../../i18n';
import { Contact } from '../../model/Contact';
import { presenceRank } from '../../model/Presence';
import { FrameScheduler } from '../FrameScheduler';
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

/** The bucket of contacts without a roster group. */
const NO_GROUP = '\u0000none';

/**
 * The list of contacts (ui-contract: `list` "Contacts", one `listitem` per contact starting with
 * its name). Grouped by roster group (collapsible; a contact in several groups appears in each)
 * or flat; sorted online-first then by name; filtered by the search text and hideOfflineContacts.
 * Virtualised (RowWindow): only the rows in view are in the DOM, each with aria-setsize and
 * aria-posinset; filtering, sorting and keyboard navigation work on the whole roster.
 * Keyboard: one tab stop (roving tabindex), arrows/Home/End/PageUp/PageDown move (scrolling the
 * contact into view), Enter/Space activate, the context-menu key or Shift+F10 open the menu.
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
  private currentKey?: string;
  private tabRow?: HTMLLIElement;
  private shown = 0;
  private texts: RowTexts;
  private window: RowWindow;
  private reachable?: string[];
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
      pinned: () => this.current(),
    });
    list.classList.add('jsxc-contact-rows');
    list.addEventListener('keydown', (ev) => this.onKey(ev));
    list.addEventListener('click', (ev) => this.onClick(ev));
    list.addEventListener('pointerdown', (ev) => this.hold(ev));
    list.addEventListener('focusin', (ev) => {
      const li = (ev.target as Element).closest<HTMLLIElement>('li.jsxc-contact');
      if (li?.dataset.key && li.dataset.key !== this.currentKey) {
        this.currentKey = li.dataset.key;
        this.updateTabStop();
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

  /** The contact changed: its row is rebuilt at the next render (only its row). */
  invalidate(contact: Contact): void {
    this.window.invalidate(contact);
  }

  /** Focuses the first contact, for moving focus into the list (e.g. ArrowDown from search). */
  focusFirst(): boolean {
    const first = this.reach()[0];
    if (first !== undefined) {
      this.focusKey(first);
    }
    return first !== undefined;
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
    const listed = this.sorted.filter((c) => this.matches(c));
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
    this.reachable = undefined;
    if (!useGroups) {
      this.sections = [this.section(list, listed, '', true)];
    } else {
      const buckets = new Map<string, Contact[]>();
      for (const contact of listed) {
        for (const group of contact.groups.length > 0 ? contact.groups : [NO_GROUP]) {
          (buckets.get(group) ?? buckets.set(group, []).get(group)!).push(contact);
        }
      }
      const names = [...buckets.keys()].sort((a, b) => (a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : collator.compare(a, b)));
      this.sections = names.map((name) => {
        const group = this.group(name);
        const members = buckets.get(name)!;
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
    this.updateTabStop();
    // an element that had focus and was re-rendered gets it back
    if (focusedKey && !list.contains(document.activeElement)) {
      const row = this.window.rows.get(focusedKey) ?? this.window.rows.get(this.current() ?? '');
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

  private matches(contact: Contact): boolean {
    if (this.options.hideOfflineContacts && contact.presence === 'offline') {
      return false;
    }
    const q = this.filterText;
    return q === '' || contact.displayName.toLocaleLowerCase().includes(q) || contact.jid.includes(q);
  }

  private buildRow(contact: Contact, key: string): HTMLLIElement {
    const li = buildContactRow(contact, this.texts);
    li.dataset.key = key;
    if (key === this.current()) {
      this.setTabStop(li);
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

  /** Keys of the contacts a person can reach now, in order (not in collapsed groups). */
  private reach(): string[] {
    if (!this.reachable) {
      this.reachable = this.sections.filter((s) => s.expanded).flatMap((s) => s.keys);
    }
    return this.reachable;
  }

  /** The contact in the tab order: the one last focused while it is listed, else the first. */
  private current(): string | undefined {
    return this.currentKey !== undefined && this.sectionOf.has(this.currentKey) ? this.currentKey : this.reach()[0];
  }

  /** Exactly one contact is in the tab order (with its actions button): the current one. */
  private updateTabStop(): void {
    const key = this.current();
    this.setTabStop(key !== undefined ? this.window.rows.get(key) : undefined);
  }

  private setTabStop(li: HTMLLIElement | undefined): void {
    if (li === this.tabRow) {
      return;
    }
    for (const [row, on] of [
      [this.tabRow, false],
      [li, true],
    ] as const) {
      if (row) {
        row.tabIndex = on ? 0 : -1;
        row.querySelector<HTMLElement>('.jsxc-contact__actions')!.tabIndex = on ? 0 : -1;
      }
    }
    this.tabRow = li;
  }

  /** Makes the contact current, puts its row in the DOM, focuses it (scrolling it into view). */
  private focusKey(key: string): void {
    this.currentKey = key;
    this.window.paint();
    const li = this.window.rows.get(key);
    if (li) {
      this.setTabStop(li);
      li.focus();
      this.window.paint(); // the rows around its new scroll position
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
    const keys = this.reach();
    const index = keys.indexOf(li.dataset.key!);
    const page = Math.max(1, Math.floor((this.window.viewHeight() || 0) / this.window.rowHeight) - 1);
    const focus = (i: number) => {
      const key = keys[Math.max(0, Math.min(keys.length - 1, i))];
      if (key !== undefined) {
        this.focusKey(key);
      }
    };
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
      case 'PageDown':
        focus(index + page);
        break;
      case 'PageUp':
        focus(index - page);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(keys.length - 1);
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

/** One collator for every comparison (building one per localeCompare call is what made 5,000 contacts slow). */
const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

/** Online first (by availability), then by name, then by JID. */
export function compareContacts(a: Contact, b: Contact): number {
  const byPresence = presenceRank(b.presence) - presenceRank(a.presence);
  if (byPresence !== 0) {
    return byPresence;
  }
  return collator.compare(a.displayName, b.displayName) || (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0);
}

/**
 * `contacts` sorted by compareContacts. Starts from the previous order (contacts still there keep
 * their place, new ones at the end), so after a few presence changes the sort (TimSort) is nearly
 * linear instead of n log n; the sort keys are read once per contact, not once per comparison.
 */
function sortContacts(previous: Contact[], contacts: Contact[]): Contact[] {
  const present = new Set(contacts);
  const next = previous.filter((c) => present.delete(c));
  for (const c of present) {
    next.push(c);
  }
  const keyed = next.map((contact) => ({ contact, rank: presenceRank(contact.presence), name: contact.displayName, jid: contact.jid }));
  keyed.sort((a, b) => b.rank - a.rank || collator.compare(a.name, b.name) || (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0));
  return keyed.map((k) => k.contact);
}
