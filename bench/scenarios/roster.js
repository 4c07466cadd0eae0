'use strict';
// 2. Cold login to "roster shown" with K pre-seeded contacts (and 7. the JS heap afterwards).
// The page is opened with the account in its URL and logs in at once over WebSocket. "Roster shown"
// = the first animation frame in which the number of contact elements equals K, the first contact
// has content and a layout box in the viewport (first screenful painted, count complete).
// Measured from navigation start, and from the arrival of the roster result (the WebSocket frame
// with the jabber:iq:roster result, timestamped by the probe before the client sees it).
const { openClient, closeClient, mark, heapAfterGc, resourceBytes } = require('../lib/harness');

function rosterScenario(k, { withBytes = false, heapMax } = {}) {
  const figures = [
    { key: 'shown_ms', label: `K=${k}: navigation → roster shown (ms)` },
    { key: 'after_result_ms', label: `K=${k}: roster result → roster shown (ms)`, ...(k >= 5000 ? { max: 1000 } : {}) },
    { key: 'heap_mb', label: `K=${k}: JS heap after GC (MB)`, group: '7. heap', ...(heapMax ? { max: heapMax } : {}) },
  ];
  if (withBytes) figures.push({ key: 'bytes_kb', label: `K=${k}: all widget files to roster shown, gzip (KB)` });
  return {
    id: `roster-${k}`,
    title: '2. cold login',
    figures,
    async run(env, client) {
      const user = env.freshUserWithRoster(k);
      const run = await openClient(env, client, {
        query: { service: env.site.wsUrl, jid: user.jid, password: user.password },
        watch: { shown: client.rosterShown(k) },
      });
      try {
        const shown = await mark(run.page, 'shown', 120000);
        const result = await run.page.evaluate(() => window.__bench.frames.rosterResult);
        const out = { shown_ms: shown, after_result_ms: result === undefined ? null : shown - result, heap_mb: await heapAfterGc(run.cdp) };
        if (withBytes) out.bytes_kb = (await resourceBytes(run.page, shown)).allGzip / 1024;
        return out;
      } finally {
        await closeClient(env, client, run, { logout: true });
      }
    },
  };
}

module.exports = { rosterScenario };
