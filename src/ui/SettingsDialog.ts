import settingsTemplate from '../../template/settingsDialog.hbs';
import { Settings } from '../core/Settings';
import { Translate } from '../i18n';
import { showModal } from './ModalDialog';
import { renderElement } from './templates';

/**
 * The `Settings` dialog: one control per defined setting (Settings.define). A change applies at
 * once (Settings.set, which tells the host through options.onOptionChange).
 */
export function openSettingsDialog(container: HTMLElement, settings: Settings, t: Translate, id: string): HTMLDialogElement {
  const view = settings.defined().map((d, i) => {
    const value = settings.get(d.id, d.key);
    return {
      name: `s${i}`,
      settingId: d.id,
      key: d.key,
      label: t(d.labelKey),
      boolean: d.type === 'boolean',
      checked: value === true,
      choices: (d.choices ?? []).map((c) => ({ value: c.value, label: t(c.labelKey), selected: c.value === value })),
    };
  });
  const dialog = renderElement<HTMLDialogElement>(settingsTemplate, { id, settings: view }, t);
  dialog.addEventListener('change', (ev) => {
    const control = ev.target as HTMLInputElement | HTMLSelectElement;
    const { settingId, settingKey } = control.dataset;
    if (!settingId || !settingKey) {
      return;
    }
    const value = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
    settings.set(settingId, settingKey, value);
  });
  showModal(dialog, container);
  return dialog;
}
