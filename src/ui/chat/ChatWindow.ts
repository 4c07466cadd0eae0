import chatWindowTemplate from '../../../template/chatWindow.hbs';
import type { Translate } from '../../i18n';
import type { Chat } from '../../model/Chat';
import type { Contact } from '../../model/Contact';
import { renderElement } from '../templates';
import { EMOJI } from './emoji';
import type { UIExtensions } from '../UIExtensions';
import { MessageList } from './MessageList';

/** After this long without a keystroke, "composing" becomes "paused" (XEP-0085 suggests 30 s; 5 s reads better). */
const PAUSE_MS = 5000;

let windowCounter = 0;

export interface ChatWindowOptions {
  t: Translate;
  lang: string;
  chat: Chat;
  contact?: Contact;
  ownName: string;
  onClose: () => void;
  onMinimizedChange: () => void;
  /** the user sent a message (the moment to ask for notification permission) */
  onUserSent: () => void;
  /** plugins' chat buttons and message renderers */
  extensions?: UIExtensions;
}

/**
 * One chat window (ui-contract: region "Chat with NAME"). Renders its Chat and forwards what the
 * user does as calls on it: send, correct (Up key), retry, typing states, "seen".
 */
export class ChatWindow {
  readonly element: HTMLElement;
  readonly list: MessageList;
  private input: HTMLTextAreaElement;
  private typing: HTMLElement;
  private unreadBadge: HTMLElement;
  private editing = false;
  private pauseTimer?: ReturnType<typeof setTimeout>;
  private offs: Array<() => void> = [];
  /** when it was opened or last brought forward (the oldest collapse first) */
  lastActive = Date.now();

  constructor(private readonly options: ChatWindowOptions) {
    const { t, chat } = options;
    const id = `jsxc-chat-${++windowCounter}`;
    const name = this.name;
    this.element = renderElement(chatWindowTemplate, { id, name, initial: Array.from(name)[0]?.toUpperCase() ?? '?' }, t);
    this.element.dataset.peer = chat.peer;
    this.input = this.element.querySelector('textarea')!;
    this.typing = this.element.querySelector('.jsxc-chat__typing')!;
    this.unreadBadge = this.element.querySelector('.jsxc-chat__unread')!;
    const timeFormat = new Intl.DateTimeFormat(options.lang, { hour: '2-digit', minute: '2-digit' });
    this.list = new MessageList(this.element.querySelector('.jsxc-chat__log')!, chat, {
      t,
      lang: options.lang,
      peerName: name,
      ownName: options.ownName,
      timeFormat,
      onRetry: (m) => void chat.retry(m.id).catch((err) => console.warn('[jsxc] retry failed:', err)),
      decorate: options.extensions && ((m, el) => options.extensions!.decorateMessage(m, el)),
    });
    const minimize = this.element.querySelector('.jsxc-chat__minimize')!;
    options.extensions?.renderChatButtons(options.contact, chat).forEach((b) => minimize.before(b));
    this.bindEvents();
    this.offs.push(
      chat.on('added', (_messages, where) => {
        this.list.invalidate(where === 'older');
        this.seenIfInView();
      }),
      chat.on('updated', () => this.list.invalidate()),
      chat.on('peerState', () => this.showPeerState()),
      chat.on('unread', (n) => this.showUnread(n)),
    );
    if (options.contact) {
      this.offs.push(options.contact.on('change', () => this.showName()));
    }
    this.showUnread(chat.unread);
    this.list.invalidate();
    void chat.open().then(() => {
      this.list.invalidate();
      requestAnimationFrame(() => this.list.scrollToBottom());
    });
  }

  get chat(): Chat {
    return this.options.chat;
  }

  private get name(): string {
    return this.options.contact?.displayName ?? this.options.chat.peer;
  }

  get minimized(): boolean {
    return this.element.dataset.minimized === 'true';
  }

  /** Minimises or restores the window. */
  setMinimized(minimized: boolean): void {
    if (minimized === this.minimized) {
      return;
    }
    this.element.dataset.minimized = String(minimized);
    const button = this.element.querySelector('.jsxc-chat__minimize')!;
    button.setAttribute('aria-expanded', String(!minimized));
    button.setAttribute('aria-label', this.options.t(minimized ? 'Restore' : 'Minimize'));
    if (!minimized) {
      this.lastActive = Date.now();
      this.list.invalidate();
      this.seenIfInView();
    }
    this.options.onMinimizedChange();
  }

  focus(): void {
    this.setMinimized(false);
    this.input.focus();
  }

  /** Whether the user can see this window now: page visible, window open, and (when asked) focused. */
  inView(requireFocus = true): boolean {
    if (this.minimized || document.visibilityState !== 'visible') {
      return false;
    }
    return !requireFocus || (document.hasFocus() && this.element.contains(document.activeElement));
  }

  /** XEP-0333 "displayed" and unread reset when the user is looking at the window. */
  seenIfInView(): void {
    if (this.inView()) {
      this.list.markUnreadFrom(undefined);
      this.options.chat.markDisplayed();
    } else if (this.options.chat.unread > 0 && !this.list.hasUnreadMarker) {
      const chat = this.options.chat;
      const incoming = chat.messages.filter((m) => m.direction === 'in');
      this.list.markUnreadFrom(incoming[incoming.length - chat.unread]);
    }
  }

  private showName(): void {
    const name = this.name;
    this.element.querySelector('.jsxc-chat__name')!.textContent = name;
    this.element.setAttribute('aria-label', this.options.t('Chat_with', { name }));
  }

