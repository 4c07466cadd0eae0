// A BOSH proxy in front of the test server for integration tests: it records every request's sid and
// rid (with the time it arrived) and can be told to fail requests (HTTP 503) as a broken network
// path would, or to pass requests on but keep the answers (a response lost on its way back), while
// Prosody itself keeps running.
import http from 'http';
import type { AddressInfo } from 'net';

export interface RecordedRequest {
  sid?: string;
  rid?: number;
  /** Date.now() when it arrived */
  at: number;
  /** whether it was answered 503 instead of being passed on */
  failed: boolean;
  /** the request body */
  body: string;
}

export interface BoshRecorder {
  /** the proxy's BOSH URL, to connect to instead of the server's */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** true: answer every request with 503 (Prosody never sees it) */
  failing: boolean;
  /** true: pass requests on to Prosody but never answer them (the answers are lost) */
  holdingAnswers: boolean;
  /** the bodies of the answers kept from the client while `holdingAnswers` was true */
  readonly heldAnswers: string[];
  /**
   * Drops the requests the server has not answered yet, as a closing tab's browser does (its
   * connections close, and the server forgets those requests): what the server answers next goes
   * to the next tab's requests.
   */
  dropPending(): void;
  close(): Promise<void>;
}

export async function startBoshRecorder(target: string): Promise<BoshRecorder> {
  const to = new URL(target);
  const sockets = new Set<import('net').Socket>();
  const recorder = {
    url: '',
    requests: [] as RecordedRequest[],
    failing: false,
    holdingAnswers: false,
    heldAnswers: [] as string[],
    dropPending: () => undefined,
    close: () => Promise.resolve(),
  };
  const waiting = new Set<http.ClientRequest>();
  recorder.dropPending = () => {
    waiting.forEach((upstream) => upstream.destroy());
    waiting.clear();
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      const sid = /\bsid=['"]([^'"]+)['"]/.exec(text)?.[1];
      const rid = /\brid=['"](\d+)['"]/.exec(text)?.[1];
      const failed = recorder.failing;
      recorder.requests.push({ sid, rid: rid ? Number(rid) : undefined, at: Date.now(), failed, body: text });
      if (failed) {
        res.writeHead(503, { 'Access-Control-Allow-Origin': '*' }).end();
        return;
      }
      const hold = recorder.holdingAnswers;
      const upstream = http.request(to, { method: req.method, headers: { ...req.headers, host: to.host } }, (answer) => {
        waiting.delete(upstream);
        if (hold) {
          // Prosody answered; the client never hears it (until close())
          const parts: Buffer[] = [];
          answer.on('data', (c: Buffer) => parts.push(c));
          answer.on('end', () => recorder.heldAnswers.push(Buffer.concat(parts).toString('utf8')));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      waiting.add(upstream);
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  recorder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${to.pathname}`;
  recorder.close = () =>
    new Promise<void>((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    });
  return recorder;
}
