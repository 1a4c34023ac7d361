import type { Database } from '../db';
import { punto, Riservatezza, Valore } from '../web/suppression';
import type { Contesto } from './contesto';
import { areaConfronto, AREE, avvisoArea, avvisoDettaglio, Documento, etichettaArea, Grafico, Indicatore, nodoDettaglio, documentoFamiglia, OpzioniDoc } from './documento';
import { etichettaPeriodo, Filtri, Periodo } from './filtri';
import { raccogli, perArea, perComune, PerMisura } from './misure';
import { AMBITO, gruppoDi, idComune, Nodo, nodiGruppo, nodoAmbito, pieno, selezione, Visibilita } from './nodi';
import { sql } from './sql';
import * as fatti from '../fatti/leggi';
import { listaCategorie, strutturaComuni } from './strutture';
import { dataIt } from './testi';
import { col, ordinaPerMostrato, percentuale, Riga, round2, Tabella } from './tabella';

export interface DatiSociali {
  misure: PerMisura;
  /** The day `aperte` (and copertura) refers to: 31 December, or today in the current year. */
  giorno: string;
  /** Set when the figures are provisional facts (server/fatti/leggi.ts): the page says so. */
  avviso: string | null;
}

/**
 * The figures of a year (from the precomputed facts when current) or, with `periodo`, of any
 * range of days: Y is replaced by [dal, al] and 31 December by `al` (docs/metriche.md, «Un
 * periodo qualunque»), always from the cartelle (the facts are kept by year, docs/fatti.md).
 */
export async function leggiSociali(db: Database, anno: number, oggi: string, periodo?: Periodo): Promise<DatiSociali> {
  const inizio = periodo?.dal ?? `${anno}-01-01`;
  const fine = periodo?.al ?? `${anno}-12-31`;
  const giorno = periodo ? periodo.al : anno === Number(oggi.slice(0, 4)) ? oggi : fine;
  // The precomputed facts when current (server/fatti), else the cartelle themselves: same rows.
  const stato = periodo ? null : await fatti.fattiCorrenti(db);
  const dalleFatti = await fatti.sociali(db, stato, anno, giorno);
  if (dalleFatti) return { misure: raccogli(fatti.ordinate(dalleFatti, 'misura', 'codice_istat', 'area')), giorno, avviso: fatti.avvisoProvvisori(stato) };
  const persone = (await db.knex.raw(sql('sociali_persone'), { inizio, fine })).rows;
  const cartelle = (await db.knex.raw(sql('sociali_cartelle'), { inizio, fine, giorno })).rows;
  return { misure: raccogli(fatti.ordinate([...persone, ...cartelle] as { misura: string; codice_istat: string; area: string; n: number }[], 'misura', 'codice_istat', 'area')), giorno, avviso: null };
}

export const MISURE_SOCIALI = [
  { chiave: 'prese_in_carico', etichetta: 'Prese in carico' },
  { chiave: 'beneficiari_anno', etichetta: "Beneficiari dell'anno" },
  { chiave: 'concluse_anno', etichetta: "Prese in carico concluse nell'anno" },
  { chiave: 'precedenti_chiuse_anno', etichetta: "Prese in carico di anni precedenti chiuse nell'anno" },
] as const;

export const FASCE = [
  { chiave: 'meno_1', etichetta: 'meno dell\'1%', colore: '#7fb2e5' },
  { chiave: 'da_1_a_2', etichetta: 'dall\'1% al 2%', colore: '#0066cc' },
  { chiave: 'oltre_2', etichetta: 'oltre il 2%', colore: '#003366' },
] as const;

/**
 * docs/metriche.md, "Cifre del cruscotto": < 1%, 1-2% (both ends included), > 2%; on the exact
 * ratio, not the rounded one.
 */
export function fascia(aperte: number, popolazione: number): (typeof FASCE)[number]['chiave'] | null {
  if (popolazione <= 0) return null;
  const x = (100 * aperte) / popolazione;
  return x < 1 ? 'meno_1' : x <= 2 ? 'da_1_a_2' : 'oltre_2';
}

const ETICHETTA_VISTA = { cluster: 'Cluster', distretto: 'Distretto' };

