'use strict';
// The benchmark's web server: both host pages (bench/pages), our dist/ and Converse.js's dist, gzip
// on, and the reverse proxy to Prosody's WebSocket/BOSH endpoints. Loopback only.
const path = require('node:path');
const { startWebServer } = require('../../scripts/lib/web-server.js');

const ROOT = path.join(__dirname, '../..');

async function startBenchSite(server) {
  const pages = path.join(ROOT, 'bench/pages');
  const web = await startWebServer({
    root: pages,
    mounts: { '/bench': pages, '/dist': path.join(ROOT, 'dist'), '/converse/dist': path.join(ROOT, 'node_modules/converse.js/dist') },
    proxy: { target: `http://127.0.0.1:${server.httpPort}` },
    gzip: true,
  });
  return { url: web.url, wsUrl: web.url.replace(/^http/, 'ws') + '/xmpp-websocket', close: () => web.close() };
}

module.exports = { startBenchSite, ROOT };
