import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { Browser } from 'playwright-core';
import { launchBrowser, openPage } from '../helpers/browser';

// `npm run demo` as a person runs it (minus the build, which the test run has done): it starts its
// own Prosody and web server, and a login through the example site's own form reaches the roster.
const ROOT = path.join(__dirname, '../..');
let browser: Browser;
let demo: ChildProcess;
let output = '';

beforeAll(async () => {
  browser = await launchBrowser();
  demo = spawn(process.execPath, [path.join(ROOT, 'scripts/demo.js'), '--no-build', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout!.on('data', (d) => (output += d));
  demo.stderr!.on('data', (d) => (output += d));
  const end = Date.now() + 30000;
  while (!/Press Ctrl\+C to stop/.test(output)) {
    if (Date.now() > end || demo.exitCode !== null) {
      throw new Error(`the demo did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}, 40000);

afterAll(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once('exit', r));
    demo.kill('SIGINT');
    await exited;
  }
});

it('prints the URL and the three logins', () => {
  expect(output).toMatch(/JSXC demo running: http:\/\/127\.0\.0\.1:\d+\//);
  for (const login of ['alice@localhost  /  alice-pass', 'bob@localhost  /  bob-pass', 'carol@localhost  /  carol-pass']) {
    expect(output).toContain(login);
  }
});

it('a login through the example site form reaches the roster with the other demo users', async () => {
  const url = output.match(/JSXC demo running: (http:\/\/127\.0\.0\.1:\d+)\//)![1];
  const { page, errors } = await openPage(browser, `${url}/`);
  await page.getByRole('textbox', { name: 'Username' }).fill('alice');
  await page.getByLabel('Password').fill('alice-pass');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // the site's own login went on after the chat login
  await page.getByRole('heading', { name: 'Hello, alice' }).waitFor();
  const panel = page.getByRole('complementary', { name: 'Chat' });
  const contacts = panel.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
  await contacts.filter({ hasText: 'Bob' }).waitFor();
  await contacts.filter({ hasText: 'Carol' }).waitFor();
  expect(await panel.getByRole('status', { name: 'Connection' }).textContent()).toBe('Online');
  // the site's logout disconnects the chat
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  expect(await panel.getByRole('status', { name: 'Connection' }).textContent()).toBe('Offline');
  expect(errors).toEqual([]);
});

it('stops everything on Ctrl+C', async () => {
  const pid = Number(output.match(/Prosody\s+pid (\d+)/)![1]);
  const exited = new Promise<number | null>((r) => demo.once('exit', (code) => r(code)));
  demo.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(isAlive(pid)).toBe(false);
});

/** Whether a process runs (a zombie that its new parent has not reaped yet does not count). */
function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
