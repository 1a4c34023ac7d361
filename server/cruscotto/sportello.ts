import type { Database } from '../db';
import { Riservatezza, punto } from '../web/suppression';
import type { Contesto } from './contesto';
import { areaConfronto, AREE, avvisoArea, avvisoDettaglio, Documento, etichettaArea, Grafico, Indicatore, nodoDettaglio, documentoFamiglia, OpzioniDoc } from './documento';
import { etichettaPeriodo, Filtri, Periodo } from './filtri';
import { AMBITO, gruppoDi, idComune, Nodo, nodiGruppo, nodoAmbito, pieno, selezione, Visibilita } from './nodi';
import { sql } from './sql';
import * as fatti from '../fatti/leggi';
import { incrocio, listaCategorie, parteDiComuni, strutturaComuni } from './strutture';
import { col, ordinaPerMostrato, percentuale, Riga, round2, Tabella } from './tabella';

/** Raw figures of a year, per comune: independent of who looks (cached per data version). */
export interface DatiSportello {
  /** istat -> area -> { accessi, nuovi } */
  aree: Map<string, Map<string, { accessi: number; nuovi: number }>>;
  /** istat -> motivo -> area -> n */
  motivi: Map<string, Map<string, Map<string, number>>>;
  /** istat -> problema -> area -> n (restricted to the chosen motivo) */
  problemi: Map<string, Map<string, Map<string, number>>>;
  non_attribuiti: number;
  /** Set when the figures are provisional facts (server/fatti/leggi.ts): the page says so. */
  avviso: string | null;
}

function annidato<T>(m: Map<string, T>, k: string, init: () => T): T {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = init()));
  return v;
}

type RigaCategoria = { codice_istat: string; area: string; categoria: string; n: number };

/** The figures of a period from the rows of sportello_aree.sql and of the category queries. */
export function datiSportello(righeAree: { codice_istat: string; area: string; accessi: number; nuovi: number }[], righeMotivi: RigaCategoria[], righeProblemi: RigaCategoria[], non_attribuiti: number, avviso: string | null): DatiSportello {
  const aree: DatiSportello['aree'] = new Map();
  for (const r of fatti.ordinate(righeAree, 'codice_istat', 'area')) {
    annidato(aree, r.codice_istat, () => new Map()).set(r.area, { accessi: Number(r.accessi), nuovi: Number(r.nuovi) });
  }
  const categorie = (righe: RigaCategoria[]) => {
    const out: Map<string, Map<string, Map<string, number>>> = new Map();
    for (const r of fatti.ordinate(righe, 'codice_istat', 'categoria', 'area')) {
      if ((AREE as readonly string[]).includes(r.area)) annidato(annidato(out, r.codice_istat, () => new Map()), r.categoria, () => new Map()).set(r.area, Number(r.n));
    }
    return out;
  };
  return { aree, motivi: categorie(righeMotivi), problemi: categorie(righeProblemi), non_attribuiti, avviso };
}

/**
 * The figures of a year (from the precomputed facts when current) or, with `periodo`, of any
 * range of days (always from the accessi: the facts are kept by year, docs/fatti.md).
 */
export async function leggiSportello(db: Database, anno: number, motivo: string | null, periodo?: Periodo): Promise<DatiSportello> {
  const p = periodo ? { inizio: periodo.dal, fine: periodo.al } : { inizio: `${anno}-01-01`, fine: `${anno}-12-31` };
  // The precomputed facts when current (server/fatti), else the accessi themselves: same rows.
  const stato = periodo ? null : await fatti.fattiCorrenti(db);
  const dalleFatti = await fatti.sportelloAree(db, stato, anno);
  const righeAree = dalleFatti ?? ((await db.knex.raw(sql('sportello_righe') + sql('sportello_aree'), p)).rows as { codice_istat: string; area: string; accessi: number; nuovi: number }[]);
  // Categories by area: one query per area keeps the SQL plain (the area is a filter there).
  // The facts hold every area at once; problemi with a motivo chosen (a drill-down) are always
  // read from the accessi.
  const categorie = async (nome: 'sportello_motivi' | 'sportello_problemi') => {
    let righe = nome === 'sportello_problemi' && motivo !== null ? null : await fatti.sportelloCategorie(db, stato, anno, nome === 'sportello_motivi' ? 'motivi' : 'problemi');
    if (!righe) {
      righe = [];
      for (const area of AREE) {
        for (const r of (await db.knex.raw(sql(nome), { ...p, area, motivo })).rows as { codice_istat: string; categoria: string; n: number }[]) righe.push({ ...r, area });
      }
    }
    return righe;
  };
  const motivi = await categorie('sportello_motivi');
  const problemi = await categorie('sportello_problemi');
  const na = (await fatti.nonAttribuiti(db, stato, anno)) ?? (await db.knex.raw(sql('non_attribuiti'), p)).rows[0];
  return datiSportello(righeAree, motivi, problemi, Number(na.accessi), dalleFatti ? fatti.avvisoProvvisori(stato) : null);
}

