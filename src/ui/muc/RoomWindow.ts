import roomPartsTemplate from '../../../template/roomWindowParts.hbs';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { Occupant } from '../../model/Occupant';
import type { RoomMessage } from '../../model/RoomMessage';
import { NARROW_PX } from '../chat/ChatDock';
import { DockWindow, DockWindowOptions } from '../chat/DockWindow';
import { FrameScheduler } from '../FrameScheduler';
import { MessageList } from '../chat/MessageList';
import { renderElement } from '../templates';
import type { UIExtensions } from '../UIExtensions';
import { mucErrorText } from './mucText';
import { ParticipantList } from './ParticipantList';
import { RoomAction, RoomActions } from './RoomActions';
import { RoomMessageSource, RoomViewMessage } from './RoomMessageSource';
import { roomNotice } from './roomNotices';

export interface RoomWindowOptions extends DockWindowOptions {
  room: MultiUserContact;
  /** plugins' chat buttons (those for group chats) and message renderers */
  extensions?: UIExtensions;
  /** the widget's extra room actions (Invite, Configure room…), read when the room menu opens */
  actions?: () => RoomAction[];
  /** the user sent a message (the moment to ask for notification permission) */
  onUserSent: () => void;
  /** the user is looking at the window: what came in counts as read */
  onSeen: () => void;
}

/**
 * One group chat window (ui-contract "Group chat window": region "Group chat NAME"): the shared
 * chat frame (log, input, Minimize, Close) plus the subject, the participants with their actions,
 * private messages, and what the room did to us (kicked, banned, destroyed) with the input
 * disabled. It renders the MultiUserContact and forwards what the user does as calls on it.
 */
export class RoomWindow extends DockWindow {
  override readonly dockWidth = 488;
  readonly list: MessageList;
  private readonly source: RoomMessageSource;
  private readonly participants: ParticipantList;
  private readonly occupantsFrame = new FrameScheduler(() => this.showOccupants());
  private readonly actions: RoomActions;
  private readonly subject: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly bannerText: HTMLElement;
  private readonly rejoin: HTMLButtonElement;
  private readonly privateBar: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private privateWith: string | undefined;
  private known = new Map<string, Occupant>();

  constructor(private readonly options: RoomWindowOptions) {
    super(options, options.room.displayName);
    const { t, room } = options;
    this.element.classList.add('jsxc-room');
    this.element.dataset.room = room.jid;
    this.source = new RoomMessageSource(room, t);
    const parts = renderElement(roomPartsTemplate, { id: this.id }, t);
    const take = <T extends HTMLElement>(selector: string) => parts.querySelector<T>(selector)!;
    this.subject = take('.jsxc-room__subject');
    this.banner = take('.jsxc-room__banner');
    this.bannerText = take('.jsxc-room__banner-text');
    this.rejoin = take('.jsxc-room__rejoin');
    this.privateBar = take('.jsxc-room__private');
    this.toggle = take('.jsxc-room__toggle');
    const menuButton = take<HTMLButtonElement>('.jsxc-room__menu');
    this.titleBarEnd.before(this.toggle, menuButton);
    const body = this.element.querySelector('.jsxc-chat__body')!;
    body.prepend(take('.jsxc-room__top'));
    this.element.querySelector('.jsxc-chat__form')!.prepend(this.privateBar);

    this.actions = new RoomActions({
      t,
      id: this.id,
      room,
      menuContainer: this.element,
      dialogContainer: () => this.element.closest<HTMLElement>('.jsxc-root') ?? document.body,
      extra: options.actions ?? (() => []),
      onPrivateMessage: (nick) => this.startPrivate(nick),
      onLeft: () => options.onClose(),
    });
    this.participants = new ParticipantList({ t, id: this.id, onActions: (o, anchor) => this.actions.openParticipantMenu(o, anchor) });
    body.appendChild(this.participants.element);
    this.setParticipantsShown(window.innerWidth > NARROW_PX);
    this.toggle.addEventListener('click', () => this.setParticipantsShown(this.element.dataset.participants === 'hidden'));
    menuButton.addEventListener('click', () => this.actions.openRoomMenu(menuButton));
    this.rejoin.addEventListener('click', () => this.actions.join(this.rejoin.dataset.nickname || undefined));
    this.privateBar.querySelector('.jsxc-room__private-cancel')!.addEventListener('click', () => this.stopPrivate());

    const timeFormat = new Intl.DateTimeFormat(options.lang, { hour: '2-digit', minute: '2-digit' });
    this.list = new MessageList(this.element.querySelector('.jsxc-chat__log')!, this.source, {
      t,
      lang: options.lang,
      peerName: room.displayName,
      ownName: room.nickname,
      timeFormat,
      senderOf: (m) => (m as RoomViewMessage).nick,
      // a message the room refused (e.g. a private message to an occupant not back yet): sent again, same ids
      onRetry: (m) => void room.retryMessage(m.id).catch((err: unknown) => console.warn('[jsxc] retry failed:', err instanceof Error ? err.message : err)),
      decorate: (m, el) => {
        this.markMessage(m as RoomViewMessage, el);
        options.extensions?.decorateMessage(m, el);
      },
    });
    if (options.extensions) {
      this.offs.push(options.extensions.mountChatButtons(this.titleBarEnd, 'groupchat', room, { peer: room.jid, send: (body) => room.sendMessage(body) }));
    }
    this.listen();
    this.showName();
    this.showSubject();
    this.showState();
    this.showOccupants();
    this.showUnread(room.unreadCount);
    this.list.invalidate();
    requestAnimationFrame(() => this.list.scrollToBottom());
  }

