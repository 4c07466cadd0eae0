import { $build } from 'strophe.js';
import { appendSubmitForm, DataForm, NS_DATA, parseDataForm } from './dataForm';
import { childElements, childText, firstChild } from './xml';

/** XEP-0077 in-band registration: the form in a jabber:iq:register query, and the answer to it. */
export const NS_REGISTER = 'jabber:iq:register';
export const NS_REGISTER_FEATURE = 'http://jabber.org/features/iq-register';

/** The legacy fields of XEP-0077 §14.1 that we offer when the server sends no data form. */
const LEGACY_FIELDS = ['username', 'nick', 'password', 'name', 'first', 'last', 'email', 'address', 'city', 'state', 'zip', 'phone', 'url', 'date'];

export interface RegistrationForm {
  form: DataForm;
  /** whether the server sent a data form (then we answer with one) or legacy fields */
  dataForm: boolean;
}

/** Reads the registration form from the server's query result (prefers the data form). */
export function parseRegistrationQuery(query: Element): RegistrationForm {
  if (firstChild(query, 'registered')) {
    throw new RegistrationError('registered', 'This stream is registered already');
  }
  const x = childElements(query, 'x', NS_DATA).find((el) => (el.getAttribute('type') ?? 'form') === 'form');
  if (x) {
    const form = parseDataForm(x);
    form.instructions ??= childText(query, 'instructions');
    return { form, dataForm: true };
  }
  return {
    dataForm: false,
    form: {
      type: 'form',
      instructions: childText(query, 'instructions'),
      fields: LEGACY_FIELDS.filter((name) => firstChild(query, name)).map((name) => {
        const values = [childText(query, name) ?? ''].filter((v) => v !== '');
        return { var: name, type: name === 'password' ? 'text-private' : 'text-single', label: name, required: true, values, value: values[0], options: [] };
      }),
    },
  };
}

/** The query of the registration request for a filled form. */
export function buildRegistrationSubmit(filled: DataForm, dataForm: boolean): Element {
  const query = $build('query', { xmlns: NS_REGISTER });
  if (dataForm) {
    const tree = query.tree();
    appendSubmitForm(tree, filled);
    return tree;
  }
  for (const field of filled.fields) {
    // as in data forms, `value` wins over `values`
    const value = field.value !== undefined ? field.value : field.values[0];
    if (field.var && LEGACY_FIELDS.includes(field.var) && typeof value === 'string' && value !== '') {
      query.c(field.var).t(value).up();
    }
  }
  return query.tree();
}

const MESSAGES: Record<string, string> = {
  conflict: 'The username is taken: please choose another one',
  'not-acceptable': 'The server did not accept the registration: a required field is missing or a value is not allowed',
  'not-allowed': 'The server does not allow registration (from here, or not now)',
  'bad-request': 'The server could not read the registration request',
  'service-unavailable': 'The server does not offer in-band registration',
  'feature-not-implemented': 'The server does not offer in-band registration',
  'resource-constraint': 'The server is too busy to register an account now: please try again later',
  'policy-violation': 'The server refused the registration by policy',
};

/** Why a registration failed; `condition` is the XMPP error condition (or one of ours). */
export class RegistrationError extends Error {
  constructor(
    public readonly condition: string,
    message: string,
    /** the server's own explanation, if it gave one */
    public readonly text?: string,
  ) {
    super(message);
    this.name = 'RegistrationError';
  }

  static fromCondition(condition: string, text?: string): RegistrationError {
    const base = MESSAGES[condition] ?? `The registration failed: ${condition}`;
    return new RegistrationError(condition, text ? `${base} (${text})` : base, text);
  }
}