/** Sum over the comuni of a node of a per-comune nested map (category -> area -> n). */
function categorieDi(m: Map<string, Map<string, Map<string, number>>>, n: Nodo): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const c of n.comuni) {
    for (const [cat, perArea] of m.get(c.codice_istat) ?? []) {
      const dest = annidato(out, cat, () => new Map<string, number>());
      for (const [a, x] of perArea) dest.set(a, (dest.get(a) ?? 0) + x);
    }
  }
  return out;
}

function perComune(d: DatiSportello, misura: 'accessi' | 'nuovi', area: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const [istat, perArea] of d.aree) {
    let s = 0;
    for (const [a, x] of perArea) if (!area || a === area) s += x[misura];
    out.set(istat, s);
  }
  return out;
}

const ETICHETTA_VISTA = { cluster: 'Cluster', distretto: 'Distretto' };

/** The sportello page (docs/metriche.md, "Cifre del cruscotto") for the filters and the account. */
export function documentoSportello(contesto: Contesto, f: Filtri, v: Visibilita, d: DatiSportello, o: OpzioniDoc = {}): Documento {
  const sel = selezione(contesto, f);
  const det = nodoDettaglio(contesto, v, sel);
  const areaCmp = areaConfronto(v, f);
  const R = new Riservatezza(!v.udp, o.imposte);

  // Comparisons between comuni and groups: one figure per comune (all areas but for the UdP).
  const acc = strutturaComuni(R, contesto, v, 'accessi', perComune(d, 'accessi', areaCmp));
  const nuo = strutturaComuni(R, contesto, v, 'nuovi', perComune(d, 'nuovi', areaCmp));
  // The new accessi are some of the accessi, in every comune and group: a reader uses it.
  parteDiComuni(R, contesto, 'accessi', 'nuovi', acc, nuo);

  // Breakdowns of the detail node: by area, and categories x areas.
  const proprio = !v.udp && v.proprio && det.comuni.some((c) => c.codice_istat === v.proprio) && !pieno(v, det) ? contesto.perIstat.get(v.proprio)! : null;
  const detPieno = pieno(v, det);
  const areeDi = (misura: 'accessi' | 'nuovi', n: Nodo) => {
    const out = new Map<string, number>(AREE.map((a) => [a, 0]));
    for (const c of n.comuni) for (const [a, x] of d.aree.get(c.codice_istat) ?? []) out.set(a, (out.get(a) ?? 0) + x[misura]);
    return out;
  };
  const nodoProprio: Nodo | null = proprio ? { id: idComune(proprio.codice_istat), tipo: 'comune', etichetta: proprio.nome, comuni: [proprio] } : null;
  // The shared totals are the detail node's cells of the comparison tables (same figure).
  const condiviso = (misura: string) => (v.udp ? undefined : `${misura}|${det.id}`);
  const areeAcc = listaCategorie(R, 'aree_accessi', areeDi('accessi', det), { pieno: detPieno, proprio: nodoProprio ? areeDi('accessi', nodoProprio) : undefined, totale: condiviso('accessi') });
  const areeNuo = listaCategorie(R, 'aree_nuovi', areeDi('nuovi', det), { pieno: detPieno, proprio: nodoProprio ? areeDi('nuovi', nodoProprio) : undefined, totale: condiviso('nuovi') });
  const mot = incrocio(R, 'motivi', categorieDi(d.motivi, det), AREE, { pieno: detPieno, proprio: nodoProprio ? categorieDi(d.motivi, nodoProprio) : undefined });
  const pro = incrocio(R, 'problemi', categorieDi(d.problemi, det), AREE, { pieno: detPieno, proprio: nodoProprio ? categorieDi(d.problemi, nodoProprio) : undefined });

  const es = R.risolvi();
  o.esito?.(es);
  const k = (misura: string, id: string) => `${misura}|${id}`;
  const media = (misura: string, n: Nodo, vals: Map<string, number>) => es.derivato(n.comuni.length ? round2(vals.get(n.id)! / n.comuni.length) : null, [k(misura, n.id)]);
  const pctNuovi = (id: string) => es.derivato(percentuale(nuo.get(id)!, acc.get(id)!), [k('accessi', id), k('nuovi', id)]);

  // Headline figures.
  const sintesi: Indicatore[] = [
    { chiave: 'accessi', etichetta: `Accessi · ${sel.etichetta}`, valore: es.valore(k('accessi', sel.id)), tipo: 'numero' },
    { chiave: 'nuovi_accessi', etichetta: `Nuovi accessi · ${sel.etichetta}`, valore: es.valore(k('nuovi', sel.id)), tipo: 'numero' },
    { chiave: 'nuovi_percentuale', etichetta: 'Nuovi accessi sul totale', valore: pctNuovi(sel.id), tipo: 'percentuale' },
    { chiave: 'media_accessi', etichetta: `Media accessi per comune (${sel.comuni.length} ${sel.comuni.length === 1 ? 'comune' : 'comuni'})`, valore: media('accessi', sel, acc), tipo: 'numero' },
    { chiave: 'media_nuovi', etichetta: 'Media nuovi accessi per comune', valore: media('nuovi', sel, nuo), tipo: 'numero' },
  ];
  if (sel.tipo === 'comune') {
    const g = gruppoDi(contesto, sel.comuni[0], f.vista);
    sintesi.push(
      { chiave: 'accessi_gruppo', etichetta: `Accessi · ${g.etichetta}`, valore: es.valore(k('accessi', g.id)), tipo: 'numero' },
      { chiave: 'media_accessi_gruppo', etichetta: `Media per comune · ${g.etichetta}`, valore: media('accessi', g, acc), tipo: 'numero' },
    );
  }
  if (sel.tipo !== 'ambito') {
    const amb = nodoAmbito(contesto);
    sintesi.push(
      { chiave: 'accessi_ambito', etichetta: 'Accessi · Ambito', valore: es.valore(k('accessi', AMBITO)), tipo: 'numero' },
      { chiave: 'media_accessi_ambito', etichetta: 'Media per comune · Ambito', valore: media('accessi', amb, acc), tipo: 'numero' },
    );
  }

  // Per comune of the selection.
  const gruppoCol = f.vista === 'cluster' ? 'cluster' : 'distretto';
  const comuni: Tabella = {
    id: 'comuni',
    titolo: `Accessi e nuovi accessi per comune · ${sel.etichetta}`,
    colonne: [col('comune', 'Comune', 'testo'), col(gruppoCol, ETICHETTA_VISTA[f.vista], f.vista === 'cluster' ? 'numero' : 'testo'), col('accessi', 'Accessi'), col('nuovi_accessi', 'Nuovi accessi'), col('nuovi_percentuale', '% nuovi', 'percentuale')],
    righe: ordinaPerMostrato(
      sel.comuni.map((c) => {
        const id = idComune(c.codice_istat);
        return { codice_istat: c.codice_istat, comune: c.nome, [gruppoCol]: f.vista === 'cluster' ? c.cluster : c.distretto, accessi: es.valore(k('accessi', id)), nuovi_accessi: es.valore(k('nuovi', id)), nuovi_percentuale: pctNuovi(id) } as Riga;
      }),
      (r) => r.accessi,
      (r) => String(r.comune),
    ),
    totali: [
      { comune: `Totale · ${sel.etichetta}`, [gruppoCol]: null, accessi: es.valore(k('accessi', sel.id)), nuovi_accessi: es.valore(k('nuovi', sel.id)), nuovi_percentuale: pctNuovi(sel.id) },
      { comune: 'Media per comune', [gruppoCol]: null, accessi: media('accessi', sel, acc), nuovi_accessi: media('nuovi', sel, nuo), nuovi_percentuale: null },
    ],
  };
  if (areaCmp) comuni.nota = `Solo accessi dell'area «${etichettaArea(areaCmp)}».`;

  const gruppi = nodiGruppo(contesto, f.vista);
  const tabGruppi: Tabella = {
    id: 'gruppi',
    titolo: f.vista === 'cluster' ? 'Confronto tra cluster (per numero di abitanti)' : 'Confronto tra distretti',
    colonne: [col('gruppo', ETICHETTA_VISTA[f.vista], 'testo'), col('comuni', 'Comuni'), col('accessi', 'Accessi'), col('media_accessi', 'Media accessi per comune'), col('nuovi_accessi', 'Nuovi accessi'), col('media_nuovi', 'Media nuovi per comune'), col('nuovi_percentuale', '% nuovi', 'percentuale')],
    righe: [...gruppi, nodoAmbito(contesto)].map((g) => ({
      gruppo: g.etichetta,
      comuni: g.comuni.length,
      accessi: es.valore(k('accessi', g.id)),
      media_accessi: media('accessi', g, acc),
      nuovi_accessi: es.valore(k('nuovi', g.id)),
      media_nuovi: media('nuovi', g, nuo),
      nuovi_percentuale: pctNuovi(g.id),
    })),
  };

  // Breakdown by area of the detail node.
  const tabAree: Tabella = {
    id: 'aree',
    titolo: `Accessi per area utenza · ${det.etichetta}`,
    colonne: [col('area', 'Area utenza', 'testo'), col('accessi', 'Accessi'), col('nuovi_accessi', 'Nuovi accessi'), col('nuovi_percentuale', '% nuovi', 'percentuale')],
    righe: AREE.map((a) => ({
      area: etichettaArea(a),
      codice_area: a,
      accessi: es.valore(areeAcc.chiave(a)),
      nuovi_accessi: es.valore(areeNuo.chiave(a)),
      nuovi_percentuale: es.derivato(percentuale(areeDi('nuovi', det).get(a)!, areeDi('accessi', det).get(a)!), [areeAcc.chiave(a), areeNuo.chiave(a)]),
    })),
    totali: [{ area: 'Totale', accessi: es.valore(areeAcc.totale), nuovi_accessi: es.valore(areeNuo.totale), nuovi_percentuale: es.derivato(percentuale(areeDi('nuovi', det).size ? [...areeDi('nuovi', det).values()].reduce((a, b) => a + b, 0) : 0, [...areeDi('accessi', det).values()].reduce((a, b) => a + b, 0)), [areeAcc.totale, areeNuo.totale]) }],
  };

  // Motivi and problemi of the detail node, in the chosen area (or all).
  const colonnaArea = f.area ?? 'T';
  const lista = (id: 'motivi' | 'problemi', valori: Map<string, Map<string, number>>, chiave: (c: string, a: string) => string, titolo: string): Tabella => {
    const cats = [...valori.keys()];
    const tot = cats.reduce((t, c) => t + (colonnaArea === 'T' ? [...(valori.get(c)?.values() ?? [])].reduce((a, b) => a + b, 0) : valori.get(c)?.get(colonnaArea) ?? 0), 0);
    const n = (c: string) => (colonnaArea === 'T' ? [...(valori.get(c)?.values() ?? [])].reduce((a, b) => a + b, 0) : valori.get(c)?.get(colonnaArea) ?? 0);
    const etichetta = id === 'motivi' ? 'Motivo di accesso' : 'Problema riscontrato';
    return {
      id,
      titolo,
      colonne: [col(id === 'motivi' ? 'motivo' : 'problema', etichetta, 'testo'), col('n', 'Accessi'), col('percentuale', '%', 'percentuale')],
      righe: ordinaPerMostrato(
        cats.filter((c) => n(c) > 0).map((c) => ({ [id === 'motivi' ? 'motivo' : 'problema']: c, n: es.valore(chiave(c, colonnaArea)), percentuale: es.derivato(percentuale(n(c), tot), [chiave(c, colonnaArea), chiave('T', colonnaArea)]) }) as Riga),
        (r) => r.n,
        (r) => String(r[id === 'motivi' ? 'motivo' : 'problema']),
      ),
      totali: [{ [id === 'motivi' ? 'motivo' : 'problema']: id === 'motivi' ? 'Accessi con motivo indicato' : 'Accessi con problema indicato', n: es.valore(chiave('T', colonnaArea)), percentuale: tot > 0 ? es.derivato(100, [chiave('T', colonnaArea)]) : null }],
    };
  };
  const areaTitolo = f.area ? ` · ${etichettaArea(f.area)}` : '';
  const tabMotivi = lista('motivi', categorieDi(d.motivi, det), mot, `Motivi di accesso · ${det.etichetta}${areaTitolo}`);
  const tabProblemi = lista('problemi', categorieDi(d.problemi, det), pro, `Problemi riscontrati dal servizio sociale · ${det.etichetta}${areaTitolo}${f.motivo ? ` · motivo «${f.motivo}»` : ''}`);
  if (f.motivo) tabProblemi.nota = `Solo gli accessi con motivo «${f.motivo}».`;

  const grafici: Grafico[] = [
    {
      id: 'grafico_aree',
      titolo: `Accessi per area utenza · ${det.etichetta}`,
      tipo: 'barre',
      categorie: tabAree.righe.map((r) => String(r.area)),
      serie: [
        { nome: 'Accessi', dati: tabAree.righe.map((r) => punto(r.accessi as never)) },
        { nome: 'Nuovi accessi', dati: tabAree.righe.map((r) => punto(r.nuovi_accessi as never)) },
      ],
      tabella: 'aree',
    },
    {
      id: 'grafico_comuni',
      titolo: `Accessi per comune · ${sel.etichetta}`,
      tipo: sel.comuni.length > 12 ? 'barre_orizzontali' : 'barre',
      categorie: comuni.righe.map((r) => String(r.comune)),
      serie: [
        { nome: 'Accessi', dati: comuni.righe.map((r) => punto(r.accessi as never)) },
        { nome: 'Nuovi accessi', dati: comuni.righe.map((r) => punto(r.nuovi_accessi as never)) },
      ],
      tabella: 'comuni',
    },
    {
      id: 'grafico_motivi',
      titolo: tabMotivi.titolo,
      tipo: 'barre_orizzontali',
      categorie: tabMotivi.righe.map((r) => String(r.motivo)),
      serie: [{ nome: '% sugli accessi con motivo', dati: tabMotivi.righe.map((r) => punto(r.percentuale as never)) }],
      unita: '%',
      tabella: 'motivi',
    },
    {
      id: 'grafico_problemi',
      titolo: tabProblemi.titolo,
      tipo: 'barre_orizzontali',
      categorie: tabProblemi.righe.map((r) => String(r.problema)),
      serie: [{ nome: '% sugli accessi con problema', dati: tabProblemi.righe.map((r) => punto(r.percentuale as never)) }],
      unita: '%',
      tabella: 'problemi',
    },
  ];

  const avvisi = [avvisoDettaglio(sel, det), avvisoArea(v, f)].filter((x): x is string => !!x);
  if (d.non_attribuiti > 0 && v.udp) avvisi.push(`${d.non_attribuiti.toLocaleString('it-IT')} accessi ${f.dal ? etichettaPeriodo(f) : `del ${f.anno}`} non hanno un comune dell'anagrafica e non sono conteggiati (vedi Qualità dei dati).`);
  return documentoFamiglia({ pagina: 'sportello', titolo: `Sportello: accessi ${etichettaPeriodo(f)}`, f, contesto, sel, det, R, es, sintesi, tabelle: [comuni, tabGruppi, tabAree, tabMotivi, tabProblemi], grafici, avvisi: avvisi });
}
