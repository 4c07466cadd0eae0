import { Locator, Page } from 'playwright-core';
import { MultiUserContact } from '../../src/model/MultiUserContact';
import { axeViolations } from '../helpers/axe';
import { saveScreenshot } from '../helpers/roster-page';
import { openPage, useBrowserAndSite } from '../helpers/browser';
import { ChatPage, joinRoomInPage, loginPage } from '../helpers/chat';
import { accountFor, closeAccounts, uniqueRoom, until } from '../helpers/muc';
import { freshFriends, freshUser, TestUser } from '../helpers/test-server';
import { RoomInvitation } from '../../src/model/RoomList';

// The group chat window end to end: the bundle in Chromium (two browser contexts) and a Node
// client in one room on the real Prosody with its MUC component.
// generous: the test machine is shared and often loaded (no timing is asserted by these limits)
jest.setTimeout(150000);

const env = useBrowserAndSite();
const pages: ChatPage[] = [];

afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.page.context().close().catch(() => undefined)));
  await closeAccounts();
});

const NAME = 'Tea room';

async function browserUser(prefix: string): Promise<ChatPage> {
  const user = await freshUser(prefix);
  const p = await loginPage(env.browser, env.site.url, user);
  pages.push(p);
  return p;
}

/** A Node client in the room (it creates the room when it is the first): owner of a new room. */
async function nodeInRoom(prefix: string, room: string, nick: string): Promise<{ user: TestUser; room: MultiUserContact }> {
  const user = await freshUser(prefix);
  const account = accountFor(user);
  await account.connect(user.password);
  const r = account.createMultiUserContact(room, nick, NAME);
  await r.join();
  return { user, room: r };
}

/** Joins through the API (manual §3.4.2, §3.6.1) and opens the group chat window (§3.5.1). */
async function joinInPage(p: ChatPage, room: string, nick: string): Promise<Locator> {
  await joinRoomInPage(p.page, p.user.jid, room, nick, NAME);
  const region = roomWindow(p.page);
  await region.waitFor();
  return region;
}

/** carol (Node) creates a room and owns it; alice and bob join in browsers, with their windows open; alice is made admin. */
async function threeInRoom(prefix: string) {
  const jid = uniqueRoom(prefix);
  const carol = await nodeInRoom('carol', jid, 'carol');
  const [a, b] = await Promise.all([browserUser('alice'), browserUser('bob')]);
  const awin = await joinInPage(a, jid, 'alice');
  const bwin = await joinInPage(b, jid, 'bob');
  await carol.room.grantAdmin(a.user.jid);
  return { jid, carol, a, b, awin, bwin };
}

function roomWindow(page: Page): Locator {
  return page.getByRole('region', { name: `Group chat ${NAME}` });
}

function participants(win: Locator): Locator {
  return win.getByRole('list', { name: 'Participants' }).getByRole('listitem');
}

async function say(win: Locator, text: string): Promise<void> {
  const input = win.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
}

async function participantMenu(win: Locator, nick: string): Promise<Locator> {
  await win.getByRole('button', { name: `Actions for ${nick}` }).click();
  const menu = win.getByRole('menu', { name: `Actions for ${nick}` });
  await menu.waitFor();
  return menu;
}

async function roomMenu(win: Locator): Promise<Locator> {
  await win.getByRole('button', { name: 'Room actions' }).click();
  const menu = win.getByRole('menu', { name: 'Room actions' });
  await menu.waitFor();
  return menu;
}

