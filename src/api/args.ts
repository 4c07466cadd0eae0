/**
 * Argument checks for the public API: every method names the argument and what it expected, so a
 * host page's mistake is found at once (manual §3; bad input is a TypeError, never a silent drop).
 */
export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (value === undefined) {
    return 'nothing (undefined)';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value === '') {
    return 'an empty string';
  }
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

export function checkString(method: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${method}: ${name} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

export function checkFunction<T extends (...args: never[]) => unknown>(method: string, name: string, value: unknown): T {
  if (typeof value !== 'function') {
    throw new TypeError(`${method}: ${name} must be a function, got ${describeValue(value)}`);
  }
  return value as T;
}

export function checkOptionalBoolean(method: string, name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`${method}: ${name} must be true or false, got ${describeValue(value)}`);
  }
  return value;
}

export function checkArgumentCount(method: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new TypeError(`${method} takes ${expected} argument${max === 1 ? '' : 's'}, got ${args.length}`);
  }
}
