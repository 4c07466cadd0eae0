#!/usr/bin/env node
'use strict';
// `npm run bench`: the side-by-side benchmark of issue 7 (bench/README.md). Builds our bundle,
// starts one Prosody and one web server (gzip, reverse proxy) on 127.0.0.1, launches Debian's
// chromium and runs every scenario for our widget and Converse.js alternately (A B A B …), a fresh
// browser context per run. Prints a table and writes bench/results/<date>.json and latest.json.
//
//   node bench/run.js [--runs N] [--quick] [--only id[,id…]] [--no-build] [--out DIR] [--timeout MIN]
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { chromium } = require('playwright-core');
const prosody = require('../scripts/lib/prosody.js');
const { ensureChromiumInstalled, launchOptions } = require('../scripts/lib/chromium.js');
const { CLIENTS } = require('./lib/clients');
const { NOT_BUILT } = require('./lib/features');
const { buildScenarios } = require('./scenarios');
const { summarise, printTable } = require('./lib/report');
const { startBenchSite } = require('./lib/site');

const ROOT = path.join(__dirname, '..');
const RUN_TIMEOUT_MS = 5 * 60 * 1000;
const state = { stopping: false };

function parseArgs(argv) {
  const o = { runs: null, quick: false, only: null, build: true, out: path.join(__dirname, 'results'), timeoutMin: 90, pinServer: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = Number(value());
    else if (a === '--only') o.only = value().split(',').filter(Boolean);
    else if (a === '--no-build') o.build = false;
    else if (a === '--out') o.out = path.resolve(value());
    else if (a === '--timeout') o.timeoutMin = Number(value());
    else if (a === '--pin-server') o.pinServer = true;
    else if (a === '--help' || a === '-h') {
      console.log('node bench/run.js [--runs N] [--quick] [--only startup,roster,reload,burst,archive,muc,soak,handover] [--no-build] [--out DIR] [--timeout MIN] [--pin-server]');
      process.exit(0);
    } else throw new Error(`Unknown option ${a} (see --help)`);
  }
  if (o.runs === null) o.runs = o.quick ? 2 : 5;
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer');
  if (!(o.timeoutMin > 0)) throw new Error('--timeout must be a positive number of minutes');
  return o;
}

/** Workload sizes: the issue's numbers, or small ones for --quick (the smoke test). */
function sizes(quick) {
  return quick
    ? { ks: [100], reloadK: 100, burst: 50, archive: 300, archiveBack: 100, occupants: 50, soakSeconds: 5, soakHours: 1 / 12 }
    : { ks: [100, 1000, 5000], reloadK: 1000, burst: 1000, archive: 10000, archiveBack: 1000, occupants: 500, soakSeconds: 60, soakHours: 1 };
}

const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
};

