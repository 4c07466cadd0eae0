/**
 * A native modal <dialog> rendered from a template: focus moves into it, Escape closes it, the
 * page behind is inert, and it removes itself from the page when closed. Focus returns to what
 * had it before.
 */
export class ModalDialog {
  private returnFocus: HTMLElement | null = null;

  constructor(readonly element: HTMLDialogElement) {
    element.addEventListener('close', () => {
      element.remove();
      if (this.returnFocus?.isConnected) {
        this.returnFocus.focus();
      }
    });
    element.querySelectorAll('.jsxc-dialog__cancel').forEach((b) => b.addEventListener('click', () => this.close()));
  }

  open(container: HTMLElement, focus?: HTMLElement | null): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    container.appendChild(this.element);
    this.element.showModal();
    focus?.focus();
  }

  close(): void {
    if (this.element.open) {
      this.element.close();
    } else {
      this.element.remove();
    }
  }

  /** The form control with this name. */
  field<T extends HTMLElement = HTMLInputElement>(name: string): T {
    return this.element.querySelector(`[name="${name}"]`) as T;
  }

  /** Shows an error inside the dialog (its role="alert" paragraph); '' clears it. */
  showError(message: string): void {
    const alert = this.element.querySelector('[role="alert"]');
    if (alert) {
      alert.textContent = message;
    }
  }

  /**
   * Runs the dialog's action: busy while it runs, closes on success, shows the error's message
   * and stays open on failure.
   */
  async run(action: () => Promise<void>): Promise<void> {
    if (this.element.getAttribute('aria-busy') === 'true') {
      return;
    }
    this.element.setAttribute('aria-busy', 'true');
    this.showError('');
    try {
      await action();
      this.close();
    } catch (err) {
      this.showError(err instanceof Error ? err.message : String(err));
    } finally {
      this.element.removeAttribute('aria-busy');
    }
  }
}

/**
 * Shows a rendered native <dialog> as a modal (focus moves in, Escape closes, the page behind is
 * inert) and removes it once closed; focus returns to where it was.
 */
export function showModal(dialog: HTMLDialogElement, container: HTMLElement): void {
  const previous = document.activeElement as HTMLElement | null;
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (previous?.isConnected) {
      previous.focus();
    }
  });
  container.appendChild(dialog);
  dialog.showModal();
}
