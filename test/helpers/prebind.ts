// Prebind the way a host's server does it (XEP-0124 / XEP-0206): create a BOSH session over plain
// HTTP requests to Prosody's /http-bind, log in with SASL PLAIN, restart the stream, bind a
// resource and hand { jid, sid, rid } to the page, which attaches with jsxc.start(url, jid, sid, rid).
const NS_BOSH = 'http://jabber.org/protocol/httpbind';

export interface PreboundSession {
  /** the full JID the server bound */
  jid: string;
  sid: string;
  /** the rid the page must use for its next request */
  rid: number;
}

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`BOSH request failed: HTTP ${response.status} ${text}`);
  }
  if (/type=['"]terminate['"]/.test(text)) {
    throw new Error(`BOSH session terminated by the server: ${text}`);
  }
  return text;
}

/** Creates and authenticates a BOSH session for `user` on the server at `boshUrl`. */
export async function prebind(boshUrl: string, user: { jid: string; password: string }, resource = 'prebound'): Promise<PreboundSession> {
  const [local, domain] = user.jid.split('@');
  let rid = 1000000 + Math.floor(Math.random() * 1000000);
  const created = await post(
    boshUrl,
    `<body xmlns='${NS_BOSH}' rid='${rid++}' to='${domain}' xml:lang='en' wait='60' hold='1' content='text/xml; charset=utf-8' ver='1.6' xmpp:version='1.0' xmlns:xmpp='urn:xmpp:xbosh'/>`,
  );
  let sid = /sid=['"]([^'"]+)['"]/.exec(created)?.[1];
  let features = created;
  while (!/mechanism/.test(features)) {
    // the features may come in a later response
    features = await post(boshUrl, `<body xmlns='${NS_BOSH}' rid='${rid++}' sid='${sid}'/>`);
  }
  if (!sid) {
    throw new Error(`No sid in the session creation response: ${created}`);
  }
  const plain = Buffer.from(`\0${local}\0${user.password}`, 'utf8').toString('base64');
  const auth = await post(boshUrl, `<body xmlns='${NS_BOSH}' rid='${rid++}' sid='${sid}'><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth></body>`);
  if (!/<success/.test(auth)) {
    throw new Error(`SASL PLAIN failed: ${auth}`);
  }
  let restarted = await post(boshUrl, `<body xmlns='${NS_BOSH}' rid='${rid++}' sid='${sid}' to='${domain}' xml:lang='en' xmpp:restart='true' xmlns:xmpp='urn:xmpp:xbosh'/>`);
  while (!/bind/.test(restarted)) {
    restarted = await post(boshUrl, `<body xmlns='${NS_BOSH}' rid='${rid++}' sid='${sid}'/>`);
  }
  const bound = await post(
    boshUrl,
    `<body xmlns='${NS_BOSH}' rid='${rid++}' sid='${sid}'><iq type='set' id='bind_1' xmlns='jabber:client'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq></body>`,
  );
  const jid = /<jid>([^<]+)<\/jid>/.exec(bound)?.[1];
  if (!jid) {
    throw new Error(`Resource binding failed: ${bound}`);
  }
  sid = sid as string;
  return { jid, sid, rid };
}
