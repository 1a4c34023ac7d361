import { punto } from '../web/suppression';
import { ETICHETTE, METRICHE } from '../riconciliazione/metriche';
import { motivoRischio, quandoScade } from '../scadenze/parole';
import type { Contesto } from './contesto';
import { ETICHETTA_CLUSTER } from './contesto';
import { COLORI_STATO, digitGruppi } from './digitalizzazione';
import type { Grafico, Indicatore } from './documento';
import type { BaseScheda } from './scheda-base';
import { conArticolo } from './scheda-spiegazione';
import { col, Tabella } from './tabella';
import { dataIt, numIt } from './testi';

/** The headline of the scorecard: digitalization, what is missing, stato, deadline and forecast. */
export function sintesiDigitalizzazione({ istat, r, obiettivo, target, scad, cens, visibile, proprioPieno, oggi }: BaseScheda): Indicatore[] {
  const scadenza = r?.scadenza ?? null;
  return [
    { chiave: 'digit_tot', etichetta: 'Digitalizzazione (cartelle attive)', valore: cens.digit_tot(istat), tipo: 'percentuale', nota: `Obiettivo ${numIt(obiettivo)}%` },
    { chiave: 'mancanti_obiettivo', etichetta: `Cartelle da caricare ${conArticolo(target, 'per')}${target !== obiettivo ? ' (obiettivo della scadenza)' : ''}`, valore: cens.mancanti(istat), tipo: 'numero' },
    { chiave: 'stato', etichetta: 'Stato', valore: r ? cens.stato(r) : null, tipo: 'testo' },
    { chiave: 'digit_tutela', etichetta: 'Digitalizzazione tutela minori', valore: cens.percentuale(istat, 'cartelle_attive_tutela'), tipo: 'percentuale' },
    { chiave: 'scadenza', etichetta: 'Scadenza per l\'obiettivo', valore: scadenza ? dataIt(scadenza) : null, tipo: 'data' },
    {
      chiave: 'giorni_scadenza',
      etichetta: 'Quando scade',
      valore: scadenza ? quandoScade(scadenza, oggi) : null,
      tipo: 'testo',
      nota: r?.a_rischio && scadenza && (visibile || proprioPieno) ? motivoRischio({ digit_tot: r.digit_tot, esito: scad?.previsione_esito ?? null, previsione: scad?.previsione_scadenza ?? null, scadenza, obiettivo: target }) : undefined,
    },
    target !== obiettivo
      ? { chiave: 'previsione_obiettivo', etichetta: `Obiettivo della scadenza (${numIt(target)}%) previsto il`, valore: !visibile && !proprioPieno && r ? 'riservato' : scad?.previsione_scadenza ? dataIt(scad.previsione_scadenza) : null, tipo: 'data' }
      : { chiave: 'previsione_obiettivo', etichetta: 'Obiettivo previsto il', valore: !visibile && !proprioPieno && r ? 'riservato' : r?.previsione_obiettivo ? dataIt(r.previsione_obiettivo) : null, tipo: 'data' },
  ];
}

/** Census and SIZ side by side, one row per census metric. */
export function tabellaMetriche({ istat, r, obiettivo, target, cens }: BaseScheda): Tabella {
  return {
    id: 'metriche',
    titolo: `Censimento e SIZ a confronto${r?.data_riferimento ? ` (censimento al ${dataIt(r.data_riferimento)})` : ''}`,
    nota: 'Per ogni voce del censimento: quanto risulta in SIZ, quanto ha dichiarato il comune e la percentuale caricata.',
    colonne: [col('metrica', 'Voce del censimento', 'testo'), col('siz', 'In SIZ'), col('dichiarato', 'Dichiarato'), col('percentuale', 'Caricato', 'percentuale'), col('rispetto_obiettivo', `Rispetto all'obiettivo (${numIt(target)}%${target !== obiettivo ? ', della scadenza' : ''})`, 'testo')],
    righe: METRICHE.map((m) => {
      const p = cens.percentuale(istat, m);
      return {
        metrica: ETICHETTE[m],
        codice_metrica: m,
        siz: cens.siz(istat, m),
        dichiarato: cens.dichiarato(istat, m),
        percentuale: p,
        rispetto_obiettivo: typeof p === 'number' ? (p >= target ? 'raggiunto' : `mancano ${numIt(Math.round((target - p) * 100) / 100)} punti`) : p === 'riservato' ? 'riservato' : null,
      };
    }),
  };
}

/** Comparison with cluster, distretto and ambito with the rank among the peers; the cluster's comuni. */
export function tabelleConfronto(contesto: Contesto, { comune, istat, report, cens }: BaseScheda): [Tabella, Tabella] {
  const gruppi = digitGruppi(contesto, cens, report, comune);
  const { peers, peersD } = gruppi;
  const posizione = (lista: typeof peers) => cens.posizione(istat, lista);
  const tabConfronto: Tabella = {
    id: 'confronto',
    titolo: 'Confronto con comuni simili, distretto e ambito',
    colonne: [col('livello', 'Confronto', 'testo'), col('digit', 'Digitalizzazione', 'percentuale'), col('posizione', 'Posizione del comune', 'testo')],
    righe: [
      { livello: comune.nome, digit: cens.digit_tot(istat), posizione: null },
      { livello: ETICHETTA_CLUSTER(comune.cluster), digit: gruppi.cluster, posizione: posizione(peers) },
      { livello: `Distretto di ${comune.distretto}`, digit: gruppi.distretto, posizione: posizione(peersD) },
      { livello: 'Ambito', digit: gruppi.ambito, posizione: posizione(report?.comuni ?? []) },
    ],
  };
  const tabPari: Tabella = {
    id: 'pari',
    titolo: `I comuni del cluster ${comune.cluster}`,
    colonne: [col('comune', 'Comune', 'testo'), col('digit_tot', 'Digitalizzazione', 'percentuale'), col('stato', 'Stato', 'testo')],
    righe: [...peers]
      .sort((a, b) => {
        const x = cens.digit_tot(a.codice_istat);
        const y = cens.digit_tot(b.codice_istat);
        return (typeof y === 'number' ? y : -1) - (typeof x === 'number' ? x : -1) || a.nome.localeCompare(b.nome, 'it');
      })
      .map((c) => ({ codice_istat: c.codice_istat, comune: c.nome, digit_tot: cens.digit_tot(c.codice_istat), stato: cens.stato(c), questo: c.codice_istat === istat ? 'sì' : null })),
  };
  return [tabConfronto, tabPari];
}

/** The bar of the comune's digitalization against the target. */
export function graficoDigitalizzazione({ comune, istat, r, obiettivo, cens, visibile, proprioPieno }: BaseScheda): Grafico {
  return {
    id: 'grafico_digit',
    titolo: `Digitalizzazione rispetto all'obiettivo del ${numIt(obiettivo)}%`,
    tipo: 'barra_obiettivo',
    categorie: [comune.nome],
    serie: [{ nome: 'Digitalizzazione (%)', dati: [punto(cens.digit_tot(istat))] }],
    unita: '%',
    obiettivo,
    colori: [r && (visibile || proprioPieno) ? COLORI_STATO[r.stato] : '#0066cc'],
    tabella: 'metriche',
  };
}
