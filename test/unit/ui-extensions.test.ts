/**
 * @jest-environment jsdom
 */
import { MenuEntries } from '../../src/core/MenuEntries';
import { Settings } from '../../src/core/Settings';
import type { Chat } from '../../src/model/Chat';
import type { Contact } from '../../src/model/Contact';
import type { Message } from '../../src/model/Message';
import type { Plugin } from '../../src/plugins/Plugin';
import { PluginRegistry } from '../../src/plugins/PluginRegistry';
import { UIContext, UIExtensions } from '../../src/ui/UIExtensions';

// The plugins' UI contributions (docs/plugins.md): what ui() adds reaches the chat windows, the
// message list, the roster, the main menu and the settings; a disabled plugin adds nothing.
const contact = { jid: 'bob@example.org' } as Contact;
const chat = { peer: 'bob@example.org' } as Chat;
const message = { id: 'm1', body: 'Hello!' } as Message;

function plugin(id: string, ui: (context: UIContext) => void | (() => void), requires?: string[]): Plugin {
  return { id, name: id, xeps: [], ui, requires };
}

function make() {
  const menu = new MenuEntries();
  const settings = new Settings();
  return { menu, settings, extensions: new UIExtensions(menu, settings) };
}

beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

it('calls ui() of the enabled plugins only; a disabled plugin (or one that requires it) contributes nothing', () => {
  const { extensions } = make();
  const registry = new PluginRegistry(
    [
      plugin('on', (ui) => void ui.addChatButton({ id: 'on', label: 'On', onClick: () => undefined })),
      plugin('off', (ui) => void ui.addChatButton({ id: 'off', label: 'Off', onClick: () => undefined })),
      plugin('needs-off', (ui) => void ui.addChatButton({ id: 'needs-off', label: 'Needs', onClick: () => undefined }), ['off']),
    ],
    ['off'],
  );
  extensions.mountPlugins(registry.enabled());
  expect(extensions.chatButtons().map((b) => b.id)).toEqual(['on']);
});

it('renders chat buttons with the label as accessible name (text, or an icon image) and passes contact and chat to onClick', () => {
  const { extensions } = make();
  const clicks: unknown[] = [];
  extensions.mountPlugins([
    plugin('hello', (ui) => {
      ui.addChatButton({ id: 'say-hello', label: 'Say <b>hello</b>', onClick: (c, ch) => clicks.push([c, ch]) });
      ui.addChatButton({ id: 'wave', label: 'Wave', icon: 'data:image/svg+xml,<svg/>', onClick: () => undefined });
    }),
  ]);
  const [text, icon] = extensions.renderChatButtons(contact, chat);
  expect(text.getAttribute('aria-label')).toBe('Say <b>hello</b>');
  expect(text.textContent).toBe('Say <b>hello</b>');
  expect(text.querySelector('b')).toBeNull();
  expect(text.type).toBe('button');
  expect(icon.getAttribute('aria-label')).toBe('Wave');
  expect(icon.querySelector('img')!.alt).toBe('');
  text.click();
  expect(clicks).toEqual([[contact, chat]]);
});

it('names what is wrong with a bad contribution, and a failing ui() does not stop the other plugins', () => {
  const { extensions } = make();
  const errors: string[] = [];
  const tryAdd = (f: () => void) => {
    try {
      f();
    } catch (err) {
      errors.push((err as Error).message);
    }
  };
  extensions.mountPlugins([
    plugin('bad', (ui) => {
      tryAdd(() => ui.addChatButton({ id: 'x', label: '', onClick: () => undefined }));
      tryAdd(() => ui.addChatButton({ id: 'y', label: 'Y', icon: 'javascript:alert(1)', onClick: () => undefined }));
      tryAdd(() => ui.addChatButton({ id: 'z', label: 'Z' } as never));
      tryAdd(() => ui.addMessageRenderer('nope' as never));
      throw new Error('boom');
    }),
    plugin('good', (ui) => void ui.addChatButton({ id: 'good', label: 'Good', onClick: () => undefined })),
  ]);
  expect(errors).toEqual([
    'Plugin "bad": chat button "x" needs a non-empty label (its accessible name)',
    'Plugin "bad": chat button "y": icon must be an image URL or a data: URL',
    'Plugin "bad": chat button "z": onClick must be a function, got undefined',
    'Plugin "bad": addMessageRenderer(renderer): renderer must be a function, got string',
  ]);
  expect(console.error).toHaveBeenCalledWith('[jsxc] ui() of plugin "bad" failed:', expect.any(Error));
  expect(extensions.chatButtons().map((b) => b.id)).toEqual(['good']);
});

