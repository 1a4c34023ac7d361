import type { Database } from '../db';
import { punto, Riservatezza, Valore } from '../web/suppression';
import type { Contesto } from './contesto';
import { areaConfronto, AREE, avvisoArea, avvisoDettaglio, Documento, Grafico, Indicatore, nodoDettaglio, documentoFamiglia, OpzioniDoc } from './documento';
import { etichettaPeriodo, Filtri, Periodo } from './filtri';
import { gruppoDi, idComune, Nodo, nodiGruppo, nodoAmbito, pieno, selezione, Visibilita } from './nodi';
import { sql } from './sql';
import * as fatti from '../fatti/leggi';
import { incrocio, strutturaComuni } from './strutture';
import { col, ordinaPerMostrato, Riga, round2, Tabella } from './tabella';

/**
 * The measures of an erogazione row (docs/metriche.md, "Cifre del cruscotto"): n_prestazioni and
 * the amounts.
 */
export const IMPORTI = ['costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri'] as const;
export type Importo = (typeof IMPORTI)[number];
const RECUPERI: Importo[] = ['recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri'];

type Somme = { n: number } & Record<Importo, number>;
const zero = (): Somme => ({ n: 0, costo: 0, quota_comune: 0, recupero_assistito: 0, recupero_famiglia: 0, recupero_altri_enti: 0, recupero_altri: 0 });
function add(a: Somme, b: Somme): void {
  a.n += b.n;
  for (const k of IMPORTI) a[k] = round2(a[k] + b[k]);
}

export interface DatiEconomici {
  /** istat -> codice -> area -> sums */
  righe: Map<string, Map<string, Map<string, Somme>>>;
  descrizioni: Map<string, string | null>;
  /** Set when the figures are provisional facts (server/fatti/leggi.ts): the page says so. */
  avviso: string | null;
}

type RigaEconomici = Somme & { codice_istat: string; codice_prestazione: string; area: string };

/** The figures of a period from the rows of economici.sql and codici.sql. */
export function datiEconomici(lette: RigaEconomici[], codici: { codice_prestazione: string; descrizione: string | null }[], avviso: string | null): DatiEconomici {
  const righe: DatiEconomici['righe'] = new Map();
  for (const r of fatti.ordinate(lette, 'codice_istat', 'codice_prestazione', 'area')) {
    let c = righe.get(r.codice_istat);
    if (!c) righe.set(r.codice_istat, (c = new Map()));
    let p = c.get(r.codice_prestazione);
    if (!p) c.set(r.codice_prestazione, (p = new Map()));
    const s = zero();
    add(s, { n: Number(r.n), ...Object.fromEntries(IMPORTI.map((k) => [k, Number(r[k])])) } as Somme);
    p.set(r.area, s);
  }
  const descrizioni = new Map<string, string | null>();
  for (const r of fatti.ordinate(codici, 'codice_prestazione')) descrizioni.set(r.codice_prestazione, r.descrizione);
  return { righe, descrizioni, avviso };
}

/** The descriptions of the codes (codici.sql), from the facts when current. */
export async function leggiCodici(db: Database, stato: fatti.StatoFatti | null): Promise<{ codice_prestazione: string; descrizione: string | null }[]> {
  return (await fatti.codici(db, stato)) ?? ((await db.knex.raw(sql('codici'))).rows as { codice_prestazione: string; descrizione: string | null }[]);
}

/**
 * The figures of a year (from the precomputed facts when current) or, with `periodo`, of any
 * range of days (always from the erogazioni: the facts are kept by year, docs/fatti.md).
 */
export async function leggiEconomici(db: Database, anno: number, periodo?: Periodo): Promise<DatiEconomici> {
  // The precomputed facts when current (server/fatti), else the erogazioni themselves: same rows.
  const stato = await fatti.fattiCorrenti(db);
  const dalleFatti = periodo ? null : await fatti.economici(db, stato, anno);
  const lette = dalleFatti ?? (await db.knex.raw(sql('economici'), periodo ? { inizio: periodo.dal, fine: periodo.al } : { inizio: `${anno}-01-01`, fine: `${anno}-12-31` })).rows;
  return datiEconomici(lette as RigaEconomici[], await leggiCodici(db, stato), dalleFatti ? fatti.avvisoProvvisori(stato) : null);
}

/** Sums over the comuni of a node, restricted to one area (or all), per codice. */
function perCodice(d: DatiEconomici, n: Nodo, area: string | null): Map<string, Somme> {
  const out = new Map<string, Somme>();
  for (const c of n.comuni) {
    for (const [codice, perArea] of d.righe.get(c.codice_istat) ?? []) {
      for (const [a, s] of perArea) {
        if (area && a !== area) continue;
        let t = out.get(codice);
        if (!t) out.set(codice, (t = zero()));
        add(t, s);
      }
    }
  }
  return out;
}

