import type { AppContext } from '../context';
import { latestReport } from '../riconciliazione/service';
import type { ComuneReport } from '../riconciliazione/service';
import { listScadenze, ETICHETTE_TIPO, ETICHETTE_STATO as STATI_SCADENZA } from '../scadenze/service';
import { comuniInPieno } from '../auth/permessi';
import type { Utente } from '../auth/tipi';
import { punto } from '../web/suppression';
import type { Contesto } from './contesto';
import { ETICHETTA_CLUSTER } from './contesto';
import { censimentoVisibile, COLORI_STATO, ETICHETTE_STATO, STATI_ORDINE } from './digitalizzazione';
import type { Documento, Grafico, Indicatore } from './documento';
import { NOTA_RISERVATEZZA } from './documento';
import { filtriDoc, Filtri } from './filtri';
import { nodiGruppo, selezione, Visibilita } from './nodi';
import { col, Tabella } from './tabella';
import { dataIt, giorniTra } from './testi';
import { ANDAMENTO_FERMO, motivoBreve, NON_PREVEDIBILE, quandoScade, SENZA_CENSIMENTO } from '../scadenze/parole';
import { obiettivoDi, scadenzeComuni } from '../riconciliazione/rischio';

/** Days ahead the overview lists deadlines for. */
export const ORIZZONTE_SCADENZE = 60;

/**
 * The home page: the ambito's digitalization against the target, comuni per stato, every
 * comune's digit_tot, cluster and distretto comparison, deadlines coming up and comuni a
 * rischio, and the date the data refers to.
 */
