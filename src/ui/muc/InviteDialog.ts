import inviteTemplate from '../../../template/inviteDialog.hbs';
import type { Translate } from '../../i18n';
import { JID } from '../../model/JID';
import type { MultiUserContact } from '../../model/MultiUserContact';
import { ModalDialog } from '../ModalDialog';
import { renderElement } from '../templates';
import { roomErrorLines, showAlert } from './roomErrors';

export interface InviteOptions {
  t: Translate;
  /** unique id prefix in the page */
  id: string;
  room: MultiUserContact;
  /** the people to pick from (the roster): JID and name */
  contacts: Array<{ jid: string; name: string }>;
  /** how to invite (default "direct", XEP-0249; "mediated" goes through the room) */
  kind?: 'direct' | 'mediated';
}

/**
 * The `Invite to NAME` dialog: a contact (picked from the roster's suggestions or typed as a JID)
 * and an optional reason; Invite calls room.invite(). Errors stay in the dialog.
 */
export function openInviteDialog(container: HTMLElement, options: InviteOptions): ModalDialog {
  const { t, room } = options;
  const contacts = options.contacts.filter((c) => c.jid !== room.jid).map((c) => ({ jid: c.jid, name: c.name || c.jid }));
  const dialog = new ModalDialog(renderElement<HTMLDialogElement>(inviteTemplate, { id: options.id, name: room.displayName, contacts }, t));
  const el = dialog.element;
  const jidInput = dialog.field('jid');
  const alert = el.querySelector('[role="alert"]')!;
  el.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (el.getAttribute('aria-busy') === 'true') return;
    const input = jidInput.value.trim();
    let jid: string;
    try {
      const parsed = JID.parse(input);
      if (!parsed.local) throw new Error('no local part');
      jid = parsed.bare;
    } catch {
      showAlert(alert, [input === '' ? t('Invitee_missing') : t('Invitee_invalid', { address: input })]);
      jidInput.focus();
      return;
    }
    const reason = dialog.field('reason').value.trim();
    el.setAttribute('aria-busy', 'true');
    showAlert(alert, []);
    Promise.resolve()
      .then(() => room.invite(jid, reason === '' ? undefined : reason, options.kind ?? 'direct'))
      .then(() => dialog.close())
      .catch((err: unknown) => {
        showAlert(alert, roomErrorLines(t, err));
        jidInput.focus();
      })
      .finally(() => el.removeAttribute('aria-busy'));
  });
  dialog.open(container, jidInput);
  return dialog;
}