it('runs message renderers and roster decorations on rendered elements; a failing one does not stop the next; removers work', () => {
  const { extensions } = make();
  let removeWave!: () => void;
  extensions.mountPlugins([
    plugin('deco', (ui) => {
      ui.addMessageRenderer(() => {
        throw new Error('broken renderer');
      });
      removeWave = ui.addMessageRenderer((m, el) => {
        const span = document.createElement('span');
        span.className = 'wave';
        span.textContent = m.body;
        el.appendChild(span);
      });
      ui.addRosterDecoration((c, el) => el.setAttribute('data-decorated', c.jid));
    }),
  ]);
  const article = document.createElement('article');
  extensions.decorateMessage(message, article);
  expect(article.querySelector('.wave')!.textContent).toBe('Hello!');
  const li = document.createElement('li');
  extensions.decorateContact(contact, li);
  expect(li.dataset.decorated).toBe('bob@example.org');
  removeWave();
  const again = document.createElement('article');
  extensions.decorateMessage(message, again);
  expect(again.children).toHaveLength(0);
});

it('adds main-menu entries and settings; the teardown of ui() runs on unmount and removes its menu entry', () => {
  const { extensions, menu, settings } = make();
  const handler = jest.fn();
  extensions.mountPlugins([
    plugin('tools', (ui) => {
      const remove = ui.addMenuEntry({ id: 'tools-open', label: 'Open tools', handler });
      ui.defineSetting({ id: 'tools', key: 'enabled', labelKey: 'Enable tools', type: 'boolean', default: true });
      return remove;
    }),
  ]);
  expect(menu.all().map((e) => [e.id, e.label, e.offlineAvailable])).toEqual([['tools-open', 'Open tools', false]]);
  expect(settings.get('tools', 'enabled')).toBe(true);
  expect(settings.defined().map((d) => `${d.id}.${d.key}`)).toContain('tools.enabled');
  extensions.unmount();
  expect(menu.all()).toEqual([]);
});

it('shows a button where its `in` says (one-to-one by default, group chats, both); a bad `in` is named', () => {
  const { extensions } = make();
  const errors: string[] = [];
  extensions.mountPlugins([
    plugin('places', (ui) => {
      ui.addChatButton({ id: 'one', label: 'One', onClick: () => undefined });
      ui.addChatButton({ id: 'group', label: 'Group', in: 'groupchat', onClick: () => undefined });
      ui.addChatButton({ id: 'every', label: 'Every', in: 'both', onClick: () => undefined });
      try {
        ui.addChatButton({ id: 'bad', label: 'Bad', in: 'roster' as never, onClick: () => undefined });
      } catch (err) {
        errors.push((err as Error).message);
      }
    }),
  ]);
  const labels = (place: 'chat' | 'groupchat') => extensions.renderChatButtons(contact, chat, place).map((b) => b.getAttribute('aria-label'));
  expect(labels('chat')).toEqual(['One', 'Every']);
  expect(labels('groupchat')).toEqual(['Group', 'Every']);
  expect(errors).toEqual([`Plugin "places": chat button "bad": in must be 'chat', 'groupchat' or 'both', got "roster"`]);
});

it('a button added (or removed) after a window mounted appears in (or leaves) that open window', () => {
  const { extensions } = make();
  let ui!: UIContext;
  extensions.mountPlugins([plugin('late', (context) => void (ui = context))]);
  const bar = document.createElement('header');
  const minimize = document.createElement('button');
  bar.appendChild(minimize);
  const groupBar = document.createElement('header');
  const groupMinimize = document.createElement('button');
  groupBar.appendChild(groupMinimize);
  const stop = extensions.mountChatButtons(minimize, 'chat', contact, chat);
  extensions.mountChatButtons(groupMinimize, 'groupchat', contact, { peer: 'room@conference.example.org', send: async () => undefined });
  expect(bar.querySelectorAll('.jsxc-chat__plugin-button')).toHaveLength(0);

  const clicks: unknown[] = [];
  const remove = ui.addChatButton({ id: 'late', label: 'Late', onClick: (_c, ch) => clicks.push(ch) });
  ui.addChatButton({ id: 'late-group', label: 'Late group', in: 'groupchat', onClick: () => undefined });
  const shown = Array.from(bar.querySelectorAll('.jsxc-chat__plugin-button'));
  expect(shown.map((b) => b.getAttribute('aria-label'))).toEqual(['Late']);
  expect(shown[0].nextElementSibling).toBe(minimize);
  expect(Array.from(groupBar.querySelectorAll('.jsxc-chat__plugin-button')).map((b) => b.getAttribute('aria-label'))).toEqual(['Late group']);
  (shown[0] as HTMLButtonElement).click();
  expect(clicks).toEqual([chat]);

  remove();
  expect(bar.querySelectorAll('.jsxc-chat__plugin-button')).toHaveLength(0);
  // a closed window is left alone
  stop();
  ui.addChatButton({ id: 'later', label: 'Later', onClick: () => undefined });
  expect(bar.querySelectorAll('.jsxc-chat__plugin-button')).toHaveLength(0);
});
