import type { AppContext } from '../context';
import { authorize } from '../auth/permessi';
import type { Utente } from '../auth/tipi';
import { history, latestReport } from '../riconciliazione/service';
import { ETICHETTE, METRICHE } from '../riconciliazione/metriche';
import { listScadenze, ETICHETTE_TIPO, ETICHETTE_STATO as STATI_SCADENZA } from '../scadenze/service';
import { findings, latestSummary } from '../qualita/service';
import { controllo, nomeControllo } from '../qualita/controlli';
import { punto, Riservatezza } from '../web/suppression';
import type { Contesto, ComuneInfo } from './contesto';
import { ETICHETTA_CLUSTER } from './contesto';
import { censimentoVisibile, COLORI_STATO, digitGruppi, ETICHETTE_STATO } from './digitalizzazione';
import type { Documento, Grafico, Indicatore } from './documento';
import { NOTA_RISERVATEZZA } from './documento';
import { filtriDoc, Filtri } from './filtri';
import { nodoComune, pieno, Visibilita } from './nodi';
import { col, ordinaPerMostrato, Riga, Tabella } from './tabella';
import { dataIt, numIt } from './testi';
import { mancantiPer, motivoRischio, quandoScade } from '../scadenze/parole';
import { obiettivoDi, scadenzeComuni } from '../riconciliazione/rischio';

/** Figures of the year from the family pages (same suppression as there). */
export interface AttivitaAnno {
  accessi: Indicatore['valore'];
  nuovi_accessi: Indicatore['valore'];
  prese_in_carico: Indicatore['valore'];
  beneficiari_anno: Indicatore['valore'];
  n_prestazioni: Indicatore['valore'];
  quota_comune: Indicatore['valore'];
}

export interface Spiegazione {
  formula: string;
  testo: string;
  definizione: string;
}

const DEFINIZIONE =
  "Digitalizzazione = cartelle attive caricate in SIZ alla data del censimento (aperte a quella data, escluse quelle con soli pasti a domicilio o trasporti) diviso le cartelle attive dichiarate dal comune nel censimento, per 100. L'obiettivo è raggiunto quando la percentuale arriva all'obiettivo dell'ambito.";

/** Italian article before a percentage: "l'80%", "l'11%" but "il 75%". */
function conArticolo(n: number, prep: 'per' | 'di'): string {
  const t = numIt(n);
  const elide = /^(8|11(\D|$)|1(\D|$))/.test(t);
  if (prep === 'per') return elide ? `per l'${t}%` : `per il ${t}%`;
  return elide ? `dell'${t}%` : `del ${t}%`;
}

/** "62% = 31 cartelle caricate su 50 dichiarate; ne servono altre 9 per l'80%". */
export function spiegazione(c: { siz: number; dichiarato: number | null; digit: number | null; mancanti: number | null; data_riferimento: string | null }, obiettivo: number): Spiegazione {
  if (c.dichiarato == null) return { formula: 'Digitalizzazione non calcolabile', testo: `Il comune non ha restituito il censimento: in SIZ ci sono ${c.siz} cartelle attive, ma manca il numero dichiarato con cui confrontarle.`, definizione: DEFINIZIONE };
  if (c.dichiarato === 0) return { formula: 'Digitalizzazione non calcolabile', testo: `Il censimento dichiara 0 cartelle attive: la percentuale non si può calcolare (in SIZ ce ne sono ${c.siz}).`, definizione: DEFINIZIONE };
  const necessarie = Math.ceil((obiettivo * c.dichiarato) / 100 - 1e-9);
  const caricate = c.siz === 1 ? '1 cartella caricata' : `${c.siz} cartelle caricate`;
  const formula = `${numIt(c.digit ?? 0)}% = ${caricate} su ${c.dichiarato} ${c.dichiarato === 1 ? 'dichiarata' : 'dichiarate'}`;
  const quando = c.data_riferimento ? ` (censimento al ${dataIt(c.data_riferimento)})` : '';
  const testo =
    c.mancanti && c.mancanti > 0
      ? `${formula}${quando}; ${c.mancanti === 1 ? 'ne serve ancora 1' : `ne servono altre ${c.mancanti}`} ${conArticolo(obiettivo, 'per')} (${necessarie} ${necessarie === 1 ? 'cartella' : 'cartelle'} su ${c.dichiarato}).`
      : `${formula}${quando}: l'obiettivo ${conArticolo(obiettivo, 'di')} (${necessarie} cartelle) è raggiunto.${c.siz > c.dichiarato ? ' In SIZ ci sono più cartelle di quelle dichiarate: il censimento o i dati vanno verificati.' : ''}`;
  return { formula, testo, definizione: DEFINIZIONE };
}

