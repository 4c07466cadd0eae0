import { Emitter } from './Emitter';

export type SettingValue = boolean | string;

/**
 * A setting the user can change in the Settings dialog. Features add theirs with
 * Settings.define(); the dialog renders every defined one.
 */
export interface SettingDescriptor {
  /** the option id passed to options.onOptionChange, e.g. "client" or a plugin id */
  id: string;
  key: string;
  /** locale key of the label */
  labelKey: string;
  type: 'boolean' | 'choice';
  default: SettingValue;
  /** for "choice": the values and the locale keys of their labels */
  choices?: Array<{ value: string; labelKey: string }>;
}

type Values = { [id: string]: { [key: string]: unknown } };

interface SettingsEvents {
  /** a value changed (set by the user, or loaded through options.loadOptions) */
  change: [id: string, key: string, value: unknown];
}

/**
 * Options per id and key (manual §3.1.1 loadOptions / onOptionChange). Values live in memory and
 * go to the host through `onOptionChange(id, key, value, exportId)`, where `exportId()` returns all
 * values of that id; the host hands them back with `loadOptions(jid, password)` on the next login.
 * Nothing is written to browser storage. No DOM here.
 */
export class Settings extends Emitter<SettingsEvents> {
  private values: Values = {};
  private descriptors: SettingDescriptor[] = [];

  constructor(private readonly onOptionChange?: (id: string, key: string, value: unknown, exportId: () => unknown) => void) {
    super();
  }

  /** Registers a setting for the Settings dialog (once per id and key). */
  define(descriptor: SettingDescriptor): void {
    if (this.descriptors.some((d) => d.id === descriptor.id && d.key === descriptor.key)) {
      throw new Error(`The setting "${descriptor.id}.${descriptor.key}" is defined already`);
    }
    if (descriptor.type === 'choice' && !descriptor.choices?.some((c) => c.value === descriptor.default)) {
      throw new Error(`The setting "${descriptor.id}.${descriptor.key}" needs choices that include its default`);
    }
    this.descriptors.push(descriptor);
  }

  defined(): SettingDescriptor[] {
    return [...this.descriptors];
  }

  /** The value, or the defined default, or undefined. */
  get<T = unknown>(id: string, key: string): T | undefined {
    const values = this.values[id];
    if (values && Object.prototype.hasOwnProperty.call(values, key)) {
      return values[key] as T;
    }
    return this.descriptor(id, key)?.default as T | undefined;
  }

  /** Changes a value and tells the host (options.onOptionChange). */
  set(id: string, key: string, value: unknown): void {
    this.check(id, key, value);
    const values = (this.values[id] ??= {});
    const changed = values[key] !== value;
    values[key] = value;
    if (changed) {
      this.emit('change', id, key, value);
    }
    try {
      this.onOptionChange?.(id, key, value, () => this.export(id));
    } catch (err) {
      console.error('[jsxc] options.onOptionChange failed:', err);
    }
  }

  /** All values of one id (what exportId() returns). */
  export(id: string): { [key: string]: unknown } {
    return { ...(this.values[id] ?? {}) };
  }

  /**
   * Merges what options.loadOptions returned: {id: {key: value}}. Values of a defined setting with
   * the wrong type are skipped with a warning; the host is not told again (it sent them).
   */
  load(input: unknown): void {
    if (input === undefined || input === null) {
      return;
    }
    if (typeof input !== 'object' || Array.isArray(input)) {
      console.warn('[jsxc] options.loadOptions must resolve to an object {id: {key: value}}; got', input);
      return;
    }
    for (const [id, values] of Object.entries(input as Values)) {
      if (!values || typeof values !== 'object') {
        continue;
      }
      for (const [key, value] of Object.entries(values)) {
        try {
          this.check(id, key, value);
        } catch (err) {
          console.warn('[jsxc] options.loadOptions:', (err as Error).message);
          continue;
        }
        const target = (this.values[id] ??= {});
        if (target[key] !== value) {
          target[key] = value;
          this.emit('change', id, key, value);
        }
      }
    }
  }

  private descriptor(id: string, key: string): SettingDescriptor | undefined {
    return this.descriptors.find((d) => d.id === id && d.key === key);
  }

  private check(id: string, key: string, value: unknown): void {
    if (typeof id !== 'string' || id === '' || typeof key !== 'string' || key === '') {
      throw new TypeError('A setting needs a non-empty string id and key');
    }
    const d = this.descriptor(id, key);
    if (!d) {
      return;
    }
    if (d.type === 'boolean' && typeof value !== 'boolean') {
      throw new TypeError(`The setting "${id}.${key}" must be true or false, got ${typeof value}`);
    }
    if (d.type === 'choice' && !d.choices!.some((c) => c.value === value)) {
      throw new TypeError(`The setting "${id}.${key}" must be one of ${d.choices!.map((c) => JSON.stringify(c.value)).join(', ')}`);
    }
  }
}
