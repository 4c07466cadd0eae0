// Starts our widget the way a host page does. Query: service (WebSocket URL), jid, password;
// without jid the widget shows its log-in action. A session restored from the previous page
// (reload) is not started again.
(function () {
  var p = new URLSearchParams(location.search);
  var bench = (window.__bench = window.__bench || {});
  var jsxc = new window.JSXC({});
  bench.jsxc = jsxc;
  // as the manual advises a host page: after a reload the restored session (numberOfCachedAccounts)
  // comes back by itself; log in only when there is none
  var started =
    jsxc.numberOfCachedAccounts > 0 ? Promise.resolve() : p.get('jid') ? jsxc.start(p.get('service'), p.get('jid'), p.get('password')) : jsxc.start();
  started.then(
    function () {
      bench.started = true;
    },
    function (err) {
      bench.error = String(err);
    },
  );
})();