function perComune(d: DatiEconomici, contesto: Contesto, area: string | null): Map<string, Somme> {
  const out = new Map<string, Somme>();
  for (const c of contesto.comuni) {
    const t = zero();
    for (const s of perCodice(d, { id: '', tipo: 'comune', etichetta: '', comuni: [c] }, area).values()) add(t, s);
    out.set(c.codice_istat, t);
  }
  return out;
}

const ETICHETTE: Record<Importo | 'n' | 'media_prestazione' | 'recuperi', string> = {
  n: 'N. prestazioni',
  costo: 'Costo',
  quota_comune: 'A carico del comune',
  media_prestazione: 'Media per prestazione',
  recuperi: 'Recuperi',
  recupero_assistito: 'Rec. assistito',
  recupero_famiglia: 'Rec. famiglia',
  recupero_altri_enti: 'Rec. altri enti',
  recupero_altri: 'Rec. altri',
};

const COLONNE_IMPORTI = [col('n', ETICHETTE.n), col('costo', ETICHETTE.costo, 'importo'), col('quota_comune', ETICHETTE.quota_comune, 'importo'), col('media_prestazione', ETICHETTE.media_prestazione, 'importo'), col('recuperi', ETICHETTE.recuperi, 'importo'), ...RECUPERI.map((r) => col(r, ETICHETTE[r], 'importo'))];

