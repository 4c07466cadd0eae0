import editTemplate from '../../../template/editContactDialog.hbs';
import { Translate } from '../../i18n';
import { Contact } from '../../model/Contact';
import { RosterItemUpdate } from '../../protocol/rosterEdit';
import { ModalDialog } from '../ModalDialog';
import { renderElement } from '../templates';

export interface EditContactOptions {
  t: Translate;
  id: string;
  contact: Contact;
  /** every group name of the roster, to offer as checkboxes */
  groups: string[];
  onSave: (update: RosterItemUpdate) => Promise<void>;
}

/** Rename a contact and choose its groups (existing ones as checkboxes, plus a new one). */
export function editContactDialog(container: HTMLElement, options: EditContactOptions): ModalDialog {
  const { contact } = options;
  const groups = [...new Set([...options.groups, ...contact.groups])].sort((a, b) => a.localeCompare(b)).map((name) => ({ name, checked: contact.groups.includes(name) }));
  const dialog = new ModalDialog(
    renderElement<HTMLDialogElement>(editTemplate, { id: options.id, name: contact.displayName, jid: contact.jid, rosterName: contact.name ?? '', groups }, options.t),
  );
  dialog.element.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const checked = Array.from(dialog.element.querySelectorAll<HTMLInputElement>('input[name="group"]:checked'), (box) => box.value);
    const extra = dialog.field('newGroup').value;
    void dialog.run(() => options.onSave({ jid: contact.jid, name: dialog.field('name').value, groups: [...checked, extra] }));
  });
  dialog.open(container, dialog.field('name'));
  return dialog;
}