export async function documentoPanoramica(ctx: AppContext, contesto: Contesto, f: Filtri, v: Visibilita, user: Utente): Promise<Documento> {
  const report = await latestReport(ctx.db);
  const obiettivo = report?.obiettivo ?? ctx.config.obiettivo;
  const scad = await scadenzeComuni(ctx.db);
  const obiettivi = new Map([...scad].map(([i, x]) => [i, obiettivoDi(x, obiettivo)]));
  const cens = censimentoVisibile(contesto, v, report, obiettivi);
  const sel = selezione(contesto, { comune: null, cluster: f.cluster, distretto: f.distretto });
  const inSel = new Set(sel.comuni.map((c) => c.codice_istat));
  const righe: ComuneReport[] = (report?.comuni ?? []).filter((c) => inSel.has(c.codice_istat));
  // Outside the UdP a comune whose figures are hidden has its stato hidden too: it is counted
  // apart («riservato»), never in the count of its true stato.
  const statoVisibile = (c: ComuneReport) => cens.stato(c) !== 'riservato';
  const perStato = (lista: ComuneReport[], s: string) => lista.filter((c) => c.stato === s && statoVisibile(c)).length;
  const digitAmbito = cens.gruppo(contesto.comuni.map((c) => c.codice_istat), 'cartelle_attive', report?.ambito.digit_tot ?? null);
  const tutelaAmbito = cens.gruppo(contesto.comuni.map((c) => c.codice_istat), 'cartelle_attive_tutela', report?.ambito.digit_tutela ?? null);

  const ordinate = [...righe].sort((a, b) => {
    if (f.ordina === 'nome') return a.nome.localeCompare(b.nome, 'it');
    if (f.ordina === 'stato') {
      const i = (c: ComuneReport) => (statoVisibile(c) ? STATI_ORDINE.indexOf(c.stato) : STATI_ORDINE.length);
      return i(a) - i(b) || a.nome.localeCompare(b.nome, 'it');
    }
    const da = cens.digit_tot(a.codice_istat);
    const db = cens.digit_tot(b.codice_istat);
    const na = typeof da === 'number' ? da : -1;
    const nb = typeof db === 'number' ? db : -1;
    return nb - na || a.nome.localeCompare(b.nome, 'it');
  });

  const sintesi: Indicatore[] = [
    { chiave: 'digit_ambito', etichetta: 'Digitalizzazione dell\'ambito (cartelle attive caricate su dichiarate)', valore: digitAmbito, tipo: 'percentuale', nota: `Obiettivo: ${obiettivo}%` },
    { chiave: 'digit_ambito_tutela', etichetta: 'di cui tutela minori', valore: tutelaAmbito, tipo: 'percentuale' },
    ...STATI_ORDINE.map((s) => ({ chiave: `comuni_${s}`, etichetta: `Comuni · ${ETICHETTE_STATO[s].toLowerCase()}`, valore: perStato(righe, s), tipo: 'numero' as const })),
    ...(v.udp ? [] : [{ chiave: 'comuni_riservato', etichetta: 'Comuni · stato riservato', valore: righe.filter((c) => !statoVisibile(c)).length, tipo: 'numero' as const }]),
    { chiave: 'comuni_a_rischio', etichetta: 'Comuni a rischio per la scadenza', valore: righe.filter((c) => c.a_rischio && statoVisibile(c)).length, tipo: 'numero' },
    { chiave: 'riconciliazione', etichetta: 'Confronto SIZ / censimento eseguito il', valore: report ? dataIt(report.generato_il.slice(0, 10)) : null, tipo: 'data' },
  ];

  const tabComuni: Tabella = {
    id: 'comuni',
    titolo: `Digitalizzazione per comune · ${sel.etichetta}`,
    nota: 'Digitalizzazione = cartelle attive caricate in SIZ / cartelle attive dichiarate nel censimento. Mancanti = quante cartelle caricare ancora per l\'obiettivo della scadenza del comune (se la scadenza ne fissa uno), altrimenti per quello dell\'ambito.',
    colonne: [col('comune', 'Comune', 'testo'), col('cluster', 'Cluster'), col('distretto', 'Distretto', 'testo'), col('stato', 'Stato', 'testo'), col('digit_tot', 'Digitalizzazione', 'percentuale'), col('siz', 'Cartelle in SIZ'), col('dichiarato', 'Dichiarate'), col('mancanti_obiettivo', 'Mancanti'), col('digit_tutela', 'Tutela minori', 'percentuale'), col('previsione_obiettivo', 'Obiettivo previsto il', 'data'), col('scadenza', 'Scadenza', 'data'), col('a_rischio', 'A rischio', 'testo')],
    righe: ordinate.map((c) => ({
      codice_istat: c.codice_istat,
      comune: c.nome,
      cluster: c.cluster,
      distretto: c.distretto,
      stato: cens.stato(c),
      codice_stato: statoVisibile(c) ? c.stato : 'riservato',
      digit_tot: cens.digit_tot(c.codice_istat),
      siz: cens.siz(c.codice_istat, 'cartelle_attive'),
      dichiarato: cens.dichiarato(c.codice_istat, 'cartelle_attive'),
      mancanti_obiettivo: cens.mancanti(c.codice_istat),
      digit_tutela: cens.percentuale(c.codice_istat, 'cartelle_attive_tutela'),
      previsione_obiettivo: !statoVisibile(c) ? 'riservato' : c.previsione_obiettivo ? dataIt(c.previsione_obiettivo) : null,
      scadenza: c.scadenza ? dataIt(c.scadenza) : null,
      a_rischio: !statoVisibile(c) ? 'riservato' : c.a_rischio ? 'sì' : 'no',
    })),
  };

  const gruppo = (vista: 'cluster' | 'distretto'): Tabella => ({
    id: vista === 'cluster' ? 'cluster' : 'distretti',
    titolo: vista === 'cluster' ? 'Confronto tra cluster (per numero di abitanti)' : 'Confronto tra distretti',
    colonne: [col('gruppo', vista === 'cluster' ? 'Cluster' : 'Distretto', 'testo'), col('comuni', 'Comuni'), col('digit', 'Digitalizzazione', 'percentuale'), col('digit_tutela', 'Tutela minori', 'percentuale'), ...STATI_ORDINE.map((s) => col(s, ETICHETTE_STATO[s]))],
    righe: nodiGruppo(contesto, vista).map((g) => {
      const membri = (report?.comuni ?? []).filter((c) => g.comuni.some((x) => x.codice_istat === c.codice_istat));
      const primo = membri.find((c) => (vista === 'cluster' ? c.digit_cluster : c.digit_distretto) != null);
      return {
        gruppo: vista === 'cluster' ? ETICHETTA_CLUSTER(Number(g.id.slice(3))) : g.comuni[0].distretto,
        comuni: g.comuni.length,
        digit: cens.gruppo(g.comuni.map((c) => c.codice_istat), 'cartelle_attive', primo ? (vista === 'cluster' ? primo.digit_cluster : primo.digit_distretto) : null),
        digit_tutela: vista === 'cluster' ? cens.gruppo(g.comuni.map((c) => c.codice_istat), 'cartelle_attive_tutela', primo?.digit_cluster_tutela ?? null) : null,
        ...Object.fromEntries(STATI_ORDINE.map((s) => [s, perStato(membri, s)])),
      };
    }),
    totali: [{ gruppo: 'Ambito', comuni: contesto.comuni.length, digit: digitAmbito, digit_tutela: tutelaAmbito, ...Object.fromEntries(STATI_ORDINE.map((s) => [s, perStato(report?.comuni ?? [], s)])) }],
  });
  const tabCluster = gruppo('cluster');
  const tabDistretti = gruppo('distretto');
  // The tutela figure of a distretto is not part of the reconciliation: not shown rather than wrong.
  tabDistretti.colonne = tabDistretti.colonne.filter((c) => c.chiave !== 'digit_tutela');

  // Deadlines coming up: the account's own (the UdP: all), open and not met yet.
  const visibili = comuniInPieno(user);
  const scadenze = visibili === 'tutti' || visibili.length ? await listScadenze(ctx, { oggi: contesto.oggi, comuni: visibili }) : [];
  const prossime = scadenze.filter((s) => !s.chiusa && !s.raggiunta && s.data_scadenza >= contesto.oggi && giorniTra(contesto.oggi, s.data_scadenza) <= ORIZZONTE_SCADENZE && inSel.has(s.codice_istat));
  const tabScadenze: Tabella = {
    id: 'scadenze',
    titolo: `Scadenze nei prossimi ${ORIZZONTE_SCADENZE} giorni`,
    nota: v.udp ? undefined : 'Solo le scadenze del tuo comune.',
    colonne: [col('data_scadenza', 'Scadenza', 'data'), col('giorni', 'Giorni mancanti'), col('comune', 'Comune', 'testo'), col('tipo', 'Tipo', 'testo'), col('stato', 'Stato', 'testo'), col('promemoria_inviati', 'Promemoria inviati'), col('prese_visione', 'Prese visione')],
    righe: prossime.map((s) => ({ codice_istat: s.codice_istat, id_scadenza: s.id, data_scadenza: dataIt(s.data_scadenza), giorni: s.giorni, comune: s.comune, tipo: ETICHETTE_TIPO[s.tipo], stato: STATI_SCADENZA[s.stato], promemoria_inviati: s.promemoria_inviati, prese_visione: s.prese_visione })),
  };
  const rischio = righe.filter((c) => c.a_rischio && statoVisibile(c)).sort((a, b) => (a.scadenza ?? '').localeCompare(b.scadenza ?? '') || a.nome.localeCompare(b.nome, 'it'));
  // Why each comune is a rischio, in plain words: a date only when there is a forecast.
  const tabRischio: Tabella = {
    id: 'a_rischio',
    titolo: 'Comuni a rischio per la scadenza',
    nota: `A rischio: non ha ancora raggiunto l'obiettivo della scadenza e la previsione per quell'obiettivo è dopo la scadenza, oppure non c'è. «Non ancora prevedibile»: ${NON_PREVEDIBILE}. «Ferma o in calo»: ${ANDAMENTO_FERMO}. «Senza censimento»: ${SENZA_CENSIMENTO}.`,
    colonne: [col('comune', 'Comune', 'testo'), col('digit_tot', 'Digitalizzazione', 'percentuale'), col('obiettivo', 'Obiettivo della scadenza', 'percentuale'), col('mancanti_obiettivo', 'Mancanti'), col('scadenza', 'Scadenza', 'data'), col('quando', 'Quando scade', 'testo'), col('motivo', 'Previsione', 'testo')],
    righe: rischio.map((c) => {
      const x = scad.get(c.codice_istat);
      const t = obiettivoDi(x, obiettivo);
      return {
        codice_istat: c.codice_istat,
        comune: c.nome,
        digit_tot: cens.digit_tot(c.codice_istat),
        obiettivo: t,
        mancanti_obiettivo: cens.mancanti(c.codice_istat),
        scadenza: c.scadenza ? dataIt(c.scadenza) : null,
        quando: c.scadenza ? quandoScade(c.scadenza, contesto.oggi) : null,
        motivo: c.scadenza ? motivoBreve({ digit_tot: c.digit_tot, esito: x?.previsione_esito ?? null, previsione: x?.previsione_scadenza ?? null }) : null,
      };
    }),
  };

  const statiPresenti = STATI_ORDINE.filter((s) => perStato(righe, s) > 0);
  const grafici: Grafico[] = [
    {
      id: 'grafico_ambito',
      titolo: `Digitalizzazione dell'ambito rispetto all'obiettivo del ${obiettivo}%`,
      tipo: 'barra_obiettivo',
      categorie: ['Ambito'],
      serie: [{ nome: 'Digitalizzazione (%)', dati: [punto(digitAmbito)] }],
      unita: '%',
      obiettivo,
      tabella: 'cluster',
    },
    {
      id: 'grafico_comuni',
      titolo: `Digitalizzazione di ogni comune, colorata per stato, con l'obiettivo del ${obiettivo}%`,
      tipo: 'barre',
      categorie: ordinate.map((c) => c.nome),
      serie: [{ nome: 'Digitalizzazione (%)', dati: ordinate.map((c) => punto(cens.digit_tot(c.codice_istat))) }],
      colori: ordinate.map((c) => (statoVisibile(c) ? COLORI_STATO[c.stato] : COLORI_STATO.senza_censimento)),
      unita: '%',
      obiettivo,
      tabella: 'comuni',
    },
    {
      id: 'grafico_stati',
      titolo: 'Comuni per stato',
      tipo: 'torta',
      categorie: statiPresenti.map((s) => ETICHETTE_STATO[s]),
      serie: [{ nome: 'Comuni', dati: statiPresenti.map((s) => perStato(righe, s)) }],
      colori: statiPresenti.map((s) => COLORI_STATO[s]),
    },
    {
      id: 'grafico_cluster',
      titolo: 'Digitalizzazione per cluster e per distretto',
      tipo: 'barre',
      categorie: [...tabCluster.righe.map((r) => `Cluster ${String(r.gruppo).slice(8, 9)}`), ...tabDistretti.righe.map((r) => String(r.gruppo)), 'Ambito'],
      serie: [{ nome: 'Digitalizzazione (%)', dati: [...tabCluster.righe, ...tabDistretti.righe].map((r) => (typeof r.digit === 'number' ? r.digit : null)).concat([punto(digitAmbito)]) }],
      unita: '%',
      obiettivo,
      tabella: 'cluster',
    },
  ];

  const avvisi: string[] = [];
  if (!report) avvisi.push('La riconciliazione non è ancora stata eseguita: importare l\'estrazione SIZ e il censimento.');
  const riservati = contesto.comuni.filter((c) => !cens.visibile(c.codice_istat)).length;
  const conta = cens.esito.conteggi();
  return {
    pagina: 'panoramica',
    titolo: 'Panoramica dell\'ambito: digitalizzazione dei comuni',
    filtri: filtriDoc(f, 'panoramica'),
    dati_al: report?.estrazione_siz ?? contesto.dati_al,
    oggi: contesto.oggi,
    selezione: { id: sel.id, tipo: sel.tipo, etichetta: sel.etichetta, comuni: sel.comuni.length },
    dettaglio: null,
    riservatezza: { attiva: !v.udp, primarie: conta.primarie, secondarie: conta.secondarie, nota: !v.udp && riservati ? NOTA_RISERVATEZZA : null },
    sintesi,
    tabelle: [tabComuni, tabCluster, tabDistretti, tabScadenze, tabRischio],
    grafici,
    avvisi,
  };
}
