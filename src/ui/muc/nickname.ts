import type { Account } from '../../model/Account';

/** My nickname when I choose none: the local part of my JID. */
export function defaultNickname(account: Account): string {
  return account.uid.split('@')[0];
}