/** Chooses a moderation action in a participant's menu and confirms it with a reason. */
async function moderate(page: Page, menu: Locator, action: string, nick: string, reason: string): Promise<void> {
  await menu.getByRole('menuitem', { name: action }).click();
  const dialog = page.getByRole('dialog', { name: `${action}: ${nick}` });
  await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill(reason);
  await dialog.getByRole('button', { name: action }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The removed person's window says so (with the reason) and its input is disabled. */
async function saysRemoved(win: Locator, text: string, reason: string): Promise<void> {
  const alert = win.getByRole('alert').filter({ hasText: text });
  await alert.waitFor();
  expect(await alert.innerText()).toContain(reason);
  await expect(win.getByRole('textbox', { name: 'Message' }).isDisabled()).resolves.toBe(true);
}

it('talk both ways, participants with roles, subject, nickname change, private message, mention; axe-clean', async () => {
  const { carol, a, b, awin, bwin } = await threeInRoom('win');

  // participants, sorted as the model sorts them, with their role and affiliation
  await participants(awin).filter({ hasText: 'alice' }).filter({ hasText: 'admin' }).waitFor();
  await until(() => carol.room.occupants.length === 3);
  await a.page.waitForFunction(() => document.querySelectorAll('.jsxc-occupant').length === 3);
  expect(await participants(awin).allTextContents()).toEqual([
    expect.stringMatching(/^carol \(moderator, owner\)/),
    expect.stringMatching(/^alice \(moderator, admin, you\)/),
    expect.stringMatching(/^bob/),
  ]);
  expect(await participants(bwin).first().textContent()).toMatch(/^carol/);

  // talk: Enter sends to the room; the others see it with my nickname
  await say(awin, 'Hello room');
  const out = awin.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: 'Hello room' });
  await expect(out.getAttribute('data-direction')).resolves.toBe('out');
  const inB = bwin.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: 'Hello room' });
  await expect(inB.getAttribute('data-direction')).resolves.toBe('in');
  expect(await inB.innerText()).toMatch(/^alice\n/);
  await until(() => carol.room.messages.some((m) => m.body === 'Hello room' && m.nick === 'alice'));
  await carol.room.sendMessage('Hi from Node');
  await awin.getByRole('article').filter({ hasText: 'Hi from Node' }).filter({ hasText: 'carol' }).waitFor();
  await say(bwin, 'Hi from bob');
  await awin.getByRole('article').filter({ hasText: 'Hi from bob' }).waitFor();

  // a mention of my nickname stands out, counts in the title and says so (while I look elsewhere)
  await a.page.locator('h1').click();
  await carol.room.sendMessage('alice: tea is ready');
  const mention = awin.getByRole('article').filter({ hasText: 'tea is ready' });
  await expect(mention.getAttribute('data-mention')).resolves.toBe('true');
  expect(await mention.innerText()).toContain('mentions you');
  await a.page.waitForFunction(() => document.title === '(1) Host site');
  expect(await bwin.getByRole('article').filter({ hasText: 'tea is ready' }).getAttribute('data-mention')).toBeNull();
  await awin.getByRole('textbox', { name: 'Message' }).focus();
  await a.page.waitForFunction(() => document.title === 'Host site');

  // the subject: shown, and changed from the window by one who may
  await carol.room.setSubject('Tea at five');
  await awin.getByRole('heading', { name: 'Tea at five' }).waitFor();
  await bwin.getByRole('heading', { name: 'Tea at five' }).waitFor();
  await (await roomMenu(awin)).getByRole('menuitem', { name: 'Change subject' }).click();
  const subjectDialog = a.page.getByRole('dialog', { name: 'Change subject' });
  await subjectDialog.getByRole('textbox', { name: 'Subject' }).fill('Coffee at six');
  await subjectDialog.getByRole('button', { name: 'Change' }).click();
  await bwin.getByRole('heading', { name: 'Coffee at six' }).waitFor();
  await subjectDialog.waitFor({ state: 'detached' });
  expect(carol.room.subject).toBe('Coffee at six');
  await bwin.getByRole('status').filter({ hasText: 'alice changed the subject to: Coffee at six' }).waitFor();

  // nickname change: a taken one is refused readably with another offered; the others see the new one
  await (await roomMenu(bwin)).getByRole('menuitem', { name: 'Change nickname' }).click();
  const nickDialog = b.page.getByRole('dialog', { name: 'Change nickname' });
  const nickField = nickDialog.getByRole('textbox', { name: 'Nickname' });
  expect(await nickField.inputValue()).toBe('bob');
  await nickField.fill('carol');
  await nickDialog.getByRole('button', { name: 'Change' }).click();
  await nickDialog.getByRole('alert').filter({ hasText: 'The nickname "carol" is already in use' }).waitFor();
  expect(await nickField.inputValue()).toBe('carol_');
  expect(await axeViolations(b.page, '.jsxc-prompt')).toEqual([]);
  await nickField.fill('bobby');
  await nickDialog.getByRole('button', { name: 'Change' }).click();
  await nickDialog.waitFor({ state: 'detached' });
  await participants(awin).filter({ hasText: /^bobby/ }).waitFor();
  await awin.getByRole('status').filter({ hasText: 'bob is now known as bobby' }).waitFor();
  await until(() => carol.room.getOccupant('bobby') !== undefined);
  expect(await participants(awin).filter({ hasText: /^bob\b(?!by)/ }).count()).toBe(0);

  // private message: through the participant's menu; only the addressee gets it
  await (await participantMenu(awin, 'bobby')).getByRole('menuitem', { name: 'Send private message' }).click();
  await awin.getByText('Private message to bobby').waitFor();
  await say(awin, 'psst, just for you');
  const pmB = bwin.getByRole('article').filter({ hasText: 'psst, just for you' });
  expect(await pmB.innerText()).toContain('Private message from alice');
  await expect(pmB.getAttribute('data-direction')).resolves.toBe('in');
  expect(await awin.getByRole('article').filter({ hasText: 'psst, just for you' }).innerText()).toContain('Private message to bobby');
  await awin.getByRole('button', { name: 'Back to the room' }).click();
  await say(awin, 'back in public');
  await until(() => carol.room.messages.some((m) => m.body === 'back in public'));
  expect(carol.room.messages.some((m) => m.body.includes('psst'))).toBe(false);

  // keyboard: the participants' buttons are one Tab stop, arrows move between them
  await awin.getByRole('button', { name: 'Actions for carol' }).focus();
  await a.page.keyboard.press('ArrowDown');
  expect(await a.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Actions for alice');
  await a.page.keyboard.press('Enter');
  await awin.getByRole('menu', { name: 'Actions for alice' }).getByRole('menuitem', { name: 'Change nickname' }).waitFor();
  await a.page.keyboard.press('Escape');

  expect(await axeViolations(a.page, '.jsxc-room')).toEqual([]);
  await saveScreenshot(a.page, 'muc-window-desktop-light');
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
});

