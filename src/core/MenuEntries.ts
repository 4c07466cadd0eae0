import { checkFunction, checkOptionalBoolean, checkString, describeValue } from '../api/args';
import { Emitter } from './Emitter';

/** A main-menu entry added by the host page (manual §3.2.1). */
export interface MenuEntry {
  id: string;
  label: string;
  handler: (ev: Event) => void;
  /** a URL or a data: URL of an image shown beside the label */
  icon?: string;
  /** clickable while offline too; default false */
  offlineAvailable: boolean;
}

const KNOWN_KEYS = ['id', 'label', 'handler', 'icon', 'offlineAvailable'];

/** Checks the argument of jsxc.addMenuEntry(); a TypeError names the field that is wrong. */
export function checkMenuEntry(input: unknown): MenuEntry {
  const method = 'addMenuEntry(options)';
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`${method}: options must be an object with id, label and handler, got ${describeValue(input)}`);
  }
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new TypeError(`${method}: unknown field "${key}" (known: ${KNOWN_KEYS.join(', ')})`);
    }
  }
  const id = checkString(method, 'options.id', o.id);
  const label = checkString(method, 'options.label', o.label);
  const handler = checkFunction<(ev: Event) => void>(method, 'options.handler', o.handler);
  if (o.icon !== undefined) {
    checkString(method, 'options.icon', o.icon);
    if (/^\s*javascript:/i.test(o.icon as string)) {
      throw new TypeError(`${method}: options.icon must be an image URL or a data: URL`);
    }
  }
  const offlineAvailable = checkOptionalBoolean(method, 'options.offlineAvailable', o.offlineAvailable) ?? false;
  return { id, label, handler, icon: o.icon as string | undefined, offlineAvailable };
}

/** The host page's menu entries of one JSXC instance; the main menu renders them. */
export class MenuEntries extends Emitter<{ changed: [] }> {
  private entries: MenuEntry[] = [];

  add(input: unknown): MenuEntry {
    const entry = checkMenuEntry(input);
    if (this.entries.some((e) => e.id === entry.id)) {
      throw new TypeError(`addMenuEntry(options): options.id "${entry.id}" is used by another menu entry already`);
    }
    this.entries.push(entry);
    this.emit('changed');
    return entry;
  }

  /** Removes an entry (a plugin's teardown). */
  remove(id: string): void {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.id !== id);
    if (this.entries.length !== before) {
      this.emit('changed');
    }
  }

  all(): MenuEntry[] {
    return [...this.entries];
  }
}
