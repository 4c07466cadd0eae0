// Runs under `Content-Security-Policy: script-src 'self'; style-src 'self'`: no inline script,
// so the test passes its parameters in the URL fragment.
(function () {
  var params = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  var result = document.getElementById('result');
  var statuses = [];
  var jsxc = new JSXC({
    lang: params.lang,
    autoLang: false,
    connectionCallback: function (jid, status) {
      statuses.push(status);
      result.dataset.statuses = statuses.join(',');
    },
  });
  jsxc.start(params.url, params.jid, params.password).then(
    function () {
      result.textContent = 'connected';
    },
    function (err) {
      result.textContent = 'failed: ' + err.message;
    },
  );
})();
