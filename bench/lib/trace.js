'use strict';
// Parse/compile time from a Chromium trace (the data the DevTools Performance panel shows). Nested
// events are counted once: durations are the union of the events' intervals.
const CATEGORIES = ['devtools.timeline', 'v8', 'disabled-by-default-v8.compile'];
const MAIN_COMPILE = new Set([
  'V8.ParseProgram',
  'V8.ParseFunction',
  'V8.CompileCode',
  'V8.CompileIgnition',
  'V8.CompileLazy',
  'v8.compile',
  'v8.compileModule',
  'V8.CompileStreamedScript',
  'V8.CompileStreamedModule',
]);
const BACKGROUND_PARSE = new Set(['v8.parseOnBackground', 'BackgroundCompileTask::Run']);

function unionMs(events) {
  const spans = events.map((e) => [e.ts, e.ts + (e.dur || 0)]).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of spans) {
    if (s >= end) {
      total += e - s;
      end = e;
    } else if (e > end) {
      total += e - end;
      end = e;
    }
  }
  return total / 1000;
}

/** { mainCompileMs, backgroundParseMs } from a trace buffer, events before `untilTs` (µs) only. */
function compileTimes(buffer) {
  const events = JSON.parse(buffer.toString()).traceEvents || [];
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args && e.args.name === 'CrRendererMain');
  // the renderer main thread that did the most parsing is the page's
  let best = null;
  let bestCount = -1;
  for (const m of mains) {
    const count = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && MAIN_COMPILE.has(e.name)).length;
    if (count > bestCount) {
      best = m;
      bestCount = count;
    }
  }
  if (!best) return { mainCompileMs: null, backgroundParseMs: null };
  const main = events.filter((e) => e.ph === 'X' && e.pid === best.pid && e.tid === best.tid && MAIN_COMPILE.has(e.name));
  const bg = events.filter((e) => e.ph === 'X' && e.pid === best.pid && e.tid !== best.tid && BACKGROUND_PARSE.has(e.name));
  return { mainCompileMs: unionMs(main), backgroundParseMs: unionMs(bg) };
}

module.exports = { CATEGORIES, compileTimes };