  get room(): MultiUserContact {
    return this.options.room;
  }

  private listen(): void {
    const { room, t } = this.options;
    const notice = (text: string) => (this.statusLine.textContent = text);
    this.offs.push(
      room.on('message', (m: RoomMessage) => {
        this.list.added(room.messages[0] === m && room.messages.length > 1 ? 'older' : 'newer');
        this.seenIfInView();
      }),
      room.on('corrected', () => this.list.invalidate()),
      room.on('message-retry', () => this.list.invalidate()), // (no longer failed)
      room.on('message-error', (m, error) => {
        this.source.setError(m.uid, mucErrorText(t, error));
        this.list.invalidate();
      }),
      // a join brings one presence per occupant: the list is rendered once per frame
      room.on('occupants', () => this.occupantsFrame.schedule()),
      room.on('occupant-joined', (o) => room.isJoined && !o.self && notice(t('Occupant_joined', { nick: o.nick }))),
      room.on('occupant-left', (o, reason) => !o.self && notice(roomNotice(t, o.nick, reason))),
      room.on('occupant-nick', (o, old) => notice(t('Occupant_nick', { old, nick: o.nick }))),
      room.on('subject', (subject, by) => {
        this.showSubject();
        if (by && room.isJoined) {
          notice(subject ? t('Subject_changed', { nick: by, subject }) : t('Subject_cleared', { nick: by }));
        }
      }),
      room.on('nickname', (nick) => notice(t('Own_nick_changed', { nick }))),
      room.on('invitation-declined', (name, reason) => notice(reason ? t('Invitation_declined_reason', { name, reason }) : t('Invitation_declined', { name }))),
      room.on('state', () => this.showState()),
      room.on('error', (error) => room.isJoined && notice(mucErrorText(t, error))),
      room.on('change', () => {
        this.showName();
        this.showUnread(room.unreadCount);
      }),
    );
  }

  private showName(): void {
    const name = this.options.room.displayName;
    this.setTitle(name);
    this.element.setAttribute('aria-label', this.options.t('Group_chat_with', { name }));
  }

  private showSubject(): void {
    const subject = this.options.room.subject;
    this.subject.textContent = subject;
    this.subject.hidden = subject === '';
  }

  /** Joined: talk. Otherwise say why not (the room's reason, the alternative venue) and disable the input. */
  private showState(): void {
    const { room, t } = this.options;
    const state = room.state;
    this.element.dataset.state = state;
    const joined = state === 'joined';
    this.input.disabled = !joined;
    this.element.querySelector<HTMLButtonElement>('.jsxc-chat__send')!.disabled = !joined;
    this.banner.hidden = joined;
    const error = room.lastError;
    this.banner.setAttribute('role', state === 'error' ? 'alert' : 'status');
    this.bannerText.textContent = state === 'joining' ? t('Joining_room') : state === 'error' && error ? mucErrorText(t, error) : t('Not_in_room');
    const suggested = error?.kind === 'nickname-in-use' ? error.params.suggestedNickname : undefined;
    this.rejoin.dataset.nickname = suggested ?? '';
    this.rejoin.textContent = suggested ? t('Join_as', { nick: suggested }) : t('Join_again');
    // no use knocking on a door that is closed to us for good
    this.rejoin.hidden = state === 'joining' || state === 'joined' || error?.kind === 'removed-banned' || error?.kind === 'banned' || error?.kind === 'room-destroyed';
    if (!joined) {
      this.stopPrivate();
      this.cancelEditing();
    }
    this.showOccupants();
    this.list.invalidate();
  }

