import addTemplate from '../../../template/addContactDialog.hbs';
import { Translate } from '../../i18n';
import { RosterItemUpdate } from '../../protocol/rosterEdit';
import { ModalDialog } from '../ModalDialog';
import { renderElement } from '../templates';

export interface AddContactOptions {
  t: Translate;
  id: string;
  groups: string[];
  /** completes a username without "@" (our own domain) */
  domain: string;
  /** options.getUsers: suggestions as the user types ({jid: name}) */
  getUsers?: (search: string) => Promise<{ [jid: string]: string }>;
  onAdd: (contact: RosterItemUpdate) => Promise<void>;
}

/** How long typing must pause before getUsers is asked. */
export const SUGGEST_DELAY = 250;

/**
 * The `Add contact` dialog: address (JID or username) with suggestions from options.getUsers
 * (WAI-ARIA combobox with a listbox popup and aria-activedescendant), optional name and group.
 */
export function addContactDialog(container: HTMLElement, options: AddContactOptions): ModalDialog {
  const dialog = new ModalDialog(renderElement<HTMLDialogElement>(addTemplate, { id: options.id, groups: options.groups }, options.t));
  const input = dialog.field('jid');
  const nameInput = dialog.field('name');
  const listbox = dialog.element.querySelector<HTMLUListElement>('[role="listbox"]')!;
  let suggestions: Array<{ jid: string; name: string }> = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;

  const show = (open: boolean) => {
    listbox.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (!open) {
      active = -1;
      input.removeAttribute('aria-activedescendant');
    }
  };
  const setActive = (index: number) => {
    active = index;
    Array.from(listbox.children).forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    const li = listbox.children[index] as HTMLElement | undefined;
    if (li) {
      input.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };
  const choose = (index: number) => {
    const chosen = suggestions[index];
    if (!chosen) {
      return;
    }
    input.value = chosen.jid;
    if (!nameInput.value) {
      nameInput.value = chosen.name;
    }
    show(false);
  };
  const render = () => {
    listbox.replaceChildren(
      ...suggestions.map((s, i) => {
        const li = document.createElement('li');
        li.id = `${options.id}-suggestion-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        const name = document.createElement('span');
        name.className = 'jsxc-listbox__name';
        name.textContent = s.name || s.jid;
        const jid = document.createElement('span');
        jid.className = 'jsxc-listbox__jid';
        jid.textContent = s.jid;
        li.append(name, ' ', jid);
        li.addEventListener('pointerdown', (ev) => ev.preventDefault()); // keep focus in the input
        li.addEventListener('click', () => choose(i));
        return li;
      }),
    );
    show(suggestions.length > 0);
  };
  const ask = async (search: string) => {
    const ticket = ++asked;
    try {
      const result = (await options.getUsers?.(search)) ?? {};
      if (ticket !== asked) {
        return; // an older answer arriving late
      }
      suggestions = Object.entries(result)
        .filter(([jid]) => typeof jid === 'string' && jid !== '')
        .slice(0, 20)
        .map(([jid, name]) => ({ jid, name: typeof name === 'string' ? name : '' }));
      render();
    } catch (err) {
      console.warn('[jsxc] options.getUsers failed:', err);
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const search = input.value.trim();
    if (!options.getUsers || search.length === 0) {
      suggestions = [];
      render();
      return;
    }
    timer = setTimeout(() => void ask(search), SUGGEST_DELAY);
  });
  input.addEventListener('keydown', (ev) => {
    const open = !listbox.hidden;
    if (ev.key === 'ArrowDown' && suggestions.length > 0) {
      if (!open) {
        show(true);
      }
      setActive((active + 1) % suggestions.length);
    } else if (ev.key === 'ArrowUp' && open) {
      setActive((active - 1 + suggestions.length) % suggestions.length);
    } else if (ev.key === 'Enter' && open && active >= 0) {
      choose(active);
    } else if (ev.key === 'Escape' && open) {
      show(false); // the first Escape closes the suggestions, the next one the dialog
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  });
  input.addEventListener('blur', () => show(false));

  dialog.element.querySelector('form')!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    let jid = input.value.trim();
    if (!jid) {
      dialog.showError(options.t('error_missing_contact_address'));
      input.focus();
      return;
    }
    if (!jid.includes('@')) {
      jid = `${jid}@${options.domain}`;
    }
    const group = dialog.field('group').value;
    void dialog.run(() => options.onAdd({ jid, name: nameInput.value, groups: [group] }));
  });
  dialog.element.addEventListener('close', () => clearTimeout(timer));
  dialog.open(container, input);
  return dialog;
}
