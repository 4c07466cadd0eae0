import { checkServiceUrl, transportFor } from '../../src/connection/transport';

describe('transport choice', () => {
  it.each([
    ['http://example.org/http-bind', 'bosh'],
    ['https://example.org/http-bind/', 'bosh'],
    ['/http-bind/', 'bosh'],
    ['ws://example.org/xmpp-websocket', 'websocket'],
    ['WSS://example.org/xmpp-websocket', 'websocket'],
  ])('%s → %s', (url, transport) => {
    expect(transportFor(url)).toBe(transport);
  });

  it('rejects URLs of other schemes and empty ones, naming them', () => {
    expect(() => checkServiceUrl('ftp://example.org/')).toThrow(/"ftp:\/\/example.org\/" must start with http/);
    expect(() => checkServiceUrl('')).toThrow(/non-empty string/);
    expect(() => checkServiceUrl(42)).toThrow(/got number/);
  });
});
