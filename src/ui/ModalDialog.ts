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