export function documentoEconomici(contesto: Contesto, f: Filtri, v: Visibilita, d: DatiEconomici, o: OpzioniDoc = {}): Documento {
  const sel = selezione(contesto, f);
  const det = nodoDettaglio(contesto, v, sel);
  const areaCmp = areaConfronto(v, f);
  const R = new Riservatezza(!v.udp, o.imposte);

  // Per comune, summed into groups: the count, and each amount following it.
  const perC = perComune(d, contesto, areaCmp);
  const nodi = new Map<string, Map<string, number>>();
  nodi.set('n', strutturaComuni(R, contesto, v, 'n', new Map([...perC].map(([k, s]) => [k, s.n]))));
  // An amount that is 0 in every row of the year (say, no family ever paid back) is 0 in every
  // cell: the ambito's total, always shown, tells it; hiding those zeros protects nothing.
  const tuttoZero = (imp: Importo) => [...d.righe.values()].every((perCod) => [...perCod.values()].every((perArea) => [...perArea.values()].every((s) => Math.abs(s[imp]) < 0.005)));
  for (const imp of IMPORTI) nodi.set(imp, strutturaComuni(R, contesto, v, imp, new Map([...perC].map(([k, s]) => [k, s[imp]])), { importo: true, segue: 'n', noto: !v.udp && tuttoZero(imp) }));

  // Per codice x area of the detail node: counts, amounts following them.
  const detPieno = pieno(v, det);
  const proprio = !v.udp && v.proprio && !detPieno && det.comuni.some((c) => c.codice_istat === v.proprio) ? contesto.perIstat.get(v.proprio)! : null;
  const nodoProprio: Nodo | null = proprio ? { id: idComune(proprio.codice_istat), tipo: 'comune', etichetta: proprio.nome, comuni: [proprio] } : null;
  const cube = (n: Nodo, misura: 'n' | Importo) => {
    const out = new Map<string, Map<string, number>>();
    for (const a of AREE) for (const [codice, s] of perCodice(d, n, a)) (out.get(codice) ?? out.set(codice, new Map()).get(codice)!).set(a, s[misura]);
    return out;
  };
  // The grand total of the per-code table is the detail node's total of the per-comune table when
  // they are the same figure (no area comparison narrowing the comuni): one cell, one fate.
  const somma = (m: Map<string, Map<string, number>>) => [...m.values()].reduce((a, perArea) => a + [...perArea.values()].reduce((b, x) => b + x, 0), 0);
  const stesso = (misura: 'n' | Importo, c: Map<string, Map<string, number>>) =>
    !areaCmp && nodi.get(misura)!.has(det.id) && Math.abs(somma(c) - nodi.get(misura)!.get(det.id)!) < 0.005 ? `${misura}|${det.id}` : undefined;
  const cuboN = cube(det, 'n');
  const kN = incrocio(R, 'codici_n', cuboN, AREE, { pieno: detPieno, proprio: nodoProprio ? cube(nodoProprio, 'n') : undefined, totale: stesso('n', cuboN) });
  const kImp = new Map<Importo, (c: string, a: string) => string>();
  for (const imp of IMPORTI) {
    const cubo = cube(det, imp);
    kImp.set(imp, incrocio(R, `codici_${imp}`, cubo, AREE, { pieno: detPieno || tuttoZero(imp), importo: true, segue: 'codici_n', totale: stesso('n', cuboN) ? stesso(imp, cubo) : undefined }));
  }

  const es = R.risolvi();
  o.esito?.(es);
  const k = (m: string, id: string) => `${m}|${id}`;
  const vals = (n: Nodo): Riga => {
    const q = nodi.get('quota_comune')!.get(n.id)!;
    const num = nodi.get('n')!.get(n.id)!;
    const rec = round2(RECUPERI.reduce((a, r) => a + nodi.get(r)!.get(n.id)!, 0));
    return {
      n: es.valore(k('n', n.id)),
      costo: es.valore(k('costo', n.id)),
      quota_comune: es.valore(k('quota_comune', n.id)),
      media_prestazione: es.derivato(num ? round2(q / num) : null, [k('quota_comune', n.id), k('n', n.id)]),
      recuperi: es.derivato(rec, RECUPERI.map((r) => k(r, n.id))),
      ...Object.fromEntries(RECUPERI.map((r) => [r, es.valore(k(r, n.id))])),
    };
  };

  // Ambito, the selection's group and the selection (today's "Totale per Ambito / per Cluster").
  const righeTotali: Riga[] = [{ livello: 'Ambito', ...vals(nodoAmbito(contesto)) }];
  if (sel.tipo === 'comune') {
    const g = gruppoDi(contesto, sel.comuni[0], f.vista);
    righeTotali.push({ livello: g.etichetta, ...vals(g) });
  }
  if (sel.tipo !== 'ambito') righeTotali.push({ livello: sel.etichetta, ...vals(sel) });
  const tabTotali: Tabella = { id: 'totali', titolo: 'Costo delle prestazioni erogate: totali', colonne: [col('livello', 'Totale per', 'testo'), ...COLONNE_IMPORTI], righe: righeTotali };

  // Per codice of the detail node, in the chosen area or all.
  const area = f.area ?? 'T';
  const codici = perCodice(d, det, f.area);
  const tabPrestazioni: Tabella = {
    id: 'prestazioni',
    titolo: `Per tipo di prestazione · ${det.etichetta}${f.area ? ` · area ${f.area.replace('_', ' ')}` : ''}`,
    nota: 'Media per prestazione = quota a carico del comune / numero di prestazioni (come nel cruscotto attuale).',
    colonne: [col('codice_prestazione', 'Codice', 'testo'), col('descrizione', 'Prestazione', 'testo'), ...COLONNE_IMPORTI],
    righe: [...codici.keys()]
      .sort()
      .map((c) => {
        const s = codici.get(c)!;
        const rec = round2(RECUPERI.reduce((a, r) => a + s[r], 0));
        return {
          codice_prestazione: c,
          descrizione: d.descrizioni.get(c) ?? 'codice non presente nel nomenclatore',
          n: es.valore(kN(c, area)),
          costo: es.valore(kImp.get('costo')!(c, area)),
          quota_comune: es.valore(kImp.get('quota_comune')!(c, area)),
          media_prestazione: es.derivato(s.n ? round2(s.quota_comune / s.n) : null, [kN(c, area), kImp.get('quota_comune')!(c, area)]),
          recuperi: es.derivato(rec, RECUPERI.map((r) => kImp.get(r)!(c, area))),
          ...Object.fromEntries(RECUPERI.map((r) => [r, es.valore(kImp.get(r)!(c, area))])),
        } as Riga;
      }),
  };
  const tot = zero();
  for (const s of codici.values()) add(tot, s);
  const totRec = round2(RECUPERI.reduce((a, r) => a + tot[r], 0));
  tabPrestazioni.totali = [
    {
      codice_prestazione: 'Totale',
      descrizione: null,
      n: es.valore(kN('T', area)),
      costo: es.valore(kImp.get('costo')!('T', area)),
      quota_comune: es.valore(kImp.get('quota_comune')!('T', area)),
      media_prestazione: es.derivato(tot.n ? round2(tot.quota_comune / tot.n) : null, [kN('T', area), kImp.get('quota_comune')!('T', area)]),
      recuperi: es.derivato(totRec, RECUPERI.map((r) => kImp.get(r)!('T', area))),
      ...Object.fromEntries(RECUPERI.map((r) => [r, es.valore(kImp.get(r)!('T', area))])),
    },
  ];

  const gruppoCol = f.vista;
  const nodoC = (c: (typeof contesto.comuni)[number]): Nodo => ({ id: idComune(c.codice_istat), tipo: 'comune', etichetta: c.nome, comuni: [c] });
  const media = (misura: string, n: Nodo) => es.derivato(n.comuni.length ? round2(nodi.get(misura)!.get(n.id)! / n.comuni.length) : null, [k(misura, n.id)]);
  const tabComuni: Tabella = {
    id: 'comuni',
    titolo: `Per comune · ${sel.etichetta}`,
    colonne: [col('comune', 'Comune', 'testo'), col(gruppoCol, f.vista === 'cluster' ? 'Cluster' : 'Distretto', f.vista === 'cluster' ? 'numero' : 'testo'), ...COLONNE_IMPORTI.slice(0, 5)],
    righe: ordinaPerMostrato(
      sel.comuni.map((c) => ({ codice_istat: c.codice_istat, comune: c.nome, [gruppoCol]: f.vista === 'cluster' ? c.cluster : c.distretto, ...vals(nodoC(c)) }) as Riga),
      (r) => r.quota_comune,
      (r) => String(r.comune),
    ),
    totali: [
      { comune: `Totale · ${sel.etichetta}`, [gruppoCol]: null, ...vals(sel) },
      { comune: 'Media per comune', [gruppoCol]: null, n: media('n', sel), costo: media('costo', sel), quota_comune: media('quota_comune', sel), media_prestazione: null, recuperi: null },
    ],
  };
  const tabGruppi: Tabella = {
    id: 'gruppi',
    titolo: f.vista === 'cluster' ? 'Confronto tra cluster (per numero di abitanti)' : 'Confronto tra distretti',
    colonne: [col('gruppo', f.vista === 'cluster' ? 'Cluster' : 'Distretto', 'testo'), col('comuni', 'Comuni'), ...COLONNE_IMPORTI.slice(0, 5), col('quota_per_abitante', 'A carico del comune per abitante', 'importo')],
    righe: [...nodiGruppo(contesto, f.vista), nodoAmbito(contesto)].map((g) => {
      const pop = g.comuni.reduce((a, c) => a + c.popolazione, 0);
      return { gruppo: g.etichetta, comuni: g.comuni.length, ...vals(g), quota_per_abitante: es.derivato(pop ? round2(nodi.get('quota_comune')!.get(g.id)! / pop) : null, [k('quota_comune', g.id)]) };
    }),
  };

  const sintesi: Indicatore[] = [
    { chiave: 'n_prestazioni', etichetta: `Prestazioni erogate · ${sel.etichetta}`, valore: es.valore(k('n', sel.id)), tipo: 'numero' },
    { chiave: 'costo', etichetta: 'Costo', valore: es.valore(k('costo', sel.id)), tipo: 'importo' },
    { chiave: 'quota_comune', etichetta: 'A carico del comune', valore: es.valore(k('quota_comune', sel.id)), tipo: 'importo' },
    { chiave: 'media_prestazione', etichetta: 'Media per prestazione (quota comune / n.)', valore: vals(sel).media_prestazione, tipo: 'importo' },
    { chiave: 'recuperi', etichetta: 'Recuperi', valore: vals(sel).recuperi, tipo: 'importo' },
  ];

  const top = [...tabPrestazioni.righe].filter((r) => typeof r.quota_comune === 'number').sort((a, b) => (b.quota_comune as number) - (a.quota_comune as number)).slice(0, 15);
  const grafici: Grafico[] = [
    {
      id: 'grafico_prestazioni',
      titolo: `A carico del comune per tipo di prestazione (prime 15) · ${det.etichetta}`,
      tipo: 'barre_orizzontali',
      categorie: top.map((r) => `${r.codice_prestazione} ${String(r.descrizione ?? '').slice(0, 40)}`),
      serie: [{ nome: 'A carico del comune (€)', dati: top.map((r) => punto(r.quota_comune as Valore)) }],
      unita: '€',
      tabella: 'prestazioni',
    },
    {
      id: 'grafico_recuperi',
      titolo: `Composizione dei recuperi · ${sel.etichetta}`,
      tipo: 'torta',
      categorie: RECUPERI.map((r) => ETICHETTE[r]),
      serie: [{ nome: 'Recuperi (€)', dati: RECUPERI.map((r) => punto(es.valore(k(r, sel.id)))) }],
      unita: '€',
      tabella: 'totali',
    },
    {
      id: 'grafico_comuni',
      titolo: `A carico del comune per comune · ${sel.etichetta}`,
      tipo: sel.comuni.length > 12 ? 'barre_orizzontali' : 'barre',
      categorie: tabComuni.righe.map((r) => String(r.comune)),
      serie: [{ nome: 'A carico del comune (€)', dati: tabComuni.righe.map((r) => punto(r.quota_comune as Valore)) }],
      unita: '€',
      tabella: 'comuni',
    },
  ];

  return documentoFamiglia({ pagina: 'economici', titolo: `Dati economici ${etichettaPeriodo(f)}`, f, contesto, sel, det, R, es, sintesi, tabelle: [tabTotali, tabPrestazioni, tabComuni, tabGruppi], grafici, avvisi: [avvisoDettaglio(sel, det), avvisoArea(v, f)].filter((x): x is string => !!x) });
}
