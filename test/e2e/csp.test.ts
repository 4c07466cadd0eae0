import { openPage, STATUS, useBrowserAndSite } from '../helpers/browser';
import { freshFriends } from '../helpers/test-server';

// The bundle must run on a page whose policy forbids eval and inline code, loaded from any path,
// and its lazy chunks (here: the German locale, the session code and the dialogs) must load under that policy too.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:";
const env = useBrowserAndSite({ headers: { 'Content-Security-Policy': CSP } });

describe.each([
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => env.site.wsUrl],
])('under "%s" with a strict CSP', (_name, serviceUrl) => {
  it('loads from a deep path, loads its language chunk, connects, lists the roster and opens a dialog from its chunk with no violation', async () => {
    const [me, friend] = await freshFriends(2);
    const params = encodeURIComponent(JSON.stringify({ url: serviceUrl(), jid: me.jid, password: me.password, lang: 'de' }));
    const chunkRequests: string[] = [];
    let policy: string | undefined;
    const { page, errors } = await openPage(env.browser, `${env.site.url}/csp.html#${params}`, {
      beforeLoad: (p) => {
        p.on('request', (r) => {
          if (r.url().includes('/chunks/')) chunkRequests.push(new URL(r.url()).pathname);
        });
        p.on('response', (r) => {
          if (r.url().includes('/csp.html')) policy = r.headers()['content-security-policy'];
        });
      },
    });
    expect(policy).toBe(CSP);
    await page.locator('#result').filter({ hasText: /connected|failed/ }).waitFor({ timeout: 15000 });
    expect(await page.locator('#result').textContent()).toBe('connected');
    expect((await page.locator('#result').getAttribute('data-statuses'))!.split(',').map(Number)).toContain(STATUS.CONNECTED);
    // German UI: the locale came as a chunk from next to the bundle
    expect(chunkRequests.some((p) => p.startsWith('/assets/some/deep/path/jsxc/chunks/locale-de'))).toBe(true);
    // the session's code (group chat protocol, tab roles, history) is a chunk asked for with the account
    expect(chunkRequests.some((p) => p.startsWith('/assets/some/deep/path/jsxc/chunks/session'))).toBe(true);
    const panel = page.getByRole('complementary', { name: 'Chat' });
    await panel.getByRole('list', { name: 'Kontakte' }).getByRole('listitem').filter({ hasText: friend.username }).waitFor();
    expect(await panel.getByRole('status', { name: 'Verbindung' }).textContent()).toBe('Online');
    // the dialogs are a lazy chunk too (docs/architecture.md): it loads from next to the bundle under the policy
    expect(chunkRequests.some((p) => p.includes('/chunks/dialogs'))).toBe(false);
    await page.getByRole('button', { name: 'Hauptmenü' }).click();
    await page.getByRole('menuitem', { name: 'Einstellungen' }).click();
    await page.getByRole('dialog', { name: 'Einstellungen' }).waitFor();
    expect(chunkRequests.some((p) => p.startsWith('/assets/some/deep/path/jsxc/chunks/dialogs'))).toBe(true);
    // our stylesheet applied (the panel is fixed to the side): style-src 'self' was honoured
    expect(await panel.evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
    // CSP violations and uncaught errors both land here
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
