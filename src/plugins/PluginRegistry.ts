import { isLazy, Plugin, PluginEntry } from './Plugin';

const PLUGIN_ID = /^[a-z][a-z0-9-]*$/;

/** Checks a plugin definition (a host page's third-party plugin too) and names what is wrong. */
export function checkPlugin(entry: unknown): PluginEntry {
  const p = entry as Partial<Plugin & { load: unknown }>;
  if (!p || typeof p !== 'object') {
    throw new TypeError('A plugin must be an object with id, name and xeps');
  }
  if (typeof p.id !== 'string' || !PLUGIN_ID.test(p.id)) {
    throw new TypeError(`Plugin id must be lower-case letters, digits and dashes, got ${JSON.stringify(p.id)}`);
  }
  if (typeof p.name !== 'string' || p.name === '') {
    throw new TypeError(`Plugin "${p.id}": name must be a non-empty string`);
  }
  if (!Array.isArray(p.xeps)) {
    throw new TypeError(`Plugin "${p.id}": xeps must be an array (may be empty)`);
  }
  if (p.features !== undefined && (!Array.isArray(p.features) || p.features.some((f) => typeof f !== 'string'))) {
    throw new TypeError(`Plugin "${p.id}": features must be an array of strings`);
  }
  if (p.attach !== undefined && typeof p.attach !== 'function') {
    throw new TypeError(`Plugin "${p.id}": attach must be a function`);
  }
  if (p.ui !== undefined && typeof p.ui !== 'function') {
    throw new TypeError(`Plugin "${p.id}": ui must be a function`);
  }
  if (p.load !== undefined && typeof p.load !== 'function') {
    throw new TypeError(`Plugin "${p.id}": load must be a function`);
  }
  return p as PluginEntry;
}

/**
 * The plugins of one JSXC instance: the built-in ones plus those a host page registered, minus
 * `options.disabledPlugins` (and whatever requires a disabled one).
 */
export class PluginRegistry {
  private entries: PluginEntry[] = [];
  private loaded = new Map<string, Promise<Plugin>>();
  private ready = new Map<string, Plugin>();
  private loadListeners = new Set<(id: string, plugin: Plugin) => void>();

  constructor(
    entries: PluginEntry[],
    private readonly disabled: readonly string[],
  ) {
    for (const entry of entries) {
      this.add(entry);
    }
  }

  add(entry: PluginEntry): void {
    checkPlugin(entry);
    if (this.entries.some((e) => e.id === entry.id)) {
      throw new Error(`A plugin with the id "${entry.id}" is registered already`);
    }
    this.entries.push(entry);
  }

  isEnabled(id: string, seen = new Set<string>()): boolean {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry || this.disabled.includes(id) || seen.has(id)) {
      return false;
    }
    seen.add(id);
    return (entry.requires ?? []).every((req) => this.isEnabled(req, seen));
  }

  /** Enabled plugin entries, in registration order. */
  enabled(): PluginEntry[] {
    return this.entries.filter((e) => this.isEnabled(e.id));
  }

  all(): PluginEntry[] {
    return [...this.entries];
  }

  /** The disco#info features of every enabled plugin, sorted and without duplicates. */
  features(): string[] {
    return [...new Set(this.enabled().flatMap((e) => e.features ?? []))].sort();
  }

  /** Loads (once) and returns the code of an enabled plugin; lazy ones arrive as chunks. */
  load(id: string): Promise<Plugin> {
    if (!this.isEnabled(id)) {
      return Promise.reject(new Error(`Plugin "${id}" is disabled or unknown`));
    }
    let promise = this.loaded.get(id);
    if (!promise) {
      const entry = this.entries.find((e) => e.id === id)!;
      promise = (isLazy(entry) ? entry.load() : Promise.resolve(entry)).then((plugin) => {
        if (!plugin || typeof plugin !== 'object' || (plugin.attach !== undefined && typeof plugin.attach !== 'function')) {
          throw new TypeError(`Plugin "${id}": load() must resolve to a plugin object (with an optional attach function)`);
        }
        this.ready.set(id, plugin);
        for (const listener of [...this.loadListeners]) {
          listener(id, plugin);
        }
        return plugin;
      });
      this.loaded.set(id, promise);
      promise.catch(() => this.loaded.delete(id));
    }
    return promise;
  }

  /** The code of a plugin that has been loaded already (lazy ones: once their chunk arrived). */
  loadedPlugin(id: string): Plugin | undefined {
    return this.ready.get(id);
  }

  /** Calls `listener` whenever a plugin's code has been loaded; returns a remover. */
  onLoad(listener: (id: string, plugin: Plugin) => void): () => void {
    this.loadListeners.add(listener);
    return () => this.loadListeners.delete(listener);
  }
}
