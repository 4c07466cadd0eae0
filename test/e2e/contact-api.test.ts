// account.getContact(jid) and contact.addToContactList() through the bundle.
import { openPage } from '../helpers/browser';
import { useBrowserAndSite } from '../helpers/e2e-suite';
import { freshUser, getTestServer, prosody } from '../helpers/test-server';

const e2e = useBrowserAndSite();

type Contact = { jid: string; addToContactList(): Promise<void> };
type W = { JSXC: new (o?: object) => { start(...a: string[]): Promise<void>; getAccount(uid: string): { getContact(jid: unknown): Contact } } };

it('getContact() of a stranger, then addToContactList(): the contact shows in the list and the server has the request', async () => {
  const [me, them] = [await freshUser(), await freshUser()];
  const { page, errors } = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  const before = await page.evaluate(
    async ({ jid, password, them }) => {
      const w = window as unknown as W & { contact: Contact };
      const jsxc = new w.JSXC();
      await jsxc.start('/http-bind/', jid, password);
      w.contact = jsxc.getAccount(jid).getContact(them);
      const errors = [undefined, 42, 'not a jid', ''].map((bad) => {
        try {
          jsxc.getAccount(jid).getContact(bad);
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      });
      return { jid: w.contact.jid, errors };
    },
    { jid: me.jid, password: me.password, them: them.jid.toUpperCase() },
  );
  expect(before.jid).toBe(them.jid);
  expect(before.errors).toEqual([
    'TypeError: account.getContact(jid): jid must be a string (a bare JID), got undefined',
    'TypeError: account.getContact(jid): jid must be a string (a bare JID), got number',
    'JIDError: Malformed JID "not a jid": the domain is not valid',
    'JIDError: Malformed JID "": it is empty',
  ]);
  const list = page.getByRole('list', { name: 'Contacts' });
  expect(await list.getByRole('listitem').count()).toBe(0);
  await page.evaluate(() => (window as unknown as { contact: Contact }).contact.addToContactList());
  await list.getByRole('listitem').filter({ hasText: them.username }).waitFor();
  const stored = prosody.readRoster(getTestServer(), me.username);
  expect(stored?.items[them.jid]).toEqual(expect.objectContaining({ subscription: 'none' }));
  expect(errors).toEqual([]);
  await page.context().close();
});
