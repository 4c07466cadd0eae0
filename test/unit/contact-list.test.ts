/**
 * @jest-environment jsdom
 */
import { TextEncoder } from 'util';
import { Contact } from '../../src/model/Contact';
import { ContactList } from '../../src/ui/roster/ContactList';

// The contact list's behaviour in jsdom (rows are built with DOM APIs, no template): activation
// and the menu request by mouse and keyboard, text-only names, and the virtualised window (jsdom
// has no layout, so the list renders as if its view were 800 px high).

// jsdom lacks TextEncoder (used for the XEP-0392 hash)
Object.assign(globalThis, { TextEncoder });

function setup(jids = ['a@x', 'b@x', 'c@x']) {
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
  const contacts = jids.map((jid) => new Contact({ jid, name: jid[0].toUpperCase(), groups: [], subscription: 'both' }));
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
  // a screen reader hears it too: the item's name is only the name, the rest is its description
  expect(a.getAttribute('aria-description')).toMatch(/offline.*, 4 unread$/);
  const b = items().find((li) => li.dataset.jid === 'b@x')!;
  expect(b.querySelector('img')).toBeNull();
  expect(b.getAttribute('aria-label')).toBe('<img src=x onerror=alert(1)>');
});

it('keeps only a window of rows in the DOM, with the full count in aria-setsize; keys and search reach every contact', () => {
  const jids = Array.from({ length: 5000 }, (_, i) => `c${String(i + 1).padStart(4, '0')}@x`);
  const { view, list, items, key, activated } = setup(jids);
  expect(items().length).toBeGreaterThan(10);
  expect(items().length).toBeLessThan(60);
  expect(items()[0].getAttribute('aria-setsize')).toBe('5000');
  expect(items()[0].getAttribute('aria-posinset')).toBe('1');
  // End goes to the last contact: its row is put in the DOM and focused
  items()[0].focus();
  key(items()[0], 'End');
  const last = document.activeElement as HTMLElement;
  expect(last.dataset.jid).toBe('c5000@x');
  expect(last.getAttribute('aria-posinset')).toBe('5000');
  key(last, 'ArrowUp');
  expect((document.activeElement as HTMLElement).dataset.jid).toBe('c4999@x');
  key(document.activeElement!, 'Enter');
  expect(activated).toEqual(['c4999@x']);
  // the current contact stays in the DOM (one tab stop) after a re-render
  expect(list.querySelectorAll('li[tabindex="0"]')).toHaveLength(1);
  // the search filters the whole roster, not only the rows in the DOM
  view.setFilter('c4321');
  view.render(view['lastContacts']);
  expect(items().map((li) => li.dataset.jid)).toEqual(['c4321@x']);
  expect(items()[0].getAttribute('aria-setsize')).toBe('1');
});

it('rebuilds only the row of a contact that changed', () => {
  const { view, contacts, items } = setup();
  const [a, b, c] = items();
  contacts[1].setUnreadCount(2);
  view.invalidate(contacts[1]);
  view.render(contacts);
  const after = items();
  expect(after[0]).toBe(a);
  expect(after[2]).toBe(c);
  expect(after[1]).not.toBe(b);
  expect(after[1].textContent).toContain('2 unread');
});
