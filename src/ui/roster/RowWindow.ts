import { Contact } from '../../model/Contact';
import { FrameScheduler } from '../FrameScheduler';

/** A list element whose rows are virtualised: the flat list, or one group's list. */
export interface Section {
  /** the element the rows go in (position: relative, height = rows × row height) */
  ul: HTMLUListElement;
  members: Contact[];
  /** row key per member, same order */
  keys: string[];
  /** key -> index in members */
  index: Map<string, number>;
  /** false: the group is collapsed (its rows are not in the DOM at all) */
  expanded: boolean;
}

export interface RowWindowOptions {
  /** the outer list (to find the scroll container) */
  list: HTMLElement;
  /** builds a row element for a contact (called for rows entering the window) */
  build: (contact: Contact, key: string) => HTMLLIElement;
  /** brings a row in the window up to date with its (changed) contact, in place */
  update: (li: HTMLLIElement, contact: Contact, key: string) => void;
  /** the row that must stay in the DOM wherever it is (the keyboard's current contact) */
  pinned: () => string | undefined;
}

/** Row height until a row has been measured (the CSS min-height of .jsxc-contact). */
const DEFAULT_ROW_PX = 52;
/** When the scroller has no height (hidden, or no layout as in jsdom), render as if it had this much. */
const MIN_VIEW_PX = 800;

interface Placed {
  index: number;
  size: number;
}

/**
 * Virtualises the contact rows: each section's list gets the height of all its rows, and only the
 * rows that are in view (plus half a view above and below, plus the pinned row) are in the DOM,
 * absolutely positioned at index × row height, in index order, with aria-setsize/aria-posinset so
 * that assistive technology knows the full count. Repainted once per animation frame on scroll and
 * resize; rows keep their element while they stay in the window, and a stale contact's row is
 * updated in place (a presence change writes into one row; no row is replaced, so focus, hover and a
 * click in progress survive). The row holding keyboard focus is never moved in the DOM (a moved
 * element loses focus): when its contact moves in the order, the other rows move around it.
 */
export class RowWindow {
  /** key -> row element in the DOM */
  readonly rows = new Map<string, HTMLLIElement>();
  private placed = new WeakMap<HTMLLIElement, Placed>();
  /** the contact each row element was built or last updated for */
  private contactOf = new WeakMap<HTMLLIElement, Contact>();
  private stale = new Set<Contact>();
  private rowPx = DEFAULT_ROW_PX;
  private scroller?: HTMLElement;
  private scheduler = new FrameScheduler(() => this.paint(this.sections));
  private sections: Section[] = [];

  constructor(private readonly options: RowWindowOptions) {}

  get rowHeight(): number {
    return this.rowPx;
  }

  /** The scroll container's visible height (0 while hidden). */
  viewHeight(): number {
    return this.scrollContainer().clientHeight;
  }

  /** The contact changed: its rows are updated at the next paint. */
  invalidate(contact: Contact): void {
    this.stale.add(contact);
  }

  /** Rows of these keys go (the contact left the list, or the layout changed). */
  clear(): void {
    for (const li of this.rows.values()) {
      li.remove();
    }
    this.rows.clear();
  }

  /** Sets the sections' heights (call after their membership changed, before paint). */
  layout(sections: Section[]): void {
    this.sections = sections;
    for (const s of sections) {
      const px = s.expanded ? `${s.members.length * this.rowPx}px` : '0px';
      if (s.ul.style.getPropertyValue('height') !== px) {
        s.ul.style.setProperty('height', px);
      }
    }
  }

  schedule(): void {
    this.scheduler.schedule();
  }

