import type { Translate } from '../../i18n';
import type { Occupant } from '../../model/Occupant';
import { standingKeys } from './moderation';

export interface ParticipantListOptions {
  t: Translate;
  id: string;
  /** the participant's actions button was used: open its menu at `anchor` */
  onActions: (occupant: Occupant, anchor: HTMLElement) => void;
}

interface Row {
  /** what the row shows (rowKey): a row is rebuilt when it changes */
  key: string;
  li: HTMLLIElement;
  button?: HTMLButtonElement;
  occupant?: Occupant;
}

/** Everything a participant's row shows, as one string. */
function rowKey(o: Occupant): string {
  return [o.role, o.affiliation, o.presence, o.self ? 'self' : ''].join('|');
}

/**
 * The participants of a room (ui-contract: `list` "Participants", each `listitem` starting with
 * the nickname), in the model's order, with role and affiliation in words. Each has an actions
 * button (a menu: private message, moderation); the buttons are one Tab stop, Up/Down/Home/End
 * move between them. Nicknames are text (textContent).
 */
export class ParticipantList {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly count: HTMLElement;
  private current: string | undefined;
  /** the rows shown, per nickname */
  private rows = new Map<string, Row>();

  constructor(private readonly options: ParticipantListOptions) {
    const { t, id } = options;
    this.element = document.createElement('aside');
    this.element.className = 'jsxc-room__participants';
    this.element.id = `${id}-participants`;
    this.element.setAttribute('aria-labelledby', `${id}-participants-title`);
    const title = document.createElement('h3');
    title.className = 'jsxc-room__participants-title';
    title.id = `${id}-participants-title`;
    title.textContent = t('Participants') + ' ';
    this.count = document.createElement('span');
    this.count.className = 'jsxc-room__count';
    title.appendChild(this.count);
    this.list = document.createElement('ul');
    this.list.className = 'jsxc-room__occupants';
    this.list.setAttribute('role', 'list');
    this.list.setAttribute('aria-label', t('Participants'));
    this.list.addEventListener('keydown', (ev) => this.onKey(ev));
    this.element.append(title, this.list);
  }

  /**
   * Shows `occupants` in this order. Rows are kept per nickname and rebuilt only when what they
   * show changed, and only rows out of place are moved: a join with hundreds of occupants, rendered
   * once per frame by the window, costs one pass (docs/muc.md).
   */
  render(occupants: Occupant[]): void {
    const hadFocus = this.list.contains(document.activeElement);
    if (!occupants.some((o) => o.nick === this.current)) {
      this.current = occupants[0]?.nick;
    }
    const rows = new Map<string, Row>();
    let cursor = this.list.firstElementChild;
    for (const o of occupants) {
      const key = rowKey(o);
      const kept = this.rows.get(o.nick);
      const row: Row = kept && kept.key === key ? kept : { key, li: this.row(o) };
      row.occupant = o;
      row.button = row.button ?? row.li.querySelector<HTMLButtonElement>('.jsxc-occupant__actions')!;
      row.button.tabIndex = o.nick === this.current ? 0 : -1;
      rows.set(o.nick, row);
      if (row.li === cursor) {
        cursor = cursor.nextElementSibling;
      } else {
        this.list.insertBefore(row.li, cursor);
      }
    }
    // what is left after the last placed row is gone (left the room, or rebuilt)
    while (cursor) {
      const next = cursor.nextElementSibling;
      cursor.remove();
      cursor = next;
    }
    this.rows = rows;
    this.count.textContent = `(${occupants.length})`;
    if (hadFocus) {
      this.buttonOf(this.current)?.focus();
    }
  }

  private row(o: Occupant): HTMLLIElement {
    const { t } = this.options;
    const li = document.createElement('li');
    li.className = 'jsxc-occupant';
    li.dataset.nick = o.nick;
    li.dataset.role = o.role;
    li.dataset.presence = o.presence;
    const nick = document.createElement('span');
    nick.className = 'jsxc-occupant__nick';
    nick.dir = 'auto';
    nick.textContent = o.nick;
    const words = standingKeys(o).map((k) => t(k));
    if (o.self) {
      words.push(t('you'));
    }
    if (o.presence !== 'online') {
      words.push(t(`presence_${o.presence}`));
    }
    const standing = document.createElement('span');
    standing.className = 'jsxc-occupant__standing';
    standing.textContent = words.length > 0 ? ` (${words.join(', ')})` : '';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jsxc-occupant__actions';
    button.setAttribute('aria-label', t('Actions_for', { name: o.nick }));
    button.setAttribute('aria-haspopup', 'menu');
    const dots = document.createElement('span');
    dots.setAttribute('aria-hidden', 'true');
    dots.textContent = '⋯';
    button.appendChild(dots);
    button.addEventListener('click', () => {
      const current = this.rows.get(o.nick)?.occupant ?? o;
      this.current = current.nick;
      this.options.onActions(current, button);
    });
    li.append(nick, standing, button);
    return li;
  }

  private buttons(): HTMLButtonElement[] {
    return Array.from(this.list.querySelectorAll<HTMLButtonElement>('.jsxc-occupant__actions'));
  }

  private buttonOf(nick: string | undefined): HTMLButtonElement | undefined {
    return this.buttons().find((b) => b.closest<HTMLElement>('.jsxc-occupant')?.dataset.nick === nick);
  }

  private onKey(ev: KeyboardEvent): void {
    const buttons = this.buttons();
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 }[ev.key];
    if (to === undefined || at === -1 || buttons.length === 0) {
      return;
    }
    ev.preventDefault();
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    buttons.forEach((b) => (b.tabIndex = b === next ? 0 : -1));
    this.current = next.closest<HTMLElement>('.jsxc-occupant')?.dataset.nick;
    next.focus();
  }
}
