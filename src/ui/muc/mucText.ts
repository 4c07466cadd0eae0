import type { Translate } from '../../i18n';
import { MucError, mucErrorTexts } from '../../plugins/muc/errors';

/** A MucError as one readable sentence (or a few) in the widget's language; other errors by their message. */
export function mucErrorText(t: Translate, error: unknown): string {
  if (error instanceof MucError) {
    return mucErrorTexts(error)
      .map((line) => t(line.key, line.values))
      .join(' ');
  }
  return error instanceof Error ? error.message : String(error);
}
