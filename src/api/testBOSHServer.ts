import { describeValue } from './args';
import { BOSH_SERVER_REACHABLE } from './boshReachable';

export { BOSH_SERVER_REACHABLE };

const NS_HTTPBIND = 'http://jabber.org/protocol/httpbind';
const TIMEOUT_MS = 15000;

/**
 * Why a BOSH server test failed. `toString()` is the English message, `getErrorCode()` one of:
 * invalid-url, invalid-domain (these two are TypeErrors), unreachable, cross-domain, timeout, not-found, http-error,
 * invalid-xml, not-bosh, host-unknown, or another BOSH terminate condition
 * (e.g. internal-server-error, remote-connection-failed). docs/api.md explains each.
 */
export class BOSHServerError extends Error {
  constructor(
    message: string,
    private readonly code: string,
  ) {
    super(message);
    this.name = 'BOSHServerError';
  }

  getErrorCode(): string {
    return this.code;
  }

  override toString(): string {
    return this.message;
  }
}

/** Bad arguments are TypeErrors, with the same two methods. */
function argumentError(message: string, code: string): TypeError & { getErrorCode(): string } {
  const error = new TypeError(message) as TypeError & { getErrorCode(): string };
  error.getErrorCode = () => code;
  error.toString = () => message;
  return error;
}

function absolute(url: string): string {
  try {
    return new URL(url, typeof location === 'undefined' ? undefined : location.href).href;
  } catch {
    return url;
  }
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
}

/**
 * A session creation request (XEP-0124 §7.1); the server's answer tells whether it speaks BOSH and
 * serves the domain. A created session is terminated again at once.
 */
export async function testBOSHServer(url: unknown, domain: unknown): Promise<string> {
  if (typeof url !== 'string' || url.trim() === '') {
    throw argumentError(`testBOSHServer(url, domain): url must be a non-empty string, got ${describeValue(url)}`, 'invalid-url');
  }
  if (/^wss?:/i.test(url.trim()) || (/^[a-z][a-z0-9+.-]*:/i.test(url.trim()) && !/^https?:\/\//i.test(url.trim()))) {
    throw argumentError(`testBOSHServer(url, domain): "${url}" is not a BOSH URL (http://, https:// or a path like /http-bind/)`, 'invalid-url');
  }
  if (typeof domain !== 'string' || !/^[^\s@/]+$/.test(domain)) {
    throw argumentError(`testBOSHServer(url, domain): domain must be a domain name like example.org, got ${describeValue(domain)}`, 'invalid-domain');
  }
  const target = absolute(url.trim());
  const rid = Math.floor(Math.random() * 1e9) + 1;
  const body =
    `<body rid='${rid}' xmlns='${NS_HTTPBIND}' to='${escapeAttr(domain)}' xml:lang='en' wait='10' hold='1' ` +
    `content='text/xml; charset=utf-8' ver='1.6' xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh'/>`;
  // text/plain keeps it a "simple" request: no CORS preflight, as JSXC 4's test did
  const post = (mode: RequestMode, signal: AbortSignal) => fetch(target, { method: 'POST', body, mode, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, credentials: 'omit', cache: 'no-store', signal });

  let response: Response;
  try {
    response = await post('cors', AbortSignal.timeout(TIMEOUT_MS));
  } catch (err) {
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') {
      throw new BOSHServerError(`No answer from ${target} within ${TIMEOUT_MS / 1000} s.`, 'timeout');
    }
    // a network error: nothing listens, or the answer lacks CORS headers. An opaque request tells.
    const opaque = await post('no-cors', AbortSignal.timeout(TIMEOUT_MS)).then(
      () => true,
      () => false,
    );
    if (opaque) {
      throw new BOSHServerError(
        `${target} answered, but the browser may not read the answer: the server sends no Access-Control-Allow-Origin header for this page, or a content security policy (connect-src) blocks it. The safest set-up is a reverse proxy on your own domain (nginx proxy_pass, Apache ProxyPass).`,
        'cross-domain',
      );
    }
    throw new BOSHServerError(`Could not reach ${target}: nothing answers there (wrong host or port, server down, or blocked by the network).`, 'unreachable');
  }

  const text = await response.text().catch(() => '');
  if (response.status === 404) {
    throw new BOSHServerError(`${target} answered "404 Not Found". Check that your BOSH server runs and is reachable at this URL.`, 'not-found');
  }
  if (!response.ok) {
    throw new BOSHServerError(`${target} answered with HTTP ${response.status} ${response.statusText}.`.replace(/ \./, '.'), 'http-error');
  }
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const root = doc.documentElement;
  if (!root || root.getElementsByTagName('parsererror').length > 0 || root.nodeName === 'parsererror' || text.trim() === '') {
    throw new BOSHServerError(`${target} did not answer with XML (perhaps a web page, or a redirect). Is this the BOSH URL? An absolute URL may help.`, 'invalid-xml');
  }
  if (root.localName !== 'body' || root.namespaceURI !== NS_HTTPBIND) {
    throw new BOSHServerError(`${target} answered with XML that is not BOSH (<${root.nodeName}>).`, 'not-bosh');
  }
  if (root.getAttribute('type') === 'terminate') {
    const condition = root.getAttribute('condition') ?? 'undefined-condition';
    // XEP-0124 says host-unknown; Prosody says improper-addressing for a domain it does not serve
    if (condition === 'host-unknown' || condition === 'improper-addressing') {
      throw new BOSHServerError(`Host unknown: the XMPP server at ${target} does not serve the domain "${domain}".`, 'host-unknown');
    }
    throw new BOSHServerError(`The BOSH server at ${target} ended the session: ${condition}${root.textContent ? ` (${root.textContent})` : ''}.`, condition);
  }
  const sid = root.getAttribute('sid');
  if (!sid) {
    throw new BOSHServerError(`${target} answered with a BOSH body without a session id.`, 'not-bosh');
  }
  // end the test session at once instead of leaving it to the inactivity timeout
  void fetch(target, { method: 'POST', body: `<body rid='${rid + 1}' sid='${escapeAttr(sid)}' type='terminate' xmlns='${NS_HTTPBIND}'/>`, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, credentials: 'omit' }).catch(() => undefined);
  return BOSH_SERVER_REACHABLE;
}
