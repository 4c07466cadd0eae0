import { resolveOptions } from '../../src/core/options';

describe('constructor options (manual §3.1.1)', () => {
  it('fills in the documented defaults', () => {
    const o = resolveOptions(undefined);
    expect(o.appName).toBe('web applications');
    expect(o.lang).toBe('en');
    expect(o.autoLang).toBe(true);
    expect(o.rosterAppend).toBe('body');
    expect(o.rosterVisibility).toBe('shown');
    expect(o.hideOfflineContacts).toBe(false);
    expect(o.RTCPeerConfig).toEqual({ ttl: 3600, iceServers: [{ urls: 'stun:stun.stunprotocol.org' }], url: undefined, withCredentials: false });
    expect(o.onlineHelp).toBe('http://www.jsxc.org/manual.html');
    expect(o.disabledPlugins).toEqual([]);
    expect(o.connectTimeout).toBe(20000);
  });

  it('keeps given values', () => {
    const cb = () => undefined;
    const o = resolveOptions({ lang: 'de', rosterVisibility: 'hidden', connectionCallback: cb, RTCPeerConfig: { ttl: 10 } });
    expect(o.lang).toBe('de');
    expect(o.rosterVisibility).toBe('hidden');
    expect(o.connectionCallback).toBe(cb);
    expect(o.RTCPeerConfig.ttl).toBe(10);
    expect(o.RTCPeerConfig.iceServers).toHaveLength(1);
  });

  it.each([
    [{ langg: 'en' }, /Unknown JSXC option "langg"/],
    [{ lang: 5 }, /option "lang" must be a string, got a number/],
    [{ autoLang: 'yes' }, /option "autoLang" must be a boolean/],
    [{ rosterVisibility: 'open' }, /option "rosterVisibility" must be one of "shown", "hidden"/],
    [{ connectionCallback: 'cb' }, /option "connectionCallback" must be a function/],
    [{ disabledPlugins: 'muc' }, /option "disabledPlugins" must be an array of strings/],
    [{ storage: {} }, /option "storage" must be a Web Storage object/],
    [{ RTCPeerConfig: { ttl: -1 } }, /option "RTCPeerConfig" must be an object whose "ttl" is a positive number/],
    [{ RTCPeerConfig: { iceServers: [{}] } }, /"iceServers" is an array of RTCIceServer/],
    [{ RTCPeerConfig: { turn: 1 } }, /unknown key "turn"/],
  ])('rejects %j with a TypeError that names the option', (input, message) => {
    expect(() => resolveOptions(input)).toThrow(TypeError);
    expect(() => resolveOptions(input)).toThrow(message);
  });

  it('rejects options that are not an object', () => {
    expect(() => resolveOptions('body')).toThrow(/options must be an object/);
    expect(() => resolveOptions(null)).toThrow(/options must be an object, got null/);
  });
});
