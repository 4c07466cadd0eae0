import configTemplate from '../../../template/roomConfigDialog.hbs';
import type { Translate } from '../../i18n';
import type { MultiUserContact } from '../../model/MultiUserContact';
import { DataFormView } from '../DataFormView';
import { ModalDialog } from '../ModalDialog';
import { renderElement } from '../templates';
import { roomErrorLines, showAlert } from './roomErrors';

export interface RoomConfigOptions {
  t: Translate;
  /** unique id prefix in the page */
  id: string;
  room: MultiUserContact;
  /** right after creating the room: Cancel reads "Skip" (the room stays an instant room) */
  afterCreate?: boolean;
  /** the dialog closed (saved, skipped or cancelled) */
  onClosed?: (saved: boolean) => void;
}

/**
 * The `Group chat settings` dialog (owners): the room's configuration form
 * (room.getRoomConfigurationForm()) rendered from its data form, with the form's labels and
 * descriptions; Save submits it (room.submitRoomConfigurationForm()), Cancel / Skip / Escape leave
 * the room as it is. A room's refusal is shown in the dialog.
 */
export function openRoomConfigDialog(container: HTMLElement, options: RoomConfigOptions): ModalDialog {
  const { t, room } = options;
  const dialog = new ModalDialog(renderElement<HTMLDialogElement>(configTemplate, { id: options.id, room: room.jid, afterCreate: options.afterCreate }, t));
  const el = dialog.element;
  const status = el.querySelector('[role="status"]')!;
  const alert = el.querySelector('[role="alert"]')!;
  const save = el.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  let view: DataFormView | undefined;
  let saved = false;

  Promise.resolve()
    .then(() => room.getRoomConfigurationForm())
    .then((form) => {
      view = new DataFormView(form, { t, id: `${options.id}-form` });
      el.querySelector('.jsxc-room-config__fields')!.replaceChildren(view.element);
      status.textContent = '';
      if (form.instructions) {
        status.textContent = form.instructions;
      }
      save.disabled = false;
      if (el.contains(document.activeElement) || document.activeElement === el) {
        view.firstControl?.focus();
      }
    })
    .catch((err: unknown) => {
      status.textContent = '';
      showAlert(alert, roomErrorLines(t, err));
    });

  el.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!view || el.getAttribute('aria-busy') === 'true') return;
    const missing = view.missingRequired();
    if (missing) {
      showAlert(alert, [t('register_missing_field', { field: missing.label })]);
      missing.control.focus();
      return;
    }
    el.setAttribute('aria-busy', 'true');
    showAlert(alert, []);
    room
      .submitRoomConfigurationForm(view.read())
      .then(() => {
        saved = true;
        dialog.close();
      })
      .catch((err: unknown) => showAlert(alert, roomErrorLines(t, err)))
      .finally(() => el.removeAttribute('aria-busy'));
  });
  el.addEventListener('close', () => options.onClosed?.(saved));
  dialog.open(container, el.querySelector<HTMLElement>('.jsxc-dialog__cancel'));
  return dialog;
}
