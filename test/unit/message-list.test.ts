/**
 * @jest-environment jsdom
 */
import type { Message } from '../../src/model/Message';
import { MessageList, MessageSource, WINDOW } from '../../src/ui/chat/MessageList';
import { frame, makeMessageList } from '../helpers/message-list';

// The message log's incremental rendering (src/ui/chat/MessageList.ts): messages added at the
// newer end are built alone, without going through the window again. Whatever path a render took,
// the log must be exactly what a full render of the same messages gives: the same date lines,
// grouping, unread line, articles and attributes. jsdom has no layout: the tests that need one
// give the log a scroll height and a view height.

jest.useFakeTimers();

const MIN = 60 * 1000;
/** local time, so that the date lines fall where a user in this time zone sees them */
const at = (day: number, hour: number, minute = 0) => new Date(2025, 2, day, hour, minute).getTime();

let seq = 0;
function msg(timestamp: number, direction: 'in' | 'out' = 'in', extra: Partial<Message> & { nick?: string } = {}): Message {
  seq += 1;
  return { id: `m${seq}`, peer: 'peer@x', direction, from: 'peer@x/r', to: 'me@x', body: `body ${seq}`, timestamp, type: 'chat', ...extra };
}

interface Source extends MessageSource {
  messages: Message[];
}

function source(messages: Message[] = []): Source {
  return { messages, archiveComplete: true, loadOlder: () => Promise.resolve(0) };
}

const makeList = (chat: Source, room = false) => makeMessageList(chat, room);

/** What a full render of the same messages shows, with the same unread line and window start. */
function fullRender(chat: Source, room = false, unreadFrom?: Message): string {
  const copy = source(chat.messages.map((m) => ({ ...m })));
  const { element, list } = makeList(copy, room);
  element.dataset.reference = 'true';
  if (unreadFrom) {
    list.markUnreadFrom(unreadFrom);
  }
  list.invalidate();
  frame();
  const html = element.innerHTML;
  element.remove();
  return html;
}

let spy: jest.SpyInstance;
beforeEach(() => {
  document.body.replaceChildren();
  spy = jest.spyOn(MessageList.prototype as unknown as { renderWindow: () => void }, 'renderWindow');
});
afterEach(() => spy.mockRestore());
/** full renders of the window by the lists under test (not by `fullRender`'s) */
const windows = {
  calls: () => spy.mock.contexts.filter((list) => !(list as MessageList).element.dataset.reference).length,
  mockClear: () => spy.mockClear(),
};

/** Renders `chat` once in full, then appends `more` in frames of `perFrame`; returns the list. */
function appendInFrames(chat: Source, more: Message[], perFrame: number, room = false) {
  const made = makeList(chat, room);
  made.list.invalidate();
  frame();
  windows.mockClear();
  made.built.length = 0;
  for (let i = 0; i < more.length; i += perFrame) {
    chat.messages.push(...more.slice(i, i + perFrame));
    made.list.added('newer');
    frame();
  }
  return made;
}

it('appends across a day boundary: a date line before the first message of the new day, not grouped', () => {
  const chat = source([msg(at(3, 23, 50)), msg(at(3, 23, 52))]);
  const { element, built } = appendInFrames(chat, [msg(at(3, 23, 58)), msg(at(4, 0, 1)), msg(at(4, 0, 2))], 1);
  expect(windows.calls()).toBe(0); // only the new messages were built
  expect(built).toHaveLength(3);
  expect(element.querySelectorAll('.jsxc-chat__date')).toHaveLength(2);
  const articles = element.querySelectorAll('article');
  expect(articles[3].previousElementSibling!.className).toBe('jsxc-chat__date');
  expect(articles[3].dataset.grouped).toBeUndefined();
  expect(articles[4].dataset.grouped).toBe('true');
  expect(element.innerHTML).toBe(fullRender(chat));
});

it('appends from the other side and from another sender in a room: not grouped with the one before', () => {
  const chat = source([msg(at(3, 10), 'in', { nick: 'ann' }), msg(at(3, 10, 1), 'in', { nick: 'ann' })]);
  const { element } = appendInFrames(
    chat,
    [msg(at(3, 10, 2), 'in', { nick: 'bob' }), msg(at(3, 10, 3), 'out', { nick: 'me' }), msg(at(3, 10, 4), 'out', { nick: 'me' }), msg(at(3, 10, 30), 'out', { nick: 'me' })],
    2,
    true,
  );
  expect(windows.calls()).toBe(0);
  expect(Array.from(element.querySelectorAll('article')).map((a) => [a.dataset.direction, a.dataset.grouped ?? '-'])).toEqual([
    ['in', '-'],
    ['in', 'true'],
    ['in', '-'], // bob after ann
    ['out', '-'],
    ['out', 'true'],
    ['out', '-'], // 26 minutes later
  ]);
  expect(element.querySelectorAll('.jsxc-msg__sender')).toHaveLength(2);
  expect(element.innerHTML).toBe(fullRender(chat, true));
});

