'use strict';
// 8. Tab hand-over (issue 4: when the tab holding the connection closes, another tab takes over
// within 2 s). Three tabs of one browser context (one browser profile) on the host page, logged in
// once: the first tab logs in and leads; the other two find the stored session and follow
// (docs/session.md, "Several tabs"). The chat with the contact is open in every tab. Then the
// leader tab is closed and, right after, a Node client (bench/lib/xmpp-lite.js) logged in as the
// contact sends a message. Measured from the moment before the close:
//   - → another tab online again: the first frame in which one of the remaining tabs holds the
//     connection and is online with it (public API: account.isOnline && !account.following);
//   - → the message shown: the first frame in which the message's text is in the chat window of
//     every remaining tab (the later of the two);
//   - whether the server session is the same one (Prosody's c2s sessions of the account, full JIDs,
//     before and after): WebSocket continues it by XEP-0198 resumption, BOSH by attaching to it.
// Both transports, one hand-over each per run, each with a fresh account and browser context.
// Times are in the browser's clock (performance.timeOrigin + performance.now() of each tab).
// Converse.js has no hand-over (each of its tabs has its own connection): n/a, see clients.js.
const { PartialRun, newContext, openTab, mark, watch, closeClient, sleep } = require('../lib/harness');
const { LiteClient } = require('../lib/xmpp-lite');

const TABS = 3;
const TRANSPORTS = [
  { id: 'ws', label: 'WebSocket', url: (env) => env.site.wsUrl },
  { id: 'bosh', label: 'BOSH', url: (env) => `${env.site.url}/http-bind/` },
];

const epoch = (page) => page.evaluate(() => performance.timeOrigin + performance.now());
/** Diagnostics for a failed run: what each remaining tab shows. */
const tabState = (page) =>
  page
    .evaluate(() => {
      const a = window.__bench.jsxc && window.__bench.jsxc.getAccount(new URLSearchParams(location.search).get('jid'));
      const status = document.querySelector('.jsxc-roster [role="status"]');
      const bodies = [...document.querySelectorAll('.jsxc-chat .jsxc-msg__body')].map((e) => e.textContent.trim());
      const row = document.querySelector('.jsxc-contact');
      return `${a ? (a.following ? 'follows' : 'leads') : 'no account'}, ${a && a.isOnline ? 'online' : 'not online'}, status ${status ? status.textContent : '?'}, contact row "${row ? row.textContent : ''}", messages [${bodies.join(', ')}]`;
    })
    .catch((err) => `unavailable (${err.message})`);
const origin = (page) => page.evaluate(() => performance.timeOrigin);

async function handOver(env, client, transport, runNo) {
  const user = env.freshUserWithContacts(1);
  const peer = user.contacts[0];
  const sender = new LiteClient({ wsUrl: env.server.wsUrl, domain: env.server.domain, username: peer.username, password: peer.password });
  const query = { service: transport.url(env), jid: user.jid, password: user.password };
  const context = await newContext(env);
  const run = { context };
  try {
    await sender.connect();
    const leader = await openTab(env, context, client, query);
    await watch(leader, 'leads', client.tabLeads);
    await mark(leader, 'leads', 60000);
    await client.openChat(leader, peer.jid);
    const others = [];
    for (let i = 1; i < TABS; i++) {
      const tab = await openTab(env, context, client, query);
      await watch(tab, 'follows', client.tabFollows);
      await mark(tab, 'follows', 60000);
      await client.openChat(tab, peer.jid);
      others.push(tab);
    }
    // the user has talked with the contact before: one message, shown in every tab (with nothing
    // stored yet, a message lost in the closing tab's last BOSH response is not fetched again:
    // the archive catch-up starts from the newest stored message — see the report)
    const hello = `bench-handover-hello-${transport.id}-${runNo}`;
    for (const tab of [leader, ...others]) await watch(tab, 'hello', client.messageText(hello));
    sender.message(user.jid, hello);
    for (const tab of [leader, ...others]) await mark(tab, 'hello', 30000);
    const before = await env.prosody.sessionsOf(env.server, user.jid);
    const body = `bench-handover-${transport.id}-${runNo}`;
    for (const tab of others) {
      await watch(tab, 'leads', client.tabLeads);
      await watch(tab, 'shown', client.messageText(body));
    }
    const closedAt = await epoch(others[0]);
    await leader.close();
    sender.message(user.jid, body);
    // one of the remaining tabs takes over; the message shows in both
    const leads = await Promise.any(others.map(async (tab) => (await origin(tab)) + (await mark(tab, 'leads', 30000)))).catch(() => {
      throw new Error(`${transport.label}: no tab took over within 30 s`);
    });
    const online = { [`${transport.id}_online_ms`]: leads - closedAt };
    const shown = await Promise.all(others.map(async (tab) => (await origin(tab)) + (await mark(tab, 'shown', 30000)))).catch(async (err) => {
      const after = await env.prosody.sessionsOf(env.server, user.jid).catch(() => '?');
      const state = (await Promise.all(others.map(tabState))).join(' | ');
      throw new PartialRun(`${transport.label}: ${err.message}; tabs: ${state}; server sessions before ${before.join(',')}, after ${after}`, online);
    });
    await sleep(200);
    const after = await env.prosody.sessionsOf(env.server, user.jid);
    const same = before.length === 1 && after.length === 1 && after[0] === before[0];
    const errors = others.flatMap((tab) => tab.__errors);
    if (errors.length) throw new Error(`${transport.label}: page errors: ${errors.join('; ')}`);
    const newLeader = (await Promise.all(others.map((tab) => tab.evaluate(`(${client.tabLeads})()`)))).indexOf(true);
    run.page = others[Math.max(0, newLeader)];
    return {
      ...online,
      [`${transport.id}_shown_ms`]: Math.max(...shown) - closedAt,
      [`${transport.id}_same_session`]: same ? 1 : 0,
      [`_${transport.id}_sessions`]: { before, after },
    };
  } finally {
    await sender.close();
    // a clean log-out (from the new leader), so the server does not keep the session around
    await closeClient(env, client, run.page ? run : null, { logout: true });
    env.openContexts.delete(context);
    await context.close().catch(() => undefined);
  }
}

function handoverScenario() {
  const figures = TRANSPORTS.flatMap((t) => [
    { key: `${t.id}_online_ms`, label: `${TABS} tabs, ${t.label}: leader tab closed → another tab online again (ms)`, max: 2000, absolute: true },
    { key: `${t.id}_shown_ms`, label: `${TABS} tabs, ${t.label}: leader tab closed → contact's message shown in both tabs (ms)`, max: 2000, absolute: true },
    { key: `${t.id}_same_session`, label: `${TABS} tabs, ${t.label}: the same server session continues (1 = yes)`, info: true },
  ]);
  return {
    id: 'handover',
    title: '8. tab hand-over',
    figures,
    async run(env, client, runNo) {
      const values = {};
      const errors = [];
      for (const transport of TRANSPORTS) {
        try {
          Object.assign(values, await handOver(env, client, transport, runNo));
        } catch (err) {
          // what was measured (the other transport, or the take-over before a missed message) counts
          Object.assign(values, err.values || {});
          errors.push(err.message);
        }
      }
      if (errors.length) {
        if (Object.keys(values).length) throw new PartialRun(errors.join('; '), values);
        throw new Error(errors.join('; '));
      }
      return values;
    },
  };
}

module.exports = { handoverScenario };
