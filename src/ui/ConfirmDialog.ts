import confirmTemplate from '../../template/confirmDialog.hbs';
import { Translate } from '../i18n';
import { ModalDialog } from './ModalDialog';
import { renderElement } from './templates';

export interface ConfirmOptions {
  t: Translate;
  id: string;
  title: string;
  text: string;
  /** the label of the confirming button, e.g. "Remove" */
  confirm: string;
  /** runs on confirmation; a rejection's message shows in the dialog, which stays open */
  onConfirm: () => Promise<void>;
}

/** A confirmation (ui-contract: Dialogs, "any confirmation"): a dialog named by its title. */
export function confirmDialog(container: HTMLElement, options: ConfirmOptions): ModalDialog {
  const dialog = new ModalDialog(renderElement<HTMLDialogElement>(confirmTemplate, { id: options.id, title: options.title, text: options.text, confirm: options.confirm }, options.t));
  dialog.element.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void dialog.run(options.onConfirm);
  });
  dialog.open(container, dialog.element.querySelector<HTMLElement>('.jsxc-dialog__cancel'));
  return dialog;
}
