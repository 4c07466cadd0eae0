// The host site's chat setup, the same on every page: where the chat server is (the XMPP domain
// comes from the page's query string, so the tests can point it at their server).
window.siteChatOptions = {
  loadConnectionOptions: function () {
    var domain = new URLSearchParams(location.search).get('domain') || 'localhost';
    return Promise.resolve({ xmpp: { url: '/http-bind/', domain: domain } });
  },
};
