import registerTemplate from '../../template/registerDialog.hbs';
import { Translate } from '../i18n';
import { DataForm } from '../protocol/dataForm';
import { RegistrationError } from '../protocol/register';
import { DataFormView } from './DataFormView';
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
  private view?: DataFormView;
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
    this.view = new DataFormView(form, {
      t: this.t,
      id: this.id,
      labelFor: (f) => {
        const known = f.var ? KNOWN_LABELS[f.var] : undefined;
        return known && (!f.label || f.label.toLowerCase() === f.var) ? this.t(known) : undefined;
      },
      autocompleteFor: (f) => (f.var && AUTOCOMPLETE[f.var]) ?? 'off',
    });
    const dialog = renderElement<HTMLDialogElement>(registerTemplate, { id: this.id, title: form.title, instructions: form.instructions }, this.t);
    dialog.querySelector('.jsxc-register__fields')!.replaceWith(this.view.element);
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
    const missing = this.view!.missingRequired();
    if (missing) {
      dialog.querySelector('[role="alert"]')!.textContent = this.t('register_missing_field', { field: missing.label });
      missing.control.focus();
      return;
    }
    const filled = this.view!.read();
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
