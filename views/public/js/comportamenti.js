/*
 * Page behaviours wired by data- attributes (no inline handlers, the CSP forbids them):
 *  - [data-stampa]: prints the page (the "Stampa / PDF" button);
 *  - [data-seleziona-tutte="<form id>"]: a checkbox that ticks every [data-selezionabile] box of
 *    that form, and shows how many are ticked;
 *  - form[data-richiede-selezione]: refuses to submit with nothing ticked, saying so in the
 *    form's [data-messaggio-selezione] element (the server says it too, without JavaScript).
 */
export function comportamenti(doc) {
  doc.querySelectorAll('[data-stampa]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      window.print();
    });
  });

  doc.querySelectorAll('[data-seleziona-tutte]').forEach(function (tutte) {
    var form = doc.getElementById(tutte.getAttribute('data-seleziona-tutte'));
    if (!form) return;
    var caselle = function () {
      return form.querySelectorAll('input[data-selezionabile]');
    };
    var conteggio = doc.querySelector('[data-conteggio-selezione="' + form.id + '"]');
    var aggiorna = function () {
      var tutteLe = caselle();
      var n = 0;
      tutteLe.forEach(function (c) {
        if (c.checked) n++;
      });
      tutte.checked = n > 0 && n === tutteLe.length;
      tutte.indeterminate = n > 0 && n < tutteLe.length;
      if (conteggio) conteggio.textContent = n === 1 ? '1 selezionata' : n + ' selezionate';
    };
    tutte.closest('[hidden]') && (tutte.closest('[hidden]').hidden = false);
    tutte.addEventListener('change', function () {
      caselle().forEach(function (c) {
        c.checked = tutte.checked;
      });
      aggiorna();
    });
    form.addEventListener('change', function (e) {
      if (e.target && e.target.hasAttribute && e.target.hasAttribute('data-selezionabile')) aggiorna();
    });
    aggiorna();
  });

  doc.querySelectorAll('form[data-richiede-selezione]').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      var scelte = form.querySelectorAll('input[data-selezionabile]:checked');
      if (scelte.length > 0) return;
      e.preventDefault();
      var m = form.querySelector('[data-messaggio-selezione]');
      if (m) {
        m.hidden = false;
        m.focus();
      }
    });
  });
}
