import type { Translate } from '../../i18n';

/**
 * The lines of a message log between its messages: a date line where a day begins and the unread
 * line, by class and text, reused while they stay in the log (a line replaced by an equal new one
 * would be a DOM change). Only those in the log are kept (`dropDetached`): a window that went
 * through months of messages does not keep a line per day. Also the day of a message time, cached
 * per minute (a burst asks for the same few minutes thousands of times).
 */
export class LogLines {
  private lines = new Map<string, HTMLElement>();
  /** minute → its day (`Date.toDateString`); a minute never straddles two days in any time zone */
  private days = new Map<number, string>();
  private dateFormat: Intl.DateTimeFormat;

  constructor(
    private readonly log: HTMLElement,
    private readonly t: Translate,
    lang: string,
  ) {
    this.dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'full' });
  }

  /** The line with this text and class (the same element while it stays in the log). */
  line(text: string, className: string): HTMLElement {
    const key = className + text;
    let p = this.lines.get(key);
    if (!p) {
      p = document.createElement('p');
      p.className = className;
      p.textContent = text;
      this.lines.set(key, p);
    }
    return p;
  }

  /** Forgets the lines that are no longer in the log (after a render that may have removed some). */
  dropDetached(): void {
    for (const [key, p] of this.lines) {
      if (p.parentNode !== this.log) {
        this.lines.delete(key);
      }
    }
  }

  /** The day (`Date.toDateString`) of a time. */
  dayOf(timestamp: number): string {
    const minute = Math.floor(timestamp / 60000);
    let day = this.days.get(minute);
    if (day === undefined) {
      if (this.days.size > 10000) {
        this.days.clear();
      }
      day = new Date(timestamp).toDateString();
      this.days.set(minute, day);
    }
    return day;
  }

  /** What a date line says: Today, Yesterday, or the full date in the widget's language. */
  dayText(timestamp: number): string {
    const day = new Date(timestamp).toDateString();
    if (day === new Date().toDateString()) {
      return this.t('Today');
    }
    if (day === new Date(Date.now() - 86400000).toDateString()) {
      return this.t('Yesterday');
    }
    return this.dateFormat.format(timestamp);
  }
}
