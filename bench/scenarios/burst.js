'use strict';
// 4. A burst of N (1,000) incoming messages into an open chat. A Node client (bench/lib/xmpp-lite.js)
// logged in as the contact sends them back to back. Measured in the page: from the arrival of the
// first burst frame on the WebSocket to the first animation frame in which the last message's text
// is in the DOM (both lists may be virtualised, so "all in the DOM" means all processed and the
// newest rendered), and the longest main-thread task (PerformanceObserver longtask, > 50 ms; 0 when
// there was none) in that interval.
const { openClient, closeClient, mark, watch } = require('../lib/harness');
const { LiteClient } = require('../lib/xmpp-lite');

function burstScenario(n) {
  return {
    id: 'burst',
    title: '4. message burst',
    needs: 'chat',
    figures: [
      { key: 'rendered_ms', label: `${n} messages: first arrives → last rendered (ms)`, max: 1000 },
      { key: 'longest_task_ms', label: `${n} messages: longest main-thread task (ms)`, max: 100 },
      { key: 'arrival_ms', label: `${n} messages: first → last frame arrived (ms)`, info: true },
    ],
    async run(env, client, runNo) {
      const user = env.freshUserWithContacts(1);
      const peer = user.contacts[0];
      const sender = new LiteClient({ wsUrl: env.server.wsUrl, domain: env.server.domain, username: peer.username, password: peer.password });
      const run = await openClient(env, client, {
        query: { service: env.site.wsUrl, jid: user.jid, password: user.password },
        watch: { shown: client.rosterShown(1), online: client.isOnline },
      });
      try {
        await sender.connect();
        await mark(run.page, 'shown', 30000);
        await mark(run.page, 'online', 30000);
        await client.openChat(run.page, peer.jid);
        const tag = `bench-burst-${runNo}-`;
        const body = (i) => `${tag}${String(i).padStart(5, '0')}.`;
        await watch(run.page, 'last', client.messageText(body(n)));
        for (let i = 1; i <= n; i++) sender.message(user.jid, body(i));
        const last = await mark(run.page, 'last', 120000);
        const { first, lastFrame, frames } = await run.page.evaluate(() => ({
          first: window.__bench.frames.burst,
          lastFrame: window.__bench.frames.burstLast,
          frames: window.__bench.frameCounts.burst,
        }));
        const longest = await run.page.evaluate(({ a, b }) => window.__bench.maxLongTask(a, b), { a: first, b: last });
        return { rendered_ms: last - first, longest_task_ms: longest, arrival_ms: lastFrame - first, _frames: frames };
      } finally {
        await sender.close();
        await closeClient(env, client, run, { logout: true });
      }
    },
  };
}

module.exports = { burstScenario };
