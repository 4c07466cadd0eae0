import { $iq } from 'strophe.js';
import { XmppConnection } from '../connection/XmppConnection';
import { RosterItem, Subscription } from '../model/Contact';
import { JID } from '../model/JID';
import { Roster } from '../model/Roster';
import { childElements, firstChild } from './xml';

/** RFC 6121 §2: roster get and roster pushes. */
export const NS_ROSTER = 'jabber:iq:roster';

const SUBSCRIPTIONS: Subscription[] = ['none', 'to', 'from', 'both', 'remove'];

export function parseRosterItem(el: Element): RosterItem | undefined {
  const raw = el.getAttribute('jid');
  if (!raw) {
    return undefined;
  }
  let jid: string;
  try {
    jid = JID.parse(raw).bare;
  } catch {
    return undefined; // a malformed item is skipped, the rest of the roster still shows
  }
  const sub = el.getAttribute('subscription') as Subscription | null;
  const groups = childElements(el, 'group')
    .map((g) => g.textContent ?? '')
    .filter((g) => g.trim() !== '');
  return {
    jid,
    name: el.getAttribute('name') ?? undefined,
    groups: [...new Set(groups)],
    subscription: sub && SUBSCRIPTIONS.includes(sub) ? sub : 'none',
    ask: el.getAttribute('ask') ?? undefined,
  };
}

/** XEP-0237: the stream feature a server announces when it versions rosters. */
export const NS_ROSTER_VERSIONING = 'urn:xmpp:features:rosterver';

/**
 * Fetches the roster into `roster`. With `versioning` (the server announced XEP-0237) the get
 * carries the version we have (`roster.version`, "" when none): an empty result then means
 * "unchanged", and the cached items stay.
 */
export async function fetchRoster(connection: XmppConnection, roster: Roster, versioning = false): Promise<void> {
  const attrs: Record<string, string> = { xmlns: NS_ROSTER };
  const known = versioning && roster.isLoaded ? roster.version : undefined;
  if (versioning) {
    attrs.ver = known ?? '';
  }
  const result = await connection.sendIQ($iq({ type: 'get' }).c('query', attrs));
  const query = firstChild(result, 'query', NS_ROSTER);
  if (!query && known !== undefined) {
    return; // unchanged since `known` (RFC 6121 §2.6.3); pushes follow for any change
  }
  const items = query ? childElements(query, 'item').map(parseRosterItem) : [];
  roster.reset(
    items.filter((i): i is RosterItem => i !== undefined),
    query?.getAttribute('ver') ?? undefined,
  );
}

/**
 * Handles roster pushes. Only pushes from our own account (no "from", or our bare JID) are
 * accepted: anything else is a spoofing attempt and is ignored (RFC 6121 §2.1.6).
 */
export function handleRosterPushes(connection: XmppConnection, account: JID, roster: Roster): () => void {
  return connection.addHandler(
    (iq) => {
      const from = iq.getAttribute('from');
      if (from && from !== account.bare && from !== account.domain) {
        return;
      }
      const query = firstChild(iq, 'query', NS_ROSTER);
      const version = query?.getAttribute('ver');
      if (version !== null && version !== undefined) {
        roster.version = version; // XEP-0237: each push carries the new version
      }
      for (const el of query ? childElements(query, 'item') : []) {
        const item = parseRosterItem(el);
        if (item) {
          roster.apply(item);
        }
      }
      connection.send($iq({ type: 'result', id: iq.getAttribute('id') ?? '' }));
    },
    { ns: NS_ROSTER, name: 'iq', type: 'set' },
  );
}

