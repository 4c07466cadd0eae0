'use strict';
// Static file server + reverse proxy for the demo and the e2e tests. It mirrors the deployment the
// JSXC manual describes for nginx/Apache: the page and the XMPP endpoints share one origin, with
//   /http-bind        -> Prosody BOSH          (plain HTTP, long-polls up to 60 s)
//   /xmpp-websocket   -> Prosody WebSocket     (raw socket piping after the Upgrade request)
//   /file_share, /upload -> Prosody HTTP file share (mod_http_file_share serves /file_share in 0.12)
// Only node:http / node:net / node:fs are used.
const fs = require('node:fs');
const net = require('node:net');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.wav': 'audio/wav',
  '.wasm': 'application/wasm',
};

const PROXIED_HTTP = ['/http-bind', '/file_share', '/upload'];
const PROXIED_WS = ['/xmpp-websocket'];
// Hop-by-hop headers must not be forwarded (RFC 7230 6.1); Node re-frames bodies itself.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function matchesPrefix(pathname, prefixes) {
  return prefixes.some((p) => pathname === p || pathname.startsWith(p + '/'));
}

function sendError(res, status, text) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

// Maps a URL path to a file under root or a mount; null when it would escape its base folder.
function resolveFile(root, mounts, pathname) {
  const bases = Object.keys(mounts)
    .map((prefix) => [prefix.replace(/\/+$/, ''), path.resolve(mounts[prefix])])
    .sort((a, b) => b[0].length - a[0].length);
  let base = root ? path.resolve(root) : null;
  let rel = pathname;
  for (const [prefix, dir] of bases) {
    if (pathname === prefix || pathname.startsWith(prefix + '/')) {
      base = dir;
      rel = pathname.slice(prefix.length) || '/';
      break;
    }
  }
  if (!base) return null;
  const file = path.resolve(base, '.' + path.posix.normalize('/' + rel));
  return file === base || file.startsWith(base + path.sep) ? file : null;
}

// Types worth compressing when options.gzip is on (what a production server or CDN would gzip).
const GZIP_TYPES = new Set(['.js', '.mjs', '.cjs', '.css', '.json', '.map', '.wasm', '.html', '.htm', '.svg', '.txt']);
const gzipCache = new Map(); // file -> { mtimeMs, size, body }: compress each file version once

function acceptsGzip(req) {
  return /\bgzip\b/i.test(String(req.headers['accept-encoding'] || ''));
}

function gzipped(file, stat) {
  const hit = gzipCache.get(file);
  if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.body;
  const body = zlib.gzipSync(fs.readFileSync(file), { level: 6 });
  gzipCache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, body });
  return body;
}

function extraHeaders(headers, req, file) {
  if (!headers) return {};
  return (typeof headers === 'function' ? headers(req, file) : headers) || {};
}

