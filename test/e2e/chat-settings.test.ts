// The chat's attention choices (desktop notifications, sound) in the Settings dialog: they change
// what happens when a message arrives out of view, go to the host through onOptionChange and come
// back through loadOptions.
import { Page } from 'playwright-core';
import { Account } from '../../src/model/Account';
import { axeViolations } from '../helpers/axe';
import { openPage, PageProbe } from '../helpers/browser';
import { contactItem, nodeClient } from '../helpers/chat';
import { useBrowserAndSite } from '../helpers/e2e-suite';
import { freshFriends, TestUser } from '../helpers/test-server';

const e2e = useBrowserAndSite();
const nodeClients: Account[] = [];
afterAll(() => Promise.all(nodeClients.map((a) => a.disconnect().catch(() => undefined))));

type Spied = { __notifications: string[]; __chimes: number; __changes: unknown[] };

/** Counts notifications and chimes (oscillators started) in the page; notification permission granted. */
async function spyOnAttention(page: Page): Promise<void> {
  await page.context().grantPermissions(['notifications']);
  await page.evaluate(() => {
    const w = window as unknown as Spied & { Notification: typeof Notification; AudioContext: typeof AudioContext };
    w.__notifications = [];
    w.__chimes = 0;
    const Real = w.Notification;
    w.Notification = class extends Real {
      constructor(title: string, opts?: NotificationOptions) {
        super(title, opts);
        w.__notifications.push(opts?.body ?? '');
      }
    } as typeof Notification;
    const create = w.AudioContext.prototype.createOscillator;
    w.AudioContext.prototype.createOscillator = function (this: AudioContext) {
      w.__chimes++;
      return create.call(this);
    };
  });
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Main menu' }).click();
  await page.getByRole('menuitem', { name: 'Settings' }).click();
  return page.getByRole('dialog', { name: 'Settings' });
}

/** Opens the test page and logs in with an onOptionChange recorder and, if given, what loadOptions resolves to. */
async function login(user: TestUser, saved?: object): Promise<PageProbe> {
  const probe = await openPage(e2e.browser, `${e2e.site.url}/basic.html`);
  await probe.page.evaluate(
    async ({ jid, password, saved }) => {
      const w = window as unknown as Spied & { jsxc: unknown; JSXC: new (o: object) => { start: (...a: string[]) => Promise<void> } };
      w.__changes = [];
      const jsxc = new w.JSXC({
        onOptionChange: (id: string, key: string, value: unknown, exportId: () => unknown) => w.__changes.push([id, key, value, exportId()]),
        ...(saved ? { loadOptions: () => Promise.resolve(saved) } : {}),
      });
      w.jsxc = jsxc;
      await jsxc.start('/http-bind/', jid, password);
    },
    { jid: user.jid, password: user.password, saved },
  );
  return probe;
}

it('notifications and sound are switched in the Settings dialog; the choice applies at once and goes to the host', async () => {
  const [me, friend] = await freshFriends(2);
  const other = await nodeClient(friend);
  nodeClients.push(other);
  const { page, errors } = await login(me);
  await contactItem(page, friend.username).waitFor();
  await spyOnAttention(page);
  const spied = () => page.evaluate(() => ({ n: (window as unknown as Spied).__notifications.length, chimes: (window as unknown as Spied).__chimes }));

  // defaults: notifications on, sound off
  let dialog = await openSettings(page);
  const notifications = dialog.getByRole('checkbox', { name: 'Desktop notifications for new messages' });
  const sound = dialog.getByRole('checkbox', { name: 'Sound for new messages' });
  expect(await notifications.isChecked()).toBe(true);
  expect(await sound.isChecked()).toBe(false);
  expect(await axeViolations(page, '.jsxc-root')).toEqual([]);
  await page.keyboard.press('Escape');

  // no chat window is open: the message is out of view → a notification, no sound
  await other.chats.get(me.jid).send('first');
  await page.waitForFunction(() => (window as unknown as Spied).__notifications.length === 1);
  expect((await spied()).chimes).toBe(0);

  // switch: notifications off, sound on (by keyboard)
  dialog = await openSettings(page);
  await notifications.focus();
  await page.keyboard.press('Space');
  await sound.focus();
  await page.keyboard.press('Space');
  expect(await page.evaluate(() => (window as unknown as Spied).__changes)).toEqual([
    ['chat', 'notifications', false, { notifications: false }],
    ['chat', 'sound', true, { notifications: false, sound: true }],
  ]);
  await page.keyboard.press('Escape');
  await other.chats.get(me.jid).send('second');
  await contactItem(page, friend.username).filter({ hasText: '2' }).waitFor();
  await page.waitForFunction(() => (window as unknown as Spied).__chimes > 0);
  expect((await spied()).n).toBe(1);
  expect(errors).toEqual([]);
  await page.context().close();
});

it('choices saved by the host come back through loadOptions on the next login', async () => {
  const [me, friend] = await freshFriends(2);
  const other = await nodeClient(friend);
  nodeClients.push(other);
  const { page } = await login(me, { chat: { notifications: false, sound: true } });
  await contactItem(page, friend.username).waitFor();
  await spyOnAttention(page);
  const dialog = await openSettings(page);
  expect(await dialog.getByRole('checkbox', { name: 'Desktop notifications for new messages' }).isChecked()).toBe(false);
  expect(await dialog.getByRole('checkbox', { name: 'Sound for new messages' }).isChecked()).toBe(true);
  await page.keyboard.press('Escape');
  await other.chats.get(me.jid).send('hello');
  await page.waitForFunction(() => (window as unknown as Spied).__chimes > 0);
  expect(await page.evaluate(() => (window as unknown as Spied).__notifications.length)).toBe(0);
  await page.context().close();
});