it('appends, then an earlier message is corrected and another one fails: the whole window renders again', () => {
  const chat = source([msg(at(3, 9), 'out', { state: 'sent' }), msg(at(3, 9, 1), 'out', { state: 'sent' })]);
  const { element, list } = appendInFrames(chat, [msg(at(3, 9, 2), 'out', { state: 'pending' }), msg(at(3, 9, 3))], 1);
  expect(windows.calls()).toBe(0);
  Object.assign(chat.messages[0], { body: 'fixed', corrected: true });
  Object.assign(chat.messages[2], { state: 'failed', error: 'no' });
  list.invalidate();
  chat.messages.push(msg(at(3, 9, 4)));
  list.added('newer');
  frame();
  expect(windows.calls()).toBe(1);
  expect(element.querySelector('article')!.textContent).toContain('fixed');
  expect(element.querySelectorAll('[data-state="failed"]')).toHaveLength(1);
  expect(element.innerHTML).toBe(fullRender(chat));
});

it('after a history page came before the first message, appends still match a full render', () => {
  const chat = source([msg(at(5, 8)), msg(at(5, 8, 1))]);
  const { element, list } = makeList(chat);
  list.invalidate();
  frame();
  chat.messages.unshift(msg(at(4, 22, 58), 'out'), msg(at(4, 23, 59), 'out'));
  list.added('older');
  frame();
  windows.mockClear();
  chat.messages.push(msg(at(5, 8, 2)), msg(at(5, 8, 3), 'out'));
  list.added('newer');
  frame();
  expect(windows.calls()).toBe(0);
  expect(element.querySelectorAll('article')).toHaveLength(6);
  expect(element.innerHTML).toBe(fullRender(chat));
});

it('a "newer" message that goes in between by its time stamp renders the whole window', () => {
  const chat = source([msg(at(3, 9)), msg(at(3, 12))]);
  const { element, list } = appendInFrames(chat, [msg(at(3, 12, 1))], 1);
  chat.messages.splice(1, 0, msg(at(3, 11, 59), 'out'));
  list.added('newer');
  frame();
  expect(windows.calls()).toBe(1);
  expect(Array.from(element.querySelectorAll('article')).map((a) => a.dataset.id)).toEqual(chat.messages.map((m) => m.id));
  expect(element.innerHTML).toBe(fullRender(chat));
});

it('keeps the unread line where it was while messages are appended, and on a new message marked later', () => {
  const chat = source([msg(at(3, 9)), msg(at(3, 9, 1))]);
  const { element, list } = appendInFrames(chat, [msg(at(3, 9, 2)), msg(at(3, 9, 3))], 1);
  const unread = chat.messages[2];
  list.markUnreadFrom(unread);
  frame();
  chat.messages.push(msg(at(3, 9, 4)));
  list.added('newer');
  list.markUnreadFrom(unread); // unchanged: no full render for it
  windows.mockClear();
  frame();
  expect(windows.calls()).toBe(0);
  expect(element.querySelectorAll('.jsxc-chat__unread-line')).toHaveLength(1);
  expect(element.querySelector('.jsxc-chat__unread-line')!.nextElementSibling!.getAttribute('data-id')).toBe(unread.id);
  expect(element.innerHTML).toBe(fullRender(chat, false, unread));
});

it('a burst past the window size drops articles at the top: the new first message gets its date line and loses its grouping', () => {
  const start = at(3, 9);
  // pairs of grouped messages (one minute apart, same side) and a new day on the way
  const all = Array.from({ length: WINDOW + 60 }, (_, i) => msg(start + Math.floor(i / 2) * 30 * MIN + (i % 2) * MIN, i % 4 < 2 ? 'in' : 'out'));
  const chat = source(all.slice(0, WINDOW - 5));
  const unread = all[WINDOW + 2];
  const { element, list, built } = appendInFrames(chat, all.slice(WINDOW - 5, WINDOW + 1), 3);
  list.markUnreadFrom(unread);
  frame();
  windows.mockClear();
  built.length = 0;
  for (let i = WINDOW + 1; i < all.length; i += 7) {
    chat.messages.push(...all.slice(i, i + 7));
    list.added('newer');
    frame();
    expect(element.innerHTML).toBe(fullRender(chat, false, unread));
  }
  expect(windows.calls()).toBe(0);
  const articles = element.querySelectorAll('article');
  expect(articles).toHaveLength(WINDOW);
  expect(articles[0].dataset.id).toBe(all[all.length - WINDOW].id);
  expect(element.firstElementChild!.className).toBe('jsxc-chat__date');
  // each new message built once; the window's first one again when its grouping went
  expect(built.length).toBeLessThan(2 * (all.length - WINDOW - 1));
});