  private showOccupants(): void {
    const { room, t } = this.options;
    const occupants = room.occupants;
    // a change of role or affiliation is said in the status line
    if (room.isJoined) {
      for (const o of occupants) {
        const before = this.known.get(o.nick);
        if (before && (before.role !== o.role || before.affiliation !== o.affiliation) && o.role !== 'none') {
          const what = [o.role, o.affiliation].filter((w) => w !== 'participant' && w !== 'none').map((w) => t(w === o.role ? `role_${w}` : `affiliation_${w}`));
          this.statusLine.textContent = t('Occupant_standing', { nick: o.nick, standing: what.length > 0 ? what.join(', ') : t('role_participant') });
        }
      }
    }
    this.known = new Map(occupants.map((o) => [o.nick, o]));
    this.participants.render(occupants);
  }

  private setParticipantsShown(shown: boolean): void {
    this.element.dataset.participants = shown ? 'shown' : 'hidden';
    this.toggle.setAttribute('aria-expanded', String(shown));
  }

  /** Mentions of my nickname stand out (and say so); private messages say with whom. */
  private markMessage(m: RoomViewMessage, el: HTMLElement): void {
    const { t } = this.options;
    if (m.mentionsMe) {
      el.dataset.mention = 'true';
      const label = document.createElement('span');
      label.className = 'jsxc-msg__mention';
      label.textContent = t('Mentions_you');
      el.querySelector('.jsxc-msg__meta')?.appendChild(label);
    }
    if (m.privateWith) {
      el.dataset.private = 'true';
      const label = document.createElement('p');
      label.className = 'jsxc-msg__private';
      label.textContent = t(m.direction === 'out' ? 'Private_to' : 'Private_from', { nick: m.privateWith });
      el.prepend(label);
    }
  }

  private startPrivate(nick: string): void {
    this.cancelEditing();
    this.privateWith = nick;
    this.privateBar.hidden = false;
    this.privateBar.querySelector('.jsxc-room__private-text')!.textContent = this.options.t('Private_to', { nick });
    this.input.setAttribute('aria-describedby', this.privateBar.id);
    this.element.dataset.private = 'true';
    if (window.innerWidth <= NARROW_PX) {
      this.setParticipantsShown(false); // on a phone the list covers the log
    }
    this.focus();
  }

  private stopPrivate(): void {
    if (this.privateWith === undefined) {
      return;
    }
    const hadFocus = this.privateBar.contains(document.activeElement);
    this.privateWith = undefined;
    this.privateBar.hidden = true;
    this.input.removeAttribute('aria-describedby');
    delete this.element.dataset.private;
    if (hadFocus) {
      this.input.focus();
    }
  }

  protected override onComposeKey(ev: KeyboardEvent): boolean {
    // Up edits our last message to the room (XEP-0308), not while writing privately
    if (this.editKey(ev, () => (this.privateWith === undefined && this.options.room.isJoined ? this.options.room.lastOwnMessage?.body : undefined))) {
      return true;
    }
    if (ev.key === 'Escape' && this.privateWith !== undefined) {
      ev.preventDefault();
      ev.stopPropagation();
      this.stopPrivate();
      return true;
    }
    return false;
  }

  protected override onRestored(): void {
    this.list.invalidate();
  }

  seenIfInView(): void {
    const { room } = this.options;
    if (this.inView()) {
      this.list.markUnreadFrom(undefined);
      this.options.onSeen();
    } else if (room.unreadCount > 0 && !this.list.hasUnreadMarker) {
      const incoming = this.source.messages.filter((m) => m.direction === 'in');
      this.list.markUnreadFrom(incoming[incoming.length - room.unreadCount]);
    }
  }

  protected submit(): void {
    const text = this.input.value;
    const { room, t } = this.options;
    if (text.trim() === '' || !room.isJoined) {
      return;
    }
    const to = this.privateWith;
    const action = this.editing ? room.correctLastMessage(text) : to !== undefined ? room.sendPrivateMessage(to, text) : room.sendMessage(text);
    this.stopEditing();
    this.clearInput();
    this.list.markUnreadFrom(undefined);
    void action.then(
      () => {
        this.list.scrollToBottom();
        this.options.onUserSent();
      },
      (err) => (this.statusLine.textContent = mucErrorText(t, err)),
    );
  }

  override destroy(): void {
    this.actions.close();
    super.destroy();
  }
}