function serveFile(req, res, opts, pathname) {
  // a host site's login form posts to its next page: the page is served (the form data is dropped)
  // (only a form's post: other POSTs, e.g. a BOSH request to a wrong URL, get 405 as from any static server)
  const type = String(req.headers['content-type'] || '');
  const formPost = req.method === 'POST' && pathname.endsWith('.html') && (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'));
  if (formPost) req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD' && !formPost) {
    res.setHeader('Allow', 'GET, HEAD');
    sendError(res, 405, 'Method Not Allowed');
    return;
  }
  let file = resolveFile(opts.root, opts.mounts, pathname);
  if (!file) return sendError(res, 404, 'Not Found');
  fs.stat(file, (err, stat) => {
    if (!err && stat.isDirectory()) {
      if (!pathname.endsWith('/')) {
        // Redirect so that relative URLs in index.html resolve against the folder.
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        res.writeHead(301, { Location: pathname + '/' + query, 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      file = path.join(file, 'index.html');
      fs.stat(file, (err2, stat2) => send(err2, stat2));
      return;
    }
    send(err, stat);
  });
  function send(err, stat) {
    if (err || !stat.isFile()) return sendError(res, 404, 'Not Found');
    const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
    if (opts.gzip && GZIP_TYPES.has(path.extname(file).toLowerCase())) {
      res.setHeader('Vary', 'Accept-Encoding');
      if (acceptsGzip(req)) {
        let body;
        try {
          body = gzipped(file, stat);
        } catch {
          return sendError(res, 500, 'Internal Server Error');
        }
        res.writeHead(200, {
          'Content-Type': type,
          'Content-Encoding': 'gzip',
          'Content-Length': body.length,
          'Cache-Control': 'no-store',
          'X-Content-Type-Options': 'nosniff',
          ...extraHeaders(opts.headers, req, file),
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    }
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': stat.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...extraHeaders(opts.headers, req, file),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
}

function forwardedHeaders(req, target) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  // Prosody routes HTTP by Host; an unknown host (127.0.0.1:PORT) reaches the global BOSH/WebSocket
  // endpoints and, via http_default_host, the file share.
  headers.host = target.host;
  const remote = req.socket.remoteAddress || '127.0.0.1';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${remote}` : remote;
  headers['x-forwarded-host'] = req.headers.host || '';
  headers['x-forwarded-proto'] = 'http';
  return headers;
}

function proxyHttp(req, res, target, agent) {
  const upstream = http.request({
    host: target.hostname,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: forwardedHeaders(req, target),
    agent,
  });
  upstream.on('response', (up) => {
    const headers = {};
    for (const [name, value] of Object.entries(up.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    res.writeHead(up.statusCode, up.statusMessage, headers);
    up.pipe(res);
    up.on('error', () => res.destroy());
  });
  upstream.on('error', () => sendError(res, 502, 'Bad Gateway'));
  // The browser gave up (page closed, aborted long-poll): abort the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

// WebSocket: replay the Upgrade request to Prosody and splice the two raw sockets together.
function proxyUpgrade(req, socket, head, target, sockets) {
  const upstream = net.connect({ host: target.hostname, port: Number(target.port) });
  sockets.add(upstream);
  const closeBoth = () => {
    socket.destroy();
    upstream.destroy();
  };
  upstream.on('close', () => {
    sockets.delete(upstream);
    socket.end();
  });
  socket.on('close', () => upstream.end());
  upstream.on('error', closeBoth);
  socket.on('error', closeBoth);
  upstream.on('connect', () => {
    const headers = forwardedHeaders(req, target);
    // Keep the upgrade negotiation headers (Sec-WebSocket-Key/Version/Protocol 'xmpp' pass as-is).
    headers.connection = 'Upgrade';
    headers.upgrade = req.headers.upgrade;
    let raw = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      for (const v of Array.isArray(value) ? value : [value]) raw += `${name}: ${v}\r\n`;
    }
    upstream.write(raw + '\r\n');
    if (head && head.length) upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
}

/**
 * @param {object} options
 * @param {string} [options.root]     folder served at '/'
 * @param {Record<string,string>} [options.mounts]  URL prefix -> folder, e.g. { '/dist': 'dist' }
 * @param {string} [options.host]     default '127.0.0.1'
 * @param {number} [options.port]     default 0 (a free port)
 * @param {{target: string}} [options.proxy]  e.g. { target: 'http://127.0.0.1:5280' }
 * @param {object|function} [options.headers]  extra headers for served files, or (req, filePath) => headers
 * @param {boolean} [options.gzip]   gzip text-like files (js, css, json, wasm, html, svg, map) for clients that accept it
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
async function startWebServer({ root, mounts = {}, host = '127.0.0.1', port = 0, proxy, headers, gzip = false } = {}) {
  const opts = { root, mounts, headers, gzip };
  const target = proxy && proxy.target ? new URL(proxy.target) : null;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const sockets = new Set(); // every client socket and upstream WebSocket socket, for close()

  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return sendError(res, 400, 'Bad Request');
    }
    if (pathname.includes('\0')) return sendError(res, 400, 'Bad Request');
    if (target && matchesPrefix(pathname, PROXIED_HTTP)) return proxyHttp(req, res, target, agent);
    return serveFile(req, res, opts, pathname);
  });
  // BOSH long-polls last up to bosh_max_wait (59 s): never time a request or idle connection out early.
  server.requestTimeout = 0;
  server.headersTimeout = 60000;
  server.keepAliveTimeout = 120000;
  server.timeout = 0;

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    if (target && matchesPrefix(pathname, PROXIED_WS) && /websocket/i.test(req.headers.upgrade || '')) {
      proxyUpgrade(req, socket, head, target, sockets);
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;

  let closing = null;
  function close() {
    if (!closing) {
      closing = new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        if (server.closeAllConnections) server.closeAllConnections();
        agent.destroy();
      });
    }
    return closing;
  }
  return { url: `http://${host}:${actualPort}`, port: actualPort, close };
}

module.exports = { startWebServer, MIME };
