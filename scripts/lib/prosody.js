'use strict';
// A private Prosody 0.12 instance for tests and the demo: own config, data, pid file and logs in a
// temporary folder, loopback-only ports, started as `prosody --config <dir>/prosody.cfg.lua -F`.
// The handle returned by startProsody() is a plain JSON object so it can be handed to other
// processes (jest workers read it from the file named by env JSXC_TEST_SERVER).
//
// See docs/test-server.md. Users/rosters: ./prosody-store.js; admin shell helpers: ./prosody-shell.js.
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const http = require('node:http');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { buildConfig } = require('./prosody-config');
const store = require('./prosody-store');
const shell = require('./prosody-shell');

const START_TIMEOUT_MS = 15000;
const STOP_GRACE_MS = 5000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const file = path.join(dir || '.', cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** Installs Debian's prosody package when `prosody` is not on PATH. Never touches /etc/prosody. */
function ensureProsodyInstalled() {
  if (which('prosody') && which('prosodyctl')) return;
  const run = (cmd, args) => {
    console.log(`[prosody] $ ${cmd} ${args.join(' ')}`);
    const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return r.status === 0;
  };
  if (!which('apt-get')) throw new Error('prosody is not installed and apt-get is not available; install Prosody 0.12 by hand');
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('prosody is not installed; run: sudo apt-get install -y prosody');
  }
  console.log('[prosody] prosody is not installed, installing the Debian package');
  // Only refresh the package lists when apt does not know the package yet.
  const known = spawnSync('apt-cache', ['policy', 'prosody'], { encoding: 'utf8' });
  if (known.status !== 0 || !/Candidate:\s*(?!\(none\))\S+/.test(known.stdout || '')) run('apt-get', ['update']);
  if (!run('apt-get', ['install', '-y', 'prosody']) || !which('prosody')) {
    throw new Error('apt-get install prosody failed');
  }
}

// Where instance folders go by default. Creating thousands of small user files is ~1 ms per file on
// some disks but ~10 us on tmpfs, so /dev/shm is preferred when it exists and has room (and TMPDIR is
// not set explicitly). PROSODY_TMPDIR overrides both.
function defaultBaseDir() {
  if (process.env.PROSODY_TMPDIR) return process.env.PROSODY_TMPDIR;
  if (!process.env.TMPDIR) {
    try {
      fs.accessSync('/dev/shm', fs.constants.W_OK);
      const st = fs.statfsSync('/dev/shm');
      if (st.bavail * st.bsize >= 1024 ** 3) return '/dev/shm';
    } catch {
      /* no usable tmpfs */
    }
  }
  return os.tmpdir();
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.setTimeout(1000);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

function postBosh(url, body) {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, timeout: 3000 });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

// Opens a BOSH session (proves mod_bosh answers and the host exists) and terminates it again.
async function boshAnswers(handle) {
  const ns = "xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh'";
  const res = await postBosh(handle.boshUrl, `<body rid='1000' to='${handle.domain}' wait='5' hold='1' ver='1.6' xmpp:version='1.0' ${ns}/>`);
  const sid = res && res.status === 200 && /<stream:features/.test(res.text) && /sid='([^']+)'/.exec(res.text);
  if (!sid) return false;
  await postBosh(handle.boshUrl, `<body rid='1001' sid='${sid[1]}' type='terminate' ${ns}/>`);
  return true;
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Lines of the instance log at level "error" (empty when it loaded clean). */
function logErrors(handle) {
  try {
    return fs.readFileSync(handle.logPath, 'utf8').split('\n').filter((l) => /\terror\t/.test(l));
  } catch {
    return [];
  }
}

/** Is `pid` a live (non-zombie) process running this instance's config? */
function isOurProcess(handle, pid) {
  if (!pid) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false; // zombie: already dead, just not reaped
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(handle.configPath);
  } catch {
    return false;
  }
}

async function launch(handle, detached) {
  fs.writeFileSync(handle.configPath, buildConfig({ ...handle, pidPath: handle.pidPath, certsDir: handle.certsDir }));
  const outPath = path.join(handle.dir, 'prosody.stdout.log');
  const out = fs.openSync(outPath, 'a');
  const child = spawn('prosody', ['--config', handle.configPath, '-F'], {
    cwd: handle.dir,
    stdio: ['ignore', out, out],
    detached,
    env: { ...process.env, LC_ALL: 'C' },
  });
  fs.closeSync(out);
  child.unref(); // never keep the Node process (jest, the demo) alive just for Prosody
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (err) => (exited = { error: err }));
  handle.pid = child.pid;

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      throw new Error(`prosody exited during start-up (${JSON.stringify(exited)}):\n${tail(outPath)}\n${tail(handle.logPath)}`);
    }
    if ((await canConnect(handle.c2sPort)) && (await canConnect(handle.httpPort)) && (await boshAnswers(handle))) break;
    if (Date.now() > deadline) {
      await stopPid(handle);
      throw new Error(`prosody did not come up within ${START_TIMEOUT_MS / 1000} s. Log tail:\n${tail(handle.logPath)}\n${tail(outPath)}`);
    }
    await sleep(100);
  }
  for (const line of logErrors(handle)) console.warn(`[prosody] ${line}`);
  return handle;
}

