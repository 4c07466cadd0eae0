import { MapStorage } from '../helpers/map-storage';
import { SessionStore } from '../../src/core/SessionStore';


const record = { jid: 'Alice@example.org/desk', url: '/http-bind/', transport: 'bosh' as const, sid: 's1', rid: 42 };

describe('SessionStore', () => {
  it('keeps one namespaced record per account and lists them', () => {
    const storage = new MapStorage();
    const store = new SessionStore(storage);
    store.save(record);
    store.save({ jid: 'bob@example.org/x', url: 'wss://example.org/ws', transport: 'websocket' });
    storage.setItem('host-key', 'not ours');
    expect([...storage.data.keys()].filter((k) => k.startsWith('jsxc:v1:session:')).sort()).toEqual(['jsxc:v1:session:alice@example.org', 'jsxc:v1:session:bob@example.org']);
    expect(store.records().map((r) => r.jid).sort()).toEqual(['Alice@example.org/desk', 'bob@example.org/x']);
    store.update('alice@example.org', { rid: 43 });
    expect(store.get('alice@example.org')?.rid).toBe(43);
  });

  it('drops a malformed record instead of restoring it', () => {
    const storage = new MapStorage();
    storage.setItem('jsxc:v1:session:eve@example.org', JSON.stringify({ jid: 'eve@example.org', url: 5 }));
    storage.setItem('jsxc:v1:session:mallory@example.org', '{not json');
    const store = new SessionStore(storage);
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(store.records()).toEqual([]);
    expect(storage.getItem('jsxc:v1:session:eve@example.org')).toBeNull();
  });

  it('update() does not create a record (nothing is stored before a login succeeded)', () => {
    const storage = new MapStorage();
    new SessionStore(storage).update('alice@example.org', { rid: 7 });
    expect(storage.length).toBe(0);
  });

  it('UI state lives only as long as the session record', () => {
    const storage = new MapStorage();
    const store = new SessionStore(storage);
    store.setUiState('alice@example.org', { openChats: ['bob@example.org'] });
    expect(store.getUiState('alice@example.org')).toBeUndefined(); // no session: not stored
    store.save(record);
    store.setUiState('alice@example.org', { openChats: ['bob@example.org'] });
    expect(store.getUiState('alice@example.org')).toEqual({ openChats: ['bob@example.org'] });
    store.remove('alice@example.org');
    expect(store.getUiState('alice@example.org')).toBeUndefined();
    expect(storage.length).toBe(0);
  });

  it('keeps strophe XEP-0198 state under its own namespaced key', () => {
    const storage = new MapStorage();
    const sm = new SessionStore(storage).streamManagementStorage();
    sm.save('strophe-sm:alice@example.org', { id: 'x' } as never);
    expect(storage.getItem('jsxc:v1:sm:alice@example.org')).toBe('{"id":"x"}');
    expect(sm.load('strophe-sm:alice@example.org')).toEqual({ id: 'x' });
    sm.clear('strophe-sm:alice@example.org');
    expect(storage.length).toBe(0);
  });

  it('works without storage (sessions then end with the page)', () => {
    const store = new SessionStore(undefined);
    store.save(record);
    expect(store.records()).toEqual([]);
    expect(store.available).toBe(false);
  });
});
