#!/usr/bin/env node
'use strict';
// `npm test`: unit tests, then integration tests (protocol layer in Node against a real Prosody),
// then e2e tests (the built bundle in Debian's chromium against the same Prosody). Installs what a
// fresh machine lacks, starts Prosody once for the whole run, stops it by its own PID, and ends
// with the plain line "N passed, N failed". Exits non-zero on any failure.
//
//   node scripts/test.js               all three phases
//   node scripts/test.js integration   only the named phases (unit, integration, e2e)
//   JEST_ARGS="-t roster" node scripts/test.js e2e   extra jest arguments
const { spawnSync, spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const prosody = require('./lib/prosody');
const { ensureChromiumInstalled } = require('./lib/chromium');

const ROOT = path.join(__dirname, '..');
const PHASES = ['unit', 'integration', 'e2e'];
const requested = process.argv.slice(2).filter((a) => PHASES.includes(a));
const phases = requested.length ? PHASES.filter((p) => requested.includes(p)) : PHASES;
const extraArgs = (process.env.JEST_ARGS || '').split(' ').filter(Boolean);

// The benchmark smoke run starts its own Prosody and browsers: it runs alone, after the other e2e
// tests, so that it does not starve them of the machine's two cores.
const BENCH_SMOKE = 'test/e2e/bench-smoke.test.ts';

/** The jest runs of a phase: [label, extra jest arguments]. */
function runsOf(phase) {
  if (phase !== 'e2e' || extraArgs.length > 0) {
    return [[phase, extraArgs]];
  }
  return [
    ['e2e', ['--testPathIgnorePatterns', 'bench-smoke']],
    ['e2e (benchmark smoke run)', ['--runTestsByPath', BENCH_SMOKE]],
  ];
}

function runJest(phase, outputFile, args0 = extraArgs) {
  return new Promise((resolve) => {
    const args = [require.resolve('jest/bin/jest'), '--selectProjects', phase, '--json', '--outputFile', outputFile, '--maxWorkers=2', ...args0];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
    const timer = setTimeout(() => {
      console.error(`[jsxc] ${phase} tests took more than 30 minutes: stopping them`);
      child.kill('SIGKILL');
    }, 30 * 60 * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function readCounts(outputFile) {
  try {
    const result = JSON.parse(fs.readFileSync(outputFile, 'utf8'));
    // a suite that failed to run (syntax error, crashed setup) counts as a failure too
    const brokenSuites = result.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
    return { passed: result.numPassedTests, failed: result.numFailedTests + brokenSuites, ran: result.numTotalTests };
  } catch {
    return undefined;
  }
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jsxc-test-'));
  let server;
  let passed = 0;
  let failed = 0;
  const stop = async () => {
    if (server) {
      const s = server;
      server = undefined;
      await prosody.stopProsody(s).catch((err) => console.error('[jsxc] could not stop prosody:', err.message));
    }
  };
  process.on('SIGINT', () => stop().then(() => process.exit(130)));
  process.on('SIGTERM', () => stop().then(() => process.exit(143)));
  try {
    if (phases.includes('e2e')) {
      ensureChromiumInstalled();
      console.log('[jsxc] building the bundle for the e2e tests');
      const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
      if (build.status !== 0) {
        console.error('[jsxc] the build failed');
        failed += 1;
        return;
      }
    }
    if (phases.some((p) => p !== 'unit')) {
      prosody.ensureProsodyInstalled();
      server = await prosody.startProsody({});
      const file = path.join(tmp, 'server.json');
      fs.writeFileSync(file, JSON.stringify(server, null, 2));
      process.env.JSXC_TEST_SERVER = file;
      console.log(`[jsxc] prosody ${server.pid} on c2s ${server.c2sPort}, http ${server.httpPort}`);
    }
    for (const phase of phases) {
      for (const [label, args] of runsOf(phase)) {
        console.log(`\n[jsxc] ===== ${label} tests =====`);
        const out = path.join(tmp, `${label.replace(/\W+/g, '-')}.json`);
        const code = await runJest(phase, out, args);
        const counts = readCounts(out);
        if (!counts) {
          console.error(`[jsxc] ${label}: jest ended (exit ${code}) without results`);
          failed += 1;
          continue;
        }
        if (counts.ran === 0) {
          console.error(`[jsxc] ${label}: no test ran`);
          failed += 1;
        }
        if (code !== 0 && counts.failed === 0) {
          console.error(`[jsxc] ${label}: jest exited with ${code}`);
          failed += 1;
        }
        passed += counts.passed;
        failed += counts.failed;
        console.log(`[jsxc] ${label}: ${counts.passed} passed, ${counts.failed} failed`);
      }
    }
  } catch (err) {
    console.error('[jsxc] test run failed:', err && err.stack ? err.stack : err);
    failed += 1;
  } finally {
    await stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  }
}

main();
