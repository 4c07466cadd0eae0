import { Page } from 'playwright-core';
import { chatRegion } from '../helpers/chat';
import { browserWithParties, rosterPage } from '../helpers/roster-page';
import { freshUser, seedRoster, TestUser } from '../helpers/test-server';

// A contact's row is updated in place when the contact changes (presence, name, avatar, unread):
// what the user is doing with the row at that moment — a click in progress, keyboard focus — is not
// lost. Chromium against the real Prosody; the contacts change presence from Node clients.
const setup = browserWithParties();

/** `me` with the contacts Ada and Bob (mutual subscriptions); Bob is online as "away" from Node. */
async function adaAndAwayBob(): Promise<{ me: TestUser; ada: TestUser; page: Page; errors: string[] }> {
  const me = await freshUser('me');
  const ada = await freshUser('ada');
  const bob = await freshUser('bob');
  for (const user of [ada, bob]) seedRoster(user.username, [{ jid: me.jid, name: 'Me' }]);
  seedRoster(me.username, [
    { jid: ada.jid, name: 'Ada' },
    { jid: bob.jid, name: 'Bob' },
  ]);
  const bobClient = await setup.online(bob);
  await bobClient.setPresence('away');
  const { page, errors } = await rosterPage(setup.browser(), setup.site().url, me);
  // Bob (away) comes before Ada (offline)
  await contacts(page).first().filter({ hasText: 'away' }).waitFor();
  await row(page, 'Ada').filter({ hasText: 'offline' }).waitFor();
  return { me, ada, page, errors };
}

const contacts = (page: Page) => page.getByRole('list', { name: 'Contacts' }).getByRole('listitem');
const row = (page: Page, name: string) => page.getByRole('list', { name: 'Contacts' }).getByRole('listitem', { name });

describe('a contact row that changes while the user uses it', () => {
  it('a click in progress on a contact that comes online (and so moves to the top) opens its chat', async () => {
    const { ada, page, errors } = await adaAndAwayBob();
    const box = (await row(page, 'Ada').boundingBox())!;
    await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
    await page.mouse.down();
    // Ada comes online while the button is down: her row shows it, in place
    await setup.online(ada);
    await row(page, 'Ada').filter({ hasText: 'online' }).waitFor();
    await page.mouse.up();
    await chatRegion(page, 'Ada').waitFor({ timeout: 10000 });
    // after the release the list is sorted again: Ada (online) before Bob (away)
    await page.waitForFunction(() => document.querySelector('li.jsxc-contact[aria-posinset="1"]')?.getAttribute('aria-label') === 'Ada');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('keyboard focus on a contact stays on its row (no blur) when the contact comes online and moves to the top; Enter still opens it', async () => {
    const { ada, page, errors } = await adaAndAwayBob();
    await page.getByRole('searchbox', { name: 'Search contacts' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    expect(await focused()).toBe('Ada');
    await page.evaluate(() => {
      const w = window as unknown as { focusedRow: Element | null; focusLost: number };
      w.focusedRow = document.activeElement;
      w.focusLost = 0;
      document.querySelector('.jsxc-roster__list')!.addEventListener('focusout', () => w.focusLost++);
    });

    await setup.online(ada);
    await page.waitForFunction(() => document.querySelector('li.jsxc-contact[aria-posinset="1"]')?.getAttribute('aria-label') === 'Ada');
    const after = await page.evaluate(() => {
      const w = window as unknown as { focusedRow: Element | null; focusLost: number };
      return { same: document.activeElement === w.focusedRow, lost: w.focusLost, description: document.activeElement?.getAttribute('aria-description') };
    });
    // the same element kept focus all along (a screen reader does not announce it again)
    expect(after).toEqual({ same: true, lost: 0, description: 'online' });
    await page.keyboard.press('Enter');
    await chatRegion(page, 'Ada').waitFor({ timeout: 10000 });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
