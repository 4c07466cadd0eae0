import Handlebars from 'handlebars/runtime';
import { Translate } from '../i18n';

/**
 * Renders precompiled Handlebars templates (template/*.hbs) into elements. `{{t "key"}}` in a
 * template translates through the widget's own translator, passed as template data so that two
 * widgets in one page may speak different languages. Everything a template interpolates with
 * `{{ }}` is HTML-escaped, and templates carry no inline styles or handlers (CSP).
 */
Handlebars.registerHelper('t', function (this: unknown, key: string, options: { data?: { t?: Translate }; hash?: Record<string, string> }) {
  const t = options.data?.t;
  return t ? t(key, options.hash) : key;
});

export type TemplateFn = (context?: unknown, options?: { data?: Record<string, unknown> }) => string;

export function renderElement<T extends Element = HTMLElement>(template: TemplateFn, context: unknown, t: Translate): T {
  const holder = document.createElement('template');
  holder.innerHTML = template(context, { data: { t } }).trim();
  const el = holder.content.firstElementChild;
  if (!el) {
    throw new Error('template rendered nothing');
  }
  return el as T;
}
