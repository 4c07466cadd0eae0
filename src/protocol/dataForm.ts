import { $build } from 'strophe.js';
import { childElements, childText, firstChild } from './xml';

/** XEP-0004 data forms, as plain data (what JSXC.register() hands to the host's callback). */
export const NS_DATA = 'jabber:x:data';

export type FieldType = 'boolean' | 'fixed' | 'hidden' | 'jid-multi' | 'jid-single' | 'list-multi' | 'list-single' | 'text-multi' | 'text-private' | 'text-single';

export interface FormField {
  /** the field's "var" (absent for fixed fields) */
  name?: string;
  type: FieldType;
  label?: string;
  description?: string;
  required: boolean;
  values: string[];
  options?: Array<{ label?: string; value: string }>;
}

export interface Form {
  type: 'form' | 'submit' | 'cancel' | 'result';
  title?: string;
  instructions?: string;
  fields: FormField[];
}

const TYPES: FieldType[] = ['boolean', 'fixed', 'hidden', 'jid-multi', 'jid-single', 'list-multi', 'list-single', 'text-multi', 'text-private', 'text-single'];

export function parseDataForm(x: Element): Form {
  const type = x.getAttribute('type');
  return {
    type: type === 'submit' || type === 'cancel' || type === 'result' ? type : 'form',
    title: childText(x, 'title'),
    instructions: childElements(x, 'instructions')
      .map((i) => i.textContent ?? '')
      .join('\n') || undefined,
    fields: childElements(x, 'field').map((f) => {
      const rawType = f.getAttribute('type') as FieldType | null;
      const options = childElements(f, 'option').map((o) => ({ label: o.getAttribute('label') ?? undefined, value: childText(o, 'value') ?? '' }));
      return {
        name: f.getAttribute('var') ?? undefined,
        type: rawType && TYPES.includes(rawType) ? rawType : 'text-single',
        label: f.getAttribute('label') ?? undefined,
        description: childText(f, 'desc'),
        required: firstChild(f, 'required') !== undefined,
        values: childElements(f, 'value').map((v) => v.textContent ?? ''),
        ...(options.length ? { options } : {}),
      };
    }),
  };
}

/** The submit form for a filled form (XEP-0004 §3.3): every field with a name, fixed ones left out. */
export function buildSubmitForm(form: Form): Element {
  const x = $build('x', { xmlns: NS_DATA, type: 'submit' });
  for (const field of form.fields) {
    if (!field.name || field.type === 'fixed') {
      continue;
    }
    x.c('field', { var: field.name });
    for (const value of field.values) {
      x.c('value').t(value).up();
    }
    x.up();
  }
  return x.tree();
}

/** Checks a form returned by the host's callback; a TypeError names what is wrong. */
export function checkForm(input: unknown, where: string): Form {
  const form = input as Form;
  if (!form || typeof form !== 'object' || !Array.isArray(form.fields)) {
    throw new TypeError(`${where} must resolve to the form (an object with "fields"), got ${input === null ? 'null' : typeof input}`);
  }
  for (const field of form.fields) {
    if (!field || typeof field !== 'object' || !Array.isArray(field.values) || field.values.some((v) => typeof v !== 'string')) {
      throw new TypeError(`${where}: every field needs "values", an array of strings (field ${JSON.stringify(field?.name)})`);
    }
  }
  return form;
}
