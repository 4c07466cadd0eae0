'use strict';
// In-page instrumentation, installed with context.addInitScript() before any page script runs, the
// same for both clients. It records (in performance.now() time, i.e. ms since navigation start):
//   - when WebSocket frames matching a few patterns first arrive (the roster result, a burst's first
//     message), via a listener registered in the WebSocket constructor, so it runs before the
//     client's own onmessage handler;
//   - long main-thread tasks (PerformanceObserver 'longtask', > 50 ms).
// Watches: conditions (function sources) checked once per animation frame from the first frame of
// the document on; window.__bench.marks[name] is the performance.now() of the first frame in which
// the condition held. Initial watches come with the init script (so a page load or reload is timed
// from its very start); window.__bench.watch(name, source) adds one later.
function installProbe(config) {
  const bench = (window.__bench = window.__bench || {});
  bench.marks = {};
  const pending = new Map();
  let looping = false;
  const loop = () => {
    const now = performance.now();
    for (const [name, fn] of pending) {
      let ok = false;
      try {
        ok = fn();
      } catch {
        ok = false;
      }
      if (ok) {
        bench.marks[name] = now;
        pending.delete(name);
      }
    }
    if (pending.size) requestAnimationFrame(loop);
    else looping = false;
  };
  bench.watch = (name, source) => {
    delete bench.marks[name];
    pending.set(name, new Function('return (' + source + ')();'));
    if (!looping) {
      looping = true;
      requestAnimationFrame(loop);
    }
  };
  for (const [name, source] of Object.entries((config && config.watch) || {})) bench.watch(name, source);
  bench.frames = {}; // name -> performance.now() of the first matching frame
  bench.frameCounts = {};
  bench.longtasks = [];
  const patterns = {
    // the roster query itself (a disco#info result that merely lists the jabber:iq:roster feature must not count)
    rosterResult: (d) => /<query[^>]*xmlns=['"]jabber:iq:roster['"]/.test(d) && /type=['"]result['"]/.test(d),
    burst: (d) => d.includes('bench-burst-'),
    // the server's first answer on a new stream (RFC 7395 <open/>): the WebSocket is up and the server talks
    streamOpen: (d) => /^<open[\s>]/.test(d),
  };
  const Native = window.WebSocket;
  if (Native && !Native.__benchWrapped) {
    const Wrapped = function (url, protocols) {
      const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
      ws.addEventListener('message', (ev) => {
        if (typeof ev.data !== 'string') return;
        const now = performance.now();
        for (const name in patterns) {
          if (patterns[name](ev.data)) {
            if (!(name in bench.frames)) bench.frames[name] = now;
            bench.frameCounts[name] = (bench.frameCounts[name] || 0) + 1;
            bench.frames[name + 'Last'] = now;
          }
        }
      });
      return ws;
    };
    Wrapped.prototype = Native.prototype;
    for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Wrapped[k] = Native[k];
    Wrapped.__benchWrapped = true;
    window.WebSocket = Wrapped;
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    /* no longtask support */
  }
  bench.maxLongTask = (from, to) =>
    bench.longtasks.filter((t) => t.start + t.duration >= from && t.start <= to).reduce((m, t) => Math.max(m, t.duration), 0);
}

module.exports = { installProbe };