  private showPeerState(): void {
    const state = this.options.chat.peerState;
    this.typing.textContent = state === 'composing' ? this.options.t('is_typing', { name: this.name }) : '';
  }

  private showUnread(n: number): void {
    this.unreadBadge.dataset.count = String(n);
    this.unreadBadge.textContent = n > 0 ? this.options.t('unread_count', { count: n }) : '';
  }

  private bindEvents(): void {
    const el = this.element;
    const form = el.querySelector('form')!;
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (ev) => this.onKeyDown(ev));
    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('blur', () => this.stopTyping('active'));
    el.querySelector('.jsxc-chat__close')!.addEventListener('click', () => this.options.onClose());
    el.querySelector('.jsxc-chat__minimize')!.addEventListener('click', () => this.setMinimized(!this.minimized));
    el.addEventListener('focusin', () => {
      this.lastActive = Date.now();
      this.seenIfInView();
    });
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !this.editing && !this.emojiOpen) {
        this.setMinimized(true);
      }
    });
    this.buildEmojiPicker();
  }

  private onKeyDown(ev: KeyboardEvent): void {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      this.submit();
    } else if (ev.key === 'ArrowUp' && this.input.value === '' && this.options.chat.lastOutgoing) {
      ev.preventDefault();
      this.startEditing();
    } else if (ev.key === 'Escape' && this.editing) {
      ev.preventDefault();
      ev.stopPropagation();
      this.stopEditing();
      this.input.value = '';
    }
  }

  private onInput(): void {
    this.autosize();
    if (this.input.value === '') {
      this.stopTyping('active');
      return;
    }
    this.options.chat.setOwnState('composing');
    clearTimeout(this.pauseTimer);
    this.pauseTimer = setTimeout(() => this.options.chat.setOwnState('paused'), PAUSE_MS);
  }

  private stopTyping(state: 'active' | 'paused'): void {
    clearTimeout(this.pauseTimer);
    if (this.options.chat.peer) {
      this.options.chat.setOwnState(state);
    }
  }

  private autosize(): void {
    this.input.style.setProperty('height', 'auto');
    this.input.style.setProperty('height', `${Math.min(this.input.scrollHeight, 120)}px`);
  }

  private startEditing(): void {
    const last = this.options.chat.lastOutgoing!;
    this.editing = true;
    this.input.value = last.body;
    this.element.querySelector<HTMLElement>('.jsxc-chat__editing')!.hidden = false;
    this.input.setAttribute('aria-describedby', this.element.querySelector('.jsxc-chat__editing')!.id);
    this.element.dataset.editing = 'true';
    this.autosize();
  }

  private stopEditing(): void {
    this.editing = false;
    this.element.querySelector<HTMLElement>('.jsxc-chat__editing')!.hidden = true;
    this.input.removeAttribute('aria-describedby');
    delete this.element.dataset.editing;
  }

  private submit(): void {
    const text = this.input.value;
    if (text.trim() === '') {
      return;
    }
    const chat = this.options.chat;
    const action = this.editing ? chat.correctLast(text) : chat.send(text);
    this.stopEditing();
    this.input.value = '';
    this.autosize();
    clearTimeout(this.pauseTimer);
    this.list.markUnreadFrom(undefined);
    void action.then(
      () => {
        this.list.scrollToBottom();
        this.options.onUserSent();
      },
      (err) => console.warn('[jsxc] could not send:', err instanceof Error ? err.message : err),
    );
  }

  private get emojiOpen(): boolean {
    return !this.element.querySelector<HTMLElement>('.jsxc-chat__emoji')!.hidden;
  }

  private buildEmojiPicker(): void {
    const picker = this.element.querySelector<HTMLElement>('.jsxc-chat__emoji')!;
    const toggle = this.element.querySelector<HTMLButtonElement>('.jsxc-chat__emoji-button')!;
    const setOpen = (open: boolean) => {
      picker.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
    };
    for (const emoji of EMOJI) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'jsxc-chat__emoji-item';
      button.textContent = emoji;
      button.addEventListener('click', () => {
        this.insertText(emoji);
        setOpen(false);
        this.input.focus();
      });
      picker.appendChild(button);
    }
    toggle.addEventListener('click', () => {
      setOpen(picker.hidden);
      if (!picker.hidden) {
        picker.querySelector<HTMLButtonElement>('button')?.focus();
      }
    });
    picker.addEventListener('keydown', (ev) => {
      const items = Array.from(picker.querySelectorAll<HTMLButtonElement>('button'));
      const at = items.indexOf(document.activeElement as HTMLButtonElement);
      const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 8, ArrowUp: -8 }[ev.key];
      if (step !== undefined && at !== -1) {
        ev.preventDefault();
        items[Math.max(0, Math.min(items.length - 1, at + step))].focus();
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        ev.stopPropagation();
        setOpen(false);
        toggle.focus();
      }
    });
  }

  private insertText(text: string): void {
    const { selectionStart, selectionEnd, value } = this.input;
    this.input.value = value.slice(0, selectionStart) + text + value.slice(selectionEnd);
    const at = selectionStart + text.length;
    this.input.setSelectionRange(at, at);
    this.onInput();
  }

  destroy(): void {
    clearTimeout(this.pauseTimer);
    this.options.chat.setOwnState('gone');
    this.offs.forEach((off) => off());
    this.element.remove();
  }
}