function machine(browserVersion) {
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model || 'unknown',
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    chromium: browserVersion,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const size = sizes(opts.quick);
  const log = (...a) => console.log('[bench]', ...a);
  const cleanups = [];
  let cleaning = null;
  const cleanup = () => {
    if (!cleaning) {
      cleaning = (async () => {
        // each step bounded, so a hung browser cannot keep Prosody running
        for (const fn of cleanups.reverse()) {
          await withTimeout(Promise.resolve().then(fn), 15000, 'cleanup step').catch((e) => console.error('[bench] cleanup:', e.message));
        }
      })();
    }
    return cleaning;
  };
  const onSignal = (sig) => {
    state.stopping = true;
    console.error(`\n[bench] ${sig}: stopping`);
    cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const overall = setTimeout(() => {
    console.error(`[bench] overall time limit of ${opts.timeoutMin} min reached: stopping`);
    cleanup().finally(() => process.exit(2));
  }, opts.timeoutMin * 60 * 1000);
  overall.unref();

  try {
    if (opts.build) {
      log('building our bundle (npm run build)');
      const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
      if (r.status !== 0) throw new Error('npm run build failed');
    }
    if (!fs.existsSync(path.join(ROOT, 'dist/jsxc.bundle.js'))) throw new Error('dist/jsxc.bundle.js is missing: run npm run build');
    const converseDist = path.join(ROOT, 'node_modules/converse.js/dist');
    if (!fs.existsSync(path.join(converseDist, 'converse.min.js'))) throw new Error('node_modules/converse.js/dist is missing: npm install');

    prosody.ensureProsodyInstalled();
    ensureChromiumInstalled();
    // hashed credentials, as on a production server: only then does a WebSocket session survive a
    // reload (the SCRAM keys stay valid; docs/session.md) — for both clients
    const server = await prosody.startProsody({ logLevel: 'warn', authentication: 'internal_hashed' });
    cleanups.push(() => prosody.stopProsody(server));
    // last resort if the process ends before the cleanup got there: signal Prosody by its own PID
    process.on('exit', () => {
      if (prosody.isRunning(server)) {
        try {
          process.kill(server.pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
    });
    log(`prosody pid ${server.pid} on 127.0.0.1:${server.httpPort}`);
    if (opts.pinServer) pinServer(server, log);
    const site = await startBenchSite(server);
    cleanups.push(() => site.close());
    const browser = await chromium.launch(launchOptions());
    cleanups.push(() => browser.close());
    const env = makeEnv({ server, site, browser, size, log });
    env.quick = opts.quick;
    cleanups.push(async () => {
      for (const c of env.openContexts) await c.close().catch(() => undefined);
    });

    const scenarios = buildScenarios(size).filter((s) => !opts.only || opts.only.some((o) => s.id === o || s.id.startsWith(o + '-')));
    if (!scenarios.length) throw new Error(`--only ${opts.only}: no such scenario`);
    const clients = [CLIENTS.jsxc, CLIENTS.converse];
    const results = [];
    const report = {
      date: new Date().toISOString(),
      machine: machine(browser.version()),
      options: { runs: opts.runs, quick: opts.quick, only: opts.only, sizes: size, pinServer: opts.pinServer },
      clients: {
        ours: 'jsxc-next (dist/jsxc.bundle.js)',
        theirs: `Converse.js ${JSON.parse(fs.readFileSync(path.join(converseDist, '../package.json'), 'utf8')).version} (dist/converse.min.js)`,
      },
      complete: false,
      scenarios: [],
    };
    fs.mkdirSync(opts.out, { recursive: true });
    const stamp = report.date.replace(/[:.]/g, '-');
    // written after every scenario, so that a late failure or Ctrl+C keeps what was measured
    const save = () => {
      report.scenarios = results.map((r) => summarise(r));
      for (const name of [`${stamp}.json`, 'latest.json']) fs.writeFileSync(path.join(opts.out, name), JSON.stringify(report, null, 2));
    };
    for (const scenario of scenarios) {
      if (state.stopping) break;
      results.push(await runScenario(env, scenario, clients, opts.runs));
      save();
    }
    report.complete = true;
    save();
    printTable(report);
    log(`results: ${path.relative(process.cwd(), path.join(opts.out, `${stamp}.json`))}`);
  } finally {
    clearTimeout(overall);
    await cleanup();
  }
}

/**
 * --pin-server (an experiment, not the default): Prosody gets the last CPU to itself and this process
 * — and so the browser it launches afterwards, which inherits the affinity — the others, as if the
 * server ran on another machine. Other programs on the machine are not pinned.
 */
function pinServer(server, log) {
  const n = os.cpus().length;
  if (n < 2) throw new Error('--pin-server needs at least 2 CPUs');
  const set = (cpus, pid) => {
    const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`taskset ${cpus} ${pid} failed: ${r.stderr || r.error}`);
  };
  set(String(n - 1), server.pid);
  set(n === 2 ? '0' : `0-${n - 2}`, process.pid);
  log(`pinned: prosody on CPU ${n - 1}, this process and the browser on CPU 0${n > 2 ? `-${n - 2}` : ''}`);
}

function makeEnv({ server, site, browser, size, log }) {
  const maxK = Math.max(...size.ks, size.reloadK);
  let pool = null; // offline contacts shared by the roster scenarios (read-only for them)
  const contactPool = () => {
    if (!pool) {
      const users = Array.from({ length: maxK }, (_, i) => {
        const username = `bench-contact-${String(i + 1).padStart(5, '0')}`;
        return { username, password: `${username}-pw` };
      });
      pool = prosody.createUsers(server, users);
    }
    return pool;
  };
  return {
    server,
    site,
    browser,
    log,
    prosody,
    openContexts: new Set(),
    /** A new account whose roster holds the first k pool contacts (subscription both, name = username). */
    freshUserWithRoster(k) {
      const username = prosody.uniqueUsername('bench');
      const user = prosody.createUser(server, username, `${username}-pw`);
      if (k > 0) prosody.seedRoster(server, username, contactPool().slice(0, k).map((c) => ({ jid: c.jid, name: c.username })));
      return user;
    },
    /** A new account and n new mutual contacts (they can log in and send presence). */
    freshUserWithContacts(n) {
      const username = prosody.uniqueUsername('bench');
      return prosody.createUserWithContacts(server, username, `${username}-pw`, n, `${username}-c`);
    },
  };
}

async function runScenario(env, scenario, clients, runs) {
  const result = { scenario, perClient: {} };
  for (const c of clients) {
    const na = (scenario.needs && !c.features[scenario.needs] ? NOT_BUILT : null) || (c.notApplicable && c.notApplicable[scenario.id]) || null;
    result.perClient[c.id] = { na, runs: [], errors: [] };
  }
  const active = clients.filter((c) => !result.perClient[c.id].na);
  if (!active.length) return result;
  env.log(`${scenario.id}: ${scenario.title} (${runs} runs × ${active.map((c) => c.label).join(', ')})`);
  try {
    if (scenario.setup) await withTimeout(scenario.setup(env), RUN_TIMEOUT_MS, `${scenario.id} setup`);
  } catch (err) {
    for (const c of active) result.perClient[c.id].errors.push(`setup: ${err.message}`);
    if (scenario.teardown) await scenario.teardown(env).catch(() => undefined);
    return result;
  }
  try {
    for (let r = 0; r < runs && !state.stopping; r++) {
      for (const c of active) {
        if (state.stopping) break;
        const slot = result.perClient[c.id];
        if (slot.runs.length === 0 && slot.errors.length >= 2) {
          // two failed runs and no success: the rest would fail the same way (and cost minutes each)
          if (r === 2) env.log(`  ${c.label}: skipping the remaining runs after 2 failures`);
          continue;
        }
        const t = Date.now();
        try {
          const values = await withTimeout(scenario.run(env, c, r), RUN_TIMEOUT_MS, `${scenario.id} run`);
          slot.runs.push(values);
          env.log(`  run ${r + 1} ${c.label}: ${brief(values)} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
        } catch (err) {
          slot.errors.push(err.message);
          if (err.values) {
            // a partial run (harness PartialRun): the figures measured before the failure count
            slot.runs.push({ ...err.values, _partial: err.message });
            env.log(`  run ${r + 1} ${c.label}: PARTIAL ${brief(err.values)}; ${err.message}`);
          } else {
            env.log(`  run ${r + 1} ${c.label}: FAILED ${err.message}`);
          }
          for (const ctx of env.openContexts) await ctx.close().catch(() => undefined);
          env.openContexts.clear();
        }
      }
    }
  } finally {
    if (scenario.teardown) await scenario.teardown(env).catch(() => undefined);
  }
  return result;
}

function brief(values) {
  return Object.entries(values)
    .filter(([k]) => !k.startsWith('_'))
    .map(([k, v]) => `${k}=${typeof v === 'number' ? Math.round(v * 10) / 10 : v}`)
    .join(' ');
}

main().catch((err) => {
  console.error('[bench] failed:', err && err.stack ? err.stack : err);
  process.exitCode = 1;
});