export function documentoSociali(contesto: Contesto, f: Filtri, v: Visibilita, d: DatiSociali, o: OpzioniDoc = {}): Documento {
  const sel = selezione(contesto, f);
  const det = nodoDettaglio(contesto, v, sel);
  const areaCmp = areaConfronto(v, f);
  const R = new Riservatezza(!v.udp, o.imposte);
  const nodi = new Map<string, Map<string, number>>();
  for (const m of MISURE_SOCIALI) nodi.set(m.chiave, strutturaComuni(R, contesto, v, m.chiave, perComune(d.misure, m.chiave, areaCmp)));
  // Copertura: cartelle open on the day over the residents, whatever the area (population is not split by area).
  const aperte = strutturaComuni(R, contesto, v, 'aperte', perComune(d.misure, 'aperte', null));

  const detPieno = pieno(v, det);
  const proprio = !v.udp && v.proprio && !detPieno && det.comuni.some((c) => c.codice_istat === v.proprio) ? contesto.perIstat.get(v.proprio)! : null;
  const nodoProprio: Nodo | null = proprio ? { id: idComune(proprio.codice_istat), tipo: 'comune', etichetta: proprio.nome, comuni: [proprio] } : null;
  const liste = new Map<string, ReturnType<typeof listaCategorie>>();
  for (const m of MISURE_SOCIALI) {
    liste.set(m.chiave, listaCategorie(R, `aree_${m.chiave}`, perArea(d.misure, m.chiave, det), {
      pieno: detPieno,
      proprio: nodoProprio ? perArea(d.misure, m.chiave, nodoProprio) : undefined,
      totale: v.udp ? undefined : `${m.chiave}|${det.id}`,
    }));
  }
  const es = R.risolvi();
  o.esito?.(es);
  const k = (misura: string, id: string) => `${misura}|${id}`;
  const val = (misura: string, id: string): Valore => es.valore(k(misura, id));
  const media = (misura: string, n: Nodo) => es.derivato(n.comuni.length ? round2(nodi.get(misura)!.get(n.id)! / n.comuni.length) : null, [k(misura, n.id)]);
  const pop = (n: Nodo) => n.comuni.reduce((a, c) => a + c.popolazione, 0);
  const copertura = (n: Nodo) => es.derivato(percentuale(aperte.get(n.id)!, pop(n)), [k('aperte', n.id)]);
  const fasciaDi = (n: Nodo) => (es.visibile(k('aperte', n.id)) ? fascia(aperte.get(n.id)!, pop(n)) : null);

  const sintesi: Indicatore[] = [
    ...MISURE_SOCIALI.map((m) => ({ chiave: m.chiave, etichetta: `${m.etichetta} · ${sel.etichetta}`, valore: val(m.chiave, sel.id), tipo: 'numero' as const })),
    { chiave: 'media_prese_in_carico', etichetta: `Media prese in carico per comune (${sel.comuni.length})`, valore: media('prese_in_carico', sel), tipo: 'numero' },
    { chiave: 'media_beneficiari_anno', etichetta: 'Media beneficiari per comune', valore: media('beneficiari_anno', sel), tipo: 'numero' },
    { chiave: 'copertura', etichetta: `Copertura: cartelle aperte al ${dataIt(d.giorno)} su 100 residenti`, valore: copertura(sel), tipo: 'percentuale' },
  ];
  if (sel.tipo === 'comune') {
    const g = gruppoDi(contesto, sel.comuni[0], f.vista);
    sintesi.push({ chiave: 'prese_in_carico_gruppo', etichetta: `Prese in carico · ${g.etichetta}`, valore: val('prese_in_carico', g.id), tipo: 'numero' });
    sintesi.push({ chiave: 'media_prese_in_carico_gruppo', etichetta: `Media per comune · ${g.etichetta}`, valore: media('prese_in_carico', g), tipo: 'numero' });
  }
  if (sel.tipo !== 'ambito') sintesi.push({ chiave: 'prese_in_carico_ambito', etichetta: 'Prese in carico · Ambito', valore: val('prese_in_carico', AMBITO), tipo: 'numero' });

  const gruppoCol = f.vista;
  const rigaNodo = (n: Nodo, extra: Riga): Riga => ({
    ...extra,
    prese_in_carico: val('prese_in_carico', n.id),
    beneficiari_anno: val('beneficiari_anno', n.id),
    concluse_anno: val('concluse_anno', n.id),
    precedenti_chiuse_anno: val('precedenti_chiuse_anno', n.id),
    aperte: val('aperte', n.id),
    popolazione: pop(n),
    copertura: copertura(n),
  });
  const fasciaTesto = (n: Nodo): string | null => {
    if (!es.visibile(k('aperte', n.id))) return 'riservato';
    const x = fascia(aperte.get(n.id)!, pop(n));
    return x ? FASCE.find((y) => y.chiave === x)!.etichetta : null;
  };
  const colonneSociali = [col('prese_in_carico', 'Prese in carico'), col('beneficiari_anno', "Beneficiari dell'anno"), col('concluse_anno', 'Concluse'), col('precedenti_chiuse_anno', 'Anni prec. chiuse'), col('aperte', `Cartelle aperte al ${dataIt(d.giorno)}`), col('popolazione', 'Residenti'), col('copertura', 'Copertura', 'percentuale')];
  const tabComuni: Tabella = {
    id: 'comuni',
    titolo: `Prese in carico, beneficiari e copertura per comune · ${sel.etichetta}`,
    nota: 'Persone contate una volta per codice fiscale in ogni comune. Copertura = cartelle aperte su 100 residenti (tutte le aree).',
    colonne: [col('comune', 'Comune', 'testo'), col(gruppoCol, ETICHETTA_VISTA[f.vista], f.vista === 'cluster' ? 'numero' : 'testo'), ...colonneSociali, col('fascia', 'Fascia di copertura', 'testo')],
    righe: ordinaPerMostrato(
      sel.comuni.map((c) => {
        const n: Nodo = { id: idComune(c.codice_istat), tipo: 'comune', etichetta: c.nome, comuni: [c] };
        return { ...rigaNodo(n, { codice_istat: c.codice_istat, comune: c.nome, [gruppoCol]: f.vista === 'cluster' ? c.cluster : c.distretto }), fascia: fasciaTesto(n) } as Riga;
      }),
      (r) => r.prese_in_carico,
      (r) => String(r.comune),
    ),
    totali: [
      { ...rigaNodo(sel, { comune: `Totale · ${sel.etichetta}`, [gruppoCol]: null }), fascia: fasciaTesto(sel) },
      { comune: 'Media per comune', [gruppoCol]: null, prese_in_carico: media('prese_in_carico', sel), beneficiari_anno: media('beneficiari_anno', sel), concluse_anno: media('concluse_anno', sel), precedenti_chiuse_anno: media('precedenti_chiuse_anno', sel), aperte: null, popolazione: null, copertura: null, fascia: null },
    ],
  };
  if (areaCmp) tabComuni.nota += ` Prese in carico, beneficiari e cartelle concluse: solo area «${etichettaArea(areaCmp)}».`;

  const gruppi = nodiGruppo(contesto, f.vista);
  const tabGruppi: Tabella = {
    id: 'gruppi',
    titolo: f.vista === 'cluster' ? 'Confronto tra cluster (per numero di abitanti)' : 'Confronto tra distretti',
    colonne: [col('gruppo', ETICHETTA_VISTA[f.vista], 'testo'), col('comuni', 'Comuni'), col('prese_in_carico', 'Prese in carico'), col('media_prese', 'Media per comune'), col('beneficiari_anno', 'Beneficiari'), col('media_beneficiari', 'Media per comune'), col('concluse_anno', 'Concluse'), col('precedenti_chiuse_anno', 'Anni prec. chiuse'), col('copertura', 'Copertura', 'percentuale')],
    righe: [...gruppi, nodoAmbito(contesto)].map((g) => ({
      gruppo: g.etichetta,
      comuni: g.comuni.length,
      prese_in_carico: val('prese_in_carico', g.id),
      media_prese: media('prese_in_carico', g),
      beneficiari_anno: val('beneficiari_anno', g.id),
      media_beneficiari: media('beneficiari_anno', g),
      concluse_anno: val('concluse_anno', g.id),
      precedenti_chiuse_anno: val('precedenti_chiuse_anno', g.id),
      copertura: copertura(g),
    })),
  };

  const tabAree: Tabella = {
    id: 'aree',
    titolo: `Per area utenza · ${det.etichetta}`,
    nota: 'Persone per età al 31 dicembre; cartelle concluse per area utenza della cartella.',
    colonne: [col('area', 'Area utenza', 'testo'), ...MISURE_SOCIALI.map((m) => col(m.chiave, m.etichetta))],
    righe: AREE.map((a) => ({ area: etichettaArea(a), codice_area: a, ...Object.fromEntries(MISURE_SOCIALI.map((m) => [m.chiave, es.valore(liste.get(m.chiave)!.chiave(a))])) })),
    totali: [{ area: 'Totale', ...Object.fromEntries(MISURE_SOCIALI.map((m) => [m.chiave, es.valore(liste.get(m.chiave)!.totale)])) }],
  };

  // Coverage buckets of the selection's comuni (hidden ones apart: their bucket would tell the count).
  const conteggioFasce = new Map<string, string[]>();
  for (const c of sel.comuni) {
    const n: Nodo = { id: idComune(c.codice_istat), tipo: 'comune', etichetta: c.nome, comuni: [c] };
    const x = es.visibile(k('aperte', n.id)) ? fasciaDi(n) ?? 'senza_popolazione' : 'riservato';
    conteggioFasce.set(x, [...(conteggioFasce.get(x) ?? []), c.nome]);
  }
  const righeFasce = [...FASCE.map((x) => ({ chiave: x.chiave, etichetta: x.etichetta })), { chiave: 'riservato', etichetta: 'non mostrata (riservatezza)' }, { chiave: 'senza_popolazione', etichetta: 'popolazione non indicata' }]
    .filter((x) => FASCE.some((y) => y.chiave === x.chiave) || conteggioFasce.has(x.chiave))
    .map((x) => ({ fascia: x.etichetta, codice_fascia: x.chiave, comuni: conteggioFasce.get(x.chiave)?.length ?? 0, elenco: (conteggioFasce.get(x.chiave) ?? []).join(', ') }));
  const tabFasce: Tabella = {
    id: 'fasce',
    titolo: `Comuni per fascia di copertura · ${sel.etichetta}`,
    nota: `Cartelle aperte al ${dataIt(d.giorno)} in rapporto ai residenti: meno dell'1%, dall'1% al 2% (estremi inclusi), oltre il 2%.`,
    colonne: [col('fascia', 'Fascia', 'testo'), col('comuni', 'Comuni'), col('elenco', 'Quali', 'testo')],
    righe: righeFasce,
  };

  const grafici: Grafico[] = [
    {
      id: 'grafico_copertura',
      titolo: `Copertura per comune · ${sel.etichetta}`,
      tipo: sel.comuni.length > 12 ? 'barre_orizzontali' : 'barre',
      categorie: [...sel.comuni].sort((a, b) => a.nome.localeCompare(b.nome, 'it')).map((c) => c.nome),
      serie: [{ nome: 'Copertura (%)', dati: [...sel.comuni].sort((a, b) => a.nome.localeCompare(b.nome, 'it')).map((c) => punto(copertura({ id: idComune(c.codice_istat), tipo: 'comune', etichetta: c.nome, comuni: [c] }) as Valore)) }],
      unita: '%',
      tabella: 'comuni',
    },
    {
      id: 'grafico_fasce',
      titolo: `Comuni per fascia di copertura · ${sel.etichetta}`,
      tipo: 'torta',
      categorie: righeFasce.map((r) => r.fascia),
      serie: [{ nome: 'Comuni', dati: righeFasce.map((r) => r.comuni) }],
      colori: righeFasce.map((r) => FASCE.find((x) => x.chiave === r.codice_fascia)?.colore ?? '#a0a8b0'),
      tabella: 'fasce',
    },
    {
      id: 'grafico_aree',
      titolo: `Per area utenza · ${det.etichetta}`,
      tipo: 'barre',
      categorie: tabAree.righe.map((r) => String(r.area)),
      serie: MISURE_SOCIALI.slice(0, 2).map((m) => ({ nome: m.etichetta, dati: tabAree.righe.map((r) => punto(r[m.chiave] as Valore)) })),
      tabella: 'aree',
    },
  ];

  return documentoFamiglia({ pagina: 'sociali', titolo: `Dati sociali ${etichettaPeriodo(f)}`, f, contesto, sel, det, R, es, sintesi, tabelle: [tabComuni, tabGruppi, tabAree, tabFasce], grafici, avvisi: [avvisoDettaglio(sel, det), avvisoArea(v, f)].filter((x): x is string => !!x) });
}
