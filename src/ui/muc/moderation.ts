import type { Affiliation, Occupant, Role } from '../../model/Occupant';
import type { MultiUserContact } from '../../model/MultiUserContact';

/** One moderation action a participant's menu may offer (XEP-0045 §8–§10). */
export interface ModerationAction {
  /** locale key of its label (also the dialog's confirm button) */
  key: 'Kick' | 'Ban' | 'Grant_voice' | 'Revoke_voice' | 'Grant_membership' | 'Revoke_membership' | 'Grant_admin' | 'Grant_owner';
  /** removes the person from the room */
  danger: boolean;
  run(room: MultiUserContact, target: Occupant, reason?: string): Promise<void>;
}

const AFFILIATION_RANK: Record<Affiliation, number> = { owner: 4, admin: 3, member: 2, none: 1, outcast: 0 };

function byJid(target: Occupant): string | undefined {
  return target.jid?.split('/')[0];
}

/**
 * What I (`self`) may do to `target`, following XEP-0045's rules: moderators kick and change voice
 * of people below admin; admins and owners ban and manage membership of people with a lower
 * affiliation (which needs their real JID); owners also make admins and owners. Nothing for myself.
 */
export function moderationActions(self: Occupant | undefined, target: Occupant): ModerationAction[] {
  if (!self || target.self || target.nick === self.nick) {
    return [];
  }
  const actions: ModerationAction[] = [];
  const role = (key: ModerationAction['key'], to: Role, danger = false): ModerationAction => ({ key, danger, run: (room, t, reason) => room.setRole(t.nick, to, reason) });
  const affiliation = (key: ModerationAction['key'], to: Affiliation, danger = false): ModerationAction => ({
    key,
    danger,
    run: (room, t, reason) => room.setAffiliation(byJid(t) ?? t.nick, to, reason),
  });
  const protectedTarget = target.affiliation === 'owner' || target.affiliation === 'admin';
  if (self.role === 'moderator' && !protectedTarget) {
    actions.push(role('Kick', 'none', true));
    if (target.role === 'visitor') {
      actions.push(role('Grant_voice', 'participant'));
    } else if (target.role === 'participant') {
      actions.push(role('Revoke_voice', 'visitor'));
    }
  }
  const mine = AFFILIATION_RANK[self.affiliation];
  const canManage = (self.affiliation === 'owner' || (self.affiliation === 'admin' && AFFILIATION_RANK[target.affiliation] < mine)) && byJid(target) !== undefined;
  if (canManage) {
    actions.push(affiliation('Ban', 'outcast', true));
    if (target.affiliation === 'none') {
      actions.push(affiliation('Grant_membership', 'member'));
    } else if (target.affiliation === 'member') {
      actions.push(affiliation('Revoke_membership', 'none'));
    }
    if (self.affiliation === 'owner') {
      if (!protectedTarget) {
        actions.push(affiliation('Grant_admin', 'admin'));
      }
      if (target.affiliation !== 'owner') {
        actions.push(affiliation('Grant_owner', 'owner'));
      }
    }
  }
  return actions;
}

/** The role and affiliation words shown beside a nickname: "moderator", "owner", "visitor"… */
export function standingKeys(o: Occupant): string[] {
  const keys: string[] = [];
  if (o.role === 'moderator' || o.role === 'visitor') {
    keys.push(`role_${o.role}`);
  }
  if (o.affiliation === 'owner' || o.affiliation === 'admin' || o.affiliation === 'member') {
    keys.push(`affiliation_${o.affiliation}`);
  }
  return keys;
}

/**
 * May I change the room's subject? Moderators may; participants when the room lets them
 * (muc#roominfo_changesubject) — or when it does not say, and then a refusal is shown readably.
 * Visitors and people not in the room may not.
 */
export function canChangeSubject(self: Occupant | undefined, subjectChangeable: boolean | undefined): boolean {
  if (!self) {
    return false;
  }
  return self.role === 'moderator' || (self.role === 'participant' && subjectChangeable !== false);
}