it('kick and ban, seen from both sides: the removed window says so with the reason and its input is disabled', async () => {
  const { jid, carol, a, b, awin, bwin } = await threeInRoom('mod');
  await participants(awin).filter({ hasText: 'admin' }).waitFor();
  await participants(awin).filter({ hasText: /^bob/ }).waitFor();

  // bob may not moderate: his menu for alice offers only a private message
  const bobsMenu = await participantMenu(bwin, 'alice');
  expect(await bobsMenu.getByRole('menuitem').allInnerTexts()).toEqual(['Send private message']);
  await b.page.keyboard.press('Escape');

  // alice (admin, moderator) kicks bob with a reason
  const menu = await participantMenu(awin, 'bob');
  expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(expect.arrayContaining(['Kick', 'Revoke voice', 'Ban', 'Grant membership']));
  await moderate(a.page, menu, 'Kick', 'bob', 'Too loud');
  await saysRemoved(bwin, 'You were kicked from', 'Reason: Too loud');
  await awin.getByRole('status').filter({ hasText: 'bob was kicked' }).waitFor();
  await a.page.waitForFunction(() => !Array.from(document.querySelectorAll('.jsxc-occupant')).some((li) => li.textContent!.startsWith('bob')));
  await until(() => carol.room.getOccupant('bob') === undefined);

  // bob comes back
  await bwin.getByRole('button', { name: 'Join again' }).click();
  await b.page.waitForFunction(() => !document.querySelector('.jsxc-room__banner:not([hidden])'));
  await expect(bwin.getByRole('textbox', { name: 'Message' }).isEnabled()).resolves.toBe(true);
  await participants(awin).filter({ hasText: /^bob/ }).waitFor();

  // and is banned
  await moderate(a.page, await participantMenu(awin, 'bob'), 'Ban', 'bob', 'Spam');
  await saysRemoved(bwin, 'You were banned from', 'Reason: Spam');
  expect(await bwin.getByRole('button', { name: 'Join again' }).count()).toBe(0);
  await awin.getByRole('status').filter({ hasText: 'bob was banned' }).waitFor();
  expect(await axeViolations(b.page, '.jsxc-room')).toEqual([]);
  expect((await carol.room.getAffiliationList('outcast')).map((o) => o.jid)).toEqual([b.user.jid]);

  // carol destroys the room: alice is told why and where to go
  await carol.room.destroy('We moved', `tea2@${jid.split('@')[1]}`);
  await saysRemoved(awin, 'was destroyed', 'Reason: We moved');
  expect(await awin.getByRole('alert').innerText()).toContain(`The conversation moved to tea2@${jid.split('@')[1]}`);
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
});

