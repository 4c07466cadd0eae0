// The configuration of the manual's §1.2.7, for the demo's local Prosody behind the reverse proxy.
$(function () {
  var jsxc = new JSXC({
    loadConnectionOptions: function (username, password) {
      return Promise.resolve({
        xmpp: {
          url: '/http-bind/',
          domain: 'localhost',
        },
      });
    },
  });

  var formElement = $('#form');
  var usernameElement = $('#username');
  var passwordElement = $('#password');

  jsxc.watchForm(formElement, usernameElement, passwordElement);

  // The site's own login: this example is a single-page site, so it handles the submit itself.
  // (A classic site would let the form post to its server instead.)
  formElement.on('submit', function (ev) {
    ev.preventDefault();
    $('#welcome-name').text(usernameElement.val());
    passwordElement.val('');
    $('#login-section').prop('hidden', true);
    $('#welcome-section').prop('hidden', false);
  });

  // The site's own logout: watchLogoutClick ends the chat session first, then this handler runs.
  jsxc.watchLogoutClick($('#logout'));
  $('#logout').on('click', function () {
    $('#welcome-section').prop('hidden', true);
    $('#login-section').prop('hidden', false);
  });

  // Exposed for the browser tests and for trying the API in the console.
  window.jsxc = jsxc;
});
