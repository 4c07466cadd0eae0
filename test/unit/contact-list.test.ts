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

it('updates the row of a contact that changed in place (the same element), and only that row', () => {
  const { view, contacts, items } = setup();
  const [a, b, c] = items();
  const [bName, bPresence] = [b.querySelector('.jsxc-contact__name'), b.querySelector('.jsxc-contact__presence')];
  contacts[1].setUnreadCount(2);
  contacts[1].updateItem({ jid: 'b@x', name: 'Bea', groups: [], subscription: 'both' });
  view.invalidate(contacts[1]);
  view.render(contacts);
  expect(items()).toEqual([a, b, c]);
  expect(b.querySelector('.jsxc-contact__name')).toBe(bName);
  expect(b.querySelector('.jsxc-contact__presence')).toBe(bPresence);
  expect(b.textContent).toContain('2 unread');
  expect(b.getAttribute('aria-label')).toBe('Bea');
  expect(b.getAttribute('aria-description')).toBe('presence_offline, 2 unread');
  expect(b.querySelector('.jsxc-contact__actions')!.getAttribute('aria-label')).toBe('Actions_for');
  // back to no unread: the badge goes
  contacts[1].setUnreadCount(0);
  view.invalidate(contacts[1]);
  view.render(contacts);
  expect(b.querySelector('.jsxc-badge')).toBeNull();
  expect(b.getAttribute('aria-description')).toBe('presence_offline');
});

it('keeps the focused row in place (focus stays) when its contact moves in the order', () => {
  const { view, contacts, items, list } = setup();
  const c = items()[2];
  c.focus();
  const lost: string[] = [];
  list.addEventListener('focusout', () => lost.push('focusout'));
  contacts[2].setResourcePresence('r', { show: 'online', status: 'here', priority: 0 });
  view.invalidate(contacts[2]);
  view.render(contacts);
  // c comes first now (online first): the other rows moved around it
  expect(items().map((li) => li.dataset.jid)).toEqual(['c@x', 'a@x', 'b@x']);
  expect(items()[0]).toBe(c);
  expect(c.getAttribute('aria-posinset')).toBe('1');
  expect(document.activeElement).toBe(c);
  expect(lost).toEqual([]);
  expect(c.getAttribute('aria-description')).toBe('presence_online – here');
});

it('holds the order while a pointer is pressed on a contact, and re-sorts after it is released', async () => {
  const { view, contacts, items, activated } = setup();
  const [a, b, c] = items();
  c.dispatchEvent(new MouseEvent('pointerdown', { bubbles: true }));
  contacts[2].setResourcePresence('r', { show: 'online', status: '', priority: 0 });
  view.invalidate(contacts[2]);
  view.render(contacts);
  // updated in place, still where it was
  expect(items()).toEqual([a, b, c]);
  expect(c.getAttribute('aria-posinset')).toBe('3');
  expect(c.dataset.presence).toBe('online');
  window.dispatchEvent(new MouseEvent('pointerup'));
  c.click();
  expect(activated).toEqual(['c@x']);
  await new Promise((r) => setTimeout(r, 50));
  expect(items().map((li) => li.dataset.jid)).toEqual(['c@x', 'a@x', 'b@x']);
  expect(items()[0]).toBe(c);
});

it("runs the plugins' decorations again after an update, without piling them up", () => {
  const list = document.createElement('ul');
  document.body.replaceChildren(list);
  const view = new ContactList({
    t: (key) => key,
    id: 'x',
    list,
    hideOfflineContacts: false,
    onActivate: () => undefined,
    onMenu: () => undefined,
    decorate: (contact, el) => {
      const mark = document.createElement('span');
      mark.className = 'deco';
      mark.textContent = `${contact.unreadCount}`;
      el.append(mark);
    },
  });
  const contact = new Contact({ jid: 'a@x', name: 'A', groups: [], subscription: 'both' });
  view.render([contact]);
  const li = list.querySelector('li.jsxc-contact')!;
  contact.setUnreadCount(3);
  view.invalidate(contact);
  view.render([contact]);
  expect(list.querySelector('li.jsxc-contact')).toBe(li);
  expect([...li.querySelectorAll('.deco')].map((e) => e.textContent)).toEqual(['3']);
});
