import promptTemplate from '../../../template/promptDialog.hbs';
import type { Translate } from '../../i18n';
import { ModalDialog } from '../ModalDialog';
import { renderElement } from '../templates';

export interface PromptOptions {
  t: Translate;
  id: string;
  /** the dialog's title (its accessible name) */
  title: string;
  /** an explanation under the title */
  text?: string;
  /** the text field's label */
  label: string;
  value?: string;
  /** the label of the submit button */
  submit: string;
  danger?: boolean;
  /** an empty value is allowed (e.g. a reason, or clearing the subject) */
  optional?: boolean;
  /**
   * Runs with the entered text; a rejection's message shows in the dialog, which stays open. It
   * may return a new value for the field (e.g. another nickname to offer).
   */
  onSubmit: (value: string) => Promise<void>;
}

/** A dialog asking for one line of text (subject, nickname, a moderation reason). */
export function promptDialog(container: HTMLElement, options: PromptOptions): ModalDialog {
  const { t } = options;
  const dialog = new ModalDialog(
    renderElement<HTMLDialogElement>(
      promptTemplate,
      { id: options.id, title: options.title, text: options.text ?? '', label: options.label, value: options.value ?? '', submit: options.submit, danger: options.danger === true },
      t,
    ),
  );
  const field = dialog.field('value');
  dialog.element.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const value = field.value.trim();
    if (!options.optional && value === '') {
      dialog.showError(t('error_empty_field', { field: options.label }));
      field.focus();
      return;
    }
    void dialog.run(() => options.onSubmit(value)).then(() => {
      if (dialog.element.open) {
        field.focus();
        field.select();
      }
    });
  });
  dialog.open(container, field);
  field.select();
  return dialog;
}
