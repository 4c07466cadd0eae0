'use strict';
// Shared measuring helpers: a fresh browser context per run with the probe installed, CDP access,
// heap and script-time readings, resource byte sums. Used identically for both clients.
const { installProbe } = require('./probe');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens client.page in a fresh context. `watch` = { markName: conditionSource } checked from the
 * document's first frame on (also after a reload). Returns { context, page, cdp, errors }.
 */
async function openClient(env, client, { query = {}, watch = {}, beforeLoad } = {}) {
  const context = await newContext(env, watch);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (beforeLoad) await beforeLoad(page);
  await page.goto(clientUrl(env, client, query), { waitUntil: 'commit' });
  return { context, page, cdp, errors };
}

/**
 * A fresh browser context (= one browser profile: its tabs share storage, Web Locks and
 * BroadcastChannels) with the probe installed in every page; `watch` as in openClient.
 */
async function newContext(env, watch = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  env.openContexts.add(context);
  await context.addInitScript(`(${installProbe.toString()})(${JSON.stringify({ watch })});`);
  return context;
}

/** Another tab of the context on the client's host page (page errors collected in page.__errors). */
async function openTab(env, context, client, query = {}) {
  const page = await context.newPage();
  page.__errors = [];
  page.on('pageerror', (err) => page.__errors.push(String(err)));
  await page.goto(clientUrl(env, client, query), { waitUntil: 'commit' });
  return page;
}

function clientUrl(env, client, query) {
  const qs = new URLSearchParams(query).toString();
  return `${env.site.url}${client.page}${qs ? '?' + qs : ''}`;
}

async function closeClient(env, client, run, { logout = false } = {}) {
  if (!run) return;
  if (logout) {
    // A clean log-out, so the server does not keep a hibernating (XEP-0198) session around.
    await Promise.race([client.logout(run.page).catch(() => undefined), sleep(2000)]);
  }
  env.openContexts.delete(run.context);
  await run.context.close().catch(() => undefined);
}

/** Waits for window.__bench.marks[name]; returns its value (ms since navigation start). */
async function mark(page, name, timeoutMs) {
  try {
    await page.waitForFunction((n) => window.__bench && window.__bench.marks && window.__bench.marks[n] !== undefined, name, {
      timeout: timeoutMs,
      polling: 50,
    });
  } catch (err) {
    // what the page was doing, for the results JSON (a start() that failed, frames seen, the status text)
    const state = await page
      .evaluate(() => {
        const b = window.__bench || {};
        const status = document.querySelector('[role="status"]');
        return `start error: ${b.error || 'none'}; frames seen: ${Object.keys(b.frames || {}).join(',') || 'none'}; status: ${status ? status.textContent.trim() : '?'}`;
      })
      .catch(() => 'page state unavailable');
    throw new Error(`"${name}" did not happen within ${timeoutMs / 1000} s (${state})`);
  }
  return page.evaluate((n) => window.__bench.marks[n], name);
}

async function watch(page, name, source) {
  await page.evaluate(({ n, s }) => window.__bench.watch(n, s), { n: name, s: source });
}

const now = (page) => page.evaluate(() => performance.now());

/** JS heap in MB after a full GC (CDP HeapProfiler.collectGarbage + Runtime.getHeapUsage). */
async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await sleep(100);
  await cdp.send('HeapProfiler.collectGarbage');
  return heapNow(cdp);
}

async function heapNow(cdp) {
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}

/** CDP Performance metrics as { name: value } (durations in seconds). */
async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/**
 * Bytes the page downloaded until `until` (ms since navigation start), from Resource Timing
 * (same-origin, so sizes are exposed): encodedBodySize is the body as transferred (gzip).
 * The host page's own HTML document is not counted (it is a navigation entry, not a resource).
 */
async function resourceBytes(page, until) {
  const entries = await page.evaluate(
    (t) =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.responseEnd <= t)
        .map((e) => ({ name: e.name, encoded: e.encodedBodySize, decoded: e.decodedBodySize, transfer: e.transferSize })),
    until,
  );
  const isJsCss = (e) => /\.(m?js|css)(\?|$)/.test(new URL(e.name).pathname);
  const proxied = (e) => /\/(http-bind|xmpp-websocket)/.test(new URL(e.name).pathname);
  const hostPage = (e) => new URL(e.name).pathname.startsWith('/bench/'); // the host page's start script
  const own = entries.filter((e) => !proxied(e) && !hostPage(e));
  const sum = (list, k) => list.reduce((s, e) => s + (e[k] || 0), 0);
  return {
    jsCssGzip: sum(own.filter(isJsCss), 'encoded'),
    jsCssRaw: sum(own.filter(isJsCss), 'decoded'),
    allGzip: sum(own, 'encoded'),
    requests: own.length,
    files: own.map((e) => `${new URL(e.name).pathname} ${e.encoded}`),
  };
}

/** The time the widget's main script had arrived (its resource responseEnd), ms since navigation. */
async function scriptArrived(page, pathPart) {
  return page.evaluate((p) => {
    const e = performance.getEntriesByType('resource').find((r) => r.name.includes(p));
    return e ? e.responseEnd : NaN;
  }, pathPart);
}

/**
 * A run that measured some figures and then failed to reach a later mark: bench/run.js keeps the
 * figures it has (`values`) and records the error, instead of discarding the whole run.
 */
class PartialRun extends Error {
  constructor(message, values) {
    super(message);
    this.values = values;
  }
}

module.exports = { PartialRun, openClient, newContext, openTab, closeClient, mark, watch, now, heapAfterGc, heapNow, metrics, resourceBytes, scriptArrived, sleep };
