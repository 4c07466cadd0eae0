import type { Account } from '../model/Account';

/**
 * Runs `run` once the account is online (now, if it is): plugins attach before our initial
 * presence, and work like joining rooms must not hold up the login. Returns a cancel function.
 */
export function whenOnline(account: Account, run: () => void): () => void {
  if (account.isOnline) {
    run();
    return () => undefined;
  }
  const off = account.on('state', (state) => {
    if (state.kind === 'online') {
      off();
      run();
    }
  });
  return off;
}
