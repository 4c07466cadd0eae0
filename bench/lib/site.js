'use strict';
// The benchmark's web server: both host pages (bench/pages), our dist/ and Converse.js's dist, gzip
// on, and the reverse proxy to Prosody's WebSocket/BOSH endpoints. Loopback only. The proxy reaches
// Prosody through bench/lib/ws-tap.js (a byte relay that stamps when watched texts pass from Prosody
// towards the browser), the same for both clients.
const path = require('node:path');
const { startWebServer } = require('../../scripts/lib/web-server.js');
const { startTap } = require('./ws-tap');

const ROOT = path.join(__dirname, '../..');

async function startBenchSite(server) {
  const pages = path.join(ROOT, 'bench/pages');
  const tap = await startTap(server.httpPort);
  const web = await startWebServer({
    root: pages,
    mounts: { '/bench': pages, '/dist': path.join(ROOT, 'dist'), '/converse/dist': path.join(ROOT, 'node_modules/converse.js/dist') },
    proxy: { target: `http://127.0.0.1:${tap.port}` },
    gzip: true,
  });
  return {
    url: web.url,
    wsUrl: web.url.replace(/^http/, 'ws') + '/xmpp-websocket',
    tap,
    close: async () => {
      await web.close();
      await tap.close();
    },
  };
}

module.exports = { startBenchSite, ROOT };
