import type { Message } from '../../src/model/Message';
import { MessageList, MessageSource } from '../../src/ui/chat/MessageList';

/**
 * A message log (src/ui/chat/MessageList.ts) in the jsdom document, as a chat window makes one;
 * `room`: grouped by sender nickname (the message's `nick`), as a group chat window's. `built`
 * collects the id of every article built (the list's `decorate` runs once per build), `decorate`
 * adds to them as a plugin or the room window would.
 */
export function makeMessageList(chat: MessageSource, room = false, decorate?: (m: Message, el: HTMLElement) => void) {
  const element = document.createElement('div');
  element.setAttribute('role', 'log');
  element.setAttribute('aria-label', 'Messages');
  document.body.appendChild(element);
  const built: string[] = [];
  const list = new MessageList(element, chat, {
    t: (key: string) => key,
    lang: 'en',
    peerName: 'Peer',
    ownName: 'Me',
    timeFormat: new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit' }),
    senderOf: room ? (m) => (m as Message & { nick: string }).nick : undefined,
    decorate: (m, el) => {
      built.push(m.id);
      decorate?.(m, el);
    },
  });
  return { element, list, built };
}

/** runs the pending animation frame (without layout, the scheduler uses a 16 ms timeout in jsdom; fake timers) */
export const frame = () => jest.advanceTimersByTime(20);
