'use strict';
// 7. Leak check: an hour's worth of traffic compressed into `seconds` (60; --quick: 10 minutes' worth
// in 10 s, the same rate). A fresh account with 100
// contacts, 20 of them online as Node sessions. "An hour" = 3,600 presence changes (show/status
// cycling, going offline and back) and 1,200 chat messages to us, spread evenly over the run. The
// JS heap is read after a GC before the traffic (start), sampled without GC every 2 s (peak), and
// read after a GC 3 s after the traffic (end). Target: end − start ≤ 1 MB ("no growth").
const { openClient, closeClient, mark, heapAfterGc, heapNow, sleep } = require('../lib/harness');
const { connectMany } = require('../lib/xmpp-lite');

const CONTACTS = 100;
const ONLINE = 20;
const PRESENCES_PER_HOUR = 3600;
const MESSAGES_PER_HOUR = 1200;
const SHOWS = ['away', 'xa', 'dnd', 'chat', '', 'offline'];

function soakScenario(seconds, hours = 1) {
  return {
    id: 'soak',
    title: '7. simulated hour',
    figures: [
      { key: 'start_mb', label: 'simulated hour: heap at start, after GC (MB)' },
      { key: 'peak_mb', label: 'simulated hour: heap peak, no GC (MB)' },
      { key: 'end_mb', label: 'simulated hour: heap at end, after GC (MB)' },
      { key: 'growth_mb', label: 'simulated hour: end − start (MB)', max: 1 },
    ],
    async run(env, client, runNo) {
      const user = env.freshUserWithContacts(CONTACTS);
      const online = await connectMany(
        user.contacts.slice(0, ONLINE).map((c) => ({ wsUrl: env.server.wsUrl, domain: env.server.domain, username: c.username, password: c.password })),
        ONLINE,
      );
      const run = await openClient(env, client, {
        query: { service: env.site.wsUrl, jid: user.jid, password: user.password },
        watch: { shown: client.rosterShown(CONTACTS), online: client.isOnline },
      });
      try {
        await mark(run.page, 'shown', 60000);
        await mark(run.page, 'online', 30000);
        await sleep(2000);
        const start = await heapAfterGc(run.cdp);
        let peak = start;
        const sampler = setInterval(() => {
          heapNow(run.cdp).then((h) => (peak = Math.max(peak, h)), () => undefined);
        }, 2000);
        const messageCount = Math.round(MESSAGES_PER_HOUR * hours);
        const events = Math.round(PRESENCES_PER_HOUR * hours) + messageCount;
        const tickMs = 50;
        const perTick = events / ((seconds * 1000) / tickMs);
        let sent = 0;
        let presences = 0;
        let messages = 0;
        const t0 = Date.now();
        while (sent < events) {
          const due = Math.min(events, Math.round(((Date.now() - t0) / tickMs) * perTick));
          for (; sent < due; sent++) {
            const from = online[sent % ONLINE];
            // interleave 3 presences : 1 message
            if (sent % 4 === 3 && messages < messageCount) {
              messages++;
              from.message(user.jid, `bench-soak-${runNo}-${messages} the quick brown fox jumps over the lazy dog`);
            } else {
              presences++;
              const show = SHOWS[presences % SHOWS.length];
              if (show === 'offline') from.presence(' type="unavailable"');
              else from.presence('', `${show ? `<show>${show}</show>` : ''}<status>status ${presences}</status>`);
            }
          }
          await sleep(tickMs);
        }
        clearInterval(sampler);
        // everything sent has reached the server (bounded: a busy server must not fail the run)
        await Promise.race([Promise.all(online.map((c) => c.ping().catch(() => undefined))), sleep(30000)]);
        await sleep(3000);
        const end = await heapAfterGc(run.cdp);
        peak = Math.max(peak, end);
        return { start_mb: start, peak_mb: peak, end_mb: end, growth_mb: end - start };
      } finally {
        await Promise.all(online.map((c) => c.close()));
        await closeClient(env, client, run, { logout: true });
      }
    },
  };
}

module.exports = { soakScenario };
