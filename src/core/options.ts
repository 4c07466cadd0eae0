import { Options, ResolvedOptions, StorageBackend } from '../api/Options';

/**
 * Option validation: every option of the manual's §3.1.1 with its type and default. An unknown
 * option or a value of the wrong type throws a TypeError that names the option, so a typo in a
 * host page's configuration is found at once instead of being silently ignored.
 */
type Check = (value: unknown) => string | undefined;

const isString: Check = (v) => (typeof v === 'string' ? undefined : 'a string');
const isBoolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'a boolean (true or false)');
const isFunction: Check = (v) => (typeof v === 'function' ? undefined : 'a function');
const isPositiveNumber: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? undefined : 'a positive number');
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    values.includes(v as string) ? undefined : `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
const isStringArray: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'an array of strings');
const isStorage: Check = (v) =>
  v !== null &&
  typeof v === 'object' &&
  ['getItem', 'setItem', 'removeItem', 'key'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function')
    ? undefined
    : 'a Web Storage object (localStorage, sessionStorage or one with getItem, setItem, removeItem and key)';
const isIceServers: Check = (v) =>
  Array.isArray(v) &&
  v.every((s) => s && typeof s === 'object' && (typeof s.urls === 'string' || (Array.isArray(s.urls) && s.urls.every((u: unknown) => typeof u === 'string'))))
    ? undefined
    : 'an array of RTCIceServer objects, each with "urls" (a string or an array of strings)';

const RTC_CHECKS: Record<string, Check> = {
  ttl: isPositiveNumber,
  iceServers: isIceServers,
  url: isString,
  withCredentials: isBoolean,
};

const CHECKS: Record<keyof Options, Check> = {
  appName: isString,
  lang: isString,
  autoLang: isBoolean,
  rosterAppend: isString,
  rosterVisibility: oneOf('shown', 'hidden'),
  hideOfflineContacts: isBoolean,
  loadOptions: isFunction,
  loadConnectionOptions: isFunction,
  onOptionChange: isFunction,
  getUsers: isFunction,
  RTCPeerConfig: (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      return 'an object';
    }
    for (const [key, value] of Object.entries(v)) {
      const check = RTC_CHECKS[key];
      if (!check) {
        return `an object without the unknown key "${key}" (known: ${Object.keys(RTC_CHECKS).join(', ')})`;
      }
      const problem = value === undefined ? undefined : check(value);
      if (problem) {
        return `an object whose "${key}" is ${problem}`;
      }
    }
    return undefined;
  },
  onlineHelp: isString,
  storage: isStorage,
  disabledPlugins: isStringArray,
  connectionCallback: isFunction,
  onUserRequestsToGoOnline: isFunction,
  connectTimeout: isPositiveNumber,
};

export const KNOWN_OPTIONS = Object.keys(CHECKS) as (keyof Options)[];

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : `a ${typeof value}`;
}

function defaultStorage(): StorageBackend | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    // Some browsers throw on access when storage is disabled: run without persistence.
    return undefined;
  }
}

export function resolveOptions(input: unknown): ResolvedOptions {
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw new TypeError(`JSXC options must be an object, got ${describe(input)}`);
  }
  const options = (input ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(options)) {
    const check = CHECKS[name as keyof Options];
    if (!check) {
      throw new TypeError(`Unknown JSXC option "${name}". Known options: ${KNOWN_OPTIONS.join(', ')}`);
    }
    if (value === undefined) {
      continue;
    }
    const expected = check(value);
    if (expected) {
      throw new TypeError(`JSXC option "${name}" must be ${expected}, got ${describe(value)}`);
    }
  }
  const o = options as Options;
  return {
    appName: o.appName ?? 'web applications',
    lang: o.lang ?? 'en',
    autoLang: o.autoLang ?? true,
    rosterAppend: o.rosterAppend ?? 'body',
    rosterVisibility: o.rosterVisibility ?? 'shown',
    hideOfflineContacts: o.hideOfflineContacts ?? false,
    loadOptions: o.loadOptions,
    loadConnectionOptions: o.loadConnectionOptions,
    onOptionChange: o.onOptionChange,
    getUsers: o.getUsers,
    RTCPeerConfig: {
      ttl: o.RTCPeerConfig?.ttl ?? 3600,
      iceServers: o.RTCPeerConfig?.iceServers ?? [{ urls: 'stun:stun.stunprotocol.org' }],
      url: o.RTCPeerConfig?.url,
      withCredentials: o.RTCPeerConfig?.withCredentials ?? false,
    },
    onlineHelp: o.onlineHelp ?? 'http://www.jsxc.org/manual.html',
    storage: o.storage ?? defaultStorage(),
    disabledPlugins: o.disabledPlugins ?? [],
    connectionCallback: o.connectionCallback,
    onUserRequestsToGoOnline: o.onUserRequestsToGoOnline,
    connectTimeout: o.connectTimeout ?? 20000,
  };
}
