'use strict';
// The two clients under test, described the same way. Conditions are JavaScript function sources
// evaluated in the page (window.__bench.waitFor polls them once per animation frame); actions run
// through page.evaluate. Nothing here measures: bench/scenarios/* do, with the same code for both.
const { OURS } = require('./features');

// A contact counts as rendered when its element exists and has content; "first screenful" = the
// first contact element has a layout box inside the viewport.
const rosterShown = (itemSelector) => (k) => `() => {
  const items = document.querySelectorAll(${JSON.stringify(itemSelector)});
  if (items.length !== ${k}) return false;
  const first = items[0];
  if (!first.textContent.trim()) return false;
  const r = first.getBoundingClientRect();
  return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
}`;

const textRendered = (selector) => (text) => `() => {
  const els = document.querySelectorAll(${JSON.stringify(selector)});
  for (let i = els.length - 1; i >= 0; i--) if (els[i].textContent.includes(${JSON.stringify(text)})) return true;
  return false;
}`;

const CLIENTS = {
  jsxc: {
    id: 'jsxc',
    label: 'ours',
    page: '/bench/jsxc.html',
    features: OURS,
    /** the log-in action of the roster panel is visible */
    loginUi: `() => { const b = document.querySelector('.jsxc-roster__login-button'); return !!b && b.getBoundingClientRect().height > 0; }`,
    rosterShown: rosterShown('.jsxc-contact'),
    // TODO(issue 7, sessionRestore): an expression that is true once the restored session is online.
    isOnline: `() => document.querySelector('.jsxc-roster')?.dataset.connection === 'online'`,
    async logout(page) {
      await page.evaluate(() => window.__bench.jsxc && window.__bench.jsxc.disconnect());
    },
    // TODO(issue 7, chat): open the 1:1 chat window with `jid` and resolve when it is shown.
    async openChat() {
      throw new Error('chat window not built yet (bench/lib/features.js)');
    },
    // TODO(issue 7, chat): selector of a rendered message's text element.
    messageText: textRendered('.jsxc-message__text'),
    // TODO(issue 7, archive): the scrollable message list of the open chat (scrolled up to page back).
    scrollHistoryUp: async () => {
      throw new Error('archive paging not built yet (bench/lib/features.js)');
    },
    // TODO(issue 7, groupchat): join the room and resolve when its window is shown.
    async openRoom() {
      throw new Error('group chat not built yet (bench/lib/features.js)');
    },
    // TODO(issue 7, groupchat): a condition source: n participants are listed.
    occupantsListed: (n) => `() => document.querySelectorAll('.jsxc-occupant').length >= ${n}`,
  },

  converse: {
    id: 'converse',
    label: 'Converse.js',
    page: '/bench/converse.html',
    features: { chat: true, archive: true, groupchat: true, sessionRestore: true },
    /** the login form's JID field is visible */
    loginUi: `() => { const i = document.querySelector('converse-login-form input[name="jid"], .converse-form input[name="jid"]'); return !!i && i.getBoundingClientRect().height > 0; }`,
    rosterShown: rosterShown('converse-roster-contact'),
    isOnline: `() => !!(window.__bench.converse && window.__bench.converse.api.connection.connected())`,
    async logout(page) {
      await page.evaluate(() => window.__bench.converse && window.__bench.converse.api.user.logout());
    },
    async openChat(page, jid) {
      await page.evaluate(async (j) => {
        await window.__bench.converse.api.chats.open(j, {}, true);
      }, jid);
      await page.waitForSelector('converse-chats converse-chat-content', { timeout: 15000 });
    },
    messageText: textRendered('converse-chat-message .chat-msg__text'),
    async scrollHistoryUp(page) {
      // Converse's message list is flex column-reverse: the top is at scrollTop = -(scrollHeight - clientHeight).
      await page.evaluate(() => {
        const el = document.querySelector('converse-chats converse-chat-content');
        if (el) el.scrollTop = -(el.scrollHeight - el.clientHeight);
      });
    },
    async openRoom(page, jid, nick) {
      await page.evaluate(
        async ({ j, n }) => {
          await window.__bench.converse.api.rooms.open(j, { nick: n }, true);
        },
        { j: jid, n: nick },
      );
    },
    occupantsListed: (n) => `() => document.querySelectorAll('converse-muc-occupant-list-item').length >= ${n}`,
  },
};

module.exports = { CLIENTS };
