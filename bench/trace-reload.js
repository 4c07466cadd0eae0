#!/usr/bin/env node
'use strict';
// Where OUR reload → "online again" goes (scenario 3 of bench/README.md, our widget only): logs in
// with K contacts, waits for online + 1.5 s, reloads, and prints the new page's timeline — the
// main script's arrival, the WebSocket constructed / open, every frame sent and received (first
// 100 characters), the roster painted and the online mark — all in ms since the reload's
// navigation start. With --runs N it reloads N times in a row (the same session each time) and
// says for each whether the server resumed it; Prosody logs at debug level into a folder that is
// kept (its path is printed), to read why a resumption was refused.
//
//   node bench/trace-reload.js [--k 1000] [--runs 3] [--no-build] [--frames] [--no-proxy]
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const prosody = require('../scripts/lib/prosody.js');
const { ensureChromiumInstalled, launchOptions } = require('../scripts/lib/chromium.js');
const { CLIENTS } = require('./lib/clients');
const { openClient, closeClient, mark, sleep } = require('./lib/harness');
const { startBenchSite } = require('./lib/site');

const ROOT = path.join(__dirname, '..');

function parseArgs(argv) {
  const o = { k: 1000, runs: 3, build: true, frames: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--k') o.k = Number(argv[++i]);
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--no-build') o.build = false;
    else if (a === '--frames') o.frames = true;
    else throw new Error(`Unknown option ${a}`);
  }
  return o;
}

/** In the page, before any script: records the WebSocket's life and frames in performance.now() time. */
function recordSocket() {
  const log = (window.__trace = []);
  const Native = window.WebSocket;
  const Traced = function (url, protocols) {
    log.push({ t: performance.now(), what: 'WebSocket constructed' });
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    ws.addEventListener('open', () => log.push({ t: performance.now(), what: 'WebSocket open' }));
    ws.addEventListener('close', (ev) => log.push({ t: performance.now(), what: `WebSocket closed (${ev.code})` }));
    ws.addEventListener('message', (ev) => log.push({ t: performance.now(), what: 'recv', data: String(ev.data).slice(0, 100) }));
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      log.push({ t: performance.now(), what: 'sent', data: String(data).slice(0, 100) });
      send(data);
    };
    return ws;
  };
  Traced.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Traced[k] = Native[k];
  window.WebSocket = Traced;
}

/** The frames worth a line of their own even without --frames. */
const LANDMARK = /<open |<auth |<success|<resume|<resumed|<failed|<enabled|<bind|<iq[^>]*type=.get.|<presence[^>]*type=.probe|<r |<a /;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.build && spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('build failed');
  prosody.ensureProsodyInstalled();
  ensureChromiumInstalled();
  const server = await prosody.startProsody({ logLevel: 'debug', authentication: 'internal_hashed' });
  console.log(`prosody log: ${server.logPath} (kept)`);
  const site = await startBenchSite(server);
  const browser = await chromium.launch(launchOptions());
  const env = { browser, site, openContexts: new Set() };
  try {
    const username = prosody.uniqueUsername('trace');
    const user = prosody.createUser(server, username, `${username}-pw`);
    const contacts = prosody.createUsers(
      server,
      Array.from({ length: opts.k }, (_, i) => ({ username: `trace-contact-${String(i + 1).padStart(5, '0')}`, password: 'x-pw' })),
    );
    prosody.seedRoster(server, username, contacts.map((c) => ({ jid: c.jid, name: c.username })));
    const client = CLIENTS.jsxc;
    const watch = { shown: client.rosterShown(opts.k), online: client.isOnline };
    const run = await openClient(env, client, { query: { service: site.wsUrl, jid: user.jid, password: user.password }, watch });
    await run.page.addInitScript(`(${recordSocket.toString()})();`);
    try {
      await mark(run.page, 'shown', 120000);
      await mark(run.page, 'online', 30000);
      for (let r = 0; r < opts.runs; r++) {
        await sleep(1500);
        await run.page.reload({ waitUntil: 'commit' });
        const painted = await mark(run.page, 'shown', 60000);
        const online = await mark(run.page, 'online', 30000);
        await sleep(300);
        const { trace, script } = await run.page.evaluate(() => {
          const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/dist/jsxc.bundle.js'));
          const marks = performance.getEntriesByType('mark').map((m) => ({ t: m.startTime, what: `mark ${m.name}` }));
          return { trace: [...window.__trace, ...marks], script: entry ? { start: entry.startTime, end: entry.responseEnd } : null };
        });
        const resumed = trace.some((e) => e.what === 'recv' && e.data.includes('<resumed'));
        console.log(`\nreload ${r + 1}: roster painted ${painted.toFixed(0)} ms, online ${online.toFixed(0)} ms, ${resumed ? 'RESUMED' : 'NOT resumed'}`);
        const lines = [
          ...(script ? [{ t: script.start, what: 'main script requested' }, { t: script.end, what: 'main script arrived' }] : []),
          { t: painted, what: '== roster painted' },
          { t: online, what: '== online' },
          ...trace.filter((e) => opts.frames || !e.data || LANDMARK.test(e.data)),
        ].sort((a, b) => a.t - b.t);
        let probes = 0;
        for (const l of lines) {
          if (l.data && /type=.probe/.test(l.data)) {
            if (probes++ > 0) continue;
          }
          console.log(`${l.t.toFixed(1).padStart(8)}  ${l.what}${l.data ? ' ' + l.data.replace(/\s+/g, ' ') : ''}`);
        }
        const probeTimes = trace.filter((e) => e.what === 'sent' && /type=.probe/.test(e.data)).map((e) => e.t);
        if (probeTimes.length) console.log(`(${probeTimes.length} probes sent from ${probeTimes[0].toFixed(1)} to ${probeTimes[probeTimes.length - 1].toFixed(1)} ms)`);
        const sent = trace.filter((e) => e.what === 'sent').length;
        const recv = trace.filter((e) => e.what === 'recv').length;
        console.log(`(${sent} frames sent, ${recv} received up to online + 300 ms)`);
      }
    } finally {
      await closeClient(env, client, run, { logout: true });
    }
  } finally {
    await browser.close().catch(() => undefined);
    await site.close();
    await prosody.stopProsody(server, { keepDir: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
