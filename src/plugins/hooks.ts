/**
 * Ordered hooks: plugins add handlers with a priority (lower runs first); the core runs them in
 * order. Message processing is built from these, so that e.g. encryption (priority 90, last before
 * sending) wraps what receipts and markers (priority 50) have added.
 */
export type Hook<T> = (value: T) => void | Promise<void>;

interface Entry<T> {
  priority: number;
  hook: Hook<T>;
  owner: string;
}

export class HookList<T> {
  private entries: Entry<T>[] = [];

  /** Adds a hook; returns a function that removes it. */
  add(owner: string, hook: Hook<T>, priority = 50): () => void {
    const entry = { owner, hook, priority };
    this.entries.push(entry);
    this.entries.sort((a, b) => a.priority - b.priority);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** Runs every hook in order. A failing hook is reported and the chain goes on. */
  async run(value: T): Promise<void> {
    for (const { hook, owner } of [...this.entries]) {
      try {
        await hook(value);
      } catch (err) {
        console.error(`[jsxc] hook of plugin "${owner}" failed:`, err);
      }
    }
  }

  /** Runs the hooks that are synchronous; async ones are started but not awaited. */
  runSync(value: T): void {
    for (const { hook, owner } of [...this.entries]) {
      try {
        const result = hook(value);
        if (result && typeof (result as Promise<void>).catch === 'function') {
          (result as Promise<void>).catch((err) => console.error(`[jsxc] hook of plugin "${owner}" failed:`, err));
        }
      } catch (err) {
        console.error(`[jsxc] hook of plugin "${owner}" failed:`, err);
      }
    }
  }

  get size(): number {
    return this.entries.length;
  }

  removeOwner(owner: string): void {
    this.entries = this.entries.filter((e) => e.owner !== owner);
  }
}