  /**
   * Puts the rows in view into the DOM (and takes the others out). Reads layout once (scroller and
   * section positions), then writes.
   */
  paint(sections: Section[] = this.sections): void {
    this.sections = sections;
    const scroller = this.scrollContainer();
    const view = scroller.getBoundingClientRect();
    const viewPx = scroller.clientHeight > 0 ? scroller.clientHeight : MIN_VIEW_PX;
    const margin = viewPx / 2;
    const pinned = this.options.pinned();
    const tops = sections.map((s) => (s.expanded ? s.ul.getBoundingClientRect().top : 0));

    const wanted = new Map<string, Section>();
    const perSection: number[][] = [];
    sections.forEach((s, i) => {
      const indices: number[] = [];
      perSection.push(indices);
      if (!s.expanded || s.members.length === 0) {
        return;
      }
      const from = view.top - tops[i] - margin;
      const to = view.top - tops[i] + viewPx + margin;
      const first = Math.max(0, Math.floor(from / this.rowPx));
      const last = Math.min(s.members.length, Math.ceil(to / this.rowPx));
      const pin = pinned !== undefined ? s.index.get(pinned) : undefined;
      if (pin !== undefined && pin < first) {
        indices.push(pin);
      }
      for (let k = first; k < last; k++) {
        indices.push(k);
      }
      if (pin !== undefined && pin >= last) {
        indices.push(pin);
      }
      for (const k of indices) {
        wanted.set(s.keys[k], s);
      }
    });

    // out first, so that the rows that stay are never moved (a moved element loses focus)
    for (const [key, li] of this.rows) {
      if (!wanted.has(key)) {
        li.remove();
        this.rows.delete(key);
      }
    }
    const focused = document.activeElement?.closest<HTMLLIElement>('li.jsxc-contact');
    sections.forEach((s, i) => {
      let cursor = s.ul.firstElementChild;
      for (const k of perSection[i]) {
        const key = s.keys[k];
        const contact = s.members[k];
        let li = this.rows.get(key);
        if (!li) {
          li = this.options.build(contact, key);
          this.rows.set(key, li);
          this.contactOf.set(li, contact);
        } else if (this.stale.has(contact) || this.contactOf.get(li) !== contact) {
          this.options.update(li, contact, key);
          this.contactOf.set(li, contact);
        }
        this.place(li, k, s.members.length);
        if (li === cursor) {
          cursor = cursor.nextElementSibling;
        } else if (li === focused && li.parentElement === s.ul) {
          // it stays where it is: the rows still between cursor and it go after it when their turn comes
          cursor = li.nextElementSibling;
        } else {
          s.ul.insertBefore(li, cursor);
        }
      }
    });
    this.stale.clear();
    this.measure();
  }

  /** Top of a row (px from its section's top). */
  offsetOf(index: number): number {
    return index * this.rowPx;
  }

  private place(li: HTMLLIElement, index: number, size: number): void {
    const was = this.placed.get(li);
    if (was?.index !== index) {
      li.style.setProperty('top', `${index * this.rowPx}px`);
      li.setAttribute('aria-posinset', String(index + 1));
    }
    if (was?.size !== size) {
      li.setAttribute('aria-setsize', String(size));
    }
    if (was?.index !== index || was?.size !== size) {
      this.placed.set(li, { index, size });
    }
  }

  /** The row height follows the rendered rows (font size, zoom); a change re-lays out the lists. */
  private measure(): void {
    const sample = this.rows.values().next().value as HTMLLIElement | undefined;
    const px = sample?.offsetHeight ?? 0;
    if (px > 0 && Math.abs(px - this.rowPx) >= 0.5) {
      this.rowPx = px;
      this.placed = new WeakMap();
      this.layout(this.sections);
      this.schedule();
    }
  }

  private scrollContainer(): HTMLElement {
    if (!this.scroller) {
      const { list } = this.options;
      this.scroller = list.closest<HTMLElement>('.jsxc-roster__body') ?? list.parentElement ?? list;
      this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
      if (typeof ResizeObserver === 'function') {
        new ResizeObserver(() => this.schedule()).observe(this.scroller);
      }
    }
    return this.scroller;
  }
}
