'use strict';
// Jest globalSetup of the integration and e2e projects. `npm test` (scripts/test.js) starts Prosody
// once for all three jest runs and passes the handle's JSON file in env JSXC_TEST_SERVER; then this
// does nothing. When jest is run directly (npx jest --selectProjects integration), it starts a
// private instance itself, publishes it the same way (env set here is inherited by the workers) and
// global-teardown.js stops it again.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const prosody = require('../../scripts/lib/prosody.js');

module.exports = async function globalSetup() {
  const existing = process.env.JSXC_TEST_SERVER;
  if (existing && fs.existsSync(existing)) {
    const handle = JSON.parse(fs.readFileSync(existing, 'utf8'));
    if (!prosody.isRunning(handle)) console.warn(`\n[test-server] JSXC_TEST_SERVER=${existing}: pid ${handle.pid} is not running`);
    return;
  }
  prosody.ensureProsodyInstalled();
  const handle = await prosody.startProsody();
  const file = path.join(os.tmpdir(), `jsxc-test-server-${process.pid}-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(handle, null, 2));
  process.env.JSXC_TEST_SERVER = file;
  // globalSetup and globalTeardown run in the same process: remember what to clean up.
  globalThis.__JSXC_OWN_TEST_SERVER__ = { handle, file };
};
