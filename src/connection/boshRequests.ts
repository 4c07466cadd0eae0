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
