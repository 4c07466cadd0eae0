// The page after signing out: the same chat setup; there is no session to restore.
window.jsxc = new JSXC(window.siteChatOptions);
