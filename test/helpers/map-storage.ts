import type { StorageBackend } from '../../src/api/Options';

/** A Web Storage stand-in for Node tests: the options.storage of one browser profile. */
export class MapStorage implements StorageBackend {
  readonly data = new Map<string, string>();
  get length(): number {
    return this.data.size;
  }
  key(i: number): string | null {
    return [...this.data.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
  removeItem(k: string): void {
    this.data.delete(k);
  }
  /** everything stored, as one string (to check that no secret is in it) */
  dump(): string {
    return JSON.stringify([...this.data.entries()]);
  }
}
