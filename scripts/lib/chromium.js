'use strict';
// Debian's chromium for the browser tests and benchmarks (never a test tool's own browser download).
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

function findChromium() {
  return CANDIDATES.find((p) => fs.existsSync(p));
}

/** Installs Debian's chromium package when it is missing; returns the binary's path. */
function ensureChromiumInstalled() {
  let found = findChromium();
  if (found) {
    return found;
  }
  console.log('[jsxc] chromium is missing: installing the Debian package (apt-get install -y chromium)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (install().status !== 0) {
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    if (install().status !== 0) {
      throw new Error('Could not install chromium with apt-get');
    }
  }
  found = findChromium();
  if (!found) {
    throw new Error('chromium was installed but no binary was found');
  }
  return found;
}

/** Launch options for playwright-core: headless, and no calls home (this machine has no network). */
function launchOptions() {
  return {
    executablePath: findChromium() || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  };
}

module.exports = { ensureChromiumInstalled, findChromium, launchOptions };
