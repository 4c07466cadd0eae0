import registerTemplate from '../../template/registerDialog.hbs';
import { Translate } from '../i18n';
import { DataForm } from '../protocol/dataForm';
import { RegistrationError } from '../protocol/register';
import { renderElement } from './templates';

const KNOWN_LABELS: Record<string, string> = { username: 'Username', password: 'Password', email: 'Email', nick: 'Nickname', name: 'Full_name' };
const AUTOCOMPLETE: Record<string, string> = { username: 'username', password: 'new-password', email: 'email', nick: 'nickname', name: 'name' };

/**
 * The `Register` dialog of JSXC.register() without a callback: renders the server's registration
 * form (data form or legacy fields) and hands back the filled form. After an error the user can
 * fix (username taken…) it stays open and shows the error; Cancel or Escape ends the registration.
 */
export class RegisterDialog {
  private element?: HTMLDialogElement;
  private form?: DataForm;
  private pending?: { resolve: (f: DataForm) => void; reject: (e: Error) => void };

  constructor(
    private readonly container: HTMLElement,
    private readonly t: Translate,
    private readonly id: string,
  ) {}

  fill(form: DataForm, previousError?: RegistrationError): Promise<DataForm> {
    if (!this.element) {
      this.open(form);
    }
    if (previousError) {
      this.element!.querySelector('[role="alert"]')!.textContent = this.t(`register_error_${previousError.condition}`, { defaultValue: previousError.message });
      this.element!.removeAttribute('aria-busy');
      (this.element!.querySelector('input:not([type="checkbox"])') as HTMLInputElement | null)?.focus();
    }
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
    });
  }

  close(): void {
    const el = this.element;
    this.element = undefined;
    if (el?.open) {
      el.close();
    }
    el?.remove();
  }

  private open(form: DataForm): void {
    this.form = form;
    const fields = form.fields
      .map((f, index) => ({ f, index }))
      .filter(({ f }) => f.type !== 'hidden')
      .map(({ f, index }) => {
        const known = f.var ? KNOWN_LABELS[f.var] : undefined;
        const label = (known && (!f.label || f.label.toLowerCase() === f.var) ? this.t(known) : f.label || f.var || '') + (f.required ? ' *' : '');
        return {
          index,
          label,
          description: f.desc,
          required: f.required,
          fixed: f.type === 'fixed',
          boolean: f.type === 'boolean',
          checked: f.values[0] === '1' || f.values[0] === 'true',
          list: f.type === 'list-single',
          options: (f.options ?? []).map((o) => ({ value: o.value, label: o.label ?? o.value, selected: f.values.includes(o.value) })),
          value: f.type === 'text-private' ? '' : f.values.join(f.type === 'fixed' ? '\n' : ', '),
          inputType: f.type === 'text-private' ? 'password' : 'text',
          autocomplete: (f.var && AUTOCOMPLETE[f.var]) ?? 'off',
        };
      });
    const dialog = renderElement<HTMLDialogElement>(registerTemplate, { id: this.id, title: form.title, instructions: form.instructions, fields }, this.t);
    this.element = dialog;
    dialog.querySelector('form')!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.submit();
    });
    dialog.querySelector('.jsxc-dialog__cancel')!.addEventListener('click', () => this.cancel());
    dialog.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      this.cancel();
    });
    this.container.appendChild(dialog);
    dialog.showModal();
    (dialog.querySelector('input:not([type="checkbox"]), select') as HTMLElement | null)?.focus();
  }

  private submit(): void {
    const dialog = this.element!;
    const missing = Array.from(dialog.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-field][required]')).find((el) => el.value.trim() === '');
    if (missing) {
      dialog.querySelector('[role="alert"]')!.textContent = this.t('register_missing_field', { field: dialog.querySelector(`label[for="${missing.id}"]`)?.textContent?.replace(/ \*$/, '') ?? '' });
      missing.focus();
      return;
    }
    const filled: DataForm = { ...this.form!, type: 'submit', fields: this.form!.fields.map((f) => ({ ...f, values: [...f.values] })) };
    for (const el of Array.from(dialog.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-field]'))) {
      const field = filled.fields[Number(el.dataset.field)];
      if (el instanceof HTMLInputElement && el.type === 'checkbox') {
        field.value = el.checked;
        field.values = [el.checked ? '1' : '0'];
      } else {
        field.values = el.value === '' ? [] : [field.type === 'text-private' ? el.value : el.value.trim()];
        field.value = field.values[0] ?? '';
      }
    }
    dialog.querySelector('[role="alert"]')!.textContent = '';
    dialog.setAttribute('aria-busy', 'true');
    this.pending?.resolve(filled);
    this.pending = undefined;
  }

  private cancel(): void {
    this.close();
    this.pending?.reject(new RegistrationError('cancelled', 'The registration was cancelled'));
    this.pending = undefined;
  }
}
