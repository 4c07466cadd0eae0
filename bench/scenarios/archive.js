'use strict';
// 5. Opening a chat whose archive (XEP-0313, Prosody mod_mam) holds N (10,000) messages. The archive
// is filled once before the runs: a Node client logged in as the owner sends N messages to its
// (offline) contact; Prosody archives each for the owner. Every run logs the owner in afresh (fresh
// browser context: no client-side cache) and measures, in the page:
//  - "last page painted": from the open-chat call to the frame in which the newest message is in the DOM;
//  - "scroll back 1,000": scrolling the list to its top in every animation frame (as fast as the
//    page renders) until the message 1,000 older than the newest, or an older one, is in the DOM
//    (a virtualised list may jump over single messages).
const { openClient, closeClient, mark, watch, now, sleep, PartialRun } = require('../lib/harness');
const { LiteClient } = require('../lib/xmpp-lite');

const PREFIX = 'bench-archive-';
const body = (i) => `${PREFIX}${String(i).padStart(5, '0')}.`;

function archiveScenario(n, back) {
  let owner;
  return {
    id: 'archive',
    title: '5. archive',
    needs: 'archive',
    figures: [
      { key: 'last_page_ms', label: `${n} archived: open chat → last page painted (ms)` },
      { key: 'scroll_back_ms', label: `${n} archived: scroll back through ${back} (ms)` },
    ],
    async setup(env) {
      owner = env.freshUserWithContacts(1);
      const c = new LiteClient({ wsUrl: env.server.wsUrl, domain: env.server.domain, username: owner.username, password: owner.password, timeoutMs: 120000 });
      await c.connect({ presence: false });
      const peer = owner.contacts[0].jid;
      for (let i = 1; i <= n; i++) {
        c.message(peer, body(i));
        if (i % 500 === 0) await c.ping(); // keep the server's queue bounded
      }
      await c.ping();
      await c.close();
    },
    async run(env, client) {
      const peer = owner.contacts[0].jid;
      const run = await openClient(env, client, {
        query: { service: env.site.wsUrl, jid: owner.jid, password: owner.password },
        watch: { shown: client.rosterShown(1), online: client.isOnline },
      });
      try {
        await mark(run.page, 'shown', 30000);
        await mark(run.page, 'online', 30000);
        await watch(run.page, 'newest', client.messageText(body(n)));
        const t0 = await now(run.page);
        await client.openChat(run.page, peer);
        const newest = await mark(run.page, 'newest', 60000);
        await sleep(500);
        await watch(run.page, 'back', client.historyReached(PREFIX, n - back));
        const t1 = await now(run.page);
        await client.scrollHistoryUntil(run.page, 'back', 120000);
        if (!(await run.page.evaluate(() => window.__bench.marks.back !== undefined))) {
          const state = client.historyState ? await client.historyState(run.page, peer).catch((e) => String(e)) : '';
          // the open-chat figure was measured: keep it (bench/README.md, "Partial runs")
          throw new PartialRun(`message ${n - back} not reached by scrolling within 120 s (${state})`, { last_page_ms: newest - t0 });
        }
        const reached = await mark(run.page, 'back', 1000);
        return { last_page_ms: newest - t0, scroll_back_ms: reached - t1 };
      } finally {
        await closeClient(env, client, run, { logout: true });
      }
    },
  };
}

module.exports = { archiveScenario };
