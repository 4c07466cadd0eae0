import { useBrowserAndSite } from '../helpers/browser';
import { axeViolations } from '../helpers/axe';
import { joinRoomInPage, loginPage } from '../helpers/chat';
import { accountFor, closeAccounts, uniqueRoom, until } from '../helpers/muc';
import { freshUser } from '../helpers/test-server';

// A private message refused because its occupant is not in the room (docs/muc.md, "Private
// message refused: Recipient not in room"), in the room window: it shows as failed with the
// reason and a Retry button; once the occupant is back, Retry delivers it, once, and the message
// is no longer failed. The occupant is a Node client in the room on the real Prosody.
jest.setTimeout(150000);

const env = useBrowserAndSite();
afterEach(() => closeAccounts());

const NAME = 'Retry room';

it('a private message to an occupant who left shows why it failed; Retry after the rejoin delivers it once', async () => {
  const jid = uniqueRoom('pmretry');
  const daveUser = await freshUser('dave');
  const dave = accountFor(daveUser);
  await dave.connect(daveUser.password);
  const daveRoom = dave.createMultiUserContact(jid, 'dave', NAME);
  await daveRoom.join();
  const heard: string[] = [];
  daveRoom.on('message', (m) => m.type === 'chat' && m.direction === 'in' && heard.push(m.body));

  const alice = await loginPage(env.browser, env.site.url, await freshUser('alice'));
  try {
    await joinRoomInPage(alice.page, alice.user.jid, jid, 'alice', NAME);
    const win = alice.page.getByRole('region', { name: `Group chat ${NAME}` });
    await win.getByRole('button', { name: 'Actions for dave' }).click();
    await win.getByRole('menu', { name: 'Actions for dave' }).getByRole('menuitem', { name: 'Send private message' }).click();
    await win.getByText('Private message to dave').waitFor();

    // dave is gone (after a server restart: not back yet) while alice writes to him
    await daveRoom.leave();
    await win.getByRole('button', { name: 'Actions for dave' }).waitFor({ state: 'detached' });
    const input = win.getByRole('textbox', { name: 'Message' });
    await input.fill('are you there, dave?');
    await input.press('Enter');
    const article = win.getByRole('article').filter({ hasText: 'are you there, dave?' });
    await article.getByText(`dave is not in ${jid}`).waitFor();
    const retry = article.getByRole('button', { name: 'Retry' });
    expect(await retry.count()).toBe(1);
    expect(await axeViolations(alice.page, '.jsxc-room')).toEqual([]);

    // dave is back; alice presses Retry
    await daveRoom.join();
    await win.getByRole('button', { name: 'Actions for dave' }).waitFor();
    await retry.click();
    await until(() => heard.includes('are you there, dave?'), 15000, 'the private message at dave');
    await article.getByRole('button', { name: 'Retry' }).waitFor({ state: 'detached' });
    expect(await article.getByText(`dave is not in ${jid}`).count()).toBe(0);
    // a later message: anything sent before it has arrived
    await input.fill('good');
    await input.press('Enter');
    await until(() => heard.includes('good'), 15000, 'the later private message at dave');
    expect(heard.filter((b) => b === 'are you there, dave?')).toHaveLength(1);
    expect(await win.getByRole('article').filter({ hasText: 'are you there, dave?' }).count()).toBe(1);
    expect(alice.errors).toEqual([]);
  } finally {
    await alice.page.context().close().catch(() => undefined);
  }
});
