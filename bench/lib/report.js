'use strict';
// Medians, ratios and target checks for the results JSON, and the table printed to stdout.
const TARGET_RATIO = 0.5;

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function side(slot, key) {
  if (slot.na) return { value: 'n/a', reason: slot.na, runs: [] };
  const runs = slot.runs.map((r) => r[key]);
  const med = median(runs);
  return { value: med === null ? 'failed' : med, runs, errors: slot.errors };
}

/**
 * 'met' | 'not met' | 'met (absolute only)' | 'no comparison' | 'info' | 'n/a' | 'failed'.
 * `absolute`: the figure's target is its absolute limit alone (nothing of Converse.js's compares).
 */
function judge({ info, ours, theirs, ratio, max, absolute }) {
  if (info) return 'info';
  if (typeof ours !== 'number') return ours; // 'n/a' or 'failed'
  const absOk = max === undefined || max === null ? true : ours <= max;
  if (absolute) return absOk ? 'met' : 'not met';
  let ratioOk = ratio === null ? null : ratio <= TARGET_RATIO;
  if (ratioOk === null && typeof theirs === 'number') ratioOk = ours <= theirs; // theirs is 0
  if (ratioOk === null) return !absOk ? 'not met' : max !== undefined && max !== null ? 'met (absolute only)' : 'no comparison';
  return ratioOk && absOk ? 'met' : 'not met';
}

function targetText(fig) {
  if (fig.info) return '–';
  if (fig.absolute) return `≤${fig.max}`;
  return [`≤${TARGET_RATIO}×`, fig.max !== undefined ? `≤${fig.max}` : null].filter(Boolean).join(', ');
}

/** One scenario's results -> { id, title, figures: [{ key, label, group, target, ours, theirs, ratio, met }] }. */
function summarise({ scenario, perClient }) {
  const figures = scenario.figures.map((fig) => {
    const ours = side(perClient.jsxc, fig.key);
    const theirs = side(perClient.converse, fig.key);
    const numeric = typeof ours.value === 'number' && typeof theirs.value === 'number';
    const ratio = numeric && theirs.value > 0 ? ours.value / theirs.value : null;
    const met = judge({ info: fig.info, ours: ours.value, theirs: theirs.value, ratio, max: fig.max, absolute: fig.absolute });
    const target = fig.absolute ? { max: fig.max, absolute: true } : { ratio: TARGET_RATIO, max: fig.max };
    return { key: fig.key, label: fig.label, group: fig.group || scenario.title, target, targetText: targetText(fig), ours, theirs, ratio, met };
  });
  const files = {};
  const details = {}; // per client, each run's other readings (keys starting with "_", except _files)
  for (const [id, slot] of Object.entries(perClient)) {
    const withFiles = slot.runs.find((r) => r._files);
    if (withFiles) files[id] = withFiles._files;
    const runs = slot.runs.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith('_') && k !== '_files')));
    if (runs.some((r) => Object.keys(r).length)) details[id] = runs;
  }
  return { id: scenario.id, title: scenario.title, figures, ...(Object.keys(files).length ? { files } : {}), ...(Object.keys(details).length ? { details } : {}) };
}

const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)) : v);

/** Rows of the table (also used for the README). */
function rows(report) {
  const out = [];
  for (const s of report.scenarios) {
    for (const f of s.figures) {
      const met = judge({ info: f.met === 'info', ours: f.ours.value, theirs: f.theirs.value, ratio: f.ratio, max: f.target.max, absolute: f.target.absolute });
      out.push([f.group, f.label, fmt(f.ours.value), fmt(f.theirs.value), f.ratio === null ? '–' : f.ratio.toFixed(2), f.targetText, met]);
    }
  }
  return out;
}

const HEAD = ['scenario', 'figure', 'ours (median)', 'Converse.js (median)', 'ours/theirs', 'target', 'met?'];

function printTable(report) {
  const all = [HEAD, ...rows(report)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
  const m = report.machine;
  console.log(`\nBenchmark ${report.date} — ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Chromium ${m.chromium}, runs ${report.options.runs}${report.options.quick ? ' (quick)' : ''}`);
  console.log(line(HEAD));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows(report)) console.log(line(r));
  console.log('');
}

/** The same table as Markdown. */
function markdownTable(report) {
  const esc = (c) => String(c).replace(/\|/g, '\\|');
  return [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`, ...rows(report).map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

module.exports = { summarise, printTable, markdownTable, median };
