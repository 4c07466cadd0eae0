import invitationTemplate from '../../../template/roomInvitation.hbs';
import roomTemplate from '../../../template/roomItem.hbs';
import listTemplate from '../../../template/roomList.hbs';
import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomInvitation } from '../../model/RoomList';
import { FrameScheduler } from '../FrameScheduler';
import { renderElement } from '../templates';
import { roomErrorLines } from './roomErrors';

export interface RoomListViewOptions {
  t: Translate;
  id: string;
  /** the "Join group chat" button was pressed */
  onJoinRequest: () => void;
  /** Accept on an invitation */
  onAccept: (account: Account, invitation: RoomInvitation) => void;
  /** `Invite to NAME` on a joined room */
  onInvite: (account: Account, room: MultiUserContact) => void;
}

/**
 * The roster's group chat section: pending invitations (a `list` `Group chat invitations` whose
 * items name the room and the inviter, with `Accept` and `Decline`), a `Join group chat` button,
 * and the `list` `Group chats` of the rooms the accounts know (joined, bookmarked or created) with
 * their name, state and unread count. Enter / click on a room opens its window (joining it first
 * if we are not in it); per room a `Bookmark NAME` toggle (bookmark with autojoin), and while in
 * it `Invite to NAME` and `Leave NAME`. Renders per animation frame; keeps keyboard focus on the same button.
 */
export class RoomListView {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly invitationList: HTMLUListElement;
  private readonly accounts = new Map<Account, () => void>();
  /** what went wrong with the last action on a room (bookmark, leave), by JID */
  private actionErrors = new Map<string, string>();
  private scheduler = new FrameScheduler(() => this.render());

  constructor(private readonly options: RoomListViewOptions) {
    this.element = renderElement(listTemplate, { id: options.id }, options.t);
    this.list = this.element.querySelector('.jsxc-rooms__list')!;
    this.invitationList = this.element.querySelector('.jsxc-rooms__invitations')!;
    this.element.querySelector('.jsxc-rooms__join')!.addEventListener('click', () => options.onJoinRequest());
  }

  /** Shows this account's rooms and invitations; returns a function that stops it. */
  addAccount(account: Account): () => void {
    const roomListeners = new Map<MultiUserContact, () => void>();
    const watch = (room: MultiUserContact) => {
      if (!roomListeners.has(room)) {
        roomListeners.set(room, room.on('change', () => this.scheduler.schedule()));
      }
      this.scheduler.schedule();
    };
    account.rooms.all().forEach(watch);
    const offs = [
      account.rooms.on('added', watch),
      account.rooms.on('removed', (room) => {
        roomListeners.get(room)?.();
        roomListeners.delete(room);
        this.scheduler.schedule();
      }),
      account.rooms.on('invitations', () => this.scheduler.schedule()),
    ];
    const stop = () => {
      offs.forEach((off) => off());
      roomListeners.forEach((off) => off());
      this.accounts.delete(account);
      this.scheduler.schedule();
    };
    this.accounts.set(account, stop);
    this.scheduler.schedule();
    return stop;
  }

  private render(): void {
    const active = document.activeElement as HTMLElement | null;
    const focused = active && this.element.contains(active) ? { jid: active.closest<HTMLElement>('[data-jid], [data-room]')?.dataset, action: active.dataset.action ?? active.dataset.answer } : undefined;
    this.renderInvitations();
    this.renderRooms();
    if (focused && !this.element.contains(document.activeElement)) {
      const key = focused.jid?.jid ?? focused.jid?.room;
      const item = key ? this.element.querySelector<HTMLElement>(`[data-jid="${CSS.escape(key)}"], [data-room="${CSS.escape(key)}"]`) : null;
      const target = item?.querySelector<HTMLElement>(`[data-action="${focused.action}"], [data-answer="${focused.action}"]`) ?? item?.querySelector<HTMLElement>('button');
      (target ?? this.element.querySelector<HTMLElement>('button'))?.focus();
    }
  }

  private renderInvitations(): void {
    const { t } = this.options;
    const items = [...this.accounts.keys()].flatMap((account) =>
      account.rooms.invitations().map((invitation) => {
        const li = renderElement<HTMLLIElement>(invitationTemplate, { room: invitation.room, from: invitation.from, reason: invitation.reason ?? '' }, t);
        li.querySelector('[data-answer="accept"]')!.addEventListener('click', () => this.options.onAccept(account, invitation));
        li.querySelector('[data-answer="decline"]')!.addEventListener('click', () => {
          // the invitation is gone from the list at once; if telling the inviter fails, there is nothing more to do
          account.rooms.decline(invitation).catch(() => undefined);
        });
        return li;
      }),
    );
    this.invitationList.replaceChildren(...items);
    this.invitationList.hidden = items.length === 0;
  }

  private renderRooms(): void {
    const { t } = this.options;
    const rooms = [...this.accounts.keys()].flatMap((account) => account.rooms.all().map((room) => ({ account, room })));
    rooms.sort((a, b) => a.room.displayName.localeCompare(b.room.displayName));
    const items = rooms.map(({ account, room }) => {
      const error = this.actionErrors.get(room.jid) ?? (room.state === 'error' && room.lastError ? roomErrorLines(t, room.lastError).join(' ') : '');
      const li = renderElement<HTMLLIElement>(
        roomTemplate,
        {
          jid: room.jid,
          name: room.displayName,
          state: room.state,
          stateText: t(`room_state_${room.state}`),
          unread: room.unreadCount,
          joined: room.state === 'joined' || room.state === 'joining',
          isJoined: room.isJoined,
          canBookmark: account.plugins.isEnabled('bookmarks'),
          bookmarked: String(room.bookmark !== undefined),
          error,
        },
        t,
      );
      li.querySelector('[data-action="open"]')!.addEventListener('click', () => this.open(room));
      li.querySelector('[data-action="bookmark"]')?.addEventListener('click', () => this.act(room, () => (room.bookmark ? room.removeFromContactList() : room.addToContactList(true))));
      li.querySelector('[data-action="invite"]')?.addEventListener('click', () => this.options.onInvite(account, room));
      li.querySelector('[data-action="leave"]')?.addEventListener('click', () =>
        this.act(room, async () => {
          await room.leave();
          if (!room.bookmark) {
            account.rooms.delete(room); // a room we left and did not bookmark is forgotten
          }
        }),
      );
      return li;
    });
    this.list.replaceChildren(...items);
    this.list.hidden = items.length === 0;
  }

  /** Opens a room's window, joining it first when we are not in it. */
  private open(room: MultiUserContact): void {
    if (room.state === 'left' || room.state === 'error') {
      this.act(room, () => room.join({ mustExist: true }));
    }
    room.openChatWindowProminently();
  }

  private act(room: MultiUserContact, action: () => Promise<void>): void {
    this.actionErrors.delete(room.jid);
    Promise.resolve()
      .then(action)
      .catch((err: unknown) => {
        this.actionErrors.set(room.jid, roomErrorLines(this.options.t, err).join(' '));
      })
      .finally(() => this.scheduler.schedule());
  }
}
