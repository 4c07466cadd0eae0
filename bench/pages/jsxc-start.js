// Starts our widget the way a host page does. Query: service (WebSocket URL), jid, password;
// without jid the widget shows its log-in action.
(function () {
  var p = new URLSearchParams(location.search);
  var bench = (window.__bench = window.__bench || {});
  var jsxc = new window.JSXC({});
  bench.jsxc = jsxc;
  var started = p.get('jid') ? jsxc.start(p.get('service'), p.get('jid'), p.get('password')) : jsxc.start();
  started.then(
    function () {
      bench.started = true;
    },
    function (err) {
      bench.error = String(err);
    },
  );
})();
