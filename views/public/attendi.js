/*
 * A page that waits for work running on the server (a job started with "Esegui ora", an upload
 * being verified or loaded): the element with data-attendi holds the URL of its JSON, data-campo
 * the field to watch and data-valore its value now. Every two seconds the script asks again and
 * reloads the page once the value has changed, so the result shows without a click.
 * No inline script: the CSP forbids them.
 */
(function () {
  'use strict';
  var el = document.querySelector('[data-attendi]');
  if (!el || typeof fetch !== 'function') return;
  var url = el.getAttribute('data-attendi');
  var campo = el.getAttribute('data-campo') || 'esito';
  var valore = el.getAttribute('data-valore') || 'in_corso';
  function controlla() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (dati) {
        if (dati && dati[campo] !== valore) window.location.reload();
        else setTimeout(controlla, 2000);
      })
      .catch(function () { setTimeout(controlla, 5000); });
  }
  setTimeout(controlla, 1000);
})();
