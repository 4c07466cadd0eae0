#!/usr/bin/env node
'use strict';
// Prints a results file (default bench/results/latest.json) as the Markdown table of the README.
//   node bench/table.js [file]
const fs = require('node:fs');
const path = require('node:path');
const { markdownTable } = require('./lib/report');

const file = process.argv[2] || path.join(__dirname, 'results/latest.json');
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const m = report.machine;
console.log(
  `${report.date.slice(0, 16).replace('T', ' ')} UTC · ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB RAM, Chromium ${m.chromium}, Node ${m.node} · ` +
    `${report.clients.theirs} · ${report.options.runs} runs each, alternating${report.complete === false ? ' · INCOMPLETE run' : ''}\n`,
);
console.log(markdownTable(report));
