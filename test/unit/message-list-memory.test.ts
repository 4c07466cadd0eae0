/**
 * @jest-environment jsdom
 */
import type { Message } from '../../src/model/Message';
import { RoomList } from '../../src/model/RoomList';
import type { RoomMessage } from '../../src/model/RoomMessage';
import { MessageList, MessageSource, WINDOW } from '../../src/ui/chat/MessageList';
import { RoomMessageSource } from '../../src/ui/muc/RoomMessageSource';
import { frame, makeMessageList } from '../helpers/message-list';

// What a long-lived message log keeps (src/ui/chat/MessageList.ts): a window stays open for hours,
// and every message of a busy room or a long catch-up passes through its window. The articles and
// date lines it keeps must be those of the window (plus a small margin), not one for every message
// or day ever shown; and after pruning, the log must still be exactly what a full render gives.

jest.useFakeTimers();

const HOUR = 60 * 60 * 1000;
const t0 = new Date(2024, 0, 1, 9).getTime();

let seq = 0;
function msg(timestamp: number, direction: 'in' | 'out' = 'in', nick = 'ann'): Message & { nick: string } {
  seq += 1;
  return { id: `m${seq}`, peer: 'peer@x', direction, from: `peer@x/${nick}`, to: 'me@x', body: `body ${seq}`, timestamp, type: 'chat', nick };
}

interface Source extends MessageSource {
  messages: Message[];
}

const source = (messages: Message[] = []): Source => ({ messages, archiveComplete: true, loadOlder: () => Promise.resolve(0) });

/** as the room window marks a private message: a line before the sender's (on every third message) */
function markPrivate(m: Message, el: HTMLElement): void {
  if (Number(/\d+$/.exec(m.id)?.[0]) % 3 === 0) {
    const label = document.createElement('p');
    label.className = 'jsxc-msg__private';
    label.textContent = 'private';
    el.prepend(label);
  }
}

const makeList = (chat: MessageSource, room = false) => makeMessageList(chat, room, room ? markPrivate : undefined);

function fullRender(messages: readonly Message[], room = false): string {
  const { element, list } = makeList(source(messages.map((m) => ({ ...m }))), room);
  list.invalidate();
  frame();
  const html = element.innerHTML;
  element.remove();
  return html;
}

/** the caches a list keeps, read from its private fields (what this test is about) */
const kept = (list: MessageList) => {
  const fields = list as unknown as { rendered: Map<string, unknown>; lines: { lines: Map<string, unknown> } };
  return { articles: fields.rendered.size, separators: fields.lines.lines.size };
};

/** jsdom has no layout: a log 400 px high whose content is 20 px per child, scrolled where the test says */
function layout(element: HTMLElement) {
  let top = 0;
  Object.defineProperty(element, 'scrollTop', { get: () => top, set: (v: number) => (top = v) });
  Object.defineProperty(element, 'scrollHeight', { get: () => element.children.length * 20 });
  Object.defineProperty(element, 'clientHeight', { get: () => 400 });
  return (to: number) => {
    top = to;
    element.dispatchEvent(new Event('scroll'));
  };
}

it('a burst of 5,000 messages over many days, 7 per frame: only the window\'s articles and date lines are kept', () => {
  const chat = source([msg(t0)]);
  const { element, list } = makeList(chat);
  list.invalidate();
  frame();
  let most = { articles: 0, separators: 0 };
  // a catch-up after a long time away: one message every 3 hours, 625 days
  for (let i = 1; i <= 5000; i += 7) {
    chat.messages.push(...Array.from({ length: 7 }, (_, k) => msg(t0 + (i + k) * 3 * HOUR, (i + k) % 3 ? 'in' : 'out')));
    list.added('newer');
    frame();
    const now = kept(list);
    most = { articles: Math.max(most.articles, now.articles), separators: Math.max(most.separators, now.separators) };
  }
  expect(element.querySelectorAll('article')).toHaveLength(WINDOW);
  const shownDates = element.querySelectorAll('.jsxc-chat__date').length;
  expect(most.articles).toBeLessThanOrEqual(WINDOW);
  // every date line ever shown was kept: 625 days' worth
  expect(most.separators).toBeLessThanOrEqual(shownDates + 2);
  expect(element.innerHTML).toBe(fullRender(chat.messages));
});

