import menuTemplate from '../../template/mainMenu.hbs';
import itemsTemplate from '../../template/mainMenuItems.hbs';
import { MenuEntries } from '../core/MenuEntries';
import { Translate } from '../i18n';
import { renderElement } from './templates';

export interface MainMenuOptions {
  t: Translate;
  id: string;
  entries: MenuEntries;
  /** options.onlineHelp */
  helpUrl: string;
  isOnline: () => boolean;
  onLogin: () => void;
  onLogout: () => void;
  onSettings: () => void;
  onAbout: () => void;
  /** built-in entries of enabled features (e.g. "Join group chat"), after the host's entries */
  extraItems?: () => Array<{ id: string; label: string; disabled?: boolean; run: (ev: Event) => void }>;
}

interface ItemView {
  id: string;
  label: string;
  icon?: string;
  href?: string;
  disabled?: boolean;
  run?: (ev: Event) => void;
}

/**
 * The main menu (ui-contract: `Main menu` button opening a `menu` of `menuitem`s): built-in
 * entries plus the host's (jsxc.addMenuEntry). Keyboard: Enter, Space or ArrowDown open it on the
 * first entry (ArrowUp on the last), arrows and Home/End move, Enter/Space activate, Escape closes
 * and returns focus to the button, Tab closes and moves on. Entries the host marked as not
 * offlineAvailable are aria-disabled while offline.
 */
export class MainMenu {
  readonly element: HTMLElement;
  private button: HTMLButtonElement;
  private list: HTMLUListElement;
  private items: ItemView[] = [];
  private offDocument?: () => void;

  constructor(private readonly options: MainMenuOptions) {
    this.element = renderElement(menuTemplate, { id: options.id }, options.t);
    this.button = this.element.querySelector('button')!;
    this.list = this.element.querySelector('[role="menu"]')!;
    this.button.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open('first')));
    this.button.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        this.open(ev.key === 'ArrowDown' ? 'first' : 'last');
      }
    });
    this.list.addEventListener('keydown', (ev) => this.onKey(ev));
    this.list.addEventListener('click', (ev) => {
      const item = (ev.target as Element).closest<HTMLElement>('[role="menuitem"]');
      if (item) {
        this.activate(item, ev);
      }
    });
    this.list.addEventListener('focusout', (ev) => {
      const next = ev.relatedTarget as Node | null;
      if (this.isOpen && next && !this.element.contains(next)) {
        this.close(false);
      }
    });
    options.entries.on('changed', () => this.isOpen && this.renderItems());
  }

  get isOpen(): boolean {
    return !this.list.hidden;
  }

  /** Re-renders an open menu, e.g. when going online enables entries. */
  refresh(): void {
    if (this.isOpen) {
      this.renderItems();
    }
  }

  open(focus: 'first' | 'last'): void {
    this.renderItems();
    this.list.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
    const items = this.menuItems();
    (focus === 'first' ? items[0] : items[items.length - 1])?.focus();
    const onPointer = (ev: Event) => {
      if (!this.element.contains(ev.target as Node)) {
        this.close(false);
      }
    };
    document.addEventListener('pointerdown', onPointer, true);
    this.offDocument = () => document.removeEventListener('pointerdown', onPointer, true);
  }

  close(returnFocus: boolean): void {
    this.list.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
    this.offDocument?.();
    this.offDocument = undefined;
    if (returnFocus) {
      this.button.focus();
    }
  }

  private renderItems(): void {
    const { t } = this.options;
    const online = this.options.isOnline();
    const o = this.options;
    this.items = [
      ...o.entries.all().map((e) => ({ id: `host-${e.id}`, label: e.label, icon: e.icon, disabled: !online && !e.offlineAvailable, run: e.handler })),
      ...(o.extraItems?.() ?? []),
      online ? { id: 'logout', label: t('Log_out'), run: () => o.onLogout() } : { id: 'login', label: t('Log_in'), run: () => o.onLogin() },
      { id: 'settings', label: t('Settings'), run: () => o.onSettings() },
      { id: 'help', label: t('Online_help'), href: o.helpUrl },
      { id: 'about', label: t('About'), run: () => o.onAbout() },
    ];
    const rendered = renderElement(itemsTemplate, { items: this.items }, t);
    this.list.replaceChildren(...Array.from(rendered.children));
  }

  private menuItems(): HTMLElement[] {
    return Array.from(this.list.querySelectorAll<HTMLElement>('[role="menuitem"]'));
  }

  private activate(item: HTMLElement, ev: Event): void {
    if (item.getAttribute('aria-disabled') === 'true') {
      ev.preventDefault();
      return;
    }
    const view = this.items.find((i) => i.id === item.dataset.entry);
    if (view?.href) {
      // the link follows itself (a click) or is clicked for Enter/Space
      if (ev.type !== 'click') {
        item.click();
      }
      this.close(false);
      return;
    }
    this.close(true);
    try {
      view?.run?.(ev);
    } catch (err) {
      console.error(`[jsxc] the menu entry "${view?.id}" failed:`, err);
    }
  }

  private onKey(ev: KeyboardEvent): void {
    const items = this.menuItems();
    const index = items.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      ev.preventDefault();
      items[(to + items.length) % items.length]?.focus();
    };
    switch (ev.key) {
      case 'ArrowDown':
        return move(index + 1);
      case 'ArrowUp':
        return move(index - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(items.length - 1);
      case 'Escape':
        ev.preventDefault();
        ev.stopPropagation();
        return this.close(true);
      case 'Tab':
        // from the button, Tab's default action moves on to what comes before / after the menu
        this.button.focus();
        return this.close(false);
      case 'Enter':
      case ' ':
        ev.preventDefault();
        if (index >= 0) {
          this.activate(items[index], ev);
        }
        return;
    }
  }
}
