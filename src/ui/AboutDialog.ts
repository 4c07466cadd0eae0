import aboutTemplate from '../../template/aboutDialog.hbs';
import { Translate } from '../i18n';
import { PluginEntry } from '../plugins/Plugin';
import { showModal } from './ModalDialog';
import { renderElement } from './templates';

/** The `About` dialog: the version and the enabled features with the XEPs they implement. */
export function openAboutDialog(container: HTMLElement, version: string, plugins: PluginEntry[], t: Translate, id: string): HTMLDialogElement {
  const view = plugins.map((p) => ({ name: p.name, xeps: p.xeps.map((x) => `${x.id} ${x.name}`).join(', ') }));
  const dialog = renderElement<HTMLDialogElement>(aboutTemplate, { id, version, plugins: view }, t);
  showModal(dialog, container);
  return dialog;
}
