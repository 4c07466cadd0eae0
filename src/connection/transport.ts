/**
 * The transport follows the URL: ws:// and wss:// speak XMPP over WebSocket (RFC 7395), everything
 * else (http://, https://, or a path on the host site such as /http-bind/) speaks BOSH (XEP-0124/0206).
 */
export type Transport = 'bosh' | 'websocket';

export function transportFor(url: string): Transport {
  return /^wss?:\/\//i.test(url.trim()) ? 'websocket' : 'bosh';
}

/** Checks that a service URL is usable and returns it trimmed; throws a TypeError naming it if not. */
export function checkServiceUrl(url: unknown): string {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new TypeError(`The XMPP service URL must be a non-empty string, got ${url === '' ? 'an empty string' : typeof url}`);
  }
  const trimmed = url.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^(https?|wss?):\/\//i.test(trimmed)) {
    throw new TypeError(`The XMPP service URL "${trimmed}" must start with http://, https://, ws://, wss:// or be a path like /http-bind/`);
  }
  return trimmed;
}
