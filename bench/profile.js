#!/usr/bin/env node
'use strict';
// Where OUR start-up and roster rendering spend their time: logs in with K contacts (default
// 5,000) with the V8 sampling profiler (CDP Profiler) running from navigation to "roster shown",
// and prints self time by function and by source file (bundle functions are mapped back to src/
// through the source maps of dist/jsxc.bundle.js and its lazy chunks when they are there), plus the main-thread activity categories of a
// trace (script, style/layout, paint, GC).
//
// With --burst N: where a burst of N incoming messages into an open chat goes (scenario 4), from
// the first burst frame's arrival to the frame that shows the last message.
//
// With --archive N (scenario 5): an archive of N messages, the chat opened and scrolled back through
// --back messages (default 1,000); prints the timeline of the archive queries (sent → result, how
// many messages each), the IndexedDB requests the page made, and where the scroll-back's time goes.
//
//   node bench/profile.js [--k 5000] [--client jsxc|converse] [--no-build]
//   node bench/profile.js --burst 1000 [--client jsxc|converse] [--no-build]
//   node bench/profile.js --archive 10000 [--back 1000] [--client jsxc|converse] [--no-build]
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const prosody = require('../scripts/lib/prosody.js');
const { startBenchSite } = require('./lib/site');
const { launchOptions } = require('../scripts/lib/chromium.js');
const { CLIENTS } = require('./lib/clients');
const { installProbe } = require('./lib/probe');

const ROOT = path.join(__dirname, '..');

function args() {
  const a = process.argv.slice(2);
  const get = (name, dflt) => (a.includes(name) ? a[a.indexOf(name) + 1] : dflt);
  return { k: Number(get('--k', 5000)), burst: Number(get('--burst', 0)), archive: Number(get('--archive', 0)), back: Number(get('--back', 1000)), client: get('--client', 'jsxc'), build: !a.includes('--no-build') };
}

// Minimal source-map lookup (VLQ "mappings" decoding) for line/column -> original source.
function loadSourceMap(file) {
  if (!fs.existsSync(file)) return null;
  const map = JSON.parse(fs.readFileSync(file, 'utf8'));
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines = [];
  let src = 0;
  let srcLine = 0;
  let srcCol = 0;
  for (const line of map.mappings.split(';')) {
    const segs = [];
    let col = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const vals = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const d = chars.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          vals.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      col += vals[0];
      if (vals.length >= 4) {
        src += vals[1];
        srcLine += vals[2];
        srcCol += vals[3];
        segs.push([col, src, srcLine]);
      }
    }
    lines.push(segs);
  }
  return {
    lookup(line, column) {
      const segs = lines[line] || [];
      let best = null;
      for (const s of segs) if (s[0] <= column) best = s;
      return best ? `${map.sources[best[1]].replace(/^webpack:\/\/[^/]*\//, '')}:${best[2] + 1}` : null;
    },
  };
}