/**
 * Starts a private instance. Options: { domain = 'localhost', c2sPort, httpPort (default: env
 * PROSODY_C2S_PORT / PROSODY_HTTP_PORT, else free ports), dir (default: a fresh folder under
 * PROSODY_TMPDIR, /dev/shm or os.tmpdir(), see defaultBaseDir),
 * logLevel = env PROSODY_LOG_LEVEL || 'info', uploadBaseUrl (default http://127.0.0.1:HTTP/),
 * detached = false (true lets it outlive this process, for the CLI),
 * authentication = 'internal_plain' | 'internal_hashed' (hashed: SCRAM salts stay the same between
 * logins, as on a production server, so a client can log in again with its SCRAM keys) }.
 */
async function startProsody(opts = {}) {
  const c2sPort = Number(opts.c2sPort || process.env.PROSODY_C2S_PORT || (await freePort()));
  let httpPort = Number(opts.httpPort || process.env.PROSODY_HTTP_PORT || (await freePort()));
  while (httpPort === c2sPort) httpPort = await freePort();
  const ownsDir = !opts.dir;
  const dir = path.resolve(opts.dir || fs.mkdtempSync(path.join(defaultBaseDir(), 'prosody-')));
  const domain = opts.domain || 'localhost';
  const handle = {
    domain,
    mucDomain: `conference.${domain}`,
    uploadDomain: `upload.${domain}`,
    c2sPort,
    httpPort,
    boshUrl: `http://127.0.0.1:${httpPort}/http-bind`,
    wsUrl: `ws://127.0.0.1:${httpPort}/xmpp-websocket`,
    uploadBaseUrl: opts.uploadBaseUrl || `http://127.0.0.1:${httpPort}/`,
    dir,
    dataDir: path.join(dir, 'data'),
    certsDir: path.join(dir, 'certs'),
    configPath: path.join(dir, 'prosody.cfg.lua'),
    logPath: path.join(dir, 'prosody.log'),
    pidPath: path.join(dir, 'prosody.pid'),
    logLevel: opts.logLevel || process.env.PROSODY_LOG_LEVEL || 'info',
    authentication: opts.authentication === 'internal_hashed' ? 'internal_hashed' : 'internal_plain',
    ownsDir,
    detached: Boolean(opts.detached),
    pid: 0,
  };
  fs.mkdirSync(handle.dataDir, { recursive: true });
  fs.mkdirSync(handle.certsDir, { recursive: true });
  return launch(handle, handle.detached);
}

// SIGTERM, then SIGKILL after STOP_GRACE_MS; only ever signals the PID of this instance.
async function stopPid(handle) {
  let pid = handle.pid;
  if (!isOurProcess(handle, pid)) {
    const fromFile = Number(fs.existsSync(handle.pidPath) ? fs.readFileSync(handle.pidPath, 'utf8').trim() : 0);
    pid = isOurProcess(handle, fromFile) ? fromFile : 0;
  }
  if (!pid) return;
  const signal = (sig) => {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  };
  signal('SIGTERM');
  const killAt = Date.now() + STOP_GRACE_MS;
  while (isOurProcess(handle, pid)) {
    if (Date.now() > killAt) {
      signal('SIGKILL');
      if (Date.now() > killAt + 3000) throw new Error(`prosody (pid ${pid}) does not die`);
    }
    await sleep(50);
  }
}

/** Stops the instance by its own PID and, unless keepDir (or env PROSODY_KEEP_DIR), removes a temp folder it created. */
async function stopProsody(handle, { keepDir = Boolean(process.env.PROSODY_KEEP_DIR) } = {}) {
  await stopPid(handle);
  if (handle.ownsDir && !keepDir) fs.rmSync(handle.dir, { recursive: true, force: true });
}

/** Stops and starts the instance again with the same folder, ports and data. Updates and returns the handle. */
async function restartProsody(handle) {
  await stopPid(handle);
  return launch(handle, handle.detached);
}

/** Is the instance's process still running? */
function isRunning(handle) {
  return isOurProcess(handle, handle.pid);
}

module.exports = {
  ensureProsodyInstalled,
  startProsody,
  stopProsody,
  restartProsody,
  isRunning,
  logErrors,
  freePort,
  // users and rosters (files)
  createUser: store.createUser,
  createUsers: store.createUsers,
  seedRoster: store.seedRoster,
  readRoster: store.readRoster,
  befriend: store.befriend,
  createUserWithContacts: store.createUserWithContacts,
  uniqueUsername: store.uniqueUsername,
  // admin shell
  runAdminShell: shell.runAdminShell,
  sessionsOf: shell.sessionsOf,
  createRoom: shell.createRoom,
  refreshRosters: shell.refreshRosters,
};
