import type { Database } from '../db';
import { punto, Riservatezza, Valore } from '../web/suppression';
import type { Contesto } from './contesto';
import { areaConfronto, AREE, avvisoArea, avvisoDettaglio, Documento, Grafico, Indicatore, nodoDettaglio, documentoFamiglia, OpzioniDoc } from './documento';
import { Filtri, fineMese, mesePrecedente } from './filtri';
import { perComune, raccogli, PerMisura } from './misure';
import { idComune, Nodo, pieno, selezione, Visibilita } from './nodi';
import { sql } from './sql';
import * as fatti from '../fatti/leggi';
import { incrocio, strutturaComuni } from './strutture';
import { col, ordinaPerMostrato, percentuale, Riga, round2, Tabella } from './tabella';

export interface DatiMese {
  misure: PerMisura;
  /** lista ('motivi' | 'prestazioni') -> istat -> categoria -> area -> n, in the month */
  liste: Map<string, Map<string, Map<string, Map<string, number>>>>;
  descrizioni: Map<string, string | null>;
  /** Set when the figures are provisional facts (server/fatti/leggi.ts): the page says so. */
  avviso: string | null;
}

export async function leggiMese(db: Database, mese: string): Promise<DatiMese> {
  const prec = mesePrecedente(mese);
  const periodo = { inizio: `${mese}-01`, fine: fineMese(mese), inizio_prec: `${prec}-01`, fine_prec: fineMese(prec), righe_da: `${prec}-01`, righe_a: fineMese(mese) };
  // The precomputed facts when current (server/fatti), else the data themselves: same rows.
  const stato = await fatti.fattiCorrenti(db);
  const dalleFatti = await fatti.mese(db, stato, mese, prec);
  const misure = raccogli(fatti.ordinate((dalleFatti ?? (await db.knex.raw(sql('mese_righe') + sql('mese'), periodo)).rows) as { misura: string; codice_istat: string; area: string; n: number }[], 'misura', 'codice_istat', 'area'));
  const liste: DatiMese['liste'] = new Map();
  const top = (await fatti.meseTop(db, stato, mese)) ?? ((await db.knex.raw(sql('mese_top'), periodo)).rows as { lista: string; codice_istat: string; categoria: string; area: string; n: number }[]);
  for (const r of fatti.ordinate(top, 'lista', 'codice_istat', 'categoria', 'area')) {
    const l = liste.get(r.lista) ?? liste.set(r.lista, new Map()).get(r.lista)!;
    const c = l.get(r.codice_istat) ?? l.set(r.codice_istat, new Map()).get(r.codice_istat)!;
    const k = c.get(r.categoria) ?? c.set(r.categoria, new Map()).get(r.categoria)!;
    k.set(r.area, (k.get(r.area) ?? 0) + r.n);
  }
  const descrizioni = new Map<string, string | null>();
  for (const r of fatti.ordinate((await fatti.codici(db, stato)) ?? ((await db.knex.raw(sql('codici'))).rows as { codice_prestazione: string; descrizione: string | null }[]), 'codice_prestazione')) descrizioni.set(r.codice_prestazione, r.descrizione);
  return { misure, liste, descrizioni, avviso: dalleFatti ? fatti.avvisoProvvisori(stato) : null };
}

const MISURE = [
  { chiave: 'accessi', etichetta: 'Accessi' },
  { chiave: 'cartelle', etichetta: 'Nuove cartelle' },
  { chiave: 'erogazioni', etichetta: 'Erogazioni' },
] as const;