it('reading back through 5,000 loaded messages and down again: what is kept follows the window, the log equals a full render', () => {
  const chat = source(Array.from({ length: 5000 }, (_, i) => msg(t0 + i * 2 * HOUR, i % 4 < 2 ? 'in' : 'out')));
  const { element, list } = makeList(chat);
  const scrollTo = layout(element);
  list.invalidate();
  frame();
  list.scrollToBottom();
  frame();
  let most = { articles: 0, separators: 0 };
  const step = () => {
    frame();
    const now = kept(list);
    most = { articles: Math.max(most.articles, now.articles), separators: Math.max(most.separators, now.separators) };
    const dates = element.querySelectorAll('.jsxc-chat__date').length;
    expect(now.separators).toBeLessThanOrEqual(dates + 2);
  };
  // up to the oldest message, 50 at a time
  for (let i = 0; i < 200 && element.querySelector('article')!.dataset.id !== chat.messages[0].id; i++) {
    scrollTo(0);
    step();
  }
  expect(element.querySelector('article')!.dataset.id).toBe(chat.messages[0].id);
  // and down again to the newest
  for (let i = 0; i < 200 && element.querySelector('article:last-of-type')!.getAttribute('data-id') !== chat.messages[4999].id; i++) {
    scrollTo(element.scrollHeight - 400);
    step();
  }
  expect(element.querySelector('article:last-of-type')!.getAttribute('data-id')).toBe(chat.messages[4999].id);
  expect(most.articles).toBeLessThanOrEqual(WINDOW);
  expect(element.innerHTML).toBe(fullRender(chat.messages.slice(-WINDOW)));
});

it('a busy room: 5,000 messages in frames of 7, grouped in runs of one sender; the window\'s new first message is ungrouped in place', () => {
  const room = new RoomList().ensure('tea@conference.example.org', 'me');
  const roomSource = new RoomMessageSource(room, ((key: string) => key) as never);
  const { element, list, built } = makeList(roomSource, true);
  list.invalidate();
  frame();
  const nicks = ['ann', 'bob', 'cy'];
  let groupedFirsts = 0;
  let privateFirsts = 0;
  for (let i = 0; i < 5000; i += 7) {
    for (let k = i; k < Math.min(5000, i + 7); k++) {
      const m: RoomMessage = {
        uid: room.newMessageUid(),
        nick: nicks[Math.floor(k / 4) % 3],
        body: `hello ${k}`,
        time: new Date(t0 + k * 1000),
        direction: 'in',
        type: 'groupchat',
        mentionsMe: false,
        delayed: false,
      };
      room.addMessage(m);
    }
    const grouped = new Set(Array.from(element.querySelectorAll<HTMLElement>('article[data-grouped]')).map((a) => a.dataset.id));
    list.added('newer');
    frame();
    expect(kept(list).articles).toBeLessThanOrEqual(WINDOW);
    const first = element.querySelector('article')!;
    if (grouped.has(first.dataset.id)) {
      // ungrouped in place: the sender's name before the body (after a private line), as if built so
      groupedFirsts += 1;
      privateFirsts += first.querySelector('.jsxc-msg__private') ? 1 : 0;
      if (groupedFirsts <= 40) {
        expect(element.innerHTML).toBe(fullRender(roomSource.messages, true));
      }
    }
  }
  expect(privateFirsts).toBeGreaterThan(0);
  expect(element.innerHTML).toBe(fullRender(roomSource.messages, true));
  expect(element.querySelectorAll('article')).toHaveLength(WINDOW);
  expect(groupedFirsts).toBeGreaterThan(0); // the window's first lost its grouping in some frames
  // each article built once: ungrouping the window's first builds nothing again
  expect(built).toHaveLength(5000);
  // the room's views: one per message of the room's timeline (which keeps all of them), no more
  const views = (roomSource as unknown as { views: Map<string, unknown> }).views;
  expect(views.size).toBe(room.messages.length);
});
