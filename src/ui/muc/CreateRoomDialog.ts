import createTemplate from '../../../template/createRoomDialog.hbs';
import type { Translate } from '../../i18n';
import type { Account } from '../../model/Account';
import type { MultiUserContact } from '../../model/MultiUserContact';
import { MucError } from '../../plugins/muc/errors';
import { ModalDialog } from '../ModalDialog';
import { renderElement } from '../templates';
import { roomAddress } from './JoinRoomDialog';
import { defaultNickname } from './nickname';
import { roomErrorLines, showAlert } from './roomErrors';

export interface CreateRoomOptions {
  t: Translate;
  id: string;
  account: Account;
  /** the room was created and joined: configure it next */
  onCreated: (room: MultiUserContact) => void;
}

/** A room address made from a room name: "Tea at 5!" → "tea-at-5". */
export function addressFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The `Create room` dialog: name, address (made from the name when left empty) and nickname.
 * A room that exists already is reported instead of joined; a new one is created by joining it
 * (named by its name) and handed on to be configured.
 */
export function openCreateRoomDialog(container: HTMLElement, options: CreateRoomOptions): ModalDialog {
  const { t, account } = options;
  const dialog = new ModalDialog(renderElement<HTMLDialogElement>(createTemplate, { id: options.id, nickname: defaultNickname(account) }, t));
  const el = dialog.element;
  const nameInput = dialog.field('name');
  const roomInput = dialog.field('room');
  const nickInput = dialog.field('nickname');
  const alert = el.querySelector('[role="alert"]')!;
  let busy = false;

  const fail = (lines: string[], focus: HTMLInputElement) => {
    showAlert(alert, lines);
    focus.focus();
  };

  const create = async () => {
    const name = nameInput.value.trim();
    const nickname = nickInput.value.trim();
    const address = roomInput.value.trim() || addressFromName(name);
    if (name === '') return fail([t('Room_name_missing')], nameInput);
    if (address === '') return fail([t('Room_address_missing')], roomInput);
    if (nickname === '') return fail([t('Nickname_missing')], nickInput);
    let room: MultiUserContact | undefined;
    let known = false;
    try {
      const jid = await roomAddress(t, account, address);
      known = account.rooms.get(jid) !== undefined;
      room = account.createMultiUserContact(jid, nickname, name);
      const exists = await room.refreshInfo().then(
        () => true,
        (err: unknown) => {
          if (err instanceof MucError && err.kind === 'room-not-found') return false;
          throw err;
        },
      );
      if (exists) {
        throw new Error(t('Room_exists', { room: jid }));
      }
      await room.join();
      dialog.close();
      options.onCreated(room);
    } catch (err) {
      if (room && !known) {
        account.rooms.delete(room);
      }
      fail(roomErrorLines(t, err), roomInput.value.trim() === '' ? nameInput : roomInput);
    }
  };

  el.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    el.setAttribute('aria-busy', 'true');
    showAlert(alert, []);
    void create().finally(() => {
      busy = false;
      el.removeAttribute('aria-busy');
    });
  });
  dialog.open(container, nameInput);
  return dialog;
}
