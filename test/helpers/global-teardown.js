'use strict';
// Stops the Prosody instance only if global-setup.js started it (never one provided by the runner).
const fs = require('node:fs');
const prosody = require('../../scripts/lib/prosody.js');

module.exports = async function globalTeardown() {
  const own = globalThis.__JSXC_OWN_TEST_SERVER__;
  if (!own) return;
  globalThis.__JSXC_OWN_TEST_SERVER__ = undefined; // jest calls teardown once per project
  await prosody.stopProsody(own.handle);
  fs.rmSync(own.file, { force: true });
  if (process.env.JSXC_TEST_SERVER === own.file) delete process.env.JSXC_TEST_SERVER;
};
