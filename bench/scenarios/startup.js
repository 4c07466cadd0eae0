'use strict';
// 1. What a host page downloads before the widget is usable, and the script time that costs.
// "Usable" = the log-in UI is visible (no account configured): our roster panel's log-in action,
// Converse.js's login form. Bytes = Resource Timing encodedBodySize (gzip from the bench server)
// of the .js/.css files that finished loading by then (the host page's HTML and its bench start
// script are not counted). Parse/compile time comes from a Chromium trace recorded over the load
// (bench/lib/trace.js: V8 parse/compile events on the page's main thread, and background parsing);
// script time = CDP Performance metric ScriptDuration (all script execution) read at "usable".
// Tracing slows the load a little, for both clients alike.
const { openClient, closeClient, mark, metrics, resourceBytes } = require('../lib/harness');
const { CATEGORIES, compileTimes } = require('../lib/trace');

module.exports = {
  id: 'startup',
  title: '1. start-up',
  figures: [
    { key: 'js_css_kb', label: 'JS+CSS to usable, gzip (KB)', max: 150 },
    { key: 'all_kb', label: 'all widget files to usable, gzip (KB)' },
    { key: 'requests', label: 'requests to usable', info: true },
    { key: 'usable_ms', label: 'navigation → log-in UI visible (ms)' },
    { key: 'compile_ms', label: 'parse/compile on the main thread (ms)' },
    { key: 'bg_parse_ms', label: 'parse on background threads (ms)' },
    { key: 'script_ms', label: 'script time to usable (ms)' },
  ],
  async run(env, client) {
    let tracing = false;
    const run = await openClient(env, client, {
      watch: { usable: client.loginUi },
      beforeLoad: async (page) => {
        await env.browser.startTracing(page, { categories: CATEGORIES });
        tracing = true;
      },
    });
    try {
      const usable = await mark(run.page, 'usable', 30000);
      const m = await metrics(run.cdp);
      const trace = compileTimes(await env.browser.stopTracing());
      tracing = false;
      const bytes = await resourceBytes(run.page, usable);
      return {
        js_css_kb: bytes.jsCssGzip / 1024,
        all_kb: bytes.allGzip / 1024,
        requests: bytes.requests,
        usable_ms: usable,
        compile_ms: trace.mainCompileMs,
        bg_parse_ms: trace.backgroundParseMs,
        script_ms: (m.ScriptDuration || 0) * 1000,
        _files: bytes.files,
      };
    } finally {
      if (tracing) await env.browser.stopTracing().catch(() => undefined);
      await closeClient(env, client, run);
    }
  },
};
