import type { Contact } from '../../model/Contact';
import type { RowWindow, Section } from './RowWindow';

export interface ContactListFocusHost {
  list: HTMLUListElement;
  window: RowWindow;
  /** the sections of the last render */
  sections: () => Section[];
  /** whether the row key is of a contact listed in an expanded section */
  isListed: (key: string) => boolean;
  contactOf: (li: HTMLElement | null | undefined) => Contact | undefined;
  onActivate: (contact: Contact) => void;
  onMenu: (contact: Contact, anchor: HTMLElement) => void;
}

/**
 * Keyboard use of the contact list: one tab stop (roving tabindex: the current contact's row and
 * its actions button), arrows/Home/End/PageUp/PageDown move over the whole roster (scrolling the
 * contact into view; rows out of view are not in the DOM: RowWindow), ArrowUp on the first goes
 * back to the search field, Enter/Space activate, the context-menu key or Shift+F10 open the menu.
 */
export class ContactListFocus {
  private currentKey?: string;
  private tabRow?: HTMLLIElement;
  private reachable?: string[];

  constructor(private readonly host: ContactListFocusHost) {
    host.list.addEventListener('keydown', (ev) => this.onKey(ev));
    host.list.addEventListener('focusin', (ev) => {
      const li = (ev.target as Element).closest<HTMLLIElement>('li.jsxc-contact');
      if (li?.dataset.key && li.dataset.key !== this.currentKey) {
        this.currentKey = li.dataset.key;
        this.updateTabStop();
      }
    });
  }

  /** The sections changed (a render): what can be reached is worked out again when needed. */
  sectionsChanged(): void {
    this.reachable = undefined;
  }

  /** Focuses the first contact, for moving focus into the list (e.g. ArrowDown from search). */
  focusFirst(): boolean {
    const first = this.reach()[0];
    if (first !== undefined) {
      this.focusKey(first);
    }
    return first !== undefined;
  }

  /** Keys of the contacts a person can reach now, in order (not in collapsed groups). */
  private reach(): string[] {
    if (!this.reachable) {
      this.reachable = this.host
        .sections()
        .filter((s) => s.expanded)
        .flatMap((s) => s.keys);
    }
    return this.reachable;
  }

  /** The contact in the tab order: the one last focused while it is listed, else the first. */
  current(): string | undefined {
    return this.currentKey !== undefined && this.host.isListed(this.currentKey) ? this.currentKey : this.reach()[0];
  }

  /** Exactly one contact is in the tab order (with its actions button): the current one. */
  updateTabStop(): void {
    const key = this.current();
    this.setTabStop(key !== undefined ? this.host.window.rows.get(key) : undefined);
  }

  setTabStop(li: HTMLLIElement | undefined): void {
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
    const { window } = this.host;
    this.currentKey = key;
    window.paint();
    const li = window.rows.get(key);
    if (li) {
      this.setTabStop(li);
      li.focus();
      window.paint(); // the rows around its new scroll position
    }
  }

  private onKey(ev: KeyboardEvent): void {
    const { host } = this;
    const target = ev.target as HTMLElement;
    const li = target.closest<HTMLLIElement>('li.jsxc-contact');
    const contact = host.contactOf(li);
    if (!li || !contact) {
      return;
    }
    const onItem = target === li;
    const keys = this.reach();
    const index = keys.indexOf(li.dataset.key!);
    const page = Math.max(1, Math.floor((host.window.viewHeight() || 0) / host.window.rowHeight) - 1);
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
          host.list.closest('.jsxc-roster__body')?.querySelector<HTMLElement>('.jsxc-roster__search')?.focus();
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
        host.onActivate(contact);
        break;
      case 'ContextMenu':
        host.onMenu(contact, li.querySelector<HTMLElement>('.jsxc-contact__actions')!);
        break;
      case 'F10':
        if (!ev.shiftKey) {
          return;
        }
        host.onMenu(contact, li.querySelector<HTMLElement>('.jsxc-contact__actions')!);
        break;
      default:
        return;
    }
    ev.preventDefault();
  }
}
