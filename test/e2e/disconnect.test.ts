import { openPage, STATUS, useBrowserAndSite } from '../helpers/browser';
import { freshUser, sessionsOf } from '../helpers/test-server';

const env = useBrowserAndSite();

describe.each([
  ['BOSH', () => '/http-bind/'],
  ['WebSocket', () => env.site.wsUrl],
])('jsxc.disconnect() over %s', (_name, serviceUrl) => {
  it('ends the session on the server and says Offline', async () => {
    const me = await freshUser();
    const { page, errors } = await openPage(env.browser, `${env.site.url}/basic.html`);
    await page.evaluate(
      async ({ url, jid, password }) => {
        const w = window as unknown as { statuses: number[]; jsxc: { start(...a: string[]): Promise<void>; disconnect(): Promise<void> }; JSXC: new (o: object) => unknown };
        w.statuses = [];
        w.jsxc = new w.JSXC({ connectionCallback: (_j: string, s: number) => w.statuses.push(s) }) as typeof w.jsxc;
        await w.jsxc.start(url, jid, password);
      },
      { url: serviceUrl(), jid: me.jid, password: me.password },
    );
    expect(await sessionsOf(me.jid)).toHaveLength(1);
    await page.evaluate(() => (window as unknown as { jsxc: { disconnect(): Promise<void> } }).jsxc.disconnect());
    expect(await page.evaluate(() => (window as unknown as { statuses: number[] }).statuses)).toContain(STATUS.DISCONNECTED);
    expect(await page.getByRole('status', { name: 'Connection' }).textContent()).toBe('Offline');
    // the log-in action is offered again
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    let sessions = await sessionsOf(me.jid);
    for (let i = 0; i < 15 && sessions.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      sessions = await sessionsOf(me.jid);
    }
    expect(sessions).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
