// The login page: JSXC logs in to chat with the same credentials when the form is submitted.
window.jsxc = new JSXC(window.siteChatOptions);
window.jsxc.watchForm('#login', '#username', '#password');
// the site's own submit handler (runs after the chat login, before the navigation)
document.getElementById('login').addEventListener('submit', function () {
  sessionStorage.setItem('site-submitted', 'yes');
});
