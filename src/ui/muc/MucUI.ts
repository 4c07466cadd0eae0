import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { RoomInvitation } from '../../model/RoomList';
import { loadGroupchat, withLazy } from '../lazy';
import { defaultNickname } from './nickname';
import type { RoomAction } from './RoomActions';
import { RoomListView } from './RoomListView';

export interface MucUIOptions {
  t: Translate;
  id: string;
  /** where dialogs go (the widget's root) */
  container: HTMLElement;
  /** the roster's place for the group chat section */
  slot: HTMLElement;
}

/** A main-menu item a widget part contributes (see MainMenuOptions.extraItems). */
export interface MenuItem {
  id: string;
  label: string;
  disabled?: boolean;
  run: (ev: Event) => void;
}

/**
 * The group chat UI of one widget (only made when the "muc" plugin is enabled, so
 * `disabledPlugins: ['muc']` leaves none of it): the roster section (RoomListView), the
 * `Join group chat` main-menu entry, and the join / create / configure dialogs.
 */
export class MucUI {
  private readonly rooms: RoomListView;
  private readonly accounts: Account[] = [];
  private dialogCounter = 0;

  constructor(private readonly options: MucUIOptions) {
    this.rooms = new RoomListView({
      t: options.t,
      id: `${options.id}-rooms`,
      onJoinRequest: () => this.openJoinDialog(),
      onAccept: (account, invitation) => void this.accept(account, invitation),
      onInvite: (account, room) => this.openInviteDialog(account, room),
    });
    options.slot.appendChild(this.rooms.element);
  }

  addAccount(account: Account): () => void {
    this.accounts.push(account);
    const off = this.rooms.addAccount(account);
    return () => {
      off();
      this.accounts.splice(this.accounts.indexOf(account), 1);
    };
  }

  /** The entries this part adds to every group chat window's "Room actions" menu: Invite, and Configure room for owners. */
  roomActions(): RoomAction[] {
    const { t, container } = this.options;
    const accountOf = (room: MultiUserContact) => this.accounts.find((a) => a.rooms.get(room.jid) === room);
    return [
      {
        id: 'invite',
        label: t('Invite'),
        visible: (room) => room.isJoined,
        run: (room) => {
          const account = accountOf(room);
          if (account) {
            this.openInviteDialog(account, room);
          }
        },
      },
      {
        id: 'configure',
        label: t('Configure_room'),
        visible: (room) => room.isJoined && room.isOwner,
        run: (room) => {
          const id = this.nextId('config');
          withLazy(loadGroupchat, 'Configure room', (g) => g.openRoomConfigDialog(container, { t, id, room }));
        },
      },
    ];
  }

  /** The main-menu entries: `Join group chat` (disabled while offline). */
  menuItems(): MenuItem[] {
    return [{ id: 'join-group-chat', label: this.options.t('Join_group_chat'), disabled: !this.online(), run: () => this.openJoinDialog() }];
  }

  /** Opens the `Join group chat` dialog for the (first) online account. */
  openJoinDialog(prefill: { room?: string; password?: string; error?: unknown; onJoined?: (room: MultiUserContact) => void } = {}, account = this.online()): void {
    if (!account) return;
    const id = this.nextId('join');
    withLazy(loadGroupchat, 'Join group chat', (g) =>
      g.openJoinRoomDialog(this.options.container, { t: this.options.t, id, account, ...prefill, onCreate: () => this.openCreateDialog(account) }),
    );
  }

  private openInviteDialog(account: Account, room: MultiUserContact): void {
    const { t, container } = this.options;
    const id = this.nextId('invite');
    const contacts = account.roster.all().map((c) => ({ jid: c.jid, name: c.displayName }));
    withLazy(loadGroupchat, 'Invite', (g) => g.openInviteDialog(container, { t, id, room, contacts }));
  }

  private openCreateDialog(account: Account): void {
    const { t, container } = this.options;
    const id = this.nextId('create');
    withLazy(loadGroupchat, 'Create room', (g) =>
      g.openCreateRoomDialog(container, {
        t,
        id,
        account,
        onCreated: (room) => g.openRoomConfigDialog(container, { t, id: this.nextId('config'), room, afterCreate: true, onClosed: () => room.openChatWindowProminently() }),
      }),
    );
  }

  /** Accept on an invitation: join with my nickname; when the room refuses, the join dialog explains and asks. */
  private async accept(account: Account, invitation: RoomInvitation): Promise<void> {
    const known = account.rooms.get(invitation.room) !== undefined;
    try {
      const room = await account.rooms.accept(invitation, defaultNickname(account));
      room.openChatWindowProminently();
    } catch (error) {
      const room = account.rooms.get(invitation.room);
      if (room && !known) {
        account.rooms.delete(room);
      }
      this.openJoinDialog({ room: invitation.room, password: invitation.password, error, onJoined: () => account.rooms.dismiss(invitation) }, account);
    }
  }

  private online(): Account | undefined {
    return this.accounts.find((a) => a.isOnline);
  }

  private nextId(kind: string): string {
    this.dialogCounter += 1;
    return `${this.options.id}-${kind}-${this.dialogCounter}`;
  }
}
