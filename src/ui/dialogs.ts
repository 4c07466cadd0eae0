// The "dialogs" chunk (src/ui/lazy.ts): everything here is loaded when the first of them opens.
export { openAboutDialog } from './AboutDialog';
export { confirmDialog } from './ConfirmDialog';
export { LoginDialog } from './LoginDialog';
export { RegisterDialog } from './RegisterDialog';
export { addContactDialog } from './roster/AddContactDialog';
export { editContactDialog } from './roster/EditContactDialog';
export { openSettingsDialog } from './SettingsDialog';
