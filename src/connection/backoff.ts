/**
 * Reconnect delays: exponential backoff with jitter, bounded. Attempt 0 waits about `base`, each
 * further attempt about twice as long, never more than `cap`. The jitter (the delay is drawn from
 * [½·d, d]) keeps many clients that lost the same server from coming back in lock-step.
 */
export interface BackoffOptions {
  /** first delay in ms (default 1000) */
  base?: number;
  /** longest delay in ms (default 60000) */
  cap?: number;
  /** a number in [0, 1) (default Math.random) */
  random?: () => number;
}

export function backoffDelay(attempt: number, { base = 1000, cap = 60000, random = Math.random }: BackoffOptions = {}): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(cap, base * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
