// Every page after the login: no credentials, JSXC finds the stored session.
window.jsxc = new JSXC(window.siteChatOptions);
window.jsxc.watchLogoutClick('#logout');
