import joinTemplate from '../../../template/joinRoomDialog.hbs';
import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import { JID } from '../../model/JID';
import type { MultiUserContact } from '../../model/MultiUserContact';
import { MucError } from '../../plugins/muc/errors';
import { ModalDialog } from '../ModalDialog';
import { renderElement } from '../templates';
import { RoomBrowser } from './RoomBrowser';
import { roomErrorLines, showAlert } from './roomErrors';
import { defaultNickname } from './nickname';

export interface JoinRoomOptions {
  t: Translate;
  id: string;
  account: Account;
  /** prefilled room address and password (an invitation whose join failed) */
  room?: string;
  password?: string;
  /** an error to show at once (why an invitation could not be accepted) */
  error?: unknown;
  /** "Create room" was chosen: this dialog closed, open the create dialog */
  onCreate: () => void;
  /** the room was joined (its window is asked to open) */
  onJoined?: (room: MultiUserContact) => void;
}

/**
 * A room address as the person typed it: a full JID, or a room name on the server's conference
 * service. Throws a readable Error for an address that is not one.
 */
export async function roomAddress(t: Translate, account: Account, input: string): Promise<string> {
  let address = input.trim();
  if (!address.includes('@')) {
    const service = await account.rooms.findConferenceService();
    if (!service) {
      throw new MucError('service-unavailable', { room: account.uid.split('@')[1] });
    }
    address = `${address.toLowerCase()}@${service}`;
  }
  try {
    const jid = JID.parse(address);
    if (!jid.local || jid.resource) throw new Error('not a bare JID');
    return jid.bare;
  } catch {
    throw new Error(t('Room_address_invalid', { address: input.trim() }));
  }
}

/**
 * The `Join group chat` dialog: room address (or a pick from the room browser), nickname and an
 * optional password. Join joins through the model (a room that does not exist is reported, not
 * created); every room error is shown in the dialog, which stays open: a nickname in use puts the
 * suggested one in the nickname field, a wrong password moves focus to the password field.
 */
export function openJoinRoomDialog(container: HTMLElement, options: JoinRoomOptions): ModalDialog {
  const { t, account } = options;
  const dialog = new ModalDialog(
    renderElement<HTMLDialogElement>(joinTemplate, { id: options.id, room: options.room ?? '', password: options.password ?? '', nickname: defaultNickname(account) }, t),
  );
  const el = dialog.element;
  const roomInput = dialog.field('room');
  const nickInput = dialog.field('nickname');
  const passwordInput = dialog.field('password');
  const alert = el.querySelector('[role="alert"]')!;
  const submit = () => el.querySelector('form')!.requestSubmit();
  const browser = new RoomBrowser({
    t,
    id: options.id,
    filter: el.querySelector('.jsxc-room-browser__filter')!,
    listbox: el.querySelector('[role="listbox"]')!,
    status: el.querySelector('.jsxc-room-browser__status')!,
    onSelect: (room) => {
      roomInput.value = room.jid;
      passwordInput.value = '';
    },
    onChoose: (room) => {
      roomInput.value = room.jid;
      submit();
    },
  });
  void browser.load(Promise.resolve().then(() => account.rooms.browse()), (err) => roomErrorLines(t, err).join(' '));

  el.querySelector('.jsxc-join-room__create')!.addEventListener('click', () => {
    dialog.close();
    options.onCreate();
  });

  let busy = false;
  el.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (busy) return;
    const nickname = nickInput.value.trim();
    if (roomInput.value.trim() === '') {
      showAlert(alert, [t('Room_address_missing')]);
      roomInput.focus();
      return;
    }
    if (nickname === '') {
      showAlert(alert, [t('Nickname_missing')]);
      nickInput.focus();
      return;
    }
    busy = true;
    el.setAttribute('aria-busy', 'true');
    showAlert(alert, []);
    void join(nickname).finally(() => {
      busy = false;
      el.removeAttribute('aria-busy');
    });
  });

  const join = async (nickname: string) => {
    let room: MultiUserContact | undefined;
    let known = false;
    try {
      const jid = await roomAddress(t, account, roomInput.value);
      known = account.rooms.get(jid) !== undefined;
      room = account.createMultiUserContact(jid, nickname, undefined, passwordInput.value === '' ? undefined : passwordInput.value);
      if (passwordInput.value === '') {
        room.password = undefined;
      }
      if (!room.isJoined) {
        await room.join({ mustExist: true });
      }
      dialog.close();
      options.onJoined?.(room);
      room.openChatWindowProminently();
    } catch (err) {
      if (room && !known) {
        account.rooms.delete(room); // a failed join leaves no room behind
      }
      showError(err);
    }
  };

  const showError = (err: unknown) => {
    showAlert(alert, roomErrorLines(t, err));
    if (err instanceof MucError && err.kind === 'nickname-in-use') {
      nickInput.value = err.params.suggestedNickname ?? '';
      nickInput.focus();
      nickInput.select();
    } else if (err instanceof MucError && err.kind === 'wrong-password') {
      passwordInput.focus();
      passwordInput.select();
    } else {
      roomInput.focus();
    }
  };

  dialog.open(container, roomInput);
  if (options.error !== undefined) {
    showError(options.error);
  }
  return dialog;
}
