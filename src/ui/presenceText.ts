import { ConnectionState } from '../connection/status';
import { Translate } from '../i18n';
import { PresenceShow } from '../model/Presence';

export function presenceText(t: Translate, show: PresenceShow): string {
  return t(`presence_${show}`);
}

/** The text of the `Connection` status region. */
export function connectionStateText(t: Translate, state: ConnectionState): string {
  switch (state.kind) {
    case 'unreachable':
      return t('state_unreachable', { url: state.url });
    case 'error':
      return t('state_error', { condition: state.condition });
    default:
      return t(`state_${state.kind}`);
  }
}
