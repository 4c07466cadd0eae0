import type { Translate } from '../../i18n';
import type { RoomListing } from '../../model/RoomList';

export interface RoomBrowserOptions {
  t: Translate;
  id: string;
  /** the filter searchbox, the listbox and the status line of the template */
  filter: HTMLInputElement;
  listbox: HTMLElement;
  status: HTMLElement;
  /** a room was selected (arrows, click): its address goes to the address field */
  onSelect: (room: RoomListing) => void;
  /** Enter or double click on a room: join it */
  onChoose: (room: RoomListing) => void;
}

/**
 * The room browser of the join dialog: the rooms of the conference service as a `listbox`
 * (`Rooms`), each option showing name, address and occupant count. The filter narrows it by name
 * or address; in the list, arrows / Home / End move the selection (which follows focus, through
 * aria-activedescendant), Enter joins the selected room, ArrowDown in the filter enters the list.
 */
export class RoomBrowser {
  private rooms: RoomListing[] = [];
  private shown: RoomListing[] = [];
  private selected = -1;

  constructor(private readonly options: RoomBrowserOptions) {
    options.filter.addEventListener('input', () => this.render());
    options.filter.addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowDown' && this.shown.length > 0) {
        ev.preventDefault();
        options.listbox.focus();
        if (this.selected < 0) this.select(0);
      }
    });
    options.listbox.addEventListener('keydown', (ev) => this.onKey(ev));
    options.listbox.addEventListener('focus', () => {
      if (this.selected < 0 && this.shown.length > 0) this.select(0);
    });
  }

  /** Loads the listing (a promise of the model's browse()) and shows it. */
  async load(listing: Promise<RoomListing[]>, describeError: (err: unknown) => string): Promise<void> {
    const { t, status } = this.options;
    status.textContent = t('Loading_rooms');
    try {
      this.rooms = [...(await listing)].sort((a, b) => a.name.localeCompare(b.name));
      this.render();
    } catch (err) {
      this.rooms = [];
      this.render();
      status.textContent = describeError(err);
    }
  }

  private render(): void {
    const { t, id, listbox, status } = this.options;
    const query = this.options.filter.value.trim().toLowerCase();
    const previous = this.shown[this.selected]?.jid;
    this.shown = this.rooms.filter((r) => query === '' || r.name.toLowerCase().includes(query) || r.jid.toLowerCase().includes(query));
    listbox.replaceChildren(
      ...this.shown.map((room, i) => {
        const li = document.createElement('li');
        li.id = `${id}-room-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.dataset.jid = room.jid;
        const name = document.createElement('span');
        name.className = 'jsxc-room-browser__name';
        name.textContent = room.name || room.jid.split('@')[0];
        const jid = document.createElement('span');
        jid.className = 'jsxc-listbox__jid';
        jid.textContent = room.jid;
        li.append(name, ' ', jid);
        if (room.occupantCount !== undefined) {
          const count = document.createElement('span');
          count.className = 'jsxc-room-browser__count';
          count.textContent = t('Room_occupant_count', { count: room.occupantCount });
          li.append(' ', count);
        }
        li.addEventListener('click', () => this.select(i));
        li.addEventListener('dblclick', () => this.options.onChoose(room));
        return li;
      }),
    );
    listbox.hidden = this.shown.length === 0;
    status.textContent = this.rooms.length === 0 ? t('No_rooms_found') : this.shown.length === 0 ? t('No_rooms_match') : '';
    this.selected = -1;
    listbox.removeAttribute('aria-activedescendant');
    const again = this.shown.findIndex((r) => r.jid === previous);
    if (again >= 0) this.select(again, false);
  }

  private select(index: number, notify = true): void {
    const { listbox } = this.options;
    const items = Array.from(listbox.children) as HTMLElement[];
    const item = items[index];
    if (!item) return;
    this.selected = index;
    items.forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    listbox.setAttribute('aria-activedescendant', item.id);
    item.scrollIntoView({ block: 'nearest' });
    if (notify) this.options.onSelect(this.shown[index]);
  }

  private onKey(ev: KeyboardEvent): void {
    const last = this.shown.length - 1;
    const moves: Record<string, number> = { ArrowDown: Math.min(last, this.selected + 1), ArrowUp: Math.max(0, this.selected - 1), Home: 0, End: last };
    if (ev.key in moves && last >= 0) {
      ev.preventDefault();
      this.select(moves[ev.key]);
    } else if (ev.key === 'Enter' && this.selected >= 0) {
      ev.preventDefault();
      this.options.onChoose(this.shown[this.selected]);
    }
  }
}
