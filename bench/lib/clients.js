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

// Our list is virtualised (only the rows in view are in the DOM): shown = the first row is painted in
// the viewport and the list announces all k contacts (aria-setsize = k on the row, posinset 1).
const virtualRosterShown = (itemSelector) => (k) => `() => {
  const first = document.querySelector(${JSON.stringify(itemSelector)});
  if (!first || first.getAttribute('aria-setsize') !== '${k}' || first.getAttribute('aria-posinset') !== '1') return false;
  if (!first.textContent.trim()) return false;
  const r = first.getBoundingClientRect();
  return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
}`;

const textRendered = (selector) => (text) => `() => {
  const els = document.querySelectorAll(${JSON.stringify(selector)});
  for (let i = els.length - 1; i >= 0; i--) if (els[i].textContent.includes(${JSON.stringify(text)})) return true;
  return false;
}`;

// Scrolls the history up as fast as the page renders, until window.__bench.marks[markName] is set
// (or `ms` passed): once per animation frame, the scrollable ancestor of the first `messageSelector`
// element is scrolled to its top. Assigning a very negative scrollTop clamps to the top for normal
// and for column-reverse lists alike; when it is already there, it goes down 40 px (so that the
// next frame scrolls again). Resolves when the loop ends.
function scrollUntil({ messageSelector, markName, ms }) {
  const end = performance.now() + ms;
  return new Promise((resolve) => {
    const step = () => {
      if (window.__bench.marks[markName] !== undefined || performance.now() > end) return resolve();
      let el = document.querySelector(messageSelector);
      while (el && !(el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
      if (el) {
        const before = el.scrollTop;
        el.scrollTop = -el.scrollHeight;
        if (Math.abs(el.scrollTop - before) < 2) el.scrollTop = before + 40;
      }
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
}

// True once a rendered message `${prefix}NNNNN.` with NNNNN <= index is in the DOM (the history has
// been scrolled back at least that far; a virtualised list may skip over single messages).
const reachedIndex = (selector) => (prefix, index) => `() => {
  const els = document.querySelectorAll(${JSON.stringify(selector)});
  const prefix = ${JSON.stringify(prefix)};
  for (const e of els) {
    const t = e.textContent;
    const at = t.indexOf(prefix);
    if (at >= 0 && Number.parseInt(t.slice(at + prefix.length), 10) <= ${index}) return true;
  }
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
    rosterShown: virtualRosterShown('.jsxc-contact'),
    /** online = the Connection status of the roster says so (also after a restore on reload) */
    isOnline: `() => document.querySelector('.jsxc-roster')?.dataset.connection === 'online'`,
    /** several tabs (scenario 8): this tab holds the account's connection and is online with it (public API) */
    tabLeads: `() => {
      const a = window.__bench.jsxc && window.__bench.jsxc.getAccount(new URLSearchParams(location.search).get('jid'));
      return !!a && a.isOnline && !a.following;
    }`,
    /** several tabs: this tab shows the account through another tab's connection, and shows it online */
    tabFollows: `() => {
      const a = window.__bench.jsxc && window.__bench.jsxc.getAccount(new URLSearchParams(location.search).get('jid'));
      return !!a && a.following && document.querySelector('.jsxc-roster')?.dataset.connection === 'online';
    }`,
    async logout(page) {
      await page.evaluate(() => window.__bench.jsxc && window.__bench.jsxc.disconnect());
    },
    /** contact.openChatWindow() (public API), resolved when the window's message log is there */
    async openChat(page, jid) {
      await page.evaluate((peer) => {
        const uid = new URLSearchParams(location.search).get('jid');
        window.__bench.jsxc.getAccount(uid).getContact(peer).openChatWindow();
      }, jid);
      await page.waitForSelector('.jsxc-chat [role="log"]', { timeout: 15000 });
    },
    messageText: textRendered('.jsxc-chat .jsxc-msg__body'),
    historyReached: reachedIndex('.jsxc-chat .jsxc-msg__body'),
    async scrollHistoryUntil(page, markName, ms) {
      await page.evaluate(scrollUntil, { messageSelector: '.jsxc-chat .jsxc-msg', markName, ms });
    },
    /** Diagnostics for a failed scroll-back. */
    async historyState(page) {
      return page.evaluate(() => {
        const log = document.querySelector('.jsxc-chat [role="log"]');
        const texts = [...document.querySelectorAll('.jsxc-chat .jsxc-msg__body')].map((e) => e.textContent.trim());
        return `DOM ${texts.length} messages from ${texts[0]} to ${texts[texts.length - 1]}, log scrollTop ${log && log.scrollTop} of ${log && log.scrollHeight}`;
      });
    },
    /**
     * account.createMultiUserContact(room, nick) + room.openChatWindowProminently() + room.join()
     * (public API, docs/api.md), resolved when the room's window is there; the join goes on.
     */
    async openRoom(page, jid, nick) {
      await page.evaluate(
        ({ j, n }) => {
          const uid = new URLSearchParams(location.search).get('jid');
          const room = window.__bench.jsxc.getAccount(uid).createMultiUserContact(j, n);
          room.openChatWindowProminently();
          room.join().catch((err) => console.warn('[bench] join failed', err));
        },
        { j: jid, n: nick },
      );
      await page.waitForSelector('.jsxc-room', { timeout: 15000 });
    },
    /** n participants are in the window's participant list (every participant is in the DOM, as in Converse) */
    occupantsListed: (n) => `() => document.querySelectorAll('.jsxc-room .jsxc-occupant').length >= ${n}`,
  },

  converse: {
    id: 'converse',
    label: 'Converse.js',
    page: '/bench/converse.html',
    features: { chat: true, archive: true, groupchat: true, sessionRestore: true },
    /** scenarios that do not apply to Converse.js at all, with the reason (reported as n/a) */
    notApplicable: {
      handover: 'n/a (no hand-over: every Converse.js tab opens its own connection, so closing one tab leaves the others as they were)',
    },
    /** the login form's JID field is visible */
    loginUi: `() => { const i = document.querySelector('converse-login-form input[name="jid"], .converse-form input[name="jid"]'); return !!i && i.getBoundingClientRect().height > 0; }`,
    rosterShown: rosterShown('converse-roster-contact'),
    // Converse.js's own `connected` / `reconnected` event (bench/pages/converse-start.js): the
    // session is logged in or resumed, as our "online" is. (strophe's `connected` flag alone is set
    // when the server's first <open/> arrives, before authentication: not the same moment.)
    isOnline: `() => !!(window.__bench.converse && window.__bench.connectedAt !== undefined && window.__bench.converse.api.connection.connected())`,
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
    historyReached: reachedIndex('converse-chat-message .chat-msg__text'),
    async scrollHistoryUntil(page, markName, ms) {
      await page.evaluate(scrollUntil, { messageSelector: 'converse-chats converse-chat-message', markName, ms });
    },
    /** Diagnostics for a failed scroll-back. */
    async historyState(page, jid) {
      return page.evaluate((j) => {
        let el = document.querySelector('converse-chats converse-chat-message');
        while (el && !(el.scrollHeight > el.clientHeight + 1)) el = el.parentElement;
        const box = window.__bench.converse.state.chatboxes.get(j);
        const texts = [...document.querySelectorAll('converse-chat-message .chat-msg__text')].map((e) => e.textContent.trim());
        return `model ${box ? box.messages.length : '?'} messages, DOM ${texts.length} from ${texts[0]} to ${texts[texts.length - 1]}, scroller ${el && el.tagName} scrollTop ${el && el.scrollTop} of ${el && el.scrollHeight}`;
      }, jid);
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