const MESI = ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'];
export const nomeMese = (m: string) => `${MESI[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;

/** Variation % of b over a: 100 * (b - a) / a, null when a is 0. */
export function variazione(prima: number, dopo: number): number | null {
  return prima === 0 ? null : round2((100 * (dopo - prima)) / prima);
}

function cubeDi(m: Map<string, Map<string, Map<string, number>>> | undefined, n: Nodo): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const c of n.comuni) {
    for (const [cat, perArea] of m?.get(c.codice_istat) ?? []) {
      const dest = out.get(cat) ?? out.set(cat, new Map()).get(cat)!;
      for (const [a, x] of perArea) dest.set(a, (dest.get(a) ?? 0) + x);
    }
  }
  return out;
}

export function documentoMese(contesto: Contesto, f: Filtri, v: Visibilita, d: DatiMese, o: OpzioniDoc = {}): Documento {
  const sel = selezione(contesto, f);
  const det = nodoDettaglio(contesto, v, sel);
  const areaCmp = areaConfronto(v, f);
  const prec = mesePrecedente(f.mese);
  const R = new Riservatezza(!v.udp, o.imposte);
  const nodi = new Map<string, Map<string, number>>();
  for (const m of MISURE) for (const quando of ['mese', 'prec']) nodi.set(`${m.chiave}_${quando}`, strutturaComuni(R, contesto, v, `${m.chiave}_${quando}`, perComune(d.misure, `${m.chiave}_${quando}`, areaCmp)));

  const detPieno = pieno(v, det);
  const proprio = !v.udp && v.proprio && !detPieno && det.comuni.some((c) => c.codice_istat === v.proprio) ? contesto.perIstat.get(v.proprio)! : null;
  const nodoProprio: Nodo | null = proprio ? { id: idComune(proprio.codice_istat), tipo: 'comune', etichetta: proprio.nome, comuni: [proprio] } : null;
  const kMot = incrocio(R, 'top_motivi', cubeDi(d.liste.get('motivi'), det), AREE, { pieno: detPieno, proprio: nodoProprio ? cubeDi(d.liste.get('motivi'), nodoProprio) : undefined });
  const kPre = incrocio(R, 'top_prestazioni', cubeDi(d.liste.get('prestazioni'), det), AREE, { pieno: detPieno, proprio: nodoProprio ? cubeDi(d.liste.get('prestazioni'), nodoProprio) : undefined });
  const es = R.risolvi();
  o.esito?.(es);

  const k = (m: string, id: string) => `${m}|${id}`;
  const var_ = (m: string, id: string) => es.derivato(variazione(nodi.get(`${m}_prec`)!.get(id)!, nodi.get(`${m}_mese`)!.get(id)!), [k(`${m}_prec`, id), k(`${m}_mese`, id)]);

  const sintesi: Indicatore[] = MISURE.flatMap((m) => [
    { chiave: `${m.chiave}_mese`, etichetta: `${m.etichetta} · ${nomeMese(f.mese)}`, valore: es.valore(k(`${m.chiave}_mese`, sel.id)), tipo: 'numero' as const },
    { chiave: `${m.chiave}_prec`, etichetta: `${m.etichetta} · ${nomeMese(prec)}`, valore: es.valore(k(`${m.chiave}_prec`, sel.id)), tipo: 'numero' as const },
    { chiave: `${m.chiave}_variazione`, etichetta: `Variazione su ${nomeMese(prec)}`, valore: var_(m.chiave, sel.id), tipo: 'percentuale' as const },
  ]);

  const tabConfronto: Tabella = {
    id: 'confronto',
    titolo: `${nomeMese(f.mese)} rispetto a ${nomeMese(prec)} · ${sel.etichetta}`,
    colonne: [col('misura', 'Misura', 'testo'), col('precedente', nomeMese(prec)), col('mese', nomeMese(f.mese)), col('variazione', 'Variazione', 'percentuale')],
    righe: MISURE.map((m) => ({ misura: m.etichetta, codice_misura: m.chiave, precedente: es.valore(k(`${m.chiave}_prec`, sel.id)), mese: es.valore(k(`${m.chiave}_mese`, sel.id)), variazione: var_(m.chiave, sel.id) })),
  };
  if (areaCmp) tabConfronto.nota = `Solo area «${areaCmp.replace('_', ' ')}».`;

  const rigaNodo = (id: string): Riga => Object.fromEntries(MISURE.flatMap((m) => [[`${m.chiave}_prec`, es.valore(k(`${m.chiave}_prec`, id))], [`${m.chiave}_mese`, es.valore(k(`${m.chiave}_mese`, id))], [`${m.chiave}_variazione`, var_(m.chiave, id)]]));
  const tabComuni: Tabella = {
    id: 'comuni',
    titolo: `Per comune · ${sel.etichetta}`,
    colonne: [col('comune', 'Comune', 'testo'), ...MISURE.flatMap((m) => [col(`${m.chiave}_prec`, `${m.etichetta} ${nomeMese(prec)}`), col(`${m.chiave}_mese`, `${m.etichetta} ${nomeMese(f.mese)}`), col(`${m.chiave}_variazione`, 'Var.', 'percentuale')])],
    righe: ordinaPerMostrato(
      sel.comuni.map((c) => ({ codice_istat: c.codice_istat, comune: c.nome, ...rigaNodo(idComune(c.codice_istat)) }) as Riga),
      (r) => r.accessi_mese,
      (r) => String(r.comune),
    ),
    totali: [{ comune: `Totale · ${sel.etichetta}`, ...rigaNodo(sel.id) }],
  };

  // Top 10 of the month in the detail node (the chosen area or all).
  const area = f.area ?? 'T';
  const top = (id: 'motivi' | 'prestazioni', chiave: (c: string, a: string) => string, titolo: string, etichetta: string): Tabella => {
    const cube = cubeDi(d.liste.get(id), det);
    const n = (c: string) => (area === 'T' ? [...(cube.get(c)?.values() ?? [])].reduce((a, b) => a + b, 0) : cube.get(c)?.get(area) ?? 0);
    const tot = [...cube.keys()].reduce((a, c) => a + n(c), 0);
    const primi = [...cube.keys()].filter((c) => n(c) > 0).sort((a, b) => n(b) - n(a) || a.localeCompare(b, 'it')).slice(0, 10);
    return {
      id: `top_${id}`,
      titolo,
      colonne: [col('posizione', 'N.'), col('categoria', etichetta, 'testo'), ...(id === 'prestazioni' ? [col('descrizione', 'Prestazione', 'testo')] : []), col('n', id === 'motivi' ? 'Accessi' : 'Erogazioni'), col('percentuale', '% del mese', 'percentuale')],
      righe: primi.map((c, i) => ({ posizione: i + 1, categoria: c, ...(id === 'prestazioni' ? { descrizione: d.descrizioni.get(c) ?? null } : {}), n: es.valore(chiave(c, area)), percentuale: es.derivato(percentuale(n(c), tot), [chiave(c, area), chiave('T', area)]) })),
      totali: [{ posizione: null, categoria: 'Totale del mese', ...(id === 'prestazioni' ? { descrizione: null } : {}), n: es.valore(chiave('T', area)), percentuale: tot ? es.derivato(100, [chiave('T', area)]) : null }],
    };
  };
  const tabMotivi = top('motivi', kMot, `I 10 bisogni più richiesti (motivi di accesso) · ${nomeMese(f.mese)} · ${det.etichetta}`, 'Motivo di accesso');
  const tabPrest = top('prestazioni', kPre, `Le 10 prestazioni più erogate · ${nomeMese(f.mese)} · ${det.etichetta}`, 'Codice');

  const grafici: Grafico[] = [
    {
      id: 'grafico_confronto',
      titolo: tabConfronto.titolo,
      tipo: 'barre',
      categorie: MISURE.map((m) => m.etichetta),
      serie: [
        { nome: nomeMese(prec), dati: tabConfronto.righe.map((r) => punto(r.precedente as Valore)) },
        { nome: nomeMese(f.mese), dati: tabConfronto.righe.map((r) => punto(r.mese as Valore)) },
      ],
      tabella: 'confronto',
    },
    { id: 'grafico_motivi', titolo: tabMotivi.titolo, tipo: 'barre_orizzontali', categorie: tabMotivi.righe.map((r) => String(r.categoria)), serie: [{ nome: 'Accessi', dati: tabMotivi.righe.map((r) => punto(r.n as Valore)) }], tabella: 'top_motivi' },
    { id: 'grafico_prestazioni', titolo: tabPrest.titolo, tipo: 'barre_orizzontali', categorie: tabPrest.righe.map((r) => `${r.categoria} ${String(r.descrizione ?? '').slice(0, 40)}`), serie: [{ nome: 'Erogazioni', dati: tabPrest.righe.map((r) => punto(r.n as Valore)) }], tabella: 'top_prestazioni' },
  ];

  const avvisi = [avvisoDettaglio(sel, det), avvisoArea(v, f)].filter((x): x is string => !!x);
  if (contesto.dati_al && f.mese === contesto.dati_al.slice(0, 7) && fineMese(f.mese) !== contesto.dati_al) avvisi.push(`Il mese di ${nomeMese(f.mese)} è in corso: i dati arrivano al ${contesto.dati_al.split('-').reverse().join('/')}, il confronto con il mese intero precedente è parziale.`);
  // Outside the UdP the month is told for the ambito and the own comune only, without the per
  // comune table and the top 10 lists (docs/riservatezza.md, «Meno uscite, fisse»): each month
  // is a twelfth of a year the annual pages already show, so every extra split of a month is
  // one more equation against the hidden small counts.
  if (!v.udp) {
    avvisi.push("Il dettaglio per comune e le classifiche del mese sono visibili solo all'Ufficio di Piano (riservatezza).");
    return documentoFamiglia({ pagina: 'mese', titolo: `Mese su mese: ${nomeMese(f.mese)}`, f, contesto, sel, det, R, es, sintesi, tabelle: [tabConfronto], grafici: grafici.slice(0, 1), avvisi });
  }
  return documentoFamiglia({ pagina: 'mese', titolo: `Mese su mese: ${nomeMese(f.mese)}`, f, contesto, sel, det, R, es, sintesi, tabelle: [tabConfronto, tabComuni, tabMotivi, tabPrest], grafici, avvisi: avvisi });
}
