import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

// Keeps `npm run bench` (bench/run.js, issue 7) from rotting: the quick variant (K = 100, 2 runs,
// small workloads) must run every scenario for both clients and write a complete results file.
// No timing is asserted here: only that every figure was measured (or is n/a for a feature of ours
// that is not built yet) and is a sane number.
const ROOT = path.join(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { OURS, NOT_BUILT } = require('../../bench/lib/features') as { OURS: Record<'chat' | 'archive' | 'groupchat' | 'sessionRestore', boolean>; NOT_BUILT: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { CLIENTS } = require('../../bench/lib/clients') as { CLIENTS: { converse: { notApplicable: Record<string, string> } } };
const SCENARIOS = ['startup', 'roster-100', 'reload', 'burst', 'archive', 'muc', 'soak', 'handover'];
const LIMIT_MS = 12 * 60 * 1000;

interface Side {
  value: number | string;
  runs: (number | null)[];
  reason?: string;
  errors?: string[];
}
interface Report {
  machine: { nproc: number; chromium: string };
  options: { runs: number; quick: boolean };
  scenarios: { id: string; figures: { key: string; label: string; ours: Side; theirs: Side; met: string }[] }[];
}

function runQuickBench(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // --no-build: the e2e phase has just built dist/ (scripts/test.js)
    const child = spawn(process.execPath, ['bench/run.js', '--quick', '--no-build', '--out', out, '--timeout', '11'], { cwd: ROOT, detached: false });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGINT'), LIMIT_MS - 30000); // bench/run.js cleans up on SIGINT
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

it(
  'the quick benchmark measures every scenario for both clients and writes the results JSON',
  async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/jsxc.bundle.js'))).toBe(true);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jsxc-bench-'));
    try {
      const { code, output } = await runQuickBench(out);
      if (code !== 0) throw new Error(`bench/run.js --quick exited with ${code}:\n${output.slice(-4000)}`);
      const files = fs.readdirSync(out);
      expect(files).toContain('latest.json');
      expect(files.filter((f) => /^\d{4}-\d\d-\d\dT.*\.json$/.test(f))).toHaveLength(1);
      const report = JSON.parse(fs.readFileSync(path.join(out, 'latest.json'), 'utf8')) as Report;
      expect(report.options).toMatchObject({ quick: true, runs: 2 });
      expect(report.machine.nproc).toBeGreaterThan(0);
      expect(report.machine.chromium).toMatch(/^\d+\./);
      expect(report.scenarios.map((s) => s.id)).toEqual(SCENARIOS);
      for (const scenario of report.scenarios) {
        expect(scenario.figures.length).toBeGreaterThan(0);
        for (const f of scenario.figures) {
          const where = `${scenario.id} ${f.key}: ${JSON.stringify({ ours: f.ours, theirs: f.theirs })}`;
          // Converse.js has every feature: always measured (a run of theirs may miss a mark on a
          // loaded machine — the error is recorded — but not every run), except in the scenarios
          // that do not apply to it (tab hand-over: each of its tabs has its own connection)
          const notApplicable = CLIENTS.converse.notApplicable[scenario.id];
          if (notApplicable) {
            expect([where, f.theirs.value, f.theirs.reason]).toEqual([where, 'n/a', notApplicable]);
          } else {
            expect([where, typeof f.theirs.value]).toEqual([where, 'number']);
            expect([where, f.theirs.runs.length + (f.theirs.errors?.length ?? 0)]).toEqual([where, 2]);
            expect([where, f.theirs.runs.length >= 1]).toEqual([where, true]);
          }
          // ours: measured, or n/a for a feature not built yet (never "failed")
          if (f.ours.value === 'n/a') {
            expect(f.ours.reason).toBe(NOT_BUILT);
          } else {
            expect([where, typeof f.ours.value, f.ours.runs.length]).toEqual([where, 'number', 2]);
          }
          for (const v of [f.ours.value, f.theirs.value]) {
            if (typeof v !== 'number') continue;
            expect(Number.isFinite(v)).toBe(true);
            // differences (heap growth) may be slightly negative; every other figure is positive
            if (f.key === 'growth_mb') expect(Math.abs(v)).toBeLessThan(1024);
            else if (f.key.endsWith('_same_session')) expect([where, v >= 0 && v <= 1]).toEqual([where, true]); // a median of 1 = yes / 0 = no
            else if (f.key === 'longest_task_ms') expect(v).toBeGreaterThanOrEqual(0);
            else expect([where, v > 0]).toEqual([where, true]);
          }
        }
      }
      // the figures of the parts we have are measured for us too
      const ours = (id: string) => report.scenarios.find((s) => s.id === id)!.figures.map((f) => f.ours.value);
      // every scenario whose feature is on for us (bench/lib/features.js) has our numbers too
      const needs: Record<string, keyof typeof OURS> = { reload: 'sessionRestore', burst: 'chat', archive: 'archive', muc: 'groupchat' };
      for (const id of SCENARIOS.filter((s) => !needs[s] || OURS[needs[s]])) expect([id, ours(id).every((v) => typeof v === 'number')]).toEqual([id, true]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  },
  LIMIT_MS,
);
