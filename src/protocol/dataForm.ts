/**
 * XEP-0004 data forms as plain JSON, so that the API (manual §3.6.4/§3.6.5) and the UI never touch
 * XML. The JSON shape is documented in docs/muc.md.
 */
import { appendChild, childElements, childText, firstChild } from './xml';

export const NS_DATA = 'jabber:x:data';

export type DataFormType = 'form' | 'submit' | 'cancel' | 'result';

export type DataFormFieldType =
  | 'boolean'
  | 'fixed'
  | 'hidden'
  | 'jid-multi'
  | 'jid-single'
  | 'list-multi'
  | 'list-single'
  | 'text-multi'
  | 'text-private'
  | 'text-single';

export interface DataFormOption {
  label?: string;
  value: string;
}

export interface DataFormField {
  /** the field's name (absent only for "fixed" fields) */
  var?: string;
  /** XEP-0004 §3.3; "text-single" when the form does not say */
  type: DataFormFieldType;
  label?: string;
  desc?: string;
  required: boolean;
  /** every <value/>, in order (booleans as "1"/"0"/"true"/"false" as sent) */
  values: string[];
  /**
   * The value(s) in JSON terms: boolean for "boolean", string[] for "*-multi", string otherwise
   * (undefined when there is none). When submitting, `value` wins over `values` if set.
   */
  value?: string | boolean | string[];
  /** choices of list-single / list-multi */
  options: DataFormOption[];
}

export interface DataForm {
  type: DataFormType;
  title?: string;
  instructions?: string;
  fields: DataFormField[];
}

const FIELD_TYPES: DataFormFieldType[] = ['boolean', 'fixed', 'hidden', 'jid-multi', 'jid-single', 'list-multi', 'list-single', 'text-multi', 'text-private', 'text-single'];

/** Thrown for a form (from the server or from the API caller) that is not a valid data form. */
export class DataFormError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'DataFormError';
  }
}

function isMulti(type: DataFormFieldType): boolean {
  return type === 'jid-multi' || type === 'list-multi' || type === 'text-multi';
}

function jsonValue(type: DataFormFieldType, values: string[]): DataFormField['value'] {
  if (type === 'boolean') {
    return values[0] === '1' || values[0] === 'true';
  }
  if (isMulti(type)) {
    return [...values];
  }
  return values[0];
}

/** Reads an <x xmlns="jabber:x:data"/> element. */
export function parseDataForm(x: Element): DataForm {
  if (x.localName !== 'x' || x.namespaceURI !== NS_DATA) {
    throw new DataFormError(`Expected <x xmlns="${NS_DATA}"/>, got <${x.localName}/>`);
  }
  const type = (x.getAttribute('type') ?? 'form') as DataFormType;
  const form: DataForm = { type, fields: [] };
  const title = childText(x, 'title', NS_DATA);
  if (title !== undefined) {
    form.title = title;
  }
  const instructions = childElements(x, 'instructions', NS_DATA).map((el) => el.textContent ?? '');
  if (instructions.length > 0) {
    form.instructions = instructions.join('\n');
  }
  for (const el of childElements(x, 'field', NS_DATA)) {
    const rawType = el.getAttribute('type') as DataFormFieldType | null;
    const fieldType: DataFormFieldType = rawType && FIELD_TYPES.includes(rawType) ? rawType : 'text-single';
    const values = childElements(el, 'value', NS_DATA).map((v) => v.textContent ?? '');
    const field: DataFormField = {
      type: fieldType,
      required: firstChild(el, 'required', NS_DATA) !== undefined,
      values,
      value: jsonValue(fieldType, values),
      options: childElements(el, 'option', NS_DATA).map((o) => {
        const option: DataFormOption = { value: childText(o, 'value', NS_DATA) ?? '' };
        const label = o.getAttribute('label');
        if (label !== null) {
          option.label = label;
        }
        return option;
      }),
    };
    const name = el.getAttribute('var');
    if (name !== null) {
      field.var = name;
    }
    const label = el.getAttribute('label');
    if (label !== null) {
      field.label = label;
    }
    const desc = childText(el, 'desc', NS_DATA);
    if (desc !== undefined) {
      field.desc = desc;
    }
    form.fields.push(field);
  }
  return form;
}

/** The values a field submits: from `value` if the caller set it, else `values`. */
function submittedValues(field: DataFormField): string[] {
  const { value } = field;
  if (value === undefined || value === null) {
    return Array.isArray(field.values) ? field.values.map(String) : [];
  }
  if (typeof value === 'boolean') {
    return [value ? '1' : '0'];
  }
  if (Array.isArray(value)) {
    return value.map(String);
  }
  if (typeof value === 'number') {
    return [String(value)];
  }
  if (typeof value !== 'string') {
    throw new DataFormError(`Field "${field.var}": value must be a string, a boolean or an array of strings`);
  }
  return field.type && isMulti(field.type) ? value.split('\n') : [value];
}

/** Checks a form the API caller passes (e.g. to submitRoomConfigurationForm) and names what is wrong. */
export function checkDataForm(form: unknown): DataForm {
  const f = form as Partial<DataForm>;
  if (!f || typeof f !== 'object' || !Array.isArray(f.fields)) {
    throw new DataFormError('A data form must be an object with a "fields" array (as getRoomConfigurationForm() returns it)');
  }
  f.fields.forEach((field, i) => {
    if (!field || typeof field !== 'object') {
      throw new DataFormError(`Field ${i} of the form is not an object`);
    }
    if (field.type !== 'fixed' && (typeof field.var !== 'string' || field.var === '')) {
      throw new DataFormError(`Field ${i} of the form has no "var" (its name)`);
    }
    if (field.type !== undefined && !FIELD_TYPES.includes(field.type)) {
      throw new DataFormError(`Field "${field.var}" has an unknown type ${JSON.stringify(field.type)}`);
    }
  });
  return f as DataForm;
}

/**
 * Appends a submit form (type "submit") with the given form's values to `parent`. Fixed fields are
 * not sent; every other field is sent with its current value(s), so a form read with
 * parseDataForm() and changed in a few places submits as a whole.
 */
export function appendSubmitForm(parent: Element, form: DataForm): Element {
  checkDataForm(form);
  const x = appendChild(parent, 'x', { xmlns: NS_DATA, type: 'submit' });
  for (const field of form.fields) {
    if (field.type === 'fixed' || !field.var) {
      continue;
    }
    const f = appendChild(x, 'field', { var: field.var, ...(field.type ? { type: field.type } : {}) });
    for (const value of submittedValues(field)) {
      appendChild(f, 'value', {}, value);
    }
  }
  return x;
}

/** Looks a field up by its var. */
export function formField(form: DataForm, name: string): DataFormField | undefined {
  return form.fields.find((f) => f.var === name);
}

/** Sets a field's value (adding a text-single field if the form has none of that name). */
export function setFormValue(form: DataForm, name: string, value: string | boolean | string[]): void {
  const field = formField(form, name);
  if (field) {
    field.value = value;
  } else {
    form.fields.push({ var: name, type: typeof value === 'boolean' ? 'boolean' : Array.isArray(value) ? 'text-multi' : 'text-single', required: false, values: [], value, options: [] });
  }
}
