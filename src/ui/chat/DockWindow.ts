import chatWindowTemplate from '../../../template/chatWindow.hbs';
import type { Translate } from '../../i18n';
import { FrameScheduler } from '../FrameScheduler';
import { renderElement } from '../templates';
import { EMOJI } from './emoji';

let windowCounter = 0;

export interface DockWindowOptions {
  t: Translate;
  lang: string;
  onClose: () => void;
  onMinimizedChange: () => void;
}

/**
 * What one-to-one and group chat windows share (ui-contract "Chat window"): the frame from
 * template/chatWindow.hbs — title bar with unread badge, Minimize and Close, the `log` "Messages",
 * a status line, and the message input with its emoji picker (Enter sends, Shift+Enter makes a new
 * line) — plus minimising, focus and "in view". Subclasses send, and render their own parts.
 */
export abstract class DockWindow {
  readonly element: HTMLElement;
  readonly id = `jsxc-chat-${++windowCounter}`;
  protected readonly input: HTMLTextAreaElement;
  /** the `status` line under the log (typing notices, room events) */
  protected readonly statusLine: HTMLElement;
  private unreadBadge: HTMLElement;
  protected offs: Array<() => void> = [];
  /** when it was opened or last brought forward (the oldest collapse first) */
  lastActive = Date.now();
  /** the space the window takes in the dock, incl. its gap (px), matching scss/_chat.scss */
  readonly dockWidth: number = 328;

  constructor(
    protected readonly base: DockWindowOptions,
    name: string,
  ) {
    this.element = renderElement(chatWindowTemplate, { id: this.id, name, initial: Array.from(name)[0]?.toUpperCase() ?? '?' }, base.t);
    this.input = this.element.querySelector('textarea')!;
    this.statusLine = this.element.querySelector('.jsxc-chat__typing')!;
    this.unreadBadge = this.element.querySelector('.jsxc-chat__unread')!;
    this.bindFrame();
  }

  /** The message list's element etc. is ready: subclasses send the text. */
  protected abstract submit(): void;

  /** A key in the message input the subclass handles (true: handled). */
  protected onComposeKey(_ev: KeyboardEvent): boolean {
    return false;
  }

  /** Whether Escape in the window should minimise it now (not while editing, say). */
  protected escapeMinimizes(): boolean {
    return !this.emojiOpen && !this.editing;
  }

  /** Editing our last message (XEP-0308 correction): the input holds its text, Enter sends the correction. */
  protected editing = false;

  /**
   * The keys of editing our last message: Up in the empty input starts (`last`: its text, undefined
   * when there is none to edit), Escape while editing cancels. true: handled.
   */
  protected editKey(ev: KeyboardEvent, last: () => string | undefined): boolean {
    if (ev.key === 'ArrowUp' && this.input.value === '') {
      const body = last();
      if (body !== undefined) {
        ev.preventDefault();
        this.startEditing(body);
        return true;
      }
    }
    if (ev.key === 'Escape' && this.editing) {
      ev.preventDefault();
      ev.stopPropagation();
      this.cancelEditing();
      return true;
    }
    return false;
  }

  /** Editing ends without sending: the input is emptied. */
  protected cancelEditing(): void {
    if (this.editing) {
      this.stopEditing();
      this.clearInput();
    }
  }

  private startEditing(body: string): void {
    const hint = this.element.querySelector<HTMLElement>('.jsxc-chat__editing')!;
    this.editing = true;
    this.input.value = body;
    hint.hidden = false;
    this.input.setAttribute('aria-describedby', hint.id);
    this.element.dataset.editing = 'true';
    this.autosize();
  }

  /** Editing ends (sent or cancelled). */
  protected stopEditing(): void {
    this.editing = false;
    this.element.querySelector<HTMLElement>('.jsxc-chat__editing')!.hidden = true;
    this.input.removeAttribute('aria-describedby');
    delete this.element.dataset.editing;
  }

  /** The window became visible or got focus: mark what is shown as seen. */
  abstract seenIfInView(): void;

  /** Runs after the window was restored. */
  protected onRestored(): void {}

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
    button.setAttribute('aria-label', this.base.t(minimized ? 'Restore' : 'Minimize'));
    if (!minimized) {
      this.lastActive = Date.now();
      this.onRestored();
      this.seenIfInView();
    }
    this.base.onMinimizedChange();
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

  /** Sets the window's title text. */
  protected setTitle(name: string): void {
    this.element.querySelector('.jsxc-chat__name')!.textContent = name;
  }

  /** Shows the unread count in the title bar (with the next frame: a burst changes it per message). */
  protected showUnread(n: number): void {
    this.unreadCount = n;
    this.unreadPainter.schedule();
  }

  private unreadCount = 0;
  private unreadPainter = new FrameScheduler(() => {
    const n = this.unreadCount;
    this.unreadBadge.dataset.count = String(n);
    this.unreadBadge.textContent = n > 0 ? this.base.t('unread_count', { count: n }) : '';
  });

  /** Where plugin buttons and other title-bar buttons go: before Minimize. */
  protected get titleBarEnd(): Element {
    return this.element.querySelector('.jsxc-chat__minimize')!;
  }

  private bindFrame(): void {
    const el = this.element;
    el.querySelector('form')!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
    this.input.addEventListener('keydown', (ev) => {
      if (this.onComposeKey(ev)) {
        return;
      }
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        this.submit();
      }
    });
    el.querySelector('.jsxc-chat__close')!.addEventListener('click', () => this.base.onClose());
    el.querySelector('.jsxc-chat__minimize')!.addEventListener('click', () => this.setMinimized(!this.minimized));
    el.addEventListener('focusin', () => {
      this.lastActive = Date.now();
      this.seenIfInView();
    });
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && !ev.defaultPrevented && this.escapeMinimizes()) {
        this.setMinimized(true);
      }
    });
    this.buildEmojiPicker();
  }

  protected autosize(): void {
    this.input.style.setProperty('height', 'auto');
    this.input.style.setProperty('height', `${Math.min(this.input.scrollHeight, 120)}px`);
  }

  /** Empties the input after sending. */
  protected clearInput(): void {
    this.input.value = '';
    this.autosize();
  }

  protected get emojiOpen(): boolean {
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

  protected insertText(text: string): void {
    const { selectionStart, selectionEnd, value } = this.input;
    this.input.value = value.slice(0, selectionStart) + text + value.slice(selectionEnd);
    const at = selectionStart + text.length;
    this.input.setSelectionRange(at, at);
    this.input.dispatchEvent(new Event('input'));
  }

  destroy(): void {
    this.offs.forEach((off) => off());
    this.element.remove();
  }
}
