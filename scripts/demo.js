#!/usr/bin/env node
'use strict';
// `npm run demo [-- --no-build] [-- --port N]`: builds the widget, starts a private Prosody with three
// befriended demo users and a "Lobby" room, and serves example/ on http://127.0.0.1:8080 with
// /http-bind and /xmpp-websocket proxied to Prosody (same origin, like a real nginx deployment).
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const prosody = require('./lib/prosody');
const { startWebServer } = require('./lib/web-server');

const ROOT = path.resolve(__dirname, '..');
const USERS = [
  { username: 'alice', password: 'alice-pass', name: 'Alice' },
  { username: 'bob', password: 'bob-pass', name: 'Bob' },
  { username: 'carol', password: 'carol-pass', name: 'Carol' },
];

function parseArgs(argv) {
  const args = { build: true, port: Number(process.env.DEMO_PORT) || 8080 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-build') args.build = false;
    else if (argv[i] === '--port') args.port = Number(argv[++i]);
    else if (argv[i].startsWith('--port=')) args.port = Number(argv[i].slice(7));
    else throw new Error(`Unknown argument ${argv[i]} (use --no-build, --port N)`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error('Bad --port');
  return args;
}

function build() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (!pkg.scripts || !pkg.scripts.build) {
    console.warn('[demo] package.json has no "build" script yet, serving whatever is in dist/');
    return;
  }
  console.log('[demo] npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed (use --no-build to serve the current dist/)');
}

function jqueryDist() {
  try {
    return path.dirname(require.resolve('jquery/dist/jquery.js', { paths: [ROOT] }));
  } catch {
    return path.join(ROOT, 'node_modules', 'jquery', 'dist');
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.build) build();
  prosody.ensureProsodyInstalled();

  let server = null;
  let web = null;
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\n[demo] stopping');
    if (web) await web.close().catch(() => {});
    if (server) await prosody.stopProsody(server).catch((err) => console.error(err.message));
    process.exit(code);
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  try {
    // Upload slots point at the web server, so files go through the same-origin proxy too.
    const pageBase = `http://127.0.0.1:${args.port}/`;
    server = await prosody.startProsody({ domain: 'localhost', authentication: 'internal_hashed', uploadBaseUrl: args.port ? pageBase : undefined });
    prosody.createUsers(server, USERS);
    prosody.befriend(server, USERS);
    await prosody.createRoom(server, 'lobby', { name: 'Lobby', persistent: true, public: true });

    if (!fs.existsSync(path.join(ROOT, 'example', 'index.html'))) console.warn('[demo] example/index.html does not exist yet');
    web = await startWebServer({
      root: path.join(ROOT, 'example'),
      mounts: { '/dist': path.join(ROOT, 'dist'), '/node_modules/jquery/dist': jqueryDist() },
      host: '127.0.0.1',
      port: args.port,
      proxy: { target: `http://127.0.0.1:${server.httpPort}` },
    });
  } catch (err) {
    if (err.code === 'EADDRINUSE') console.error(`[demo] port ${args.port} is in use; try --port N or DEMO_PORT=N`);
    else console.error(`[demo] ${err.stack || err.message}`);
    await shutdown(1);
    return;
  }

  console.log(`
JSXC demo running: ${web.url}/

  Log in as (all mutual contacts, room lobby@${server.mucDomain}):
${USERS.map((u) => `    ${u.username}@${server.domain}  /  ${u.password}`).join('\n')}

  BOSH      ${web.url}/http-bind        (proxied to ${server.boshUrl})
  WebSocket ${web.url.replace('http', 'ws')}/xmpp-websocket
  Prosody   pid ${server.pid}, folder ${server.dir}

Press Ctrl+C to stop.`);
}

main().catch((err) => {
  console.error(err.stack || err.message);
  process.exit(1);
});
