import type { Translate } from '../../i18n';
import { MucError, mucErrorTexts } from '../../plugins/muc/errors';

/** The lines a person reads for a room's error: translated MucError keys, else the error's message. */
export function roomErrorLines(t: Translate, err: unknown): string[] {
  if (err instanceof MucError) {
    return mucErrorTexts(err).map((line) => t(line.key, line.values));
  }
  return [err instanceof Error ? err.message : String(err)];
}

/** Shows lines in a dialog's role="alert" element, one paragraph each ([] clears it). */
export function showAlert(alert: Element, lines: string[]): void {
  alert.replaceChildren(
    ...lines.map((line) => {
      const p = document.createElement('p');
      p.textContent = line;
      return p;
    }),
  );
}
