/** A loader of a lazy chunk; `loaded` is the module once it is there (for code that must not wait). */
export interface Lazy<T> {
  (): Promise<T>;
  loaded?: T;
}

/**
 * Wraps a dynamic `import()` so that it runs once: later calls get the same promise, and `loaded`
 * holds the module as soon as it has arrived. A failed load (network) is tried again next time.
 */
export function lazyModule<T>(load: () => Promise<T>): Lazy<T> {
  let loading: Promise<T> | undefined;
  const lazy: Lazy<T> = () => {
    loading ??= load().then(
      (m) => (lazy.loaded = m),
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    );
    return loading;
  };
  return lazy;
}
