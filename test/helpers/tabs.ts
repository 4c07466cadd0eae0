import { FollowerRole } from '../../src/core/tabs/FollowerRole';
import { LeaderRole } from '../../src/core/tabs/LeaderRole';
import type { TabMessage } from '../../src/core/tabs/messages';
import { Account } from '../../src/model/Account';
import { MemoryStore } from '../../src/model/HistoryStore';
import { JID } from '../../src/model/JID';
import { getTestServer } from './test-server';

/**
 * A follower tab of `leaderAccount`'s user (it never connects: `url` is only its configuration),
 * wired to a leader role on that (connected) account as the BroadcastChannel would: asynchronous,
 * structured clones.
 */
export function followerOf(leaderAccount: Account, jid: string, url = getTestServer().wsUrl) {
  const follower = new Account({ url, jid: JID.parse(jid), connectTimeout: 10000, historyStore: new MemoryStore() });
  let role: FollowerRole | undefined;
  // cloned when posted, as postMessage does (a model object changed later is not what was sent)
  const post = (receive: (m: TabMessage) => void) => (m: TabMessage) => {
    const copy = structuredClone(m);
    setTimeout(() => receive(copy));
  };
  const leader = new LeaderRole(leaderAccount, post((m) => role?.receive(m)), () => leaderAccount.disconnect());
  role = new FollowerRole(follower, post((m) => leader.receive(m)));
  return { follower, role, leader };
}
