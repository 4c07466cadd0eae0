import { Strophe } from 'strophe.js';

/** Strophe's status numbers, as passed to `options.connectionCallback`. */
export const Status = Strophe.Status;
export type StatusNumber = (typeof Status)[keyof typeof Status];

/** What the `Connection` status region says (ui-contract: Notices). */
export type ConnectionState =
  | { kind: 'offline' }
  | { kind: 'connecting' }
  | { kind: 'online' }
  | { kind: 'reconnecting' }
  | { kind: 'authfail' }
  | { kind: 'expired' }
  | { kind: 'unreachable'; url: string }
  | { kind: 'error'; condition: string };

export function statusName(status: number): string {
  const entry = Object.entries(Status).find(([, value]) => value === status);
  return entry ? entry[0] : `UNKNOWN(${status})`;
}
