import type { Occupant } from '../../src/model/Occupant';
import { canChangeSubject, moderationActions, standingKeys } from '../../src/ui/muc/moderation';

// Which moderation a participant's menu offers (XEP-0045 §8–§10): only what the room would allow.
function occupant(nick: string, role: Occupant['role'], affiliation: Occupant['affiliation'], extra: Partial<Occupant> = {}): Occupant {
  return { nick, role, affiliation, presence: 'online', status: '', self: false, jid: `${nick}@example.org/x`, ...extra };
}
const keys = (self: Occupant | undefined, target: Occupant) => moderationActions(self, target).map((a) => a.key);

it('a plain participant or visitor may not moderate anyone', () => {
  expect(keys(occupant('me', 'participant', 'member', { self: true }), occupant('bob', 'participant', 'none'))).toEqual([]);
  expect(keys(occupant('me', 'visitor', 'none', { self: true }), occupant('bob', 'visitor', 'none'))).toEqual([]);
  expect(keys(undefined, occupant('bob', 'participant', 'none'))).toEqual([]);
});

it('a moderator (no affiliation) kicks and changes voice of people below admin, but cannot ban', () => {
  const me = occupant('me', 'moderator', 'none', { self: true });
  expect(keys(me, occupant('bob', 'participant', 'none'))).toEqual(['Kick', 'Revoke_voice']);
  expect(keys(me, occupant('bob', 'visitor', 'none'))).toEqual(['Kick', 'Grant_voice']);
  expect(keys(me, occupant('boss', 'moderator', 'admin'))).toEqual([]);
});

it('an admin also bans and manages membership (by real JID); an owner also makes admins and owners', () => {
  const admin = occupant('me', 'moderator', 'admin', { self: true });
  expect(keys(admin, occupant('bob', 'participant', 'none'))).toEqual(['Kick', 'Revoke_voice', 'Ban', 'Grant_membership']);
  expect(keys(admin, occupant('mem', 'participant', 'member'))).toEqual(['Kick', 'Revoke_voice', 'Ban', 'Revoke_membership']);
  expect(keys(admin, occupant('other', 'moderator', 'admin'))).toEqual([]);
  // without the real JID there is no one to ban
  expect(keys(admin, occupant('anon', 'participant', 'none', { jid: undefined }))).toEqual(['Kick', 'Revoke_voice']);
  const owner = occupant('me', 'moderator', 'owner', { self: true });
  expect(keys(owner, occupant('bob', 'participant', 'none'))).toEqual(['Kick', 'Revoke_voice', 'Ban', 'Grant_membership', 'Grant_admin', 'Grant_owner']);
  expect(keys(owner, occupant('adm', 'moderator', 'admin'))).toEqual(['Ban', 'Grant_owner']);
  expect(keys(owner, occupant('me', 'moderator', 'owner', { self: true }))).toEqual([]);
});

it('names role and affiliation as shown beside a nickname', () => {
  expect(standingKeys(occupant('a', 'moderator', 'owner'))).toEqual(['role_moderator', 'affiliation_owner']);
  expect(standingKeys(occupant('b', 'participant', 'none'))).toEqual([]);
  expect(standingKeys(occupant('c', 'visitor', 'member'))).toEqual(['role_visitor', 'affiliation_member']);
});

it('the subject: moderators may change it; participants when the room allows it or does not say; visitors never', () => {
  expect(canChangeSubject(occupant('me', 'moderator', 'none', { self: true }), false)).toBe(true);
  expect(canChangeSubject(occupant('me', 'participant', 'member', { self: true }), true)).toBe(true);
  expect(canChangeSubject(occupant('me', 'participant', 'member', { self: true }), undefined)).toBe(true);
  expect(canChangeSubject(occupant('me', 'participant', 'member', { self: true }), false)).toBe(false);
  expect(canChangeSubject(occupant('me', 'visitor', 'none', { self: true }), true)).toBe(false);
  expect(canChangeSubject(undefined, true)).toBe(false);
});
