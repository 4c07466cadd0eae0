// JSXC.testBOSHServer(url, domain) through the bundle against the real Prosody and a few HTTP
// servers that answer what a misconfigured deployment answers.
import http from 'http';
import { AddressInfo } from 'net';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, Site, startSite } from '../helpers/browser';
import { getTestServer } from '../helpers/test-server';

let browser: Browser;
let site: Site;
let page: Page;
let other: http.Server;
let otherUrl: string;

beforeAll(async () => {
  // another origin: /html answers a web page (with CORS), /xml some other XML (with CORS), /no-cors BOSH-looking XML without CORS
  other = http.createServer((req, res) => {
    req.resume();
    const cors = req.url === '/no-cors' ? {} : { 'Access-Control-Allow-Origin': '*' };
    if (req.url === '/html') {
      res.writeHead(200, { 'Content-Type': 'text/html', ...cors }).end('<!doctype html><html><head><meta charset="utf-8"><title>Welcome</title></head><body><p>Hello<br></body></html>');
    } else {
      res.writeHead(200, { 'Content-Type': 'text/xml', ...cors }).end(req.url === '/xml' ? '<rss version="2.0"/>' : "<body xmlns='http://jabber.org/protocol/httpbind' sid='x'/>");
    }
  });
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  ({ page } = await openPage(browser, `${site.url}/basic.html`));
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  await new Promise((resolve) => other?.close(resolve));
});

async function test(url: unknown, domain: unknown): Promise<{ result?: string; name?: string; code?: string; text?: string }> {
  return page.evaluate(
    ({ url, domain }) =>
      (window as unknown as { JSXC: { testBOSHServer(u: unknown, d: unknown): Promise<string | (Error & { getErrorCode(): string })> } }).JSXC.testBOSHServer(url, domain).then(
        // manual §3.7.2: the error case resolves too, with the error object
        (result) => (typeof result === 'string' ? { result } : { name: result.name, code: result.getErrorCode(), text: result.toString() }),
        (e: Error) => ({ name: `rejected: ${e.name}`, text: e.message }),
      ),
    { url, domain },
  );
}

it('resolves with JSXC.BOSH_SERVER_REACHABLE through the reverse proxy and directly (CORS)', async () => {
  const { domain, boshUrl } = getTestServer();
  expect(await page.evaluate(() => (window as unknown as { JSXC: { BOSH_SERVER_REACHABLE: string } }).JSXC.BOSH_SERVER_REACHABLE)).toBe('BOSH server reachable.');
  expect(await test('/http-bind/', domain)).toEqual({ result: 'BOSH server reachable.' });
  expect(await test(boshUrl, domain)).toEqual({ result: 'BOSH server reachable.' });
});

it('host-unknown: Prosody does not serve the domain', async () => {
  expect(await test('/http-bind/', 'not-served.example')).toEqual({
    name: 'BOSHServerError',
    code: 'host-unknown',
    text: `Host unknown: the XMPP server at ${site.url}/http-bind/ does not serve the domain "not-served.example".`,
  });
});

it('unreachable: nothing listens on the port', async () => {
  const r = await test('http://127.0.0.1:9/http-bind/', 'localhost');
  expect(r.code).toBe('unreachable');
  expect(r.text).toBe('Could not reach http://127.0.0.1:9/http-bind/: nothing answers there (wrong host or port, server down, or blocked by the network).');
});

it('not-found: the path answers 404 (Prosody, through the proxy)', async () => {
  const r = await test('/upload/no-such-thing', getTestServer().domain);
  expect(r).toEqual({ name: 'BOSHServerError', code: 'not-found', text: `${site.url}/upload/no-such-thing answered "404 Not Found". Check that your BOSH server runs and is reachable at this URL.` });
});

it('http-error: another HTTP status (the site\'s static files refuse POST with 405)', async () => {
  const r = await test('/basic.html', 'localhost');
  expect(r.code).toBe('http-error');
  expect(r.text).toBe(`${site.url}/basic.html answered with HTTP 405 Method Not Allowed.`);
});

it('invalid-xml: a URL that answers a web page', async () => {
  const r = await test(`${otherUrl}/html`, 'localhost');
  expect(r.code).toBe('invalid-xml');
  expect(r.text).toContain('did not answer with XML');
});

it('not-bosh: XML that is not a BOSH body', async () => {
  expect((await test(`${otherUrl}/xml`, 'localhost')).code).toBe('not-bosh');
});

it('cross-domain: the server answers but sends no CORS header', async () => {
  const r = await test(`${otherUrl}/no-cors`, 'localhost');
  expect(r.code).toBe('cross-domain');
  expect(r.text).toContain('Access-Control-Allow-Origin');
});

it.each([
  [42, 'localhost', 'invalid-url', 'testBOSHServer(url, domain): url must be a non-empty string, got a number'],
  ['', 'localhost', 'invalid-url', 'testBOSHServer(url, domain): url must be a non-empty string, got an empty string'],
  ['ws://127.0.0.1/xmpp-websocket', 'localhost', 'invalid-url', 'testBOSHServer(url, domain): "ws://127.0.0.1/xmpp-websocket" is not a BOSH URL (http://, https:// or a path like /http-bind/)'],
  ['/http-bind/', undefined, 'invalid-domain', 'testBOSHServer(url, domain): domain must be a domain name like example.org, got nothing (undefined)'],
  ['/http-bind/', 'user@localhost', 'invalid-domain', 'testBOSHServer(url, domain): domain must be a domain name like example.org, got the string "user@localhost"'],
])('bad input (%j, %j) resolves with a TypeError, code %s', async (url, domain, code, text) => {
  expect(await test(url, domain)).toEqual({ name: 'TypeError', code, text });
});