it('room history: what the room sent on join, older pages on scroll-back, and no duplicates after a rejoin', async () => {
  const jid = uniqueRoom('hist');
  const carol = await nodeInRoom('carol', jid, 'carol');
  for (let i = 1; i <= 45; i++) {
    await carol.room.sendMessage(`history ${i}`);
  }
  await until(() => carol.room.messages.filter((m) => m.stanzaId).length === 45, 20000);
  const a = await browserUser('alice');
  const awin = await joinInPage(a, jid, 'alice');
  const log = awin.getByRole('log', { name: 'Messages' });
  await log.getByRole('article').filter({ hasText: 'history 45' }).waitFor();
  // scroll back until the start: every message once, in order
  const bodies = () => log.locator('.jsxc-msg__body').allInnerTexts();
  for (let i = 0; i < 20 && (await bodies())[0] !== 'history 1'; i++) {
    await log.evaluate((el) => {
      el.scrollTop = 0;
      el.dispatchEvent(new Event('scroll'));
    });
    await a.page.waitForTimeout(300);
  }
  const all = Array.from({ length: 45 }, (_, i) => `history ${i + 1}`);
  await a.page.waitForFunction(() => document.querySelectorAll('.jsxc-room .jsxc-chat__log article').length === 45);
  expect(await bodies()).toEqual(all);

  // leave, miss some, rejoin: the room's join history overlaps what we have — each shown once
  await a.page.evaluate(
    async ({ jid, room }) => {
      const jsxc = (window as unknown as { jsxc: { getAccount(uid: string): { getContact(j: string): { leave(): Promise<void> } } } }).jsxc;
      await jsxc.getAccount(jid).getContact(room).leave();
    },
    { jid: a.user.jid, room: jid },
  );
  await awin.getByRole('button', { name: 'Join again' }).waitFor();
  await expect(awin.getByRole('textbox', { name: 'Message' }).isDisabled()).resolves.toBe(true);
  await carol.room.sendMessage('history 46');
  await carol.room.sendMessage('history 47');
  await awin.getByRole('button', { name: 'Join again' }).click();
  await log.getByRole('article').filter({ hasText: 'history 47' }).waitFor();
  await a.page.waitForTimeout(500);
  expect(await bodies()).toEqual([...all, 'history 46', 'history 47']);
  expect(a.errors).toEqual([]);
});

it('plugin chat buttons for group chats show in the room window, also ones added after it opened; participants toggle on a phone', async () => {
  const jid = uniqueRoom('plug');
  const carol = await nodeInRoom('carol', jid, 'carol');
  const probe = await openPage(env.browser, `${env.site.url}/basic.html`);
  await probe.page.evaluate(() => {
    type Ui = { addChatButton(b: { id: string; label: string; in?: string; onClick(c: { jid: string }, chat: { send(t: string): Promise<unknown> }): void }): () => void };
    const w = window as unknown as { JSXC: { registerPlugin(p: object): void }; waveUi?: Ui };
    w.JSXC.registerPlugin({
      id: 'wave',
      name: 'Wave',
      xeps: [],
      ui(ui: Ui) {
        w.waveUi = ui;
        ui.addChatButton({ id: 'one-to-one', label: 'Only one to one', onClick: () => undefined });
        ui.addChatButton({ id: 'wave', label: 'Wave', in: 'groupchat', onClick: (room, chat) => void chat.send(`wave from a button in ${room.jid}`) });
      },
    });
  });
  const user = await freshUser('alice');
  const a = await loginPage(env.browser, env.site.url, user, { page: probe.page });
  pages.push(a);
  const awin = await joinInPage(a, jid, 'alice');
  await awin.getByRole('button', { name: 'Wave' }).click();
  await until(() => carol.room.messages.some((m) => m.body === `wave from a button in ${jid}` && m.nick === 'alice'));
  expect(await awin.getByRole('button', { name: 'Only one to one' }).count()).toBe(0);

  // added while the window is open: it appears there; removed: it goes
  await a.page.evaluate(() => {
    const w = window as unknown as { waveUi: { addChatButton(b: object): () => void }; removeLate?: () => void };
    w.removeLate = w.waveUi.addChatButton({ id: 'late', label: 'Late button', in: 'both', onClick: () => undefined });
  });
  await awin.getByRole('button', { name: 'Late button' }).waitFor();
  await a.page.evaluate(() => (window as unknown as { removeLate(): void }).removeLate());
  await awin.getByRole('button', { name: 'Late button' }).waitFor({ state: 'detached' });

  // on a phone the window takes the screen, and the participants can be shown and hidden
  await a.page.setViewportSize({ width: 400, height: 700 });
  const toggle = awin.getByRole('button', { name: 'Participants' });
  const list = awin.getByRole('list', { name: 'Participants' });
  await list.waitFor();
  await toggle.click();
  await list.waitFor({ state: 'hidden' });
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  await toggle.press('Enter');
  await list.waitFor();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  expect((await awin.boundingBox())!.width).toBeGreaterThan(390);
  expect(a.errors).toEqual([]);
});

