import type { Chat } from '../../model/Chat';
import type { Contact } from '../../model/Contact';
import type { Roster } from '../../model/Roster';
import type { UIExtensions } from '../UIExtensions';
import { DockWindow, DockWindowOptions } from './DockWindow';
import { MessageList } from './MessageList';

/** After this long without a keystroke, "composing" becomes "paused" (XEP-0085 suggests 30 s; 5 s reads better). */
const PAUSE_MS = 5000;

export interface ChatWindowOptions extends DockWindowOptions {
  chat: Chat;
  contact?: Contact;
  /** the account's roster: a window opened before its contact was known takes it when it comes */
  roster?: Roster;
  ownName: string;
  /** the user sent a message (the moment to ask for notification permission) */
  onUserSent: () => void;
  /** plugins' chat buttons and message renderers */
  extensions?: UIExtensions;
}

/**
 * One chat window (ui-contract: region "Chat with NAME"). Renders its Chat and forwards what the
 * user does as calls on it: send, correct (Up key), retry, typing states, "seen".
 */
export class ChatWindow extends DockWindow {
  readonly list: MessageList;
  private pauseTimer?: ReturnType<typeof setTimeout>;
  private contact?: Contact;
  private unmountButtons?: () => void;

  constructor(private readonly options: ChatWindowOptions) {
    super(options, options.contact?.displayName ?? options.chat.peer);
    this.contact = options.contact;
    const { t, chat } = options;
    const name = this.name;
    this.element.dataset.peer = chat.peer;
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
    this.mountButtons();
    this.offs.push(() => this.unmountButtons?.());
    this.bindEvents();
    this.offs.push(
      chat.on('added', (_messages, where) => {
        this.list.added(where);
        this.seenIfInView();
      }),
      chat.on('updated', () => this.list.invalidate()),
      chat.on('peerState', () => this.showPeerState()),
      chat.on('unread', (n) => this.showUnread(n)),
    );
    if (options.contact) {
      this.offs.push(options.contact.on('change', () => this.showName()));
    } else if (options.roster) {
      this.awaitContact(options.roster);
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
    return this.contact?.displayName ?? this.options.chat.peer;
  }

  /** The plugins' buttons for this chat (again when the contact became known). */
  private mountButtons(): void {
    this.unmountButtons?.();
    this.unmountButtons = this.options.extensions?.mountChatButtons(this.titleBarEnd, 'chat', this.contact, this.options.chat);
  }

  /**
   * No contact yet (a window reopened before the roster was there, or a stranger): when the roster
   * brings the contact, the window takes its name, and the plugins' buttons see it.
   */
  private awaitContact(roster: Roster): void {
    const peer = this.options.chat.peer;
    const look = () => {
      const contact = roster.get(peer);
      if (!contact) {
        return;
      }
      offs.forEach((off) => off());
      this.contact = contact;
      this.offs.push(contact.on('change', () => this.showName()));
      this.showName();
      this.mountButtons();
    };
    const offs = [roster.on('reset', look), roster.on('added', look)];
    this.offs.push(() => offs.forEach((off) => off()));
  }

  protected override onRestored(): void {
    this.list.invalidate();
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

  private shownName?: string;

  private showName(): void {
    const name = this.name;
    if (name === this.shownName) {
      return; // the contact changed otherwise (presence, unread count)
    }
    this.shownName = name;
    this.list.renamePeer(name);
    this.setTitle(name);
    this.element.setAttribute('aria-label', this.options.t('Chat_with', { name }));
  }

  private showPeerState(): void {
    const state = this.options.chat.peerState;
    this.statusLine.textContent = state === 'composing' ? this.options.t('is_typing', { name: this.name }) : '';
  }

  private bindEvents(): void {
    this.input.addEventListener('input', () => this.onInput());
    this.input.addEventListener('blur', () => this.stopTyping('active'));
  }

  protected override onComposeKey(ev: KeyboardEvent): boolean {
    return this.editKey(ev, () => this.options.chat.lastOutgoing?.body);
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

  protected submit(): void {
    const text = this.input.value;
    if (text.trim() === '') {
      return;
    }
    const chat = this.options.chat;
    const action = this.editing ? chat.correctLast(text) : chat.send(text);
    this.stopEditing();
    this.clearInput();
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

  override destroy(): void {
    clearTimeout(this.pauseTimer);
    this.options.chat.setOwnState('gone');
    super.destroy();
  }
}