export async function documentoComune(
  ctx: AppContext,
  contesto: Contesto,
  f: Filtri,
  v: Visibilita,
  user: Utente,
  comune: ComuneInfo,
  attivita: AttivitaAnno,
): Promise<Documento & { comune: Record<string, unknown>; spiegazione: Spiegazione | null }> {
  const istat = comune.codice_istat;
  const report = await latestReport(ctx.db);
  const obiettivo = report?.obiettivo ?? ctx.config.obiettivo;
  const r = report?.comuni.find((c) => c.codice_istat === istat) ?? null;
  // The target that counts for this comune: its deadline's own when it sets one (issue 14).
  const scad = (await scadenzeComuni(ctx.db)).get(istat);
  const target = obiettivoDi(scad, obiettivo);
  const cens = censimentoVisibile(contesto, v, report, new Map([[istat, target]]));
  const visibile = cens.visibile(istat);
  const proprioPieno = pieno(v, nodoComune(comune));

  // Headline.
  const scadenza = r?.scadenza ?? null;
  const sintesi: Indicatore[] = [
    { chiave: 'digit_tot', etichetta: 'Digitalizzazione (cartelle attive)', valore: cens.digit_tot(istat), tipo: 'percentuale', nota: `Obiettivo ${numIt(obiettivo)}%` },
    { chiave: 'mancanti_obiettivo', etichetta: `Cartelle da caricare ${conArticolo(target, 'per')}${target !== obiettivo ? ' (obiettivo della scadenza)' : ''}`, valore: cens.mancanti(istat), tipo: 'numero' },
    { chiave: 'stato', etichetta: 'Stato', valore: r ? cens.stato(r) : null, tipo: 'testo' },
    { chiave: 'digit_tutela', etichetta: 'Digitalizzazione tutela minori', valore: cens.percentuale(istat, 'cartelle_attive_tutela'), tipo: 'percentuale' },
    { chiave: 'scadenza', etichetta: 'Scadenza per l\'obiettivo', valore: scadenza ? dataIt(scadenza) : null, tipo: 'data' },
    {
      chiave: 'giorni_scadenza',
      etichetta: 'Quando scade',
      valore: scadenza ? quandoScade(scadenza, contesto.oggi) : null,
      tipo: 'testo',
      nota: r?.a_rischio && scadenza && (visibile || proprioPieno) ? motivoRischio({ digit_tot: r.digit_tot, esito: scad?.previsione_esito ?? null, previsione: scad?.previsione_scadenza ?? null, scadenza, obiettivo: target }) : undefined,
    },
    target !== obiettivo
      ? { chiave: 'previsione_obiettivo', etichetta: `Obiettivo della scadenza (${numIt(target)}%) previsto il`, valore: !visibile && !proprioPieno && r ? 'riservato' : scad?.previsione_scadenza ? dataIt(scad.previsione_scadenza) : null, tipo: 'data' }
      : { chiave: 'previsione_obiettivo', etichetta: 'Obiettivo previsto il', valore: !visibile && !proprioPieno && r ? 'riservato' : r?.previsione_obiettivo ? dataIt(r.previsione_obiettivo) : null, tipo: 'data' },
  ];

  const tabMetriche: Tabella = {
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

  // Comparison with cluster, distretto, ambito, and rank among the peers.
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

  // Trend over the stored runs (one point per day: the last run of the day).
  const storia = await history(ctx.db, istat);
  const perGiorno = new Map<string, (typeof storia)[number]>();
  for (const p of storia) perGiorno.set(p.oggi, p);
  const punti = [...perGiorno.values()];
  // A point built on a count of 1-2 is hidden outside the UdP and the comune itself.
  const puntoVisibile = (p: (typeof storia)[number]) => proprioPieno || !((p.cartelle_attive_siz >= 1 && p.cartelle_attive_siz <= 2) || (p.cartelle_attive_dich != null && p.cartelle_attive_dich >= 1 && p.cartelle_attive_dich <= 2));
  const tabAndamento: Tabella = {
    id: 'andamento',
    titolo: 'Andamento nelle riconciliazioni',
    colonne: [col('data', 'Data', 'data'), col('digit_tot', 'Digitalizzazione', 'percentuale'), col('siz', 'Cartelle in SIZ'), col('dichiarato', 'Dichiarate'), col('stato', 'Stato', 'testo')],
    righe: punti.map((p, i) => {
      // The last point is today's reconciliation: exactly the figures above, hidden alike.
      if (i === punti.length - 1 && !proprioPieno && !visibile) return { data: dataIt(p.oggi), digit_tot: 'riservato', siz: cens.siz(istat, 'cartelle_attive'), dichiarato: cens.dichiarato(istat, 'cartelle_attive'), stato: 'riservato' };
      const ok = puntoVisibile(p);
      const conta = (x: number | null) => (x == null ? null : ok || proprioPieno || !(x >= 1 && x <= 2) ? x : '<3');
      return { data: dataIt(p.oggi), digit_tot: ok ? p.digit_tot : 'riservato', siz: conta(p.cartelle_attive_siz), dichiarato: conta(p.cartelle_attive_dich), stato: ok ? ETICHETTE_STATO[p.stato] : 'riservato' };
    }),
  };
  const date = [...punti.map((p) => p.oggi)];
  const serieDigit = punti.map((p, i) => (puntoVisibile(p) && (i < punti.length - 1 || proprioPieno || visibile) ? p.digit_tot : null));
  const previsione = r?.previsione_obiettivo && visibile ? r.previsione_obiettivo : null;
  const ultimo = punti.length ? punti[punti.length - 1] : null;
  const seriePrev: (number | null)[] = punti.map(() => null);
  if (previsione && ultimo && puntoVisibile(ultimo) && ultimo.digit_tot != null) {
    seriePrev[seriePrev.length - 1] = ultimo.digit_tot;
    date.push(previsione);
    serieDigit.push(null);
    seriePrev.push(obiettivo);
  }
  const grafici: Grafico[] = [
    {
      id: 'grafico_digit',
      titolo: `Digitalizzazione rispetto all'obiettivo del ${numIt(obiettivo)}%`,
      tipo: 'barra_obiettivo',
      categorie: [comune.nome],
      serie: [{ nome: 'Digitalizzazione (%)', dati: [punto(cens.digit_tot(istat))] }],
      unita: '%',
      obiettivo,
      colori: [r && (visibile || proprioPieno) ? COLORI_STATO[r.stato] : '#0066cc'],
      tabella: 'metriche',
    },
    {
      id: 'grafico_andamento',
      titolo: 'Andamento, previsione e scadenza',
      tipo: 'linea',
      categorie: date.map(dataIt),
      date,
      serie: [
        { nome: 'Digitalizzazione (%)', dati: serieDigit },
        { nome: 'Previsione', dati: seriePrev },
      ],
      unita: '%',
      obiettivo,
      marcatore: scadenza ? { data: scadenza, etichetta: `Scadenza ${dataIt(scadenza)}` } : undefined,
      tabella: 'andamento',
    },
  ];

  // Deadlines with reminders and acknowledgements: the UdP and the comune itself.
  const tabelle: Tabella[] = [tabMetriche, tabConfronto, tabPari, tabAndamento];
  if (authorize(user, 'scadenze.vedere', { codice_istat: istat })) {
    const sc = await listScadenze(ctx, { oggi: contesto.oggi, comuni: [istat] });
    tabelle.push({
      id: 'scadenze',
      titolo: 'Scadenze, promemoria e prese visione',
      colonne: [col('tipo', 'Tipo', 'testo'), col('data_scadenza', 'Scadenza', 'data'), col('quando', 'Quando scade', 'testo'), col('stato', 'Stato', 'testo'), col('promemoria_inviati', 'Promemoria inviati'), col('ultimo_promemoria', 'Ultimo promemoria', 'data'), col('prese_visione', 'Prese visione'), col('prossimo_promemoria', 'Prossimo promemoria', 'data')],
      righe: sc.map((s) => ({
        id_scadenza: s.id,
        tipo: ETICHETTE_TIPO[s.tipo],
        data_scadenza: dataIt(s.data_scadenza),
        quando: quandoScade(s.data_scadenza, contesto.oggi),
        stato: STATI_SCADENZA[s.stato],
        promemoria_inviati: s.promemoria_inviati,
        ultimo_promemoria: s.ultimo_promemoria ? dataIt(new Date(s.ultimo_promemoria).toISOString()) : null,
        prese_visione: s.prese_visione,
        prossimo_promemoria: s.prossimo_promemoria ? dataIt(s.prossimo_promemoria) : null,
      })),
    });
  }

  // Data quality: score and the main findings (record ids for the UdP only).
  const q = await latestSummary(ctx.db);
  const qc = q?.comuni.find((c) => c.codice_istat === istat) ?? null;
  const Rq = new Riservatezza(!proprioPieno);
  const controlli = Object.entries(qc?.controlli ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [id, n] of controlli) Rq.cella(id, n);
  // Records with errors are records of cases: the same rule, and the score built on them.
  if (qc) Rq.cella('record_con_errori', qc.record_con_errori);
  const eq = Rq.risolvi();
  const punteggio = qc ? eq.derivato(qc.punteggio, ['record_con_errori']) : null;
  const conErrori = qc ? eq.valore('record_con_errori') : null;
  sintesi.push({ chiave: 'qualita', etichetta: 'Qualità dei dati (record senza errori)', valore: punteggio, tipo: 'percentuale' });
  tabelle.push({
    id: 'qualita',
    titolo: `Qualità dei dati: ${typeof punteggio === 'number' ? `${numIt(punteggio)}% dei record senza errori` : qc ? 'punteggio riservato' : 'controlli non ancora eseguiti'}`,
    nota: qc ? `${qc.record} record controllati, ${conErrori === '<3' ? 'meno di 3' : conErrori} con almeno un errore.` : undefined,
    colonne: [col('controllo', 'Controllo', 'testo'), col('gravita', 'Gravità', 'testo'), col('segnalazioni', 'Segnalazioni')],
    // The first 8 by the shown count, hidden counts last by code (docs/riservatezza.md).
    righe: ordinaPerMostrato(
      controlli.map(([id]) => ({ codice_controllo: id, controllo: nomeControllo(id), gravita: controllo(id)?.gravita ?? null, segnalazioni: eq.valore(id) }) as Riga),
      (x) => x.segnalazioni,
      (x) => String(x.codice_controllo),
    ).slice(0, 8),
  });
  if (v.udp) {
    const top = await findings(ctx.db, { comune: istat, limit: 10 });
    tabelle.push({
      id: 'segnalazioni',
      titolo: 'Prime segnalazioni (solo Ufficio di Piano)',
      colonne: [col('controllo', 'Controllo', 'testo'), col('tabella', 'Tabella SIZ', 'testo'), col('id_record', 'Record', 'testo'), col('messaggio', 'Segnalazione', 'testo'), col('nuovo', 'Nuova', 'testo')],
      righe: top.map((x) => ({ codice_controllo: x.controllo, controllo: nomeControllo(x.controllo), tabella: x.tabella, id_record: x.id_record, messaggio: x.messaggio, nuovo: x.nuovo ? 'sì' : 'no' })),
    });
  }

  tabelle.push({
    id: 'attivita',
    titolo: `L'attività del ${f.anno}`,
    nota: 'Gli stessi valori delle pagine Sportello, Sociali ed Economici per questo comune.',
    colonne: [col('voce', 'Voce', 'testo'), col('valore', 'Valore')],
    righe: [
      { voce: 'Accessi allo sportello', valore: attivita.accessi },
      { voce: 'di cui nuovi accessi', valore: attivita.nuovi_accessi },
      { voce: 'Prese in carico (persone)', valore: attivita.prese_in_carico },
      { voce: "Beneficiari dell'anno", valore: attivita.beneficiari_anno },
      { voce: 'Prestazioni erogate', valore: attivita.n_prestazioni },
    ],
  });
  const quota = attivita.quota_comune;
  tabelle[tabelle.length - 1].righe.push({ voce: 'Spesa a carico del comune (€)', valore: quota });

  const spieg =
    r && visibile && typeof cens.digit_tot(istat) !== 'string'
      ? spiegazione({ siz: r.metriche.cartelle_attive.siz, dichiarato: r.metriche.cartelle_attive.dichiarato, digit: r.digit_tot, mancanti: mancantiPer(r.metriche.cartelle_attive.siz, r.metriche.cartelle_attive.dichiarato, target), data_riferimento: r.data_riferimento }, target)
      : r && !visibile
        ? { formula: 'Valori riservati', testo: 'I conteggi di questo comune sono inferiori a 3: per tutela della riservatezza sono visibili solo al comune stesso e all\'Ufficio di Piano.', definizione: DEFINIZIONE }
        : null;

  const conta = cens.esito.conteggi();
  const avvisi: string[] = [];
  if (!report) avvisi.push('La riconciliazione non è ancora stata eseguita: importare l\'estrazione SIZ e il censimento.');
  else if (r?.stato === 'senza_censimento') avvisi.push('Il comune non ha ancora restituito il censimento: la digitalizzazione non si può calcolare.');
  return {
    pagina: 'comune',
    titolo: `Comune di ${comune.nome}`,
    filtri: filtriDoc(f, 'comune'),
    dati_al: report?.estrazione_siz ?? contesto.dati_al,
    oggi: contesto.oggi,
    selezione: { id: `c:${istat}`, tipo: 'comune', etichetta: comune.nome, comuni: 1 },
    dettaglio: null,
    riservatezza: { attiva: !v.udp, primarie: conta.primarie, secondarie: conta.secondarie, nota: !proprioPieno && (!visibile || METRICHE.some((m) => typeof cens.siz(istat, m) === 'string')) ? NOTA_RISERVATEZZA : null },
    sintesi,
    tabelle,
    grafici,
    avvisi,
    comune: { codice_istat: istat, nome: comune.nome, popolazione: comune.popolazione, cluster: comune.cluster, distretto: comune.distretto, stato: visibile || proprioPieno ? r?.stato ?? null : null, data_riferimento: r?.data_riferimento ?? null, a_rischio: visibile || proprioPieno ? r?.a_rischio ?? false : false },
    spiegazione: spieg,
  };
}
