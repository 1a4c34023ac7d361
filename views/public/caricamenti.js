/*
 * Upload forms: the file is sent with a progress bar (bytes sent, total, percentage) instead of
 * a silent wait, and the page the server answers with (the upload's page, or the form with the
 * problems) is shown. Without this script the form still works, without the bar.
 */
(function () {
  'use strict';
  var form = document.querySelector('form.caricamento');
  if (!form || typeof XMLHttpRequest !== 'function' || typeof FormData !== 'function') return;
  var box = form.querySelector('.progress-caricamento');
  var bar = form.querySelector('progress');
  var testo = form.querySelector('.testo-avanzamento');
  var limite = Number(form.getAttribute('data-limite')) || 0;
  var mb = function (n) { return (n / 1048576).toLocaleString('it-IT', { maximumFractionDigits: 1 }) + ' MB'; };

  form.addEventListener('submit', function (ev) {
    var input = form.querySelector('input[type=file]');
    var totale = 0;
    for (var i = 0; input && i < input.files.length; i++) totale += input.files[i].size;
    if (limite && totale > limite) {
      ev.preventDefault();
      testo.textContent = 'I file scelti (' + mb(totale) + ') superano il limite di ' + mb(limite) + '.';
      box.classList.remove('d-none');
      return;
    }
    ev.preventDefault();
    var bottone = form.querySelector('button[type=submit]');
    bottone.disabled = true;
    box.classList.remove('d-none');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    xhr.setRequestHeader('X-CSRF-Token', form.getAttribute('data-csrf'));
    xhr.upload.addEventListener('progress', function (e) {
      if (!e.lengthComputable) return;
      var p = Math.floor((e.loaded / e.total) * 100);
      bar.value = p;
      testo.textContent = mb(e.loaded) + ' di ' + mb(e.total) + ' (' + p + '%)';
    });
    xhr.upload.addEventListener('load', function () {
      bar.value = 100;
      testo.textContent = 'File ricevuto: avvio della verifica...';
    });
    xhr.addEventListener('load', function () {
      if (xhr.responseURL && xhr.responseURL.indexOf('/caricamento/') >= 0) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener('error', function () {
      bottone.disabled = false;
      testo.textContent = 'Invio interrotto (connessione persa o file troppo grande). Riprovare.';
    });
    xhr.send(new FormData(form));
  });
})();
