// A WebSocket proxy in front of the test server for integration tests: every XMPP frame passes
// through it and is recorded with the number of the connection it travelled on (a page load opens a
// new one) and its direction. What a client sends is then checked on the wire, as the server got it.
import type { AddressInfo } from 'net';

export interface RecordedFrame {
  /** 1 for the first connection through the proxy, 2 for the next, … */
  connection: number;
  /** 'out': client → server; 'in': server → client */
  direction: 'out' | 'in';
  data: string;
}

export interface WsRecorder {
  /** the proxy's WebSocket URL, to connect to instead of the server's */
  readonly url: string;
  readonly frames: RecordedFrame[];
  /** the frames of one connection, one direction */
  of(connection: number, direction: 'out' | 'in'): string[];
  /** how many connections have been opened through the proxy */
  readonly connections: number;
  /** when set and true for a frame, the proxy records it but does not pass it on (a lost ack, a lost message) */
  drop?: (frame: RecordedFrame) => boolean;
  close(): Promise<void>;
}

// `ws` ships without type declarations; the little used here is typed by hand
interface Socket {
  readyState: number;
  send(data: string): void;
  close(): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer | string) => void): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
}
interface WsModule {
  WebSocket: { new (url: string, protocols: string): Socket; OPEN: number };
  WebSocketServer: new (options: { host: string; port: number; handleProtocols: (protocols: Set<string>) => string | false }) => {
    on(event: 'connection', listener: (socket: Socket) => void): void;
    on(event: 'listening', listener: () => void): void;
    address(): AddressInfo;
    close(callback: () => void): void;
  };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ws = require('ws') as WsModule;

export async function startWsRecorder(target: string): Promise<WsRecorder> {
  const frames: RecordedFrame[] = [];
  const open = new Set<Socket>();
  let connections = 0;
  const server = new ws.WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('xmpp') ? 'xmpp' : false) });
  server.on('connection', (client) => {
    const connection = ++connections;
    const upstream = new ws.WebSocket(target, 'xmpp');
    open.add(client);
    open.add(upstream);
    const waiting: string[] = [];
    client.on('message', (raw) => {
      const data = raw.toString();
      const frame: RecordedFrame = { connection, direction: 'out', data };
      frames.push(frame);
      if (recorder.drop?.(frame)) {
        return;
      }
      if (upstream.readyState === ws.WebSocket.OPEN) {
        upstream.send(data);
      } else {
        waiting.push(data);
      }
    });
    upstream.on('open', () => waiting.splice(0).forEach((data) => upstream.send(data)));
    upstream.on('message', (raw) => {
      const data = raw.toString();
      const frame: RecordedFrame = { connection, direction: 'in', data };
      frames.push(frame);
      if (recorder.drop?.(frame)) {
        return;
      }
      if (client.readyState === ws.WebSocket.OPEN) {
        client.send(data);
      }
    });
    const closeBoth = () => {
      open.delete(client);
      open.delete(upstream);
      client.close();
      upstream.close();
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.on('listening', resolve));
  const path = new URL(target).pathname;
  const recorder: WsRecorder = {
    url: `ws://127.0.0.1:${server.address().port}${path}`,
    frames,
    of: (connection, direction) => frames.filter((f) => f.connection === connection && f.direction === direction).map((f) => f.data),
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        open.forEach((s) => s.terminate());
        server.close(() => resolve());
      }),
  };
  return recorder;
}
