// JSXC.register(service, domain, callback?) — XEP-0077 against the real Prosody (registration on).
import { Page } from 'playwright-core';
import { openPage } from '../helpers/browser';
import { axeViolations } from '../helpers/axe';
import { useBrowserAndSite } from '../helpers/e2e-suite';
import { freshUser, getTestServer, sessionsOf, uniqueUsername } from '../helpers/test-server';

const e2e = useBrowserAndSite();

type Field = { var?: string; type: string; label?: string; required: boolean; values: string[]; value?: unknown };
type Form = { type: string; title?: string; instructions?: string; fields: Field[] };
type W = {
  JSXC: { register(s: unknown, d: unknown, cb?: unknown): Promise<void> } & (new (o?: object) => { start(...a: string[]): Promise<void>; disconnect(): Promise<void> });
  seen: Form[];
};

/** Registers through the API with a callback that fills username and password. */
function registerWithCallback(page: Page, url: string, domain: string, username: string, password: string): Promise<string> {
  return page.evaluate(
    ({ url, domain, username, password }) => {
      const w = window as unknown as W;
      w.seen = [];
      return w.JSXC.register(url, domain, async (form: Form) => {
        w.seen.push(JSON.parse(JSON.stringify(form)));
        for (const field of form.fields) {
          if (field.var === 'username') field.value = username;
          if (field.var === 'password') field.value = password;
        }
        return form;
      }).then(
        () => 'registered',
        (e: Error & { condition?: string }) => `${e.name} ${e.condition ?? ''}: ${e.message}`,
      );
    },
    { url, domain, username, password },
  );
}

async function canLogIn(page: Page, url: string, jid: string, password: string): Promise<boolean> {
  const ok = await page.evaluate(
    async ({ url, jid, password }) => {
      const jsxc = new (window as unknown as W).JSXC();
      await jsxc.start(url, jid, password);
      return jsxc;
    },
    { url, jid, password },
  ).then(
    () => true,
    () => false,
  );
  return ok && (await sessionsOf(jid)).length === 1;
}

describe.each([
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => e2e.site.wsUrl],
])('over %s', (_name, serviceUrl) => {
  it('registers with the host\'s callback (data form), and the new account can log in', async () => {
    const { domain } = getTestServer();
    const username = uniqueUsername('reg');
    const { page, errors } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
    expect(await registerWithCallback(page, serviceUrl(), domain, username, 'new-secret')).toBe('registered');
    const [form] = await page.evaluate(() => (window as unknown as W).seen);
    // Prosody sends a XEP-0004 data form: FORM_TYPE hidden, username and password required
    expect(form.fields.map((f) => [f.var, f.type, f.required])).toEqual([
      ['FORM_TYPE', 'hidden', false],
      ['username', 'text-single', true],
      ['password', 'text-private', true],
    ]);
    expect(await canLogIn(page, '/http-bind/', `${username}@${domain}`, 'new-secret')).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

it('a taken username rejects with condition "conflict" and says so', async () => {
  const taken = await freshUser();
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  const result = await registerWithCallback(page, '/http-bind/', getTestServer().domain, taken.username, 'other');
  expect(result).toBe('RegistrationError conflict: The username is taken: please choose another one (The requested username already exists.)');
  // the old password still works
  expect(await canLogIn(page, '/http-bind/', taken.jid, taken.password)).toBe(true);
  await page.context().close();
});

it('a missing password rejects with condition "not-acceptable"', async () => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  const result = await registerWithCallback(page, '/http-bind/', getTestServer().domain, uniqueUsername('reg'), '');
  expect(result).toMatch(/^RegistrationError not-acceptable: The server did not accept the registration/);
  await page.context().close();
});

it('a domain the server does not serve rejects with condition "host-unknown"', async () => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  const result = await registerWithCallback(page, '/http-bind/', 'not-served.example', 'someone', 'pw');
  expect(result).toMatch(/^RegistrationError host-unknown: /);
  await page.context().close();
});

it('without a callback the Register dialog asks; a taken name is shown and can be corrected', async () => {
  const taken = await freshUser();
  const username = uniqueUsername('reg');
  const { domain } = getTestServer();
  const { page, errors } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  await page.evaluate(({ domain }) => {
    const w = window as unknown as W & { outcome?: string };
    void w.JSXC.register('/http-bind/', domain).then(
      () => (w.outcome = 'registered'),
      (e: Error) => (w.outcome = e.message),
    );
  }, { domain });
  const dialog = page.getByRole('dialog', { name: 'Register' });
  await dialog.waitFor();
  // focus starts in the first field
  expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('text');
  await dialog.getByRole('textbox', { name: 'Username' }).fill(taken.username);
  await dialog.getByLabel('Password').fill('pw-1');
  await dialog.getByRole('button', { name: 'Register' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'This username is taken' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await dialog.getByRole('textbox', { name: 'Username' }).fill(username);
  await dialog.getByLabel('Password').fill('pw-2');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  // the promise settles once the registration stream is closed, right after the dialog
  await page.waitForFunction(() => (window as unknown as { outcome?: string }).outcome);
  expect(await page.evaluate(() => (window as unknown as { outcome?: string }).outcome)).toBe('registered');
  expect(await canLogIn(page, '/http-bind/', `${username}@${domain}`, 'pw-2')).toBe(true);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('Escape in the Register dialog cancels: the promise rejects saying so', async () => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  await page.evaluate((domain) => {
    const w = window as unknown as W & { outcome?: string };
    void w.JSXC.register('/http-bind/', domain).then(
      () => (w.outcome = 'registered'),
      (e: Error & { condition: string }) => (w.outcome = `${e.condition}: ${e.message}`),
    );
  }, getTestServer().domain);
  const dialog = page.getByRole('dialog', { name: 'Register' });
  await dialog.waitFor();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.waitForFunction(() => (window as unknown as { outcome?: string }).outcome);
  expect(await page.evaluate(() => (window as unknown as { outcome?: string }).outcome)).toBe('cancelled: The registration was cancelled');
  await page.context().close();
});

it.each([
  [[42, 'localhost'], 'TypeError: register(service, domain, callback?): The XMPP service URL must be a non-empty string, got number'],
  [['/http-bind/', undefined], 'TypeError: register(service, domain, callback?): domain must be a domain name like example.org, got nothing (undefined)'],
  [['/http-bind/', 'localhost', 'fill me'], 'TypeError: register(service, domain, callback?): callback must be a function (form) => Promise<form>, got the string "fill me"'],
])('bad input %j rejects with a TypeError', async (args, message) => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  const result = await page.evaluate(
    (args) =>
      (window as unknown as W).JSXC.register(...(args as [unknown, unknown, unknown])).then(
        () => 'registered',
        (e: Error) => `${e.name}: ${e.message}`,
      ),
    args,
  );
  expect(result).toBe(message);
  await page.context().close();
});

it('a callback that resolves something other than a form rejects with a TypeError', async () => {
  const { page } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  const result = await page.evaluate(
    (domain) =>
      (window as unknown as W).JSXC.register('/http-bind/', domain, async () => 'done').then(
        () => 'registered',
        (e: Error) => `${e.name}: ${e.message}`,
      ),
    getTestServer().domain,
  );
  expect(result).toBe('TypeError: register(): the callback must resolve to the form (an object with "fields"), got string');
  await page.context().close();
});
