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
  _proto: { sid?: string | null; rid?: number; _requests?: Array<{ rid: number }> };
}

/**
 * Where a BOSH session's request ids stand: `next` is the rid of the next request; `unanswered`
 * the lowest rid handed to the network (or queued) that has no answer yet — the server may or may
 * not have it (absent when every request was answered).
 */
export interface BoshRids {
  next: number;
  unanswered?: number;
}

/** The session id and request ids of strophe's BOSH session now (undefined without a session). */
export function boshRidsOf(strophe: unknown): (BoshRids & { sid: string }) | undefined {
  const { sid, rid, _requests: requests = [] } = (strophe as BoshWatched)._proto;
  if (!sid || typeof rid !== 'number') {
    return undefined;
  }
  const open = requests.map((r) => r.rid).filter((r) => Number.isSafeInteger(r) && r < rid);
  return open.length ? { sid, next: rid, unanswered: Math.min(...open) } : { sid, next: rid };
}

/**
 * Reports the BOSH request ids (`rids`, for re-attaching after a page load) as each request goes
 * out (strophe numbers them as it builds them) and as each is answered, and whether requests fail
 * (`trouble`: true while strophe retransmits, false once one is answered again, or the stream
 * ended — `onEnded`).
 */
export function watchBoshRequests(strophe: unknown, report: { rids: (rids: BoshRids) => void; trouble: (failing: boolean) => void; onEnded: (ended: () => void) => void }): void {
  const conn = strophe as BoshWatched;
  let failing = false;
  const trouble = (now: boolean) => {
    if (now !== failing) {
      failing = now;
      report.trouble(now);
    }
  };
  const rids = () => {
    // strophe also calls nextValidRid when it resets (sid null, a random rid): not a session's rid
    const now = boshRidsOf(conn);
    if (now) {
      report.rids({ next: now.next, unanswered: now.unanswered });
    }
  };
  for (const code of [0, 500, 502, 503, 504]) {
    conn.addProtocolErrorHandler('HTTP', code, () => trouble(true));
  }
  // strophe calls this for every request answered with 200 (the request left its queue before)
  conn.nextValidRid = () => {
    rids();
    trouble(false);
  };
  report.onEnded(() => trouble(false));
  const output = conn.xmlOutput.bind(conn);
  conn.xmlOutput = (elem: Element) => {
    output(elem);
    rids();
  };
}

/** The strophe members resendUnanswered uses. */
interface BoshQueue {
  _data: Array<Element | null>;
  _proto: { _onIdle(): void };
}

/**
 * After attaching with the rid of the oldest request the last page left unanswered: sends `count`
 * requests WITHOUT stanzas with that rid and the following ones, before anything else goes out.
 * The server (XEP-0124 §14, Prosody's mod_bosh) answers a rid it already had from its cache of
 * answers or keeps it as the open request, ignoring its content, and processes a rid it never got —
 * an empty body, so nothing is sent twice and the gap is closed; the next request (the attach
 * ping) then follows the last rid the server has.
 */
export function resendUnanswered(strophe: unknown, count: number): void {
  const conn = strophe as BoshQueue;
  for (let i = 0; i < count; i++) {
    // a null in strophe's queue is a request without content; _onIdle sends the queue as one body
    conn._data.push(null);
    conn._proto._onIdle();
  }
}
