import type { Contact } from '../../model/Contact';
import type { Roster } from '../../model/Roster';
import type { ContactSnapshot, RosterSnapshot } from './messages';

/** The roster as the leader knows it: items, presence, avatars, blocked flags, open requests. */
export function snapshotRoster(roster: Roster): RosterSnapshot {
  return {
    loaded: roster.isLoaded,
    version: roster.version,
    contacts: roster.all().map((c) => ({ item: c.toItem(), presence: c.resourcePresences(), avatar: c.avatar, blocked: c.blocked })),
    requests: roster.requests(),
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes a follower's roster what the leader has, changing only what differs (so the list does not
 * repaint as a whole on every presence change).
 */
export function applyRosterSnapshot(roster: Roster, snapshot: RosterSnapshot): void {
  if (!snapshot.loaded) {
    return;
  }
  if (!roster.isLoaded) {
    roster.reset(
      snapshot.contacts.map((c) => c.item),
      snapshot.version,
    );
  } else {
    const listed = new Set(snapshot.contacts.map((c) => c.item.jid));
    for (const gone of roster.all().filter((c) => !listed.has(c.jid))) {
      roster.apply({ jid: gone.jid, groups: [], subscription: 'remove' });
    }
    for (const { item } of snapshot.contacts) {
      const current = roster.get(item.jid);
      if (!current || !same(current.toItem(), item)) {
        roster.apply(item);
      }
    }
    roster.version = snapshot.version;
  }
  for (const c of snapshot.contacts) {
    const contact = roster.get(c.item.jid);
    if (contact) {
      applyContact(contact, c);
    }
  }
  const wanted = new Set(snapshot.requests.map((r) => r.jid));
  roster.requests().filter((r) => !wanted.has(r.jid)).forEach((r) => roster.removeRequest(r.jid));
  snapshot.requests.forEach((r) => roster.addRequest(r));
}

function applyContact(contact: Contact, snapshot: ContactSnapshot): void {
  if (!same(contact.resourcePresences(), snapshot.presence)) {
    contact.clearPresence();
    for (const [resource, presence] of snapshot.presence) {
      contact.setResourcePresence(resource, presence);
    }
  }
  if (contact.avatar?.hash !== snapshot.avatar?.hash) {
    contact.setAvatar(snapshot.avatar);
  }
  if (contact.blocked !== snapshot.blocked) {
    contact.setBlocked(snapshot.blocked);
  }
}