it('stays at the bottom when at the bottom; keeps the window and position when the user has scrolled up', () => {
  const chat = source(Array.from({ length: WINDOW }, (_, i) => msg(at(3, 9) + i * MIN)));
  const { element, list } = makeList(chat);
  let scrollHeight = 5000;
  Object.defineProperty(element, 'scrollTop', { value: 0, writable: true }); // jsdom keeps it 0
  Object.defineProperty(element, 'scrollHeight', { get: () => scrollHeight });
  Object.defineProperty(element, 'clientHeight', { get: () => 400 });
  list.invalidate();
  frame();
  list.scrollToBottom(); // as the chat window does once it is open
  expect(element.scrollTop).toBe(5000);
  scrollHeight = 5100;
  chat.messages.push(msg(at(3, 9) + WINDOW * MIN));
  list.added('newer');
  frame();
  expect(element.scrollTop).toBe(5100);
  // the user scrolls up to the middle: new messages must not move what they read
  element.scrollTop = 2000;
  element.dispatchEvent(new Event('scroll'));
  const first = element.querySelector('article')!.dataset.id;
  scrollHeight = 5200;
  chat.messages.push(msg(at(3, 9) + (WINDOW + 1) * MIN));
  list.added('newer');
  frame();
  expect(element.scrollTop).toBe(2000);
  expect(element.querySelector('article')!.dataset.id).toBe(first);
  expect(element.querySelector(`[data-id="${chat.messages[chat.messages.length - 1].id}"]`)).toBeNull();
});

it('keeps following the newest when the log grew by something else than messages and the scroll event of its own scrolling comes late (under load)', () => {
  const chat = source(Array.from({ length: WINDOW }, (_, i) => msg(at(3, 9) + i * MIN)));
  const { element, list } = makeList(chat);
  let scrollHeight = 5000;
  Object.defineProperty(element, 'scrollTop', { value: 0, writable: true });
  Object.defineProperty(element, 'scrollHeight', { get: () => scrollHeight });
  Object.defineProperty(element, 'clientHeight', { get: () => 400 });
  list.invalidate();
  frame();
  list.scrollToBottom();
  expect(element.scrollTop).toBe(5000);
  // the log is 500 px taller (no user scrolling), then the event of the list's own scroll arrives
  scrollHeight = 5500;
  element.dispatchEvent(new Event('scroll'));
  scrollHeight = 5600;
  chat.messages.push(msg(at(3, 9) + WINDOW * MIN));
  list.added('newer');
  frame();
  expect(element.querySelector(`[data-id="${chat.messages[chat.messages.length - 1].id}"]`)).not.toBeNull();
  expect(element.scrollTop).toBe(5600);
  // the user's own scrolling up still stops it
  element.scrollTop = 2000;
  element.dispatchEvent(new Event('scroll'));
  scrollHeight = 5700;
  chat.messages.push(msg(at(3, 9) + (WINDOW + 1) * MIN));
  list.added('newer');
  frame();
  expect(element.scrollTop).toBe(2000);
});

it('past midnight, "Today" becomes "Yesterday" and the new day gets its own "Today" line', () => {
  jest.setSystemTime(at(3, 23, 59));
  const chat = source([msg(at(3, 23, 50)), msg(at(3, 23, 58))]);
  const { element, list } = makeList(chat);
  list.invalidate();
  frame();
  expect(Array.from(element.querySelectorAll('.jsxc-chat__date')).map((p) => p.textContent)).toEqual(['Today']);
  jest.setSystemTime(at(4, 0, 2));
  chat.messages.push(msg(at(4, 0, 1)));
  list.added('newer');
  frame();
  expect(Array.from(element.querySelectorAll('.jsxc-chat__date')).map((p) => p.textContent)).toEqual(['Yesterday', 'Today']);
  expect(element.innerHTML).toBe(fullRender(chat));
  jest.useRealTimers();
  jest.useFakeTimers();
});

it('a burst of 1,000 messages in frames of 7 builds each article once and never renders the whole window', () => {
  const chat = source([msg(at(3, 9))]);
  const burst = Array.from({ length: 1000 }, (_, i) => msg(at(3, 10) + i * 100));
  const { element, built } = appendInFrames(chat, burst, 7);
  expect(windows.calls()).toBe(0);
  // 1,000 new articles; the window's first one, when it lost its grouping, is changed in place
  expect(built.length).toBe(1000);
  expect(element.querySelectorAll('article')).toHaveLength(WINDOW);
  expect(element.innerHTML).toBe(fullRender(chat));
});
