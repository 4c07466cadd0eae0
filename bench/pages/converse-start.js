// Starts Converse.js from its prebuilt dist bundle the way a host page does (overlayed, like our
// widget), with nothing fetched from outside: no XEP-0156 discovery, English (no locale chunk),
// system emojis. Query: service (WebSocket URL), jid, password; without jid it shows its login form.
// (converse.min.js is an ES module that also sets window.converse; this file is a module too, so it
// runs after it.) A tiny plugin hands the harness the _converse object (to open chats/rooms and read the state).
(function () {
  var p = new URLSearchParams(location.search);
  var bench = (window.__bench = window.__bench || {});
  window.converse.plugins.add('bench-probe', {
    initialize: function () {
      var _converse = this._converse;
      bench.converse = _converse;
      _converse.api.listen.on('connected', function () {
        bench.connectedAt = performance.now();
      });
      _converse.api.listen.on('reconnected', function () {
        bench.connectedAt = performance.now();
      });
    },
  });
  var jid = p.get('jid');
  var settings = {
    assets_path: '/converse/dist/',
    view_mode: 'overlayed',
    show_controlbox_by_default: true,
    discover_connection_methods: false,
    websocket_url: p.get('service') || undefined,
    loglevel: 'fatal',
    i18n: 'en',
    whitelisted_plugins: ['bench-probe'],
    persistent_store: 'IndexedDB',
    auto_reconnect: false,
    play_sounds: false,
    show_desktop_notifications: false,
    idle_presence_timeout: 0,
    use_system_emojis: true,
    allow_url_history_change: false,
    show_self_in_roster: false,
  };
  if (jid) {
    settings.jid = jid;
    settings.password = p.get('password');
    settings.auto_login = true;
  }
  window.converse.initialize(settings).then(
    function () {
      bench.started = true;
    },
    function (err) {
      bench.error = String(err);
    },
  );
})();
