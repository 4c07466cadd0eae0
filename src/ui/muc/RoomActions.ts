import type { Translate } from '../../i18n';
import type { MultiUserContact } from '../../model/MultiUserContact';
import type { Occupant } from '../../model/Occupant';
import { MucError } from '../../plugins/muc/errors';
import { Menu, MenuEntry } from '../Menu';
import { canChangeSubject, moderationActions } from './moderation';
import { mucErrorText } from './mucText';
import { promptDialog } from './PromptDialog';

/**
 * An action in a group chat window's "Room actions" menu contributed from outside the window —
 * the extension point for the join/invite/configuration dialogs (e.g. "Invite", "Configure room"):
 * shown when `visible(room)` says so, `run(room)` when chosen.
 */
export interface RoomAction {
  /** unique among the actions */
  id: string;
  /** the menu entry's text (already translated) */
  label: string;
  visible(room: MultiUserContact): boolean;
  run(room: MultiUserContact): void;
}

export interface RoomActionsOptions {
  t: Translate;
  id: string;
  room: MultiUserContact;
  /** where menus are placed (a positioned element: the window) */
  menuContainer: HTMLElement;
  /** where dialogs go (the widget's root) */
  dialogContainer: () => HTMLElement;
  /** actions contributed by the widget (Invite, Configure room…), read each time the menu opens */
  extra: () => RoomAction[];
  /** start writing a private message to this participant */
  onPrivateMessage: (nick: string) => void;
  /** the window should close (after leaving the room) */
  onLeft: () => void;
}

let dialogCounter = 0;

/**
 * What a person can do in a group chat window besides talking: the room's menu (change subject,
 * change nickname, the widget's extra actions, leave or join) and each participant's menu (private
 * message, and the moderation the room lets me do, with an optional reason). Every action is a
 * call on the room's model; the room's refusals show readable in the dialog that asked.
 */
export class RoomActions {
  private menu?: Menu;

  constructor(private readonly options: RoomActionsOptions) {}

  /** May I change the subject? Moderators may; the room refuses others (readably) if it does not allow it. */
  get canChangeSubject(): boolean {
    const { room } = this.options;
    return room.isJoined && canChangeSubject(room.self, room.info?.subjectChangeable);
  }

  openRoomMenu(anchor: HTMLElement): void {
    const { t, room } = this.options;
    const entries: MenuEntry[] = [];
    if (this.canChangeSubject) {
      entries.push({ label: t('Change_subject'), action: () => this.changeSubject() });
    }
    entries.push({ label: t('Change_nickname'), action: () => this.changeNickname() });
    for (const action of this.options.extra()) {
      let visible = false;
      try {
        visible = action.visible(room);
      } catch (err) {
        console.error(`[jsxc] room action "${action.id}" failed:`, err);
      }
      if (visible) {
        entries.push({ label: action.label, action: () => action.run(room) });
      }
    }
    if (room.state === 'joined' || room.state === 'joining') {
      entries.push({ label: t('Leave_this_room'), danger: true, action: () => void room.leave().then(this.options.onLeft, (err) => console.warn('[jsxc] could not leave:', err)) });
    } else {
      entries.push({ label: t('Join_room'), action: () => this.join() });
    }
    this.openMenu(anchor, t('Room_actions'), entries);
  }

  openParticipantMenu(occupant: Occupant, anchor: HTMLElement): void {
    const { t, room } = this.options;
    const entries: MenuEntry[] = [];
    if (occupant.self) {
      entries.push({ label: t('Change_nickname'), action: () => this.changeNickname() });
    } else {
      entries.push({ label: t('Send_private_message'), action: () => this.options.onPrivateMessage(occupant.nick) });
    }
    for (const action of moderationActions(room.self, occupant)) {
      entries.push({ label: t(action.key), danger: action.danger, action: () => this.moderate(occupant, action.key, action.danger, (reason) => action.run(room, occupant, reason)) });
    }
    this.openMenu(anchor, t('Actions_for', { name: occupant.nick }), entries);
  }

  /** Joins (again), with the nickname the room suggested if ours was taken. */
  join(nickname?: string): void {
    const { room } = this.options;
    if (nickname) {
      room.nickname = nickname;
    }
    // a refusal shows in the window (state "error" and room.lastError)
    room.join().catch(() => undefined);
  }

  changeNickname(): void {
    const { t, room } = this.options;
    const dialog = promptDialog(this.options.dialogContainer(), {
      t,
      id: this.nextId(),
      title: t('Change_nickname'),
      label: t('Nickname'),
      value: room.nickname,
      submit: t('Change'),
      onSubmit: async (nick) => {
        try {
          await room.changeNickname(nick);
        } catch (err) {
          if (err instanceof MucError && err.kind === 'nickname-in-use' && err.params.suggestedNickname) {
            dialog.field('value').value = err.params.suggestedNickname; // offer another one
          }
          throw new Error(mucErrorText(t, err));
        }
      },
    });
  }

  changeSubject(): void {
    const { t, room } = this.options;
    promptDialog(this.options.dialogContainer(), {
      t,
      id: this.nextId(),
      title: t('Change_subject'),
      label: t('Subject'),
      value: room.subject,
      submit: t('Change'),
      optional: true,
      onSubmit: (subject) => this.explained(room.setSubject(subject)),
    });
  }

  private moderate(occupant: Occupant, key: string, danger: boolean, run: (reason?: string) => Promise<void>): void {
    const { t } = this.options;
    promptDialog(this.options.dialogContainer(), {
      t,
      id: this.nextId(),
      title: t('Moderation_title', { action: t(key), name: occupant.nick }),
      label: t('Reason_optional'),
      submit: t(key),
      danger,
      optional: true,
      onSubmit: (reason) => this.explained(run(reason || undefined)),
    });
  }

  /** The room's refusal as a readable error (for the dialog). */
  private async explained(action: Promise<void>): Promise<void> {
    try {
      await action;
    } catch (err) {
      throw new Error(mucErrorText(this.options.t, err));
    }
  }

  private openMenu(anchor: HTMLElement, label: string, entries: MenuEntry[]): void {
    this.menu?.close(false);
    this.menu = new Menu(anchor, this.options.menuContainer, label);
    this.menu.open(entries);
  }

  private nextId(): string {
    return `${this.options.id}-dialog-${++dialogCounter}`;
  }

  close(): void {
    this.menu?.close(false);
  }
}
