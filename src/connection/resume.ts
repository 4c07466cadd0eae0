import type { SessionRecord } from '../core/SessionStore';
import { JID } from '../model/JID';
import { ConnectionError } from './errors';
import { Status } from './status';
import type { XmppConnection } from './XmppConnection';

/**
 * How an attempt to continue a stored session ended:
 * - `established`: online again; `resumed` tells whether it is the same server session (BOSH
 *   attach, XEP-0198 resumption) or a new one (login with the stored SCRAM keys);
 * - `expired`: the server does not know the session and the keys don't log in (or there are none);
 * - `retry`: the server could not be reached; try again later.
 */
export type ResumeOutcome = { kind: 'established'; resumed: boolean } | { kind: 'expired'; reason: string } | { kind: 'retry'; reason: string };

/**
 * Continues the session of `record` on `connection`: BOSH by attaching with the stored sid and
 * next rid (sending again, empty, what the last page left unanswered); otherwise (WebSocket, or a BOSH session the server dropped) by logging in with the
 * stored SCRAM keys, during which strophe resumes a stored XEP-0198 session where it can.
 * `forgetBoshSession` is called when the server no longer knows the BOSH session.
 */
export async function resumeSession(connection: XmppConnection, record: SessionRecord, forgetBoshSession: () => void): Promise<ResumeOutcome> {
  const jid = JID.parse(record.jid);
  if (record.transport === 'bosh' && record.sid && record.rid) {
    try {
      await connection.attach(jid, record.sid, record.rid, record.ridUnanswered);
      return { kind: 'established', resumed: true };
    } catch (err) {
      const error = err as ConnectionError;
      if (error.condition !== 'item-not-found') {
        // the server may still hold the session: don't start a second one, try again later
        return { kind: 'retry', reason: error.message };
      }
      forgetBoshSession();
    }
  }
  if (!record.scram) {
    return { kind: 'expired', reason: 'the server does not know the session, and there are no SCRAM keys to log in again' };
  }
  try {
    await connection.connect(jid, record.scram);
    return { kind: 'established', resumed: connection.resumed };
  } catch (err) {
    const error = err as ConnectionError;
    return error.status === Status.AUTHFAIL ? { kind: 'expired', reason: 'the stored SCRAM keys were refused' } : { kind: 'retry', reason: error.message };
  }
}
