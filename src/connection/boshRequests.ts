/**
 * strophe's BOSH request queue, as far as we touch it: each request has its XMLHttpRequest, and
 * `_abortAllRequests()` is how strophe (and XmppConnection) abandon them all.
 */
interface BoshInternals {
  _requests?: Array<{ xhr: { send: (body?: unknown) => void } }>;
  _abortAllRequests?: () => void;
}

/**
 * strophe retransmits a failed BOSH request after a growing delay (1 s, 8 s, 27 s … from a timer it
 * never cancels). When the connection is abandoned (we drop it, a connect times out, strophe gives
 * up) its requests are aborted, but an aborted XMLHttpRequest that was opened and not yet sent can
 * still be sent: the timer fires and the old body goes out with the abandoned session's sid and an
 * old rid, seconds later, possibly after a reconnect re-attached that session. From this call on,
 * every request strophe aborts on this transport can no longer go out.
 */
export function silenceAbandonedRequests(proto: unknown): void {
  const bosh = proto as BoshInternals;
  const abortAll = bosh._abortAllRequests?.bind(bosh);
  if (!abortAll) {
    return;
  }
  bosh._abortAllRequests = () => {
    for (const request of bosh._requests ?? []) {
      request.xhr.send = () => undefined;
    }
    abortAll();
  };
}

/** The strophe members watchBoshRequests wraps. */
interface BoshWatched {
  addProtocolErrorHandler(protocol: string, status: number, callback: (status: number) => void): void;
  nextValidRid: (rid: number) => void;
  xmlOutput: (elem: Element) => void;
}

/**
 * Reports the next BOSH rid as each request goes out (strophe numbers them as it builds them:
 * `rid`, for re-attaching after a page load), and whether requests fail (`trouble`: true while
 * strophe retransmits, false once one is answered again, or the stream ended — `onEnded`).
 */
export function watchBoshRequests(strophe: unknown, report: { rid: (next: number) => void; trouble: (failing: boolean) => void; onEnded: (ended: () => void) => void }): void {
  const conn = strophe as BoshWatched;
  let failing = false;
  const trouble = (now: boolean) => {
    if (now !== failing) {
      failing = now;
      report.trouble(now);
    }
  };
  for (const code of [0, 500, 502, 503, 504]) {
    conn.addProtocolErrorHandler('HTTP', code, () => trouble(true));
  }
  // strophe calls this for every request answered with 200
  conn.nextValidRid = () => trouble(false);
  report.onEnded(() => trouble(false));
  const output = conn.xmlOutput.bind(conn);
  conn.xmlOutput = (elem: Element) => {
    output(elem);
    const rid = Number(elem.getAttribute?.('rid'));
    if (Number.isSafeInteger(rid) && rid > 0) {
      report.rid(rid + 1);
    }
  };
}
