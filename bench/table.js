#!/usr/bin/env node
'use strict';
// Prints results (default bench/results/latest.json) as the Markdown table of the README. Several
// files are merged by scenario (the first file that has a scenario wins), e.g. when a scenario was
// re-run on its own; a note then says which scenarios came from which invocation.
// `file#id,id` takes only those scenarios from that file.
//   node bench/table.js [file[#id,…] …]
const fs = require('node:fs');
const path = require('node:path');
const { markdownTable } = require('./lib/report');

const files = process.argv.slice(2);
if (!files.length) files.push(path.join(__dirname, 'results/latest.json'));
const reports = files.map((arg) => {
  const [file, only] = arg.split('#');
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (only) report.scenarios = report.scenarios.filter((s) => only.split(',').includes(s.id));
  return report;
});
const merged = { ...reports[0], scenarios: [] };
const notes = [];
const seen = new Set();
for (const report of reports) {
  const ids = [];
  for (const s of report.scenarios) {
    if (seen.has(s.id)) continue;
    seen.add(s.id);
    merged.scenarios.push(s);
    ids.push(s.id);
  }
  if (ids.length) {
    notes.push(`${ids.join(', ')}: ${report.options.runs} runs each${report.options.quick ? ' (--quick sizes)' : ''}, started ${report.date.slice(0, 16).replace('T', ' ')} UTC${report.complete === false ? ' (run stopped after these)' : ''}`);
  }
}
const m = merged.machine;
console.log(`Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB RAM, ${m.platform}, Chromium ${m.chromium}, Node ${m.node}; ${merged.clients.theirs}.\n`);
console.log(markdownTable(merged));
console.log('');
for (const n of notes) console.log(`- ${n}`);
