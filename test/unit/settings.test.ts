import { Settings } from '../../src/core/Settings';
import { checkMenuEntry, MenuEntries } from '../../src/core/MenuEntries';

function make() {
  const calls: unknown[] = [];
  const settings = new Settings((id, key, value, exportId) => calls.push([id, key, value, exportId()]));
  settings.define({ id: 'client', key: 'hideOfflineContacts', labelKey: 'Hide_offline_contacts', type: 'boolean', default: false });
  settings.define({ id: 'client', key: 'theme', labelKey: 'Theme', type: 'choice', default: 'auto', choices: [{ value: 'auto', labelKey: 'a' }, { value: 'dark', labelKey: 'd' }] });
  return { settings, calls };
}

describe('Settings', () => {
  it('returns defaults until set; set() tells the host with exportId() returning every value of that id', () => {
    const { settings, calls } = make();
    expect(settings.get('client', 'hideOfflineContacts')).toBe(false);
    expect(settings.get('client', 'unknown')).toBeUndefined();
    settings.set('client', 'theme', 'dark');
    settings.set('client', 'hideOfflineContacts', true);
    expect(settings.get('client', 'hideOfflineContacts')).toBe(true);
    expect(calls).toEqual([
      ['client', 'theme', 'dark', { theme: 'dark' }],
      ['client', 'hideOfflineContacts', true, { theme: 'dark', hideOfflineContacts: true }],
    ]);
  });

  it('rejects values of the wrong type for a defined setting', () => {
    const { settings, calls } = make();
    expect(() => settings.set('client', 'hideOfflineContacts', 'yes')).toThrow('The setting "client.hideOfflineContacts" must be true or false, got string');
    expect(() => settings.set('client', 'theme', 'pink')).toThrow('must be one of "auto", "dark"');
    expect(calls).toEqual([]);
  });

  it('load() merges what loadOptions returned, emits changes, skips bad values and does not call the host back', () => {
    const { settings, calls } = make();
    const changes: unknown[] = [];
    settings.on('change', (...args) => changes.push(args));
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    settings.load({ client: { hideOfflineContacts: true, theme: 'pink' }, 'my-plugin': { level: 3 } });
    warn.mockRestore();
    expect(settings.get('client', 'hideOfflineContacts')).toBe(true);
    expect(settings.get('client', 'theme')).toBe('auto');
    expect(settings.get('my-plugin', 'level')).toBe(3);
    expect(changes).toEqual([
      ['client', 'hideOfflineContacts', true],
      ['my-plugin', 'level', 3],
    ]);
    expect(calls).toEqual([]);
  });

  it('a setting is defined once', () => {
    const { settings } = make();
    expect(() => settings.define({ id: 'client', key: 'theme', labelKey: 'x', type: 'boolean', default: false })).toThrow('defined already');
  });
});

describe('menu entries', () => {
  it('keeps valid entries in order and refuses a second entry with the same id', () => {
    const entries = new MenuEntries();
    const handler = () => undefined;
    entries.add({ id: 'a', label: 'A', handler });
    entries.add({ id: 'b', label: 'B', handler, icon: 'data:image/png;base64,AAAA', offlineAvailable: true });
    expect(entries.all().map((e) => [e.id, e.offlineAvailable])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(() => entries.add({ id: 'a', label: 'again', handler })).toThrow(TypeError);
  });

  it('refuses a javascript: icon', () => {
    expect(() => checkMenuEntry({ id: 'x', label: 'X', handler: () => undefined, icon: 'javascript:alert(1)' })).toThrow('options.icon must be an image URL');
  });
});
