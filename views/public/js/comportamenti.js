/*
 * Page behaviours wired by data- attributes (no inline handlers, the CSP forbids them):
 *  - [data-stampa]: prints the page (the "Stampa / PDF" button);
 *  - [data-seleziona-tutte="<form id>"]: a checkbox that ticks every [data-selezionabile] box of
 *    that form, and shows how many are ticked;
 *  - form[data-richiede-selezione]: refuses to submit with nothing ticked, saying so in the
 *    form's [data-messaggio-selezione] element (the server says it too, without JavaScript).
 */
export function comportamenti(doc) {
  caricaGrafici(doc);

  // The filters' form says which of cluster, distretto and comune was changed last: if they do
  // not go together, the server keeps that one (server/cruscotto/filtri.ts).
  doc.querySelectorAll('input[data-ultimo-filtro]').forEach(function (campo) {
    campo.form.addEventListener('change', function (e) {
      var nome = e.target && e.target.name;
      if (nome === 'cluster' || nome === 'distretto' || nome === 'comune') campo.value = nome;
    });
  });

  doc.querySelectorAll('[data-stampa]').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      window.print();
    });
  });

  doc.querySelectorAll('[data-seleziona-tutte]').forEach(function (tutte) {
    var idForm = tutte.getAttribute('data-seleziona-tutte');
    var form = doc.getElementById(idForm);
    if (!form) return;
    var caselle = function () {
      return form.querySelectorAll('input[data-selezionabile]');
    };
    // Not form.id: a form with a field named "id" (the alarms' boxes) hides that property.
    var conteggio = doc.querySelector('[data-conteggio-selezione="' + idForm + '"]');
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
    // The box is hidden without JavaScript, where it could not work.
    if (tutte.closest('[hidden]')) tutte.closest('[hidden]').hidden = false;
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
      // A button that names its own item ("Presa visione di questa notifica") needs no ticks.
      if (e.submitter && e.submitter.name) return;
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

/**
 * The charts' script (ApexCharts, the heaviest thing a page can load) and stylesheet are fetched
 * only when a chart comes near the screen, or before printing. Their URLs are on <body>.
 */
function caricaGrafici(doc) {
  var body = doc.body;
  var js = body.getAttribute('data-grafici-js');
  var grafici = doc.querySelectorAll('[data-grafico]');
  if (!js || !grafici.length) return;
  var caricato = false;
  function carica() {
    if (caricato) return;
    caricato = true;
    var css = body.getAttribute('data-grafici-css');
    if (css) {
      css.split(' ').forEach(function (href) {
        var l = doc.createElement('link');
        l.rel = 'stylesheet';
        l.href = href;
        doc.head.appendChild(l);
      });
    }
    var s = doc.createElement('script');
    s.src = js;
    doc.head.appendChild(s);
  }
  window.addEventListener('beforeprint', carica);
  if (!('IntersectionObserver' in window)) return carica();
  var osservatore = new IntersectionObserver(function (voci) {
    if (voci.some(function (v) { return v.isIntersecting; })) {
      osservatore.disconnect();
      carica();
    }
  }, { rootMargin: '0px' });
  grafici.forEach(function (el) { osservatore.observe(el); });
}
