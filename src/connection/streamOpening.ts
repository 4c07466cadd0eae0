import type { JID } from '../model/JID';
import { ConnectionError } from './errors';
import { Status, StatusNumber } from './status';

/** What opening a stream needs from the XmppConnection that opens it. */
export interface StreamOpening {
  jid: JID;
  url: string;
  /** milliseconds the attempt may take before it is abandoned */
  connectTimeout: number;
  /** starts strophe's connect or attach with this status callback */
  start(callback: (status: number, condition?: string | null) => void): void;
  /** every status strophe reports, first */
  onStatus(status: StatusNumber, condition: string | undefined): void;
  /** the stream is up (connected or attached): before the promise resolves */
  onOpen(): void;
  /** drops the stream at once, after a timeout */
  abort(status: StatusNumber, condition: string): void;
}

/**
 * A connect or attach (XmppConnection.connect / attach): resolves once strophe reports the stream
 * connected or attached; rejects with a ConnectionError whose message names the cause (wrong
 * credentials, unreachable server, the server's condition) or when `connectTimeout` passes, which
 * also abandons the attempt (strophe's retries stop).
 */
export function openStream(opening: StreamOpening): Promise<void> {
  const { jid, url, connectTimeout } = opening;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (status: StatusNumber, condition: string | undefined, message: string) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(new ConnectionError(message, status, condition, url));
      }
    };
    const timer = setTimeout(() => {
      if (!settled) {
        fail(Status.CONNTIMEOUT, 'timeout', `Could not reach the XMPP server at ${url} within ${Math.round(connectTimeout / 1000)} s`);
        opening.abort(Status.CONNTIMEOUT, 'timeout');
      }
    }, connectTimeout);

    opening.start((status: number, condition?: string | null) => {
      const cond = condition ?? undefined;
      opening.onStatus(status as StatusNumber, cond);
      switch (status) {
        case Status.CONNECTED:
        case Status.ATTACHED:
          opening.onOpen();
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve();
          }
          break;
        case Status.AUTHFAIL:
          fail(Status.AUTHFAIL, cond, `Authentication failed for ${jid.bare}: wrong username or password`);
          break;
        case Status.CONNFAIL:
        case Status.ERROR:
        case Status.CONNTIMEOUT:
          fail(status, cond, describeFailure(url, cond));
          break;
        case Status.DISCONNECTED:
          fail(Status.CONNFAIL, cond, describeFailure(url, cond));
          break;
      }
    });
  });
}

function describeFailure(url: string, condition: string | undefined): string {
  return condition && condition !== 'unknown' ? `Could not connect to the XMPP server at ${url} (${condition})` : `Could not reach the XMPP server at ${url}`;
}
