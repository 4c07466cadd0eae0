import { Strophe } from 'strophe.js';
import { transportFor } from './transport';

/**
 * A bare XMPP stream to a domain, before any login: enough for in-band registration (XEP-0077),
 * which happens before authentication. BOSH (XEP-0124/0206) or WebSocket (RFC 7395), following the
 * URL as the normal connection does. No DOM: XML is parsed with DOMParser (strophe's shim in Node).
 */
export interface UnauthenticatedStream {
  /** the <stream:features/> the server offered */
  readonly features: Element | undefined;
  /** Sends an IQ and resolves with the answer (result or error) with the same id. */
  sendIQ(iq: Element): Promise<Element>;
  close(): Promise<void>;
}

const NS_HTTPBIND = 'http://jabber.org/protocol/httpbind';
const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const NS_STREAM = 'http://etherx.jabber.org/streams';

export class StreamError extends Error {
  constructor(
    message: string,
    public readonly condition: string,
  ) {
    super(message);
    this.name = 'StreamError';
  }
}

function parse(text: string): Element | undefined {
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const root = doc.documentElement;
  return root && root.nodeName !== 'parsererror' && root.getElementsByTagName('parsererror').length === 0 ? root : undefined;
}

function findFeatures(root: Element): Element | undefined {
  return Array.from(root.getElementsByTagNameNS(NS_STREAM, 'features'))[0];
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
}

export function openUnauthenticatedStream(url: string, domain: string, timeoutMs = 20000): Promise<UnauthenticatedStream> {
  return transportFor(url) === 'websocket' ? openWebSocket(url, domain, timeoutMs) : openBosh(url, domain, timeoutMs);
}

async function openBosh(url: string, domain: string, timeoutMs: number): Promise<UnauthenticatedStream> {
  let rid = Math.floor(Math.random() * 1e9) + 1;
  let sid = '';
  const post = async (content: string, extra = ''): Promise<Element> => {
    const attrs = sid ? `rid='${rid}' sid='${escapeAttr(sid)}' xmlns='${NS_HTTPBIND}'${extra}` : `rid='${rid}' xmlns='${NS_HTTPBIND}' to='${escapeAttr(domain)}' xml:lang='en' wait='20' hold='1' ver='1.6' xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh'`;
    rid += 1;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body: `<body ${attrs}>${content}</body>`, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new StreamError(`Could not reach the XMPP server at ${url} (${(err as Error).message})`, 'unreachable');
    }
    if (!response.ok) {
      throw new StreamError(`The XMPP server at ${url} answered with HTTP ${response.status}`, 'http-error');
    }
    const body = parse(await response.text());
    if (!body || body.localName !== 'body') {
      throw new StreamError(`${url} did not answer as a BOSH service`, 'not-bosh');
    }
    if (body.getAttribute('type') === 'terminate') {
      const condition = body.getAttribute('condition') ?? 'remote-connection-failed';
      throw new StreamError(`The XMPP server at ${url} ended the session (${condition}) — does it serve "${domain}"?`, condition === 'improper-addressing' ? 'host-unknown' : condition);
    }
    return body;
  };
  const created = await post('');
  sid = created.getAttribute('sid') ?? '';
  if (!sid) {
    throw new StreamError(`${url} answered without a BOSH session id`, 'not-bosh');
  }
  let features = findFeatures(created);
  for (let i = 0; !features && i < 3; i++) {
    features = findFeatures(await post(''));
  }
  let closed = false;
  return {
    features,
    async sendIQ(iq) {
      const id = iq.getAttribute('id')!;
      let body = await post(Strophe.serialize(iq) ?? '');
      // an empty answer means the server held the request until its wait ran out: poll on
      for (let i = 0; i < 5; i++) {
        const reply = Array.from(body.getElementsByTagName('iq')).find((el) => el.getAttribute('id') === id);
        if (reply) {
          return reply;
        }
        body = await post('');
      }
      throw new StreamError(`No answer from the XMPP server at ${url}`, 'timeout');
    },
    async close() {
      if (!closed) {
        closed = true;
        await post('', " type='terminate'").catch(() => undefined);
      }
    },
  };
}

function openWebSocket(url: string, domain: string, timeoutMs: number): Promise<UnauthenticatedStream> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'xmpp');
    const waiting = new Map<string, (el: Element) => void>();
    let features: Element | undefined;
    let settled = false;
    const fail = (error: StreamError) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
      waiting.forEach((_, id) => waiting.delete(id));
    };
    const timer = setTimeout(() => {
      fail(new StreamError(`No stream from the XMPP server at ${url} within ${timeoutMs / 1000} s`, 'timeout'));
      socket.close();
    }, timeoutMs);
    const stream: UnauthenticatedStream = {
      get features() {
        return features;
      },
      sendIQ(iq) {
        return new Promise((res, rej) => {
          if (socket.readyState !== WebSocket.OPEN) {
            rej(new StreamError(`The connection to ${url} is closed`, 'closed'));
            return;
          }
          waiting.set(iq.getAttribute('id')!, res);
          socket.send(Strophe.serialize(iq) ?? '');
        });
      },
      async close() {
        if (socket.readyState === WebSocket.OPEN) {
          socket.send(`<close xmlns='${NS_FRAMING}'/>`);
          socket.close();
        }
      },
    };
    socket.onerror = () => fail(new StreamError(`Could not reach the XMPP server at ${url}`, 'unreachable'));
    socket.onopen = () => socket.send(`<open xmlns='${NS_FRAMING}' to='${escapeAttr(domain)}' version='1.0'/>`);
    socket.onmessage = (ev: MessageEvent) => {
      const el = parse(String(ev.data));
      if (!el) {
        return;
      }
      if (el.localName === 'features') {
        features = el;
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          resolve(stream);
        }
      } else if (el.localName === 'error' && el.namespaceURI === NS_STREAM) {
        const condition = Array.from(el.childNodes).find((n) => n.nodeType === 1)?.nodeName ?? 'undefined-condition';
        fail(new StreamError(`The XMPP server at ${url} ended the stream (${condition}) — does it serve "${domain}"?`, condition));
      } else if (el.localName === 'iq') {
        const id = el.getAttribute('id') ?? '';
        waiting.get(id)?.(el);
        waiting.delete(id);
      }
    };
  });
}
