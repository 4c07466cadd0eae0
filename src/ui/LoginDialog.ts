import loginTemplate from '../../template/loginDialog.hbs';
import { Translate } from '../i18n';
import { renderElement } from './templates';

export interface LoginRequest {
  username: string;
  password: string;
  /** Only when the dialog asked for it (no loadConnectionOptions configured). */
  url?: string;
}

export interface LoginDialogOptions {
  t: Translate;
  id: string;
  username?: string;
  askUrl: boolean;
  /** Performs the login; a rejection's message is shown in the dialog, which stays open. */
  onSubmit: (request: LoginRequest) => Promise<void>;
}

/**
 * The `Log in` dialog (ui-contract: Dialogs). A native modal <dialog>: focus moves into it,
 * Escape closes it, the page behind is inert. The password lives only in the input element and
 * the login call, never in storage.
 */
export class LoginDialog {
  readonly element: HTMLDialogElement;
  private form: HTMLFormElement;
  private error: HTMLElement;
  private busy = false;

  constructor(private readonly options: LoginDialogOptions) {
    this.element = renderElement<HTMLDialogElement>(loginTemplate, { id: options.id, username: options.username ?? '', askUrl: options.askUrl, url: '' }, options.t);
    this.form = this.element.querySelector('form')!;
    this.error = this.element.querySelector('[role="alert"]')!;
    this.form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.submit();
    });
    this.element.querySelector('.jsxc-dialog__cancel')!.addEventListener('click', () => this.close());
    this.element.addEventListener('close', () => this.element.remove());
  }

  open(container: HTMLElement): void {
    container.appendChild(this.element);
    this.element.showModal();
    const username = this.field('username');
    (username.value ? this.field('password') : username).focus();
  }

  close(): void {
    this.field('password').value = '';
    if (this.element.open) {
      this.element.close();
    } else {
      this.element.remove();
    }
  }

  private field(name: string): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }

  private async submit(): Promise<void> {
    if (this.busy) {
      return;
    }
    const username = this.field('username').value.trim();
    const password = this.field('password').value;
    const url = this.options.askUrl ? this.field('url').value.trim() : undefined;
    if (!username || !password) {
      this.showError(this.options.t('error_missing_credentials'));
      return;
    }
    if (this.options.askUrl && !url) {
      this.showError(this.options.t('error_no_server'));
      return;
    }
    this.busy = true;
    this.element.setAttribute('aria-busy', 'true');
    this.showError('');
    try {
      await this.options.onSubmit({ username, password, url });
      this.close();
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
      this.field('password').select();
    } finally {
      this.busy = false;
      this.element.removeAttribute('aria-busy');
    }
  }

  private showError(message: string): void {
    this.error.textContent = message;
  }
}
