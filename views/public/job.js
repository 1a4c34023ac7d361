/*
 * /job after "Esegui ora": while the run started is in progress (the element carries
 * data-attendi, the URL of that run), ask for it every two seconds and reload the page once it
 * has ended, so the result shows without a click. No inline script: the CSP forbids them.
 */
(function () {
  'use strict';
  var el = document.querySelector('[data-attendi]');
  if (!el || typeof fetch !== 'function') return;
  var url = el.getAttribute('data-attendi');
  function controlla() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (run) {
        if (run && run.esito !== 'in_corso') window.location.reload();
        else setTimeout(controlla, 2000);
      })
      .catch(function () { setTimeout(controlla, 5000); });
  }
  setTimeout(controlla, 1000);
})();
