/*
 * Draws the charts of a cruscotto page with ApexCharts. The server shapes every chart (the
 * `data-grafico` attribute holds the same JSON the /api/ twin returns under "grafici"): this
 * script only draws it. No inline script, no inline style (the CSP forbids them): ApexCharts'
 * own stylesheet is linked from app.css instead of injected.
 */
(function () {
  'use strict';
  if (typeof window.ApexCharts !== 'function') return;

  var BLU = '#0066cc';
  var AZZURRO = '#7fb2e5';
  var ROSSO = '#a61919';
  var FONT = 'Titillium Web, Geneva, Tahoma, sans-serif';
  var numero = new Intl.NumberFormat('it-IT', { useGrouping: 'always', maximumFractionDigits: 2 });

  function formato(unita) {
    return function (v) {
      if (v === null || v === undefined || isNaN(v)) return '–';
      if (unita === '%') return numero.format(v) + '%';
      if (unita === '€') return numero.format(v) + ' €';
      return numero.format(v);
    };
  }

  function esc(t) {
    return String(t).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // ApexCharts' own tooltip writes style="" attributes, which the CSP refuses: this one uses
  // classes only (styled in app.css).
  function suggerimento(g) {
    var f = formato(g.unita);
    return function (o) {
      var w = o.w;
      var torta = w.config.chart.type === 'donut';
      var etichetta;
      var valore;
      if (torta) {
        etichetta = w.globals.labels[o.seriesIndex];
        valore = o.series[o.seriesIndex];
      } else {
        valore = o.series[o.seriesIndex][o.dataPointIndex];
        if (g.date) etichetta = new Date(w.globals.seriesX[o.seriesIndex][o.dataPointIndex]).toLocaleDateString('it-IT');
        else etichetta = g.categorie[o.dataPointIndex];
      }
      var serie = torta ? '' : '<span class="suggerimento-serie">' + esc(w.globals.seriesNames[o.seriesIndex]) + ':</span> ';
      return '<div class="suggerimento"><div class="suggerimento-titolo">' + esc(etichetta) + '</div><div>' + serie + '<strong>' + esc(f(valore)) + '</strong></div></div>';
    };
  }

  function base(g, tipo, altezza) {
    return {
      chart: {
        type: tipo,
        height: altezza,
        fontFamily: FONT,
        injectStyleSheet: false,
        toolbar: { show: false },
        animations: { enabled: false },
        zoom: { enabled: false },
        parentHeightOffset: 0,
      },
      dataLabels: { enabled: false },
      legend: { position: 'bottom' },
      tooltip: { custom: suggerimento(g) },
      colors: [BLU, AZZURRO, '#004d99', '#5c6f82'],
      noData: { text: 'Nessun dato' },
    };
  }

  function linea(v, colore, testo, asse) {
    var a = { borderColor: colore, strokeDashArray: 4, label: { text: testo, borderColor: colore, style: { color: '#fff', background: colore } } };
    a[asse] = v;
    return a;
  }

  var costruttori = {
    barre: function (g) {
      var o = base(g, 'bar', 320);
      o.series = g.serie.map(function (s) { return { name: s.nome, data: s.dati }; });
      o.xaxis = { categories: g.categorie };
      o.yaxis = { labels: { formatter: formato(g.unita) }, max: g.unita === '%' && g.obiettivo ? 100 : undefined };
      if (g.colori) {
        o.plotOptions = { bar: { distributed: true } };
        o.colors = g.colori;
        o.legend = { show: false };
        o.xaxis.labels = { rotate: -60, trim: true, hideOverlappingLabels: false, style: { fontSize: '10px' } };
      }
      if (g.obiettivo != null) o.annotations = { yaxis: [linea(g.obiettivo, ROSSO, 'Obiettivo ' + numero.format(g.obiettivo) + '%', 'y')] };
      return o;
    },
    barre_orizzontali: function (g) {
      var o = base(g, 'bar', Math.max(220, 40 + g.categorie.length * 22 * Math.max(1, g.serie.length * 0.8)));
      o.plotOptions = { bar: { horizontal: true, barHeight: '75%' } };
      o.series = g.serie.map(function (s) { return { name: s.nome, data: s.dati }; });
      o.xaxis = { categories: g.categorie, labels: { formatter: formato(g.unita) } };
      o.yaxis = { labels: { maxWidth: 220 } };
      if (g.obiettivo != null) o.annotations = { xaxis: [linea(g.obiettivo, ROSSO, 'Obiettivo ' + numero.format(g.obiettivo) + '%', 'x')] };
      return o;
    },
    torta: function (g) {
      var o = base(g, 'donut', 300);
      o.series = g.serie[0].dati.map(function (x) { return x === null ? 0 : x; });
      o.labels = g.categorie;
      if (g.colori) o.colors = g.colori;
      return o;
    },
    linea: function (g) {
      var o = base(g, 'line', 300);
      o.series = g.serie.map(function (s) {
        return { name: s.nome, data: s.dati.map(function (y, i) { return { x: new Date(g.date[i] + 'T12:00:00Z').getTime(), y: y }; }) };
      });
      o.stroke = { width: [3, 2], dashArray: [0, 6] };
      o.markers = { size: 4 };
      o.xaxis = { type: 'datetime', labels: { datetimeUTC: false, format: 'dd/MM/yy' } };
      o.yaxis = { min: 0, max: 100, labels: { formatter: formato('%') } };
      o.annotations = { yaxis: [], xaxis: [] };
      if (g.obiettivo != null) o.annotations.yaxis.push(linea(g.obiettivo, ROSSO, 'Obiettivo ' + numero.format(g.obiettivo) + '%', 'y'));
      if (g.marcatore) o.annotations.xaxis.push(linea(new Date(g.marcatore.data + 'T12:00:00Z').getTime(), '#5c6f82', g.marcatore.etichetta, 'x'));
      return o;
    },
    barra_obiettivo: function (g) {
      var o = base(g, 'bar', 150);
      o.plotOptions = { bar: { horizontal: true, barHeight: '45%' } };
      o.series = [{
        name: g.serie[0].nome,
        data: g.categorie.map(function (c, i) {
          return { x: c, y: g.serie[0].dati[i], goals: g.obiettivo != null ? [{ name: 'Obiettivo', value: g.obiettivo, strokeWidth: 4, strokeColor: ROSSO }] : [] };
        }),
      }];
      o.colors = g.colori || [BLU];
      o.xaxis = { min: 0, max: Math.max(100, Math.ceil(Math.max.apply(null, g.serie[0].dati.concat([0])) / 10) * 10), labels: { formatter: formato('%') } };
      o.dataLabels = { enabled: true, formatter: formato('%') };
      // The value is written on the bar; ApexCharts' tooltip for goals uses style="" (CSP).
      o.tooltip = { enabled: false };
      o.legend = { show: true, showForSingleSeries: true, customLegendItems: ['Digitalizzazione', 'Obiettivo ' + numero.format(g.obiettivo) + '%'], markers: { fillColors: [BLU, ROSSO] } };
      return o;
    },
  };

  // Heights on paper: the print stylesheet keeps a scorecard on one or two A4 pages.
  var STAMPA = { barre: 200, barre_orizzontali: 0, torta: 170, linea: 170, barra_obiettivo: 95 };
  var disegnati = [];

  function disegna(el) {
    var g;
    try {
      g = JSON.parse(el.getAttribute('data-grafico'));
    } catch (e) {
      return;
    }
    var costruisci = costruttori[g.tipo];
    if (!costruisci || !g.categorie.length) {
      el.textContent = 'Nessun dato da rappresentare.';
      return;
    }
    var opzioni = costruisci(g);
    var chart = new window.ApexCharts(el, opzioni);
    chart.render();
    disegnati.push({ chart: chart, schermo: opzioni.chart.height, carta: STAMPA[g.tipo] || Math.min(opzioni.chart.height, 420) });
  }

  function altezze(stampa) {
    for (var i = 0; i < disegnati.length; i++) {
      var d = disegnati[i];
      d.chart.updateOptions({ chart: { height: stampa ? d.carta : d.schermo } }, false, false);
    }
  }

  // Each chart is drawn when it comes near the screen: a phone pays only for what it shows.
  // Printing draws the rest first.
  var grafici = Array.prototype.slice.call(document.querySelectorAll('[data-grafico]'));
  function disegnaUno(el) {
    if (el.classList.contains('disegnato')) return;
    el.classList.add('disegnato');
    disegna(el);
  }
  function disegnaTutti() {
    grafici.forEach(disegnaUno);
  }
  if ('IntersectionObserver' in window) {
    var osservatore = new IntersectionObserver(function (voci) {
      voci.forEach(function (v) {
        if (!v.isIntersecting) return;
        osservatore.unobserve(v.target);
        disegnaUno(v.target);
      });
    }, { rootMargin: '300px 0px' });
    grafici.forEach(function (el) { osservatore.observe(el); });
  } else {
    disegnaTutti();
  }
  window.addEventListener('beforeprint', disegnaTutti);
  if (window.matchMedia) {
    var mq = window.matchMedia('print');
    if (mq.addEventListener) mq.addEventListener('change', function (e) { if (e.matches) disegnaTutti(); altezze(e.matches); });
  }
  window.addEventListener('beforeprint', function () { altezze(true); });
  window.addEventListener('afterprint', function () { altezze(false); });
})();
