'use strict';
// A minimal XMPP client over WebSocket (RFC 7395) for the benchmark's load generators: the burst
// sender, the archive filler, 500 room occupants and the presence/message soak. It is deliberately
// tiny (SASL PLAIN on loopback, resource binding, raw stanza strings) so that hundreds of sessions
// cost the Node process almost nothing. Each WebSocket frame Prosody sends is one top-level element.
const WebSocket = require('ws');

const FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';

function escapeXml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]);
}

class LiteClient {
  /**
   * @param {{wsUrl: string, domain: string, username: string, password: string, resource?: string, timeoutMs?: number}} o
   */
  constructor(o) {
    this.o = { resource: 'bench', timeoutMs: 15000, ...o };
    this.jid = `${o.username}@${o.domain}`;
    this.fullJid = null;
    this.ws = null;
    this.waiters = [];
    this.listeners = [];
    this.nextId = 0;
  }

  onFrame(fn) {
    this.listeners.push(fn);
    return () => (this.listeners = this.listeners.filter((l) => l !== fn));
  }

  /** Resolves with the first frame for which test(frame) is true. */
  waitFor(test, what, timeoutMs = this.o.timeoutMs) {
    return new Promise((resolve, reject) => {
      const waiter = { test, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.jid}: timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  handle(frame) {
    this.answerIq(frame);
    for (const l of this.listeners) l(frame);
    for (const w of [...this.waiters]) {
      if (w.test(frame)) {
        clearTimeout(w.timer);
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(frame);
      }
    }
  }

  // Requests to this session (disco#info, pings, version …) get an immediate service-unavailable
  // error, so the other side never waits for a time-out.
  answerIq(frame) {
    if (!frame.startsWith('<iq')) return;
    const head = frame.slice(0, frame.indexOf('>') + 1);
    const attr = (name) => {
      const m = new RegExp(`\\s${name}=(['"])(.*?)\\1`).exec(head);
      return m ? m[2] : null;
    };
    const type = attr('type');
    if (type !== 'get' && type !== 'set') return;
    const from = attr('from');
    const id = attr('id');
    if (!this.ws || id === null) return;
    this.send(
      `<iq xmlns="jabber:client" type="error" id="${id}"${from ? ` to="${from}"` : ''}><error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>`,
    );
  }

  failAll(err) {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiters = [];
  }

  send(xml) {
    this.ws.send(xml);
  }

  openStream() {
    const features = this.waitFor((f) => f.includes('<stream:features') || f.includes(':features'), 'stream features');
    this.send(`<open xmlns="${FRAMING}" to="${this.o.domain}" version="1.0"/>`);
    return features;
  }

  async connect({ presence = true } = {}) {
    this.ws = new WebSocket(this.o.wsUrl, 'xmpp', { perMessageDeflate: false });
    this.ws.on('message', (data) => this.handle(data.toString()));
    this.ws.on('close', () => this.failAll(new Error(`${this.jid}: connection closed`)));
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.jid}: WebSocket open timed out`)), this.o.timeoutMs);
      this.ws.once('open', () => (clearTimeout(t), resolve()));
      this.ws.once('error', (e) => (clearTimeout(t), reject(e)));
    });
    await this.openStream();
    const auth = Buffer.from(`\0${this.o.username}\0${this.o.password}`).toString('base64');
    const result = this.waitFor((f) => f.includes('<success') || f.includes('<failure'), 'SASL result');
    this.send(`<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">${auth}</auth>`);
    if ((await result).includes('<failure')) throw new Error(`${this.jid}: authentication failed`);
    await this.openStream();
    const bound = await this.iq(
      `<iq type="set" id="ID" xmlns="jabber:client"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"><resource>${escapeXml(this.o.resource)}</resource></bind></iq>`,
    );
    const m = /<jid>([^<]+)<\/jid>/.exec(bound);
    this.fullJid = m ? m[1] : `${this.jid}/${this.o.resource}`;
    if (presence) this.send('<presence xmlns="jabber:client"/>');
    return this;
  }

  /** Sends an IQ whose id attribute is the placeholder ID; resolves with the reply frame. */
  iq(xml) {
    const id = `b${++this.nextId}`;
    const reply = this.waitFor((f) => f.startsWith('<iq') && (f.includes(`id='${id}'`) || f.includes(`id="${id}"`)), `iq ${id}`);
    this.send(xml.replace('id="ID"', `id="${id}"`));
    return reply;
  }

  /** A ping round trip: everything sent before it has been processed by the server. */
  ping() {
    return this.iq(`<iq type="get" id="ID" to="${this.o.domain}" xmlns="jabber:client"><ping xmlns="urn:xmpp:ping"/></iq>`);
  }

  message(to, body, type = 'chat') {
    this.send(`<message xmlns="jabber:client" to="${escapeXml(to)}" type="${type}"><body>${escapeXml(body)}</body></message>`);
  }

  presence(attrs = '', children = '') {
    this.send(`<presence xmlns="jabber:client"${attrs}>${children}</presence>`);
  }

  async joinRoom(roomJid, nick) {
    const full = `${roomJid}/${nick}`;
    const joined = this.waitFor(
      (f) => f.startsWith('<presence') && (f.includes(`from='${full}'`) || f.includes(`from="${full}"`)),
      `join ${full}`,
    );
    this.presence(` to="${escapeXml(full)}"`, '<x xmlns="http://jabber.org/protocol/muc"><history maxstanzas="0"/></x>');
    await joined;
  }

  async close() {
    if (!this.ws) return;
    const ws = this.ws;
    this.ws = null;
    if (ws.readyState === WebSocket.OPEN) {
      try {
        ws.send(`<close xmlns="${FRAMING}"/>`);
      } catch {
        /* gone */
      }
    }
    await new Promise((resolve) => {
      const t = setTimeout(() => (ws.terminate(), resolve()), 2000);
      ws.once('close', () => (clearTimeout(t), resolve()));
      try {
        ws.close();
      } catch {
        clearTimeout(t);
        resolve();
      }
    });
  }
}

/** Connects many clients, `parallel` at a time. */
async function connectMany(options, parallel = 25, connectOpts) {
  const clients = [];
  for (let i = 0; i < options.length; i += parallel) {
    const batch = options.slice(i, i + parallel).map((o) => new LiteClient(o));
    await Promise.all(batch.map((c) => c.connect(connectOpts)));
    clients.push(...batch);
  }
  return clients;
}

module.exports = { LiteClient, connectMany, escapeXml };
