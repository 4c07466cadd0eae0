import fieldsTemplate from '../../template/dataFormFields.hbs';
import { Translate } from '../i18n';
import { DataForm, DataFormField } from '../protocol/dataForm';
import { renderElement } from './templates';

export interface DataFormViewOptions {
  t: Translate;
  /** prefix of the controls' ids (unique in the page) */
  id: string;
  /** a label of our own for a field (e.g. a translated "Username"); the form's label otherwise */
  labelFor?: (field: DataFormField) => string | undefined;
  /** the autocomplete attribute of a text field (default "off") */
  autocompleteFor?: (field: DataFormField) => string | undefined;
}

function isChecked(field: DataFormField): boolean {
  return typeof field.value === 'boolean' ? field.value : field.values[0] === '1' || field.values[0] === 'true';
}

function currentValues(field: DataFormField): string[] {
  if (Array.isArray(field.value)) return field.value;
  if (typeof field.value === 'string') return [field.value];
  return field.values;
}

/**
 * An XEP-0004 data form (as JSON, src/protocol/dataForm.ts) rendered as form controls: text-single
 * and jid-single as text inputs, text-private as a password input, text-multi and jid-multi as a
 * textarea (one value per line), boolean as a checkbox, list-single as a select, list-multi as a
 * group of checkboxes, fixed as a paragraph; hidden fields are kept but not shown. Labels and
 * descriptions (desc) come from the form; everything is text (escaped by the template).
 * read() gives the form back (type "submit") with what the person entered.
 */
export class DataFormView {
  readonly element: HTMLElement;

  constructor(
    private readonly form: DataForm,
    options: DataFormViewOptions,
  ) {
    const fields = form.fields
      .map((f, index) => ({ f, index }))
      .filter(({ f }) => f.type !== 'hidden')
      .map(({ f, index }) => {
        const values = currentValues(f);
        const selected = (value: string) => values.includes(value);
        return {
          index,
          label: (options.labelFor?.(f) || f.label || f.var || '') + (f.required ? ' *' : ''),
          description: f.desc,
          required: f.required,
          fixed: f.type === 'fixed',
          boolean: f.type === 'boolean',
          checked: isChecked(f),
          listSingle: f.type === 'list-single',
          listMulti: f.type === 'list-multi',
          multiline: f.type === 'text-multi' || f.type === 'jid-multi',
          options: f.options.map((o) => ({ value: o.value, label: o.label ?? o.value, selected: selected(o.value) })),
          value: f.type === 'text-private' && f.var === 'password' ? '' : values.join('\n'),
          inputType: f.type === 'text-private' ? 'password' : 'text',
          autocomplete: options.autocompleteFor?.(f) ?? 'off',
        };
      });
    this.element = renderElement(fieldsTemplate, { id: options.id, fields }, options.t);
  }

  /** The first control (to focus when the form opens). */
  get firstControl(): HTMLElement | null {
    return this.element.querySelector<HTMLElement>('input, select, textarea');
  }

  /** The first required field left empty, with its label (without the " *"), or undefined. */
  missingRequired(): { control: HTMLElement; label: string } | undefined {
    const control = Array.from(this.element.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('[data-field][required]')).find(
      (el) => el.value.trim() === '',
    );
    if (!control) return undefined;
    const label = this.element.querySelector(`label[for="${control.id}"]`)?.textContent?.replace(/ \*$/, '') ?? '';
    return { control, label };
  }

  /** The form as filled in: type "submit", every field with `value` and `values` set from the controls. */
  read(): DataForm {
    const filled: DataForm = { ...this.form, type: 'submit', fields: this.form.fields.map((f) => ({ ...f, values: [...f.values], options: [...f.options] })) };
    for (const el of Array.from(this.element.querySelectorAll<HTMLElement>('[data-field]'))) {
      const field = filled.fields[Number(el.dataset.field)];
      if (el instanceof HTMLFieldSetElement) {
        field.values = Array.from(el.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:checked')).map((c) => c.value);
        field.value = field.values;
      } else if (el instanceof HTMLInputElement && el.type === 'checkbox') {
        field.value = el.checked;
        field.values = [el.checked ? '1' : '0'];
      } else if (el instanceof HTMLTextAreaElement) {
        field.values = el.value
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '');
        field.value = field.values;
      } else {
        const input = el as HTMLInputElement | HTMLSelectElement;
        const value = field.type === 'text-private' ? input.value : input.value.trim();
        field.values = value === '' ? [] : [value];
        field.value = value;
      }
    }
    return filled;
  }
}
