'use strict';
// A TCP relay between the benchmark web server's reverse proxy and Prosody's HTTP port, on
// 127.0.0.1. Every connection the browser opens (WebSocket /xmpp-websocket, BOSH, file share) goes
// through it unchanged; it only looks at the bytes Prosody sends towards the browser and stamps
// when a watched text passes (server-to-client WebSocket frames are not masked, so message bodies
// are plain text in the stream). That is the moment Prosody handed a message to the page's
// connection, taken outside the browser: it does not depend on how busy the page's main thread is
// (the page's own WebSocket `message` events do). Used by scenario 4 (the burst): "first → last
// message delivered to the page's connection". Times are this process's
// performance.timeOrigin + performance.now() (ms since the epoch, sub-millisecond), comparable with
// a page's performance.timeOrigin + performance.now() on the same machine.
const net = require('node:net');
const { Transform } = require('node:stream');

const epochNow = () => performance.timeOrigin + performance.now();

/**
 * @param {number} targetPort Prosody's HTTP port on 127.0.0.1
 * @returns {Promise<{port: number, watch(text: string): void, peek(text: string): {first: number, last: number, count: number} | null, seen(text: string): {first: number, last: number, count: number} | null, close(): Promise<void>}>}
 */
function startTap(targetPort) {
  const watched = new Map(); // text -> { needle: Buffer, first, last, count }
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let carry = Buffer.alloc(0); // the end of the previous chunk, for a text split across chunks
    const inspect = new Transform({
      transform(chunk, _encoding, done) {
        if (watched.size) {
          const t = epochNow();
          const hay = carry.length ? Buffer.concat([carry, chunk]) : chunk;
          let longest = 0;
          for (const w of watched.values()) {
            longest = Math.max(longest, w.needle.length);
            // a match ends inside `chunk` (carry is shorter than the needle), so none is counted twice
            for (let i = hay.indexOf(w.needle); i !== -1; i = hay.indexOf(w.needle, i + 1)) {
              if (!w.count) w.first = t;
              w.last = t;
              w.count++;
            }
          }
          carry = hay.subarray(Math.max(0, hay.length - (longest - 1)));
        }
        done(null, chunk);
      },
    });
    // pipe: back-pressure both ways, and an orderly end (FIN) is passed on after what is buffered
    upstream.pipe(inspect).pipe(client);
    client.pipe(upstream);
    const destroyBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', destroyBoth);
    upstream.on('error', destroyBoth);
    client.on('close', () => {
      upstream.destroy(); // nobody left to deliver to
      sockets.delete(client);
    });
    upstream.on('close', () => sockets.delete(upstream));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: server.address().port,
        /** Starts counting the occurrences of `text` in what Prosody sends (from now on). */
        watch(text) {
          watched.set(text, { needle: Buffer.from(text, 'utf8'), first: NaN, last: NaN, count: 0 });
        },
        /** { first, last, count } so far for a watched text (epoch ms), or null. */
        peek(text) {
          const w = watched.get(text);
          return w ? { first: w.first, last: w.last, count: w.count } : null;
        },
        /** { first, last, count } for a watched text (epoch ms), and stops watching it. */
        seen(text) {
          const w = watched.get(text);
          watched.delete(text);
          return w ? { first: w.first, last: w.last, count: w.count } : null;
        },
        close() {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}

module.exports = { startTap, epochNow };