it('"Room actions" has Invite for everyone in the room and Configure room for its owner only', async () => {
  const [me, friend] = await freshFriends(2, 'muca');
  const p = await loginPage(env.browser, env.site.url, me);
  pages.push(p);
  const bob = accountFor(friend);
  await bob.connect(friend.password);
  const received: RoomInvitation[] = [];
  bob.rooms.on('invitation', (i) => received.push(i));
  const jid = uniqueRoom('acts');
  // I create the room in the page: I own it
  const win = await joinInPage(p, jid, 'me');
  let menu = await roomMenu(win);
  await menu.getByRole('menuitem', { name: 'Invite' }).click();
  const invite = p.page.getByRole('dialog', { name: `Invite to ${NAME}` });
  await invite.getByRole('combobox', { name: 'Contact to invite' }).fill(friend.jid);
  await invite.getByRole('button', { name: 'Invite' }).click();
  await invite.waitFor({ state: 'detached' });
  await until(() => received.length > 0, 15000, 'the invitation reaches bob');
  expect(received[0]).toMatchObject({ room: jid, from: me.jid });

  menu = await roomMenu(win);
  await menu.getByRole('menuitem', { name: 'Configure room' }).click();
  const config = p.page.getByRole('dialog', { name: 'Group chat settings' });
  const title = config.getByRole('textbox', { name: 'Title', exact: true });
  await title.waitFor();
  await title.fill('Renamed room');
  await config.getByRole('button', { name: 'Save' }).click();
  await config.waitFor({ state: 'detached' });
  expect((await bob.createMultiUserContact(jid, 'bob').refreshInfo()).name).toBe('Renamed room');

  // in a second page, someone who is not the owner sees Invite but no Configure room
  const other = await browserUser('mucb');
  const owin = await joinInPage(other, jid, 'other');
  menu = await roomMenu(owin);
  await menu.getByRole('menuitem', { name: 'Invite' }).waitFor();
  expect(await menu.getByRole('menuitem', { name: 'Configure room' }).count()).toBe(0);
});

it('corrections (XEP-0308): Up edits my last room message, Escape cancels; my correction and carol’s show once, marked edited, also in a newcomer’s join history; axe-clean while editing', async () => {
  const jid = uniqueRoom('corr');
  const carol = await nodeInRoom('carol', jid, 'carol');
  const a = await browserUser('alice');
  const awin = await joinInPage(a, jid, 'alice');
  const input = awin.getByRole('textbox', { name: 'Message' });
  const said = (win: Locator, text: string) => win.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: text });

  await say(awin, 'teh typo');
  await until(() => carol.room.messages.some((m) => m.body === 'teh typo'));
  // Up in the empty input: my last message to edit, with the hint the input is described by; Escape cancels
  await input.press('ArrowUp');
  expect(await input.inputValue()).toBe('teh typo');
  const hint = awin.getByText('Editing your last message. Enter saves, Escape cancels.');
  await hint.waitFor();
  expect(await input.getAttribute('aria-describedby')).toBe(await hint.getAttribute('id'));
  expect(await axeViolations(a.page, '.jsxc-room')).toEqual([]);
  await input.press('Escape');
  expect(await input.inputValue()).toBe('');
  await hint.waitFor({ state: 'hidden' });
  await expect(awin.getByRole('log', { name: 'Messages' }).isVisible()).resolves.toBe(true); // (not minimised)
  // Up again, change it, Enter: one message, corrected, here and at carol
  await input.press('ArrowUp');
  await input.fill('the typo, fixed');
  await input.press('Enter');
  await said(awin, 'the typo, fixed').filter({ hasText: 'edited' }).waitFor();
  await until(() => carol.room.messages.some((m) => m.body === 'the typo, fixed' && m.corrected === true));
  expect(carol.room.messages.map((m) => m.body)).toEqual(['the typo, fixed']);
  expect(await said(awin, 'typo').count()).toBe(1);

  // carol corrects hers: shown once, with the corrected text, marked edited
  await carol.room.sendMessage('see you at 5');
  await said(awin, 'see you at 5').waitFor();
  await carol.room.correctLastMessage('see you at 6');
  await said(awin, 'see you at 6').filter({ hasText: 'edited' }).waitFor();
  expect(await said(awin, 'see you at 5').count()).toBe(0);
  expect(await said(awin, 'see you at').count()).toBe(1);

  // a newcomer: the room's join history shows each corrected message once, with its corrected text
  const b = await browserUser('bob');
  const bwin = await joinInPage(b, jid, 'bob');
  await said(bwin, 'see you at 6').filter({ hasText: 'edited' }).waitFor();
  await said(bwin, 'the typo, fixed').filter({ hasText: 'edited' }).waitFor();
  expect(await bwin.getByRole('log', { name: 'Messages' }).locator('.jsxc-msg__body').allInnerTexts()).toEqual(['the typo, fixed', 'see you at 6']);
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
});
