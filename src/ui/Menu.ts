/** One entry of a popup menu. */
export interface MenuEntry {
  label: string;
  /** for radio entries (menuitemradio): whether it is the chosen one */
  checked?: boolean;
  /** a destructive action, styled as such */
  danger?: boolean;
  action: () => void;
}

let menuCounter = 0;

/**
 * A popup menu (WAI-ARIA menu button pattern): opens below its button, focus moves to the first
 * (or checked) entry; Up/Down/Home/End move, Enter/Space choose, Escape closes and returns focus
 * to the button, Tab or a click elsewhere closes it. Entries are text (textContent).
 */
export class Menu {
  private element?: HTMLUListElement;
  private offs: Array<() => void> = [];

  constructor(
    private readonly button: HTMLElement,
    private readonly container: HTMLElement,
    private readonly label: string,
  ) {
    button.setAttribute('aria-haspopup', 'menu');
    button.setAttribute('aria-expanded', 'false');
  }

  get isOpen(): boolean {
    return this.element !== undefined;
  }

  open(entries: MenuEntry[], focus: 'first' | 'last' = 'first'): void {
    this.close(false);
    const menu = document.createElement('ul');
    menu.className = 'jsxc-menu';
    menu.setAttribute('role', 'menu');
    menu.setAttribute('aria-label', this.label);
    menu.id = `jsxc-menu-${++menuCounter}`;
    const radio = entries.some((e) => e.checked !== undefined);
    const items = entries.map((entry) => {
      const li = document.createElement('li');
      li.setAttribute('role', radio ? 'menuitemradio' : 'menuitem');
      if (radio) {
        li.setAttribute('aria-checked', String(entry.checked === true));
      }
      li.tabIndex = -1;
      li.className = 'jsxc-menu__item' + (entry.danger ? ' jsxc-menu__item--danger' : '');
      li.textContent = entry.label;
      li.addEventListener('click', () => this.choose(entry));
      return li;
    });
    menu.append(...items);
    menu.addEventListener('keydown', (ev) => this.onKey(ev, items, entries));
    this.container.appendChild(menu);
    this.place(menu);
    this.element = menu;
    this.button.setAttribute('aria-expanded', 'true');
    this.button.setAttribute('aria-controls', menu.id);
    const checked = items.findIndex((_, i) => entries[i].checked);
    (items[checked >= 0 ? checked : focus === 'first' ? 0 : items.length - 1] ?? menu).focus();
    const onDown = (ev: Event) => {
      if (!menu.contains(ev.target as Node) && !this.button.contains(ev.target as Node)) {
        this.close(false);
      }
    };
    document.addEventListener('pointerdown', onDown, true);
    menu.addEventListener('focusout', (ev) => {
      if (ev.relatedTarget && !menu.contains(ev.relatedTarget as Node)) {
        this.close(false);
      }
    });
    this.offs.push(() => document.removeEventListener('pointerdown', onDown, true));
  }

  close(returnFocus = true): void {
    if (!this.element) {
      return;
    }
    this.offs.splice(0).forEach((off) => off());
    const menu = this.element;
    this.element = undefined;
    menu.remove();
    this.button.setAttribute('aria-expanded', 'false');
    this.button.removeAttribute('aria-controls');
    if (returnFocus && this.button.isConnected) {
      this.button.focus();
    }
  }

  private choose(entry: MenuEntry): void {
    this.close();
    entry.action();
  }

  private onKey(ev: KeyboardEvent, items: HTMLElement[], entries: MenuEntry[]): void {
    const index = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => items[(to + items.length) % items.length]?.focus();
    switch (ev.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(items.length - 1);
        break;
      case 'Enter':
      case ' ':
        if (index >= 0) {
          this.choose(entries[index]);
        }
        break;
      case 'Escape':
        this.close();
        break;
      case 'Tab':
        this.close(false);
        return;
      default:
        return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  }

  /** Below the button (above when there is no room), aligned to its inline end; CSSOM only (CSP). */
  private place(menu: HTMLElement): void {
    const anchor = this.button.getBoundingClientRect();
    const box = this.container.getBoundingClientRect();
    const rtl = getComputedStyle(this.container).direction === 'rtl';
    const below = anchor.bottom - box.top + 4;
    menu.style.setProperty('position', 'absolute');
    menu.style.setProperty('top', `${below}px`);
    if (rtl) {
      menu.style.setProperty('left', `${Math.max(4, anchor.left - box.left)}px`);
    } else {
      menu.style.setProperty('right', `${Math.max(4, box.right - anchor.right)}px`);
    }
    const height = menu.getBoundingClientRect().height;
    if (anchor.bottom + height + 8 > window.innerHeight && anchor.top - height - 8 > 0) {
      menu.style.setProperty('top', `${anchor.top - box.top - height - 4}px`);
    }
  }
}
