'use strict';
// 4. A burst of N (1,000) incoming messages into an open chat. A Node client (bench/lib/xmpp-lite.js)
// logged in as the contact sends them back to back. Measured in the page: from the arrival of the
// first burst frame on the WebSocket to the first animation frame in which the last message's text
// is in the DOM (both lists may be virtualised, so "all in the DOM" means all processed and the
// newest rendered), and the longest main-thread task (PerformanceObserver longtask, > 50 ms; 0 when
// there was none) in that interval.
// Outside the page, bench/lib/ws-tap.js stamps when Prosody handed each burst message to the
// page's connection: "first sent → last delivered" is the server's part (it does not wait for the
// page's main thread; from the send, because a small burst can arrive in one read), "last
// delivered → last rendered" the client's part after it.
const { openClient, closeClient, mark, watch, sleep } = require('../lib/harness');
const { LiteClient } = require('../lib/xmpp-lite');
const { epochNow } = require('../lib/ws-tap');
const { processCpuMs, machineCpuMs, descendantsCpuMs } = require('../lib/cpu');

function burstScenario(n) {
  return {
    id: 'burst',
    title: '4. message burst',
    needs: 'chat',
    figures: [
      { key: 'rendered_ms', label: `${n} messages: first arrives → last rendered (ms)`, max: 1000 },
      { key: 'longest_task_ms', label: `${n} messages: longest main-thread task (ms)`, max: 100 },
      { key: 'arrival_ms', label: `${n} messages: first → last frame arrived (ms)`, info: true },
      { key: 'delivered_ms', label: `${n} messages: first sent → last delivered to the page's connection (ms)`, info: true },
      { key: 'after_delivery_ms', label: `${n} messages: last delivered → last rendered (ms)`, info: true },
      { key: 'browser_cpu_ms', label: `${n} messages: browser CPU time, first send → last rendered (ms)`, info: true },
      { key: 'server_alone_ms', label: `${n} messages to a Node receiver, no browser: first sent → last delivered (ms)`, info: true },
    ],
    async run(env, client, runNo) {
      const serverAlone = await burstToNodeReceiver(env, n, `bench-alone-${runNo}-`);
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
        env.site.tap.watch(tag);
        const cpu0 = { tree: descendantsCpuMs(), prosody: processCpuMs(env.server.pid), node: process.cpuUsage(), machine: machineCpuMs(), t: performance.now() };
        const sentAt = epochNow();
        for (let i = 1; i <= n; i++) sender.message(user.jid, body(i));
        // when Prosody has handed the last message to the page's connection (or gave up): the CPU
        // it used meanwhile and how busy the machine was (details in the results JSON)
        const deadline = Date.now() + 120000;
        while ((env.site.tap.peek(tag)?.count ?? 0) < n && Date.now() < deadline) await sleep(5);
        const cpu1 = { tree: descendantsCpuMs(), prosody: processCpuMs(env.server.pid), node: process.cpuUsage(cpu0.node), machine: machineCpuMs(), t: performance.now() };
        const last = await mark(run.page, 'last', 120000);
        const tree2 = descendantsCpuMs();
        const { first, lastFrame, frames, origin } = await run.page.evaluate(() => ({
          first: window.__bench.frames.burst,
          lastFrame: window.__bench.frames.burstLast,
          frames: window.__bench.frameCounts.burst,
          origin: performance.timeOrigin,
        }));
        const tapped = env.site.tap.seen(tag);
        const longest = await run.page.evaluate(({ a, b }) => window.__bench.maxLongTask(a, b), { a: first, b: last });
        return {
          // all chromium processes (renderer, browser process with IndexedDB, GPU, network …)
          browser_cpu_ms: chromiumMs(tree2) - chromiumMs(cpu0.tree),
          server_alone_ms: serverAlone.ms,
          rendered_ms: last - first,
          longest_task_ms: longest,
          arrival_ms: lastFrame - first,
          delivered_ms: tapped.last - sentAt,
          after_delivery_ms: origin + last - tapped.last,
          _frames: frames,
          _delivered: tapped.count,
          _first_delivered_after_send_ms: tapped.first - sentAt,
          // the page's first burst frame event after the tap saw it (≥ 0; the same clock, another process)
          _first_frame_lag_ms: origin + first - tapped.first,
          // … and the last one: what the page's own queue added by the end of the burst
          _last_frame_lag_ms: origin + lastFrame - tapped.last,
          // from the first send to the last delivery: Prosody's CPU time, the wall time, and the
          // share of the machine's CPUs that was busy (with everything running on it)
          _prosody_cpu_ms: cpu1.prosody - cpu0.prosody,
          _alone_prosody_cpu_ms: serverAlone.prosodyCpuMs,
          _bench_process_cpu_ms: (cpu1.node.user + cpu1.node.system) / 1000, // sender, proxy, tap, playwright
          _machine_cpu_ms: cpu1.machine.busy - cpu0.machine.busy, // both cores, everything
          // the processes this benchmark started (Prosody = lua5.4, chromium's by --type)
          _cpu_by_process_ms: Object.fromEntries(Object.entries(cpu1.tree).map(([k, v]) => [k, v - (cpu0.tree[k] || 0)]).filter(([, v]) => v > 0)),
          _send_to_delivered_ms: cpu1.t - cpu0.t,
          _machine_busy_pct: (100 * (cpu1.machine.busy - cpu0.machine.busy)) / (cpu1.machine.total - cpu0.machine.total),
        };
      } finally {
        await sender.close();
        await closeClient(env, client, run, { logout: true });
      }
    },
  };
}

/** The CPU time of chromium's processes in a descendantsCpuMs() reading. */
function chromiumMs(tree) {
  return Object.entries(tree)
    .filter(([kind]) => kind.startsWith('chromium'))
    .reduce((sum, [, ms]) => sum + ms, 0);
}

/**
 * The same burst from a fresh pair of accounts, received by a bare Node client (bench/lib/xmpp-lite.js)
 * instead of a browser, through the same proxy and tap: what the server needs to deliver n messages
 * on this machine right now when no page competes with it for the CPUs. Returns { ms: first sent →
 * last delivered as the tap saw it, prosodyCpuMs: Prosody's CPU time meanwhile }.
 */
async function burstToNodeReceiver(env, n, tag) {
  const user = env.freshUserWithContacts(1);
  const peer = user.contacts[0];
  const receiver = new LiteClient({ wsUrl: env.site.wsUrl, domain: env.server.domain, username: user.username, password: user.password });
  const sender = new LiteClient({ wsUrl: env.server.wsUrl, domain: env.server.domain, username: peer.username, password: peer.password });
  try {
    await receiver.connect();
    await sender.connect();
    let count = 0;
    const all = new Promise((resolve) =>
      receiver.onFrame((f) => {
        if (f.includes(tag) && ++count === n) resolve();
      }),
    );
    env.site.tap.watch(tag);
    const cpu0 = processCpuMs(env.server.pid);
    const sentAt = epochNow();
    for (let i = 1; i <= n; i++) sender.message(user.jid, `${tag}${String(i).padStart(5, '0')}.`);
    let timer;
    await Promise.race([all, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the Node receiver got ${count} of ${n} messages within 60 s`)), 60000)))]).finally(() =>
      clearTimeout(timer),
    );
    const prosodyCpuMs = processCpuMs(env.server.pid) - cpu0;
    const seen = env.site.tap.seen(tag);
    return { ms: seen.last - sentAt, prosodyCpuMs };
  } finally {
    await sender.close();
    await receiver.close();
  }
}

module.exports = { burstScenario };
