import { $iq } from 'strophe.js';
import { checkServiceUrl } from '../connection/transport';
import { openUnauthenticatedStream, StreamError } from '../connection/UnauthenticatedStream';
import { checkDataForm, DataForm } from '../protocol/dataForm';
import { buildRegistrationSubmit, NS_REGISTER, NS_REGISTER_FEATURE, parseRegistrationQuery, RegistrationError } from '../protocol/register';
import { firstChild } from '../protocol/xml';
import { StanzaError } from '../connection/errors';
import { describeValue } from './args';

export type { DataForm } from '../protocol/dataForm';
export { RegistrationError } from '../protocol/register';

/**
 * Asks for the filled form. `previousError` is set when the last submission failed in a way the
 * user can fix (username taken, a missing field): the same form may be sent again.
 */
export type FormFiller = (form: DataForm, previousError?: RegistrationError) => Promise<DataForm>;

const RETRIABLE = ['conflict', 'not-acceptable', 'bad-request'];

function checkArguments(service: unknown, domain: unknown, callback: unknown): void {
  try {
    checkServiceUrl(service);
  } catch (err) {
    throw new TypeError(`register(service, domain, callback?): ${(err as Error).message}`);
  }
  if (typeof domain !== 'string' || !/^[^\s@/]+$/.test(domain)) {
    throw new TypeError(`register(service, domain, callback?): domain must be a domain name like example.org, got ${describeValue(domain)}`);
  }
  if (callback !== undefined && typeof callback !== 'function') {
    throw new TypeError(`register(service, domain, callback?): callback must be a function (form) => Promise<form>, got ${describeValue(callback)}`);
  }
}

/**
 * manual §3.7.1: in-band registration (XEP-0077) on a stream to `domain` at `service` (BOSH, or
 * WebSocket for ws(s):// URLs). Fetches the form (data form or legacy fields), lets `fill` fill it
 * (the host's callback, or the registration dialog), submits it. Resolves once registered; rejects
 * with a RegistrationError whose `condition` says why (conflict: username taken, not-acceptable,
 * not-allowed…), or with a TypeError for bad arguments.
 */
export async function register(service: unknown, domain: unknown, callback: unknown, dialogFiller: () => Promise<{ fill: FormFiller; close(): void }>): Promise<void> {
  checkArguments(service, domain, callback);
  let stream;
  try {
    stream = await openUnauthenticatedStream((service as string).trim(), domain as string);
  } catch (err) {
    const e = err as StreamError;
    throw new RegistrationError(e.condition ?? 'unreachable', e.message);
  }
  let dialog: { fill: FormFiller; close(): void } | undefined;
  try {
    if (stream.features && !firstChild(stream.features, 'register', NS_REGISTER_FEATURE)) {
      throw RegistrationError.fromCondition('feature-not-implemented');
    }
    const answer = await stream.sendIQ($iq({ type: 'get', to: domain as string, id: `reg-${Date.now()}` }).c('query', { xmlns: NS_REGISTER }).tree());
    throwIfError(answer);
    const query = firstChild(answer, 'query', NS_REGISTER);
    if (!query) {
      throw RegistrationError.fromCondition('service-unavailable');
    }
    const { form, dataForm } = parseRegistrationQuery(query);
    let fill: FormFiller;
    if (callback) {
      fill = (f) => Promise.resolve((callback as (f: DataForm) => Promise<DataForm>)(f)).then(checkFilledForm);
    } else {
      dialog = await dialogFiller();
      fill = dialog.fill;
    }
    let lastError: RegistrationError | undefined;
    for (let attempt = 0; ; attempt++) {
      const filled = await fill(structuredClone(form), lastError);
      const result = await stream.sendIQ($iq({ type: 'set', to: domain as string, id: `reg-${Date.now()}-${attempt}` }).cnode(buildRegistrationSubmit(filled, dataForm)).tree());
      try {
        throwIfError(result);
        return;
      } catch (err) {
        // the host's callback decides itself; the dialog lets the user correct and try again
        if (callback || !RETRIABLE.includes((err as RegistrationError).condition)) {
          throw err;
        }
        lastError = err as RegistrationError;
      }
    }
  } finally {
    dialog?.close();
    await stream.close();
  }
}

/** What the host's callback resolved must be the form back. */
function checkFilledForm(filled: unknown): DataForm {
  if (!filled || typeof filled !== 'object' || !Array.isArray((filled as DataForm).fields)) {
    throw new TypeError(`register(): the callback must resolve to the form (an object with "fields"), got ${filled === null ? 'null' : typeof filled}`);
  }
  return checkDataForm(filled);
}

function throwIfError(iq: Element): void {
  if (iq.getAttribute('type') === 'error') {
    const error = StanzaError.from(iq);
    throw RegistrationError.fromCondition(error.condition, error.text);
  }
}
