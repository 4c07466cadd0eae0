import { Translate } from '../../i18n';
import { Account } from '../../model/Account';
import { Contact } from '../../model/Contact';
import { JID, JIDError } from '../../model/JID';
import { Blocking, BLOCKING_SERVICE } from '../../plugins/blocking';
import { RosterItemUpdate } from '../../protocol/rosterEdit';
import type { ConfirmOptions } from '../ConfirmDialog';
import { loadDialogs, withLazy } from '../lazy';
import { Menu, MenuEntry } from '../Menu';

export interface ContactActionsOptions {
  t: Translate;
  id: string;
  container: HTMLElement;
  accountOf: (contact: Contact) => Account | undefined;
  accounts: () => Account[];
  getUsers?: (search: string) => Promise<{ [jid: string]: string }>;
  onActivate?: (contact: Contact) => void;
}

/**
 * What a person can do with contacts: the per-contact menu (open chat, edit, block/unblock,
 * remove) and the Add contact dialog. Every action is a call on the contact's account.
 */
export class ContactActions {
  private menu?: Menu;
  private dialogs = 0;

  constructor(private readonly options: ContactActionsOptions) {}

  openMenu(contact: Contact, anchor: HTMLElement): void {
    const { t } = this.options;
    const account = this.options.accountOf(contact);
    if (!account) {
      return;
    }
    const entries: MenuEntry[] = [];
    const activate = this.options.onActivate;
    if (activate) {
      entries.push({ label: t('Open_chat'), action: () => activate(contact) });
    }
    entries.push({ label: t('Edit_contact_menu'), action: () => this.openEditDialog(account, contact) });
    const blocking = account.service<Blocking>(BLOCKING_SERVICE);
    if (blocking) {
      entries.push(
        contact.blocked
          ? { label: t('Unblock'), action: () => void blocking.unblock(contact.jid).catch((err: unknown) => console.warn('[jsxc] unblock failed:', err)) }
          : { label: t('Block'), action: () => this.confirmBlock(blocking, contact) },
      );
    }
    entries.push({ label: t('Remove_contact'), danger: true, action: () => this.confirmRemove(account, contact) });
    this.menu?.close(false);
    this.menu = new Menu(anchor, this.options.container, t('Actions_for', { name: contact.displayName }));
    this.menu.open(entries);
  }

  openAddDialog(): void {
    const { t } = this.options;
    const account = this.options.accounts().find((a) => a.isOnline);
    if (!account) {
      return;
    }
    const id = this.nextId('add');
    withLazy(loadDialogs, 'Add contact', ({ addContactDialog }) =>
      addContactDialog(this.options.container, {
        t,
        id,
        groups: account.roster.groups(),
        domain: JID.parse(account.uid).domain,
        getUsers: this.options.getUsers,
        onAdd: (update) => this.checked(update, () => account.addContact(update)),
      }),
    );
  }

  private openEditDialog(account: Account, contact: Contact): void {
    const id = this.nextId('edit');
    withLazy(loadDialogs, 'Edit contact', ({ editContactDialog }) =>
      editContactDialog(this.options.container, { t: this.options.t, id, contact, groups: account.roster.groups(), onSave: (update) => account.updateContact(update) }),
    );
  }

  private confirmRemove(account: Account, contact: Contact): void {
    const { t } = this.options;
    this.confirm({
      id: this.nextId('remove'),
      title: t('Remove_contact_title', { name: contact.displayName }),
      text: t('Remove_contact_text', { jid: contact.jid }),
      confirm: t('Remove'),
      onConfirm: () => account.removeContact(contact.jid),
    });
  }

  private confirmBlock(blocking: Blocking, contact: Contact): void {
    const { t } = this.options;
    this.confirm({
      id: this.nextId('block'),
      title: t('Block_title', { name: contact.displayName }),
      text: t('Block_text', { jid: contact.jid }),
      confirm: t('Block'),
      onConfirm: () => blocking.block(contact.jid),
    });
  }

  private confirm(options: Omit<ConfirmOptions, 't'>): void {
    withLazy(loadDialogs, options.title, ({ confirmDialog }) => confirmDialog(this.options.container, { t: this.options.t, ...options }));
  }

  /** A malformed address gets a translated message naming it. */
  private async checked(update: RosterItemUpdate, action: () => Promise<void>): Promise<void> {
    try {
      JID.parse(update.jid);
    } catch (err) {
      if (err instanceof JIDError) {
        throw new Error(this.options.t('error_malformed_jid', { jid: update.jid }));
      }
      throw err;
    }
    await action();
  }

  private nextId(kind: string): string {
    return `${this.options.id}-${kind}-${++this.dialogs}`;
  }
}
