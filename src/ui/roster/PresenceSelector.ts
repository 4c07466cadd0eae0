import { Translate } from '../../i18n';
import { OwnPresence } from '../../model/Account';
import { Menu } from '../Menu';

type Show = OwnPresence['show'];

/** The choices of the own-presence menu, in the order of the ui-contract. */
export const PRESENCE_CHOICES: Show[] = ['online', 'away', 'dnd', 'xa', 'offline'];

export interface PresenceSelectorOptions {
  t: Translate;
  /** the `Presence` button and the status message field of the roster template */
  button: HTMLButtonElement;
  statusInput: HTMLInputElement;
  /** where the menu pops up (positioned inside it) */
  container: HTMLElement;
  /** the user chose a presence or edited the status message */
  onChange: (show: Show, status: string) => void;
}

/**
 * Own presence (ui-contract: `button` "Presence" opening a `menu`): the button's text is the
 * current presence; the menu offers Online, Away, Do not disturb, Extended away, Offline. The
 * status message field next to it applies on Enter or when it loses focus.
 */
export class PresenceSelector {
  private current: OwnPresence = { show: 'offline', status: '' };
  private menu: Menu;
  private value: HTMLElement;

  constructor(private readonly options: PresenceSelectorOptions) {
    const { button, statusInput, t } = options;
    this.value = button.querySelector('.jsxc-presence-button__value')!;
    this.menu = new Menu(button, options.container, t('Presence'));
    button.addEventListener('click', () => (this.menu.isOpen ? this.menu.close() : this.openMenu('first')));
    button.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        this.openMenu(ev.key === 'ArrowDown' ? 'first' : 'last');
      }
    });
    const applyStatus = () => {
      const status = statusInput.value.trim();
      if (status !== this.current.status && this.current.show !== 'offline') {
        options.onChange(this.current.show, status);
      }
    };
    statusInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        applyStatus();
      } else if (ev.key === 'Escape' && statusInput.value !== this.current.status) {
        ev.preventDefault();
        statusInput.value = this.current.status;
      }
    });
    statusInput.addEventListener('change', applyStatus);
    this.show(this.current);
  }

  /** Shows the presence we have now (offline while not connected). */
  show(presence: OwnPresence): void {
    this.current = presence;
    const label = this.options.t(`own_presence_${presence.show}`);
    this.value.textContent = label;
    this.options.button.dataset.presence = presence.show;
    this.options.button.parentElement!.dataset.presence = presence.show;
    if (document.activeElement !== this.options.statusInput) {
      this.options.statusInput.value = presence.status;
    }
  }

  private openMenu(focus: 'first' | 'last'): void {
    this.menu.open(
      PRESENCE_CHOICES.map((show) => ({
        label: this.options.t(`own_presence_${show}`),
        checked: show === this.current.show,
        action: () => this.options.onChange(show, this.options.statusInput.value.trim()),
      })),
      focus,
    );
  }
}
