/**
 * @jest-environment jsdom
 */
import type Handlebars from 'handlebars';
import { TextEncoder } from 'util';
import { Contact } from '../../src/model/Contact';
import { ContactList } from '../../src/ui/roster/ContactList';

// The contact list's behaviour with the real contact template (compiled here; the bundle
// precompiles it), in jsdom: activation and the menu request by mouse and keyboard.
jest.mock('../helpers/hbs-stub.js', () => {
  const hbs = jest.requireActual('handlebars') as typeof Handlebars;
  hbs.registerHelper('t', (key: string, options: { hash?: Record<string, string> }) => `${key}${options.hash?.name ? ` ${options.hash.name}` : ''}`);
  const source = jest.requireActual('fs').readFileSync(jest.requireActual('path').join(__dirname, '../../template/contact.hbs'), 'utf8');
  return hbs.compile(source, { strict: true });
});

// jsdom lacks TextEncoder (used for the XEP-0392 hash)
Object.assign(globalThis, { TextEncoder });

function setup() {
  const list = document.createElement('ul');
  document.body.replaceChildren(list);
  const activated: string[] = [];
  const menus: string[] = [];
  const view = new ContactList({
    t: (key) => key,
    id: 'x',
    list,
    hideOfflineContacts: false,
    onActivate: (c) => activated.push(c.jid),
    onMenu: (c) => menus.push(c.jid),
  });
  const contacts = ['a@x', 'b@x', 'c@x'].map((jid) => new Contact({ jid, name: jid[0].toUpperCase(), groups: [], subscription: 'both' }));
  view.render(contacts);
  const items = () => Array.from(list.querySelectorAll<HTMLLIElement>('li.jsxc-contact'));
  const key = (el: Element, k: string, init: KeyboardEventInit = {}) => el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...init }));
  return { view, list, contacts, activated, menus, items, key };
}

it('activates a contact on click, Enter and Space; asks for its menu with the button, ContextMenu and Shift+F10', () => {
  const { activated, menus, items, key } = setup();
  const [a, b] = items();
  a.click();
  key(b, 'Enter');
  key(b, ' ');
  expect(activated).toEqual(['a@x', 'b@x', 'b@x']);
  b.querySelector<HTMLButtonElement>('.jsxc-contact__actions')!.click();
  key(a, 'ContextMenu');
  key(a, 'F10', { shiftKey: true });
  key(a, 'F10');
  expect(menus).toEqual(['b@x', 'a@x', 'a@x']);
  expect(activated).toHaveLength(3);
});

it('keeps one tab stop that follows focus, and arrows move between contacts', () => {
  const { items, key } = setup();
  const [a, b, c] = items();
  expect(items().map((li) => li.tabIndex)).toEqual([0, -1, -1]);
  a.focus();
  key(a, 'ArrowDown');
  expect(document.activeElement).toBe(b);
  expect(items().map((li) => li.tabIndex)).toEqual([-1, 0, -1]);
  key(b, 'End');
  expect(document.activeElement).toBe(c);
  key(c, 'Home');
  expect(document.activeElement).toBe(a);
});

it('puts unread counts and hostile names in as text', () => {
  const { view, contacts, items } = setup();
  contacts[0].setUnreadCount(4);
  contacts[1].updateItem({ jid: 'b@x', name: '<img src=x onerror=alert(1)>', groups: [], subscription: 'both' });
  view.invalidate(contacts[0]);
  view.invalidate(contacts[1]);
  view.render(contacts);
  const a = items().find((li) => li.dataset.jid === 'a@x')!;
  expect(a.textContent).toContain('4 unread');
  const b = items().find((li) => li.dataset.jid === 'b@x')!;
  expect(b.querySelector('img')).toBeNull();
  expect(b.getAttribute('aria-label')).toBe('<img src=x onerror=alert(1)>');
});
