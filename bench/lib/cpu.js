'use strict';
// CPU time readings from /proc (Linux), for telling "the server was busy" from "the server waited
// for a CPU": a process's user+system time, and the whole machine's busy/total time.
const fs = require('node:fs');

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** User + system CPU time of a process in ms, or NaN when it cannot be read. */
function processCpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime (fields 14 and 15)
  } catch {
    return NaN;
  }
}

/** The machine's CPU time so far, all cores: { busy, total } in ms (busy = total - idle - iowait). */
function machineCpuMs() {
  try {
    const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0); // user nice system idle iowait irq softirq steal
    return { busy: (total - v[3] - v[4]) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

module.exports = { processCpuMs, machineCpuMs };

/**
 * CPU time (ms) of every process below `rootPid` (children, grandchildren …), by kind: a chromium
 * process's --type (renderer, gpu-process, utility …; "browser" for the main one), else its
 * command name. Processes that ended are not counted, so take differences of two readings.
 */
function descendantsCpuMs(rootPid = process.pid) {
  const procs = new Map(); // pid -> { ppid, ms, kind }
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      const type = /--type=([\w-]+)/.exec(cmd);
      const kind = type ? `chromium ${type[1]}` : /chrom/i.test(comm) ? 'chromium browser' : comm;
      procs.set(Number(name), { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS, kind });
    } catch {
      /* gone meanwhile */
    }
  }
  const below = (pid) => {
    for (let p = procs.get(pid); p; p = procs.get(p.ppid)) if (p.ppid === rootPid) return true;
    return false;
  };
  const byKind = {};
  for (const [pid, p] of procs) if (below(pid)) byKind[p.kind] = (byKind[p.kind] || 0) + p.ms;
  return byKind;
}

module.exports.descendantsCpuMs = descendantsCpuMs;
