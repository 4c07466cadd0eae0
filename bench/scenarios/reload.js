'use strict';
// 3. Page reload with a logged-in session: time to "roster painted" (the K contacts shown again,
// same condition as scenario 2) and to "online again". Measured from the reload's navigation start
// and, for the target, from the moment the widget's main script had arrived (its Resource Timing
// responseEnd). Both clients are configured exactly as in scenario 2 (account in the page URL), so
// whatever each restores from its own storage is what is measured.
const { openClient, closeClient, mark, scriptArrived, sleep } = require('../lib/harness');

function reloadScenario(k) {
  return {
    id: 'reload',
    title: '3. reload',
    needs: 'sessionRestore',
    figures: [
      { key: 'painted_ms', label: `K=${k}: reload → roster painted (ms)` },
      { key: 'painted_after_script_ms', label: `K=${k}: script arrived → roster painted (ms)`, max: 150 },
      { key: 'online_ms', label: `K=${k}: reload → online again (ms)` },
      { key: 'stream_open_ms', label: `K=${k}: reload → server's first stream answer (ms)`, info: true },
    ],
    async run(env, client) {
      const user = env.freshUserWithRoster(k);
      const watch = { shown: client.rosterShown(k), online: client.isOnline };
      const run = await openClient(env, client, { query: { service: env.site.wsUrl, jid: user.jid, password: user.password }, watch });
      try {
        await mark(run.page, 'shown', 120000);
        await mark(run.page, 'online', 30000);
        await sleep(1500); // let the client persist what it wants to keep
        await run.page.reload({ waitUntil: 'commit' });
        const painted = await mark(run.page, 'shown', 60000);
        const online = await mark(run.page, 'online', 30000);
        const script = await scriptArrived(run.page, client.id === 'jsxc' ? '/dist/jsxc.bundle.js' : '/converse.min.js');
        // the first <open/> the server sent on the new page's WebSocket (probe.js), for context
        const streamOpen = await run.page.evaluate(() => window.__bench.frames.streamOpen);
        return { painted_ms: painted, painted_after_script_ms: painted - script, online_ms: online, ...(streamOpen !== undefined ? { stream_open_ms: streamOpen } : {}) };
      } finally {
        await closeClient(env, client, run, { logout: true });
      }
    },
  };
}

module.exports = { reloadScenario };
