// A minimal XMLHttpRequest for Node, enough for Strophe's BOSH transport in integration tests.
// strophe.js's Node build installs DOMParser/XMLSerializer/document (xmldom) and WebSocket (ws), but
// no XMLHttpRequest, so `new Strophe.Connection('http://…/http-bind')` would throw. Strophe only uses
// open/send/abort/setRequestHeader, readyState/status/responseText/responseXML, onreadystatechange
// and getAllResponseHeaders. Asynchronous requests only.
import http from 'http';
import https from 'https';

// No keep-alive: no idle sockets left behind to keep a jest worker alive.
const agents = { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };

export class NodeXMLHttpRequest {
  static readonly UNSENT = 0;
  static readonly OPENED = 1;
  static readonly HEADERS_RECEIVED = 2;
  static readonly LOADING = 3;
  static readonly DONE = 4;

  readyState = 0;
  status = 0;
  statusText = '';
  responseText = '';
  responseXML: Document | null = null;
  withCredentials = false;
  timeout = 0;
  onreadystatechange: ((this: NodeXMLHttpRequest) => void) | null = null;
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;

  private method = 'GET';
  private url = '';
  private headers: Record<string, string> = {};
  private responseHeaders: http.IncomingHttpHeaders = {};
  private request: http.ClientRequest | null = null;
  private aborted = false;

  overrideMimeType(_mime: string): void {
    // responses are always parsed as XML when they look like XML
  }

  open(method: string, url: string, async = true): void {
    if (async === false) throw new Error('NodeXMLHttpRequest: synchronous requests are not supported');
    this.method = method;
    this.url = url;
    this.headers = {};
    this.aborted = false;
    this.setState(1);
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  getAllResponseHeaders(): string {
    return Object.entries(this.responseHeaders)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
      .join('\r\n');
  }

  getResponseHeader(name: string): string | null {
    const v = this.responseHeaders[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);
  }

  send(body?: string | null): void {
    const url = new URL(this.url);
    const isHttps = url.protocol === 'https:';
    const data = body == null ? undefined : Buffer.from(String(body), 'utf8');
    const req = (isHttps ? https : http).request(url, {
      method: this.method,
      agent: isHttps ? agents.https : agents.http,
      timeout: this.timeout || undefined,
      headers: { ...this.headers, ...(data ? { 'Content-Length': String(data.length) } : {}) },
    });
    this.request = req;
    req.on('response', (res) => {
      if (this.aborted) return res.resume();
      this.status = res.statusCode ?? 0;
      this.statusText = res.statusMessage ?? '';
      this.responseHeaders = res.headers;
      this.setState(2);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (this.aborted) return;
        this.responseText = Buffer.concat(chunks).toString('utf8');
        this.responseXML = this.parseXml(this.responseText);
        this.setState(4);
        this.onload?.();
      });
      res.on('error', () => this.fail());
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => this.fail());
    req.end(data);
  }

  abort(): void {
    this.aborted = true;
    this.request?.destroy();
    this.readyState = 0;
  }

  private fail(): void {
    if (this.aborted || this.readyState === 4) return;
    this.status = 0;
    this.setState(4);
    this.onerror?.();
  }

  private parseXml(text: string): Document | null {
    if (!text.trimStart().startsWith('<')) return null;
    const Parser = (globalThis as unknown as { DOMParser?: typeof DOMParser }).DOMParser;
    if (!Parser) return null;
    try {
      return new Parser().parseFromString(text, 'text/xml');
    } catch {
      return null;
    }
  }

  private setState(state: number): void {
    this.readyState = state;
    this.onreadystatechange?.call(this);
  }
}

/** Installs NodeXMLHttpRequest as globalThis.XMLHttpRequest unless one exists; returns an undo function. */
export function installXhrShim(): () => void {
  const g = globalThis as unknown as { XMLHttpRequest?: unknown };
  if (g.XMLHttpRequest) return () => undefined;
  g.XMLHttpRequest = NodeXMLHttpRequest;
  return () => {
    if (g.XMLHttpRequest === NodeXMLHttpRequest) delete g.XMLHttpRequest;
  };
}