async function main() {
  const o = args();
  const client = CLIENTS[o.client];
  if (!client) throw new Error(`--client must be one of ${Object.keys(CLIENTS).join(', ')}`);
  if (o.build && spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) throw new Error('build failed');
  const server = await prosody.startProsody({ logLevel: 'warn' });
  let web;
  let browser;
  try {
    web = await startBenchSite(server);
    if (o.archive > 0) {
      browser = await chromium.launch(launchOptions());
      await profileArchive({ o, client, server, web, browser });
      return;
    }
    if (o.burst > 0) {
      browser = await chromium.launch(launchOptions());
      await profileBurst({ o, client, server, web, browser });
      return;
    }
    // K offline contacts in the roster (their accounts need not exist for this)
    const user = prosody.createUser(server, prosody.uniqueUsername('prof'), 'pw-prof');
    prosody.seedRoster(server, user.username, Array.from({ length: o.k }, (_, i) => ({ jid: `prof-contact-${String(i + 1).padStart(5, '0')}@${server.domain}`, name: `prof-contact-${String(i + 1).padStart(5, '0')}` })));
    browser = await chromium.launch(launchOptions());
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(`(${installProbe.toString()})(${JSON.stringify({ watch: { shown: client.rosterShown(o.k) } })});`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
    await cdp.send('Profiler.start');
    await page.goto(`${web.url}${client.page}?${new URLSearchParams({ service: web.wsUrl, jid: user.jid, password: user.password })}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__bench.marks.shown !== undefined, null, { timeout: 120000, polling: 50 });
    const { profile } = await cdp.send('Profiler.stop');
    const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const shown = await page.evaluate(() => window.__bench.marks.shown);
    const result = await page.evaluate(() => window.__bench.frames.rosterResult);
    report({ profile, trace, shown, result, k: o.k, client, windowOnly: false });
    report({ profile, trace, shown, result, k: o.k, client, windowOnly: true });
  } finally {
    if (browser) await browser.close();
    if (web) await web.close();
    await prosody.stopProsody(server);
  }
}

async function profileBurst({ o, client, server, web, browser }) {
  const { LiteClient } = require('./lib/xmpp-lite');
  const user = prosody.createUserWithContacts(server, prosody.uniqueUsername('prof'), 'pw-prof', 1, 'prof-c');
  const peer = user.contacts[0];
  const sender = new LiteClient({ wsUrl: server.wsUrl, domain: server.domain, username: peer.username, password: peer.password });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(`(${installProbe.toString()})(${JSON.stringify({ watch: { shown: client.rosterShown(1), online: client.isOnline } })});`);
  // what the page sends meanwhile, by element name (acks, receipts, markers …)
  await context.addInitScript(() => {
    const sent = (window.__sentFrames = {});
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      if (window.__countSent) {
        const name = (String(data).match(/^<([\w:-]+)/) || [])[1] || '?';
        sent[name] = (sent[name] || 0) + 1;
      }
      return send.call(this, data);
    };
  });
  await context.addInitScript(countIndexedDb);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${web.url}${client.page}?${new URLSearchParams({ service: web.wsUrl, jid: user.jid, password: user.password })}`, { waitUntil: 'commit' });
  await sender.connect();
  await page.waitForFunction(() => window.__bench.marks.shown !== undefined && window.__bench.marks.online !== undefined, null, { timeout: 60000, polling: 50 });
  await client.openChat(page, peer.jid);
  const body = (i) => `bench-burst-prof-${String(i).padStart(5, "0")}.`; // the probe stamps frames with "bench-burst-"
  await page.evaluate(({ n, s }) => window.__bench.watch(n, s), { n: 'last', s: client.messageText(body(o.burst)) });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  await cdp.send('Profiler.start');
  await page.evaluate(() => (window.__countSent = true));
  const idb0 = await page.evaluate(() => ({ ...window.__idb }));
  for (let i = 1; i <= o.burst; i++) sender.message(user.jid, body(i));
  await page.waitForFunction(() => window.__bench.marks.last !== undefined, null, { timeout: 180000, polling: 50 });
  const { profile } = await cdp.send('Profiler.stop');
  const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const shown = await page.evaluate(() => window.__bench.marks.last);
  const result = await page.evaluate(() => window.__bench.frames.burst);
  const { sentFrames, lastFrame } = await page.evaluate(() => ({ sentFrames: window.__sentFrames, lastFrame: window.__bench.frames.burstLast }));
  await sender.close();
  report({ profile, trace, shown, result, k: o.burst, client, windowOnly: true, what: 'burst' });
  console.log(`\nfirst → last burst frame arrived: ${(lastFrame - result).toFixed(0)} ms; frames the page sent meanwhile: ${JSON.stringify(sentFrames)}`);
  const idb1 = await page.evaluate(() => ({ ...window.__idb }));
  console.log('IndexedDB requests from the first send to the last message shown:');
  for (const k of Object.keys(idb1)) if (idb1[k] - (idb0[k] || 0) > 0) console.log(`  ${String(idb1[k] - (idb0[k] || 0)).padStart(6)}  ${k}`);
}

// Init script: counts the page's IndexedDB requests and transactions in window.__idb.
function countIndexedDb() {
  const idb = (window.__idb = { put: 0, get: 0, delete: 0, openCursor: 0, transactions: 0 });
  for (const m of ['put', 'get', 'delete', 'openCursor']) {
    const f = IDBObjectStore.prototype[m];
    IDBObjectStore.prototype[m] = function (...a) {
      idb[m]++;
      // by database/store and, for writes, the key's prefix (localforage: one key per record)
      const key = m === 'put' && typeof a[1] === 'string' ? ` ${a[1].replace(/[^:/|]*$/, '…')}` : '';
      const name = `${m} ${this.transaction.db.name}/${this.name}${key}`;
      idb[name] = (idb[name] || 0) + 1;
      return f.apply(this, a);
    };
  }
  const tx = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...a) {
    idb.transactions++;
    return tx.apply(this, a);
  };
}

async function profileArchive({ o, client, server, web, browser }) {
  const { LiteClient } = require('./lib/xmpp-lite');
  const user = prosody.createUserWithContacts(server, prosody.uniqueUsername('prof'), 'pw-prof', 1, 'prof-c');
  const peer = user.contacts[0];
  const PREFIX = 'bench-archive-';
  const body = (i) => `${PREFIX}${String(i).padStart(5, '0')}.`;
  const filler = new LiteClient({ wsUrl: server.wsUrl, domain: server.domain, username: user.username, password: user.password, timeoutMs: 120000 });
  await filler.connect({ presence: false });
  for (let i = 1; i <= o.archive; i++) {
    filler.message(peer.jid, body(i));
    if (i % 500 === 0) await filler.ping();
  }
  await filler.ping();
  await filler.close();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(`(${installProbe.toString()})(${JSON.stringify({ watch: { shown: client.rosterShown(1), online: client.isOnline } })});`);
  // archive queries sent / answered, and IndexedDB requests, with page times
  await context.addInitScript(() => {
    const log = (window.__archiveLog = []);
    const idb = (window.__idb = { put: 0, get: 0, openCursor: 0, transactions: 0 });
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      const s = String(data);
      if (s.includes('urn:xmpp:mam:2') && s.includes('<query')) log.push({ t: performance.now(), what: 'query', max: (s.match(/<max>(\d+)</) || [])[1] });
      return send.call(this, data);
    };
    const Orig = window.WebSocket;
    window.WebSocket = class extends Orig {
      constructor(...a) {
        super(...a);
        let results = 0;
        this.addEventListener('message', (e) => {
          const s = String(e.data);
          if (s.includes('<result') && s.includes('urn:xmpp:mam:2')) results++;
          if (s.includes('<fin') && s.includes('urn:xmpp:mam:2')) {
            log.push({ t: performance.now(), what: 'fin', results });
            results = 0;
          }
        });
      }
    };
    for (const m of ['put', 'get', 'openCursor']) {
      const f = IDBObjectStore.prototype[m];
      IDBObjectStore.prototype[m] = function (...a) {
        idb[m]++;
        return f.apply(this, a);
      };
    }
    const tx = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (...a) {
      idb.transactions++;
      return tx.apply(this, a);
    };
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${web.url}${client.page}?${new URLSearchParams({ service: web.wsUrl, jid: user.jid, password: user.password })}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench.marks.shown !== undefined && window.__bench.marks.online !== undefined, null, { timeout: 60000, polling: 50 });
  await page.evaluate(({ n, s }) => window.__bench.watch(n, s), { n: 'newest', s: client.messageText(body(o.archive)) });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await browser.startTracing(page, { categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
  await cdp.send('Profiler.start');
  const t0 = await page.evaluate(() => performance.now());
  await client.openChat(page, peer.jid);
  await page.waitForFunction(() => window.__bench.marks.newest !== undefined, null, { timeout: 60000, polling: 50 });
  const newest = await page.evaluate(() => window.__bench.marks.newest);
  await new Promise((r) => setTimeout(r, 500));
  await page.evaluate(({ n, s }) => window.__bench.watch(n, s), { n: 'back', s: client.historyReached(PREFIX, o.archive - o.back) });
  const t1 = await page.evaluate(() => performance.now());
  await client.scrollHistoryUntil(page, 'back', 120000);
  const { profile } = await cdp.send('Profiler.stop');
  const trace = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const back = await page.evaluate(() => window.__bench.marks.back);
  const { log, idb } = await page.evaluate(() => ({ log: window.__archiveLog, idb: window.__idb }));
  console.log(`\n=== ${client.label}: archive of ${o.archive}: open → newest painted ${(newest - t0).toFixed(0)} ms; scroll back ${o.back}: ${back === undefined ? 'not reached' : (back - t1).toFixed(0) + ' ms'} ===`);
  console.log('\nArchive queries (ms after the open-chat call):');
  let sent;
  for (const e of log) {
    if (e.t < t0) continue;
    if (e.what === 'query') sent = e;
    else console.log(`  sent ${(sent ? sent.t - t0 : NaN).toFixed(0).padStart(6)}  answered ${(e.t - t0).toFixed(0).padStart(6)}  (${(e.t - (sent ? sent.t : NaN)).toFixed(0)} ms, max ${sent && sent.max}, ${e.results} results)`);
  }
  console.log(`  newest painted at ${(newest - t0).toFixed(0)}; scroll back started at ${(t1 - t0).toFixed(0)}, reached at ${back === undefined ? '-' : (back - t0).toFixed(0)}`);
  console.log(`\nIndexedDB requests during the whole page: ${JSON.stringify(idb)}`);
  report({ profile, trace, shown: back ?? t1, result: t0, k: o.archive, client, windowOnly: true, what: 'archive' });
}

function report({ profile, trace, shown, result, k, client, windowOnly, what = 'roster' }) {
  // our bundle and its lazy chunks (dist/chunks/*.js), each with its source map when there is one
  const maps = new Map();
  const mapFor = (url) => {
    if (client.id !== 'jsxc' || !url) return null;
    const m = /\/dist\/((?:chunks\/)?[\w.-]+\.js)(?:\?|$)/.exec(new URL(url, 'http://x').pathname);
    if (!m) return null;
    if (!maps.has(m[1])) maps.set(m[1], loadSourceMap(path.join(ROOT, 'dist', `${m[1]}.map`)));
    return maps.get(m[1]);
  };
  const lookup = (cf) => {
    const map = mapFor(cf.url);
    return map ? map.lookup(cf.lineNumber, cf.columnNumber) : null;
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Profile samples and trace events share the monotonic clock; the page's performance.now() is
  // relative to its navigationStart trace event. With --window result, only the samples between
  // the roster result's arrival and "roster shown" count.
  const nav = trace.filter((e) => e.name === 'navigationStart' && e.args && e.args.data && e.args.data.isLoadingMainFrame).pop();
  const from = windowOnly && nav && result !== undefined ? nav.ts + result * 1000 : -Infinity;
  const to = windowOnly && nav ? nav.ts + shown * 1000 : Infinity;
  const self = new Map();
  const dt = profile.timeDeltas;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += dt[i] || 0;
    if (at < from || at > to) continue;
    self.set(profile.samples[i], (self.get(profile.samples[i]) || 0) + (dt[i] || 0) / 1000);
  }
  const byFn = new Map();
  const byFile = new Map();
  for (const [id, ms] of self) {
    const cf = byId.get(id).callFrame;
    const file = cf.url ? new URL(cf.url, 'http://x').pathname : `(${cf.functionName || 'program'})`;
    const orig = lookup(cf);
    const where = orig || `${file}:${cf.lineNumber + 1}`;
    const fnKey = `${cf.functionName || '(anonymous)'} @ ${where}`;
    byFn.set(fnKey, (byFn.get(fnKey) || 0) + ms);
    const fileKey = orig ? orig.replace(/:\d+$/, '') : file;
    byFile.set(fileKey, (byFile.get(fileKey) || 0) + ms);
  }
  // self time of library/runtime code charged to the nearest function of our own source that
  // called it (answers "who calls i18next/strophe/the GC so much")
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const ownFrame = new Map();
  const ownOf = (id) => {
    if (ownFrame.has(id)) return ownFrame.get(id);
    const cf = byId.get(id).callFrame;
    const orig = lookup(cf);
    let v = orig && orig.startsWith('./src/') ? `${cf.functionName || '(anonymous)'} @ ${orig}` : null;
    if (!v) v = parent.has(id) ? ownOf(parent.get(id)) : '(not under our code)';
    ownFrame.set(id, v);
    return v;
  };
  const byOwn = new Map();
  for (const [id, ms] of self) byOwn.set(ownOf(id), (byOwn.get(ownOf(id)) || 0) + ms);
  const top = (m, n) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  if (what === 'archive') {
    console.log(`\n=== ${client.label}: CPU from the open-chat call to the end of the scroll-back ===`);
  } else if (what === 'burst') {
    console.log(`\n=== ${client.label}: burst of ${k} messages, from the first frame's arrival to the last message shown: ${(shown - result).toFixed(0)} ms ===`);
  } else {
    console.log(windowOnly ? '\n=== only between the roster result and "roster shown" ===' : '\n=== from navigation to "roster shown" ===');
    console.log(`\n${client.label}, K=${k}: roster shown at ${shown.toFixed(0)} ms after navigation, ${result === undefined ? '?' : (shown - result).toFixed(0)} ms after the roster result`);
  }
  console.log('\nSelf time by function (top 20):');
  for (const [name, ms] of top(byFn, 20)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
  console.log('\nTime charged to the nearest function of our own source (top 15):');
  for (const [name, ms] of top(byOwn, 15)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
  console.log('\nSelf time by file (top 12):');
  for (const [name, ms] of top(byFile, 12)) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${name}`);
  // main-thread categories from the trace (top-level events only would need nesting; these are totals)
  const names = { 'Scripting (EvaluateScript/FunctionCall/RunMicrotasks)': ['EvaluateScript', 'FunctionCall', 'RunMicrotasks', 'v8.evaluateModule'], 'Style recalc': ['UpdateLayoutTree', 'RecalculateStyles'], Layout: ['Layout'], 'Paint/Composite': ['Paint', 'PaintImage', 'UpdateLayerTree', 'Layerize', 'CompositeLayers'], 'Parse HTML': ['ParseHTML'], 'GC (minor+major)': ['MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'V8.GC_MARK_COMPACTOR'] };
  console.log('\nMain-thread activity (trace totals, ms):');
  const mainThreads = new Set(trace.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args && e.args.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  for (const [label, list] of Object.entries(names)) {
    const ms = trace.filter((e) => e.ph === 'X' && list.includes(e.name) && mainThreads.has(`${e.pid}:${e.tid}`) && e.ts >= from && e.ts <= to).reduce((s, e) => s + (e.dur || 0) / 1000, 0);
    console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${label}`);
  }
}

main().catch((err) => {
  console.error('[profile] failed:', err && err.stack ? err.stack : err);
  process.exitCode = 1;
});
