import type { Translate } from '../../i18n';
import type { LeaveReason } from '../../plugins/muc/presence';

/** The status line's sentence for someone leaving the room, by why they left. */
export function roomNotice(t: Translate, nick: string, reason: LeaveReason): string {
  switch (reason) {
    case 'kicked':
      return t('Occupant_kicked', { nick });
    case 'banned':
      return t('Occupant_banned', { nick });
    case 'affiliation':
    case 'members-only':
    case 'shutdown':
    case 'destroyed':
      return t('Occupant_removed', { nick });
    default:
      return t('Occupant_left', { nick });
  }
}
