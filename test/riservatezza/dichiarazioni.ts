/**
 * What each published cell counts: the ONE place that tells the disclosure audit how to read
 * the pages (docs/riservatezza.md, "Aggiungere una pagina alla verifica"). For every page and
 * table: which family of records a column counts, which filter a row applies (comune, area,
 * motivo, month...), how the rows are ordered, which values are derived from which cells.
 * Everything here is what the documentation tells any reader; nothing is read from the
 * database except the public list of comuni with their cluster and distretto.
 */
import type { Documento } from '../../server/cruscotto/documento';
import type { Riga, Tabella } from '../../server/cruscotto/tabella';
import { Def, Mostrato, MENO_DI_TRE, RISERVATO } from './modello';

export interface ComunePubblico {
  codice_istat: string;
  nome: string;
  cluster: number;
  distretto: string;
}

export const AREE = ['minori', 'adulti', 'anziani', 'non_indicata'];
export const NESSUNO = '∅';
export const MESI = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];
export const IMPORTI = ['costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri'];
export const MISURE_SOCIALI = ['prese_in_carico', 'beneficiari_anno', 'concluse_anno', 'precedenti_chiuse_anno'];

/** How the rows of a table are ordered, as documented (docs/riservatezza.md). */
export type RegolaOrdine =
  /** by the true value, descending, ties by name: every pair of rows is an inequality */
  | 'valore'
  /** shown numbers descending (ties by name), then the hidden rows by name: no information */
  | 'mostrato';

export interface Regole {
  ordine: RegolaOrdine;
  /** The rank is among every comune with a digitalization (true) or among the visible ones. */
  posizioneSuTutti: boolean;
  /** Outside the UdP the motivo filter narrows only the reader's own comune (else: every page). */
  motivoSoloProprio: boolean;
}

const nascosto = (v: unknown): boolean => v === MENO_DI_TRE || v === RISERVATO;
const numero = (v: unknown): v is number => typeof v === 'number';

/** Buffered declarations: families' domains are known only once every page is read. */
export class Raccolta {
  readonly pubblicazioni: { def: Def; mostrato: Mostrato; dove: string; verita?: number }[] = [];
  readonly vincoli: { termini: { def: Def; coef: number }[]; min: number; max: number; dove: string }[] = [];
  readonly differiti: ((dom: Domini) => void)[] = [];
  readonly rapporti: { num: Def[]; den: Def[]; valore: number; dove: string }[] = [];
  readonly rangi: { sopra: { num: Def; den: Def; soglia: number }[]; dove: string }[] = [];
  readonly violazioni: { tipo: string; dove: string; dettaglio: string }[] = [];
  /** family -> attribute -> values seen */
  readonly valori = new Map<string, Map<string, Set<string>>>();
  verita: ((dove: string) => number | undefined) | null = null;

  constructor(
    readonly comuni: ComunePubblico[],
    readonly regole: Regole,
    /** The reader's own comune (comune role), or null. */
    readonly proprio: string | null = null,
    /** The reader is the UdP (only for the true values in the tests). */
    readonly udp = false,
  ) {}

  nota(d: Def): void {
    const m = this.valori.get(d.fam) ?? this.valori.set(d.fam, new Map()).get(d.fam)!;
    for (const [k, v] of Object.entries(d.filtro)) {
      const s = m.get(k) ?? m.set(k, new Set()).get(k)!;
      for (const x of v) s.add(x);
    }
  }

  pubblica(def: Def, mostrato: unknown, dove: string): void {
    if (mostrato === undefined) return;
    this.nota(def);
    this.pubblicazioni.push({ def, mostrato: mostrato as Mostrato, dove });
  }

  ordine(a: Def, b: Def, scarto: number, dove: string): void {
    this.nota(a);
    this.nota(b);
    this.vincoli.push({ termini: [{ def: a, coef: 1 }, { def: b, coef: -1 }], min: scarto, max: Infinity, dove });
  }

  /** The reader knows the figure is at least `min` (a part it knows of a count). */
  almeno(d: Def, min: number, dove: string): void {
    this.nota(d);
    this.vincoli.push({ termini: [{ def: d, coef: 1 }], min, max: Infinity, dove });
  }

  zero(d: Def, dove: string): void {
    this.nota(d);
    this.vincoli.push({ termini: [{ def: d, coef: 1 }], min: 0, max: 0, dove });
  }

  violazione(tipo: string, dove: string, dettaglio: string): void {
    this.violazioni.push({ tipo, dove, dettaglio });
  }

  /** A value computed from cells (a percentage, an average...) shown while an input is hidden. */
  derivato(valore: unknown, ingressi: unknown[], dove: string): void {
    if (valore === null || valore === undefined || valore === RISERVATO || valore === MENO_DI_TRE || valore === '') return;
    if (ingressi.some(nascosto)) this.violazione('derivato', dove, `${String(valore)} mostrato con un ingresso nascosto`);
  }
}

export type Domini = Map<string, Map<string, string[]>>;

// ---------------------------------------------------------------------------------------------

const nodo = (r: Raccolta, id: string): string[] => {
  if (id === 'amb') return r.comuni.map((c) => c.codice_istat);
  if (id.startsWith('c:')) return [id.slice(2)];
  if (id.startsWith('cl:')) return r.comuni.filter((c) => c.cluster === Number(id.slice(3))).map((c) => c.codice_istat);
  if (id.startsWith('d:')) return r.comuni.filter((c) => c.distretto === id.slice(2)).map((c) => c.codice_istat);
  throw new Error(`nodo sconosciuto ${id}`);
};

/** The comuni of a row of a "gruppi" table, from its label. */
const gruppo = (r: Raccolta, etichetta: string): string[] => {
  if (etichetta === 'Ambito') return nodo(r, 'amb');
  const k = /^Cluster (\d)/.exec(etichetta);
  if (k) return nodo(r, `cl:${k[1]}`);
  return nodo(r, `d:${etichetta.replace(/^Distretto di /, '')}`);
};

const tab = (doc: Documento, id: string): Tabella | undefined => doc.tabelle.find((t) => t.id === id);
const sint = (doc: Documento, k: string) => doc.sintesi.find((s) => s.chiave === k)?.valore;

/**
 * Rows sorted by a value (descending, ties by name). Under the documented rule 'valore' each
 * pair of neighbours is an inequality for the reader; under 'mostrato' the reader can check the
 * order follows from what is shown, and learns nothing.
 */
function ordinamento(r: Raccolta, righe: Riga[], valore: (x: Riga) => unknown, def: (x: Riga) => Def, nome: (x: Riga) => string, passo: number, dove: string): void {
  if (r.regole.ordine === 'mostrato') {
    const atteso = [...righe].sort((a, b) => {
      const va = valore(a);
      const vb = valore(b);
      const na = numero(va) ? va : null;
      const nb = numero(vb) ? vb : null;
      if (na !== null && nb !== null) return nb - na || nome(a).localeCompare(nome(b), 'it');
      if (na !== null) return -1;
      if (nb !== null) return 1;
      return nome(a).localeCompare(nome(b), 'it');
    });
    if (atteso.some((x, i) => x !== righe[i])) r.violazione('ordine', dove, 'le righe non seguono la regola documentata (numeri mostrati, poi le nascoste per nome)');
    return;
  }
  for (let i = 0; i + 1 < righe.length; i++) {
    const a = righe[i];
    const b = righe[i + 1];
    if (numero(valore(a)) && numero(valore(b))) continue;
    const stretto = nome(a).localeCompare(nome(b), 'it') > 0 ? passo : 0;
    r.ordine(def(a), def(b), stretto, `${dove} (ordine)`);
  }
}

// --- the family pages -------------------------------------------------------------------------

/**
 * «Anni a confronto» (table `anni`, docs/cruscotto.md): a row per year with the selection's
 * figures of that year's page, so each cell counts the same records as the year page's cell;
 * a variation is derived from the year and the one before, a percentage or an average from the
 * year's counts.
 */
function dichiaraAnni(r: Raccolta, doc: Documento, url: string, sel: string[]): void {
  const t = tab(doc, 'anni');
  if (!t) return;
  const conteggi: Record<string, (Y: string) => Def> = {
    accessi: (Y) => ({ fam: `accessi|${Y}`, filtro: { comune: sel } }),
    nuovi_accessi: (Y) => ({ fam: `accessi|${Y}`, filtro: { comune: sel, nuovo: ['1'] } }),
    n_prestazioni: (Y) => ({ fam: `erogazioni|${Y}`, filtro: { comune: sel } }),
    costo: (Y) => ({ fam: `costo|${Y}`, filtro: { comune: sel } }),
    quota_comune: (Y) => ({ fam: `quota_comune|${Y}`, filtro: { comune: sel } }),
    ...Object.fromEntries(MISURE_SOCIALI.map((m) => [m, (Y: string) => ({ fam: `${m}|${Y}`, filtro: { comune: sel } })])),
  };
  const derivati: Record<string, string[]> = {
    nuovi_percentuale: ['accessi', 'nuovi_accessi'],
    media_prestazione: ['n_prestazioni', 'quota_comune'],
  };
  t.righe.forEach((x, i) => {
    const Y = String(x.anno);
    const dove = `${url} anni[${Y}]`;
    for (const c of t.colonne) {
      if (c.chiave === 'anno') continue;
      const base = c.chiave.replace(/_variazione$/, '');
      if (c.chiave.endsWith('_variazione')) {
        const prima = i > 0 ? t.righe[i - 1][base] : null;
        r.derivato(x[c.chiave], [x[base], prima], `${dove}.${c.chiave}`);
      } else if (conteggi[c.chiave]) r.pubblica(conteggi[c.chiave](Y), x[c.chiave], `${dove}.${c.chiave}`);
      else if (derivati[c.chiave]) r.derivato(x[c.chiave], derivati[c.chiave].map((k) => x[k] ?? null), `${dove}.${c.chiave}`);
      else if (c.chiave === 'recuperi' && typeof x.recuperi === 'number') {
        // The sum of the year's four recoveries of the selection (each 0 when 0 in every row).
        const termini = IMPORTI.slice(2).map((m) => ({ def: { fam: `${m}|${Y}`, filtro: { comune: sel } }, coef: 1 }));
        for (const t of termini) r.nota(t.def);
        r.vincoli.push({ termini, min: x.recuperi - 0.006, max: x.recuperi + 0.006, dove: `${dove}.recuperi` });
      }
      // copertura: cartelle open over residents, as the page's own (the count is in `comuni`).
    }
  });
}

export function dichiaraSportello(r: Raccolta, doc: Documento, url: string): void {
  const Y = String(doc.filtri.anno);
  const fam = `accessi|${Y}`;
  const sel = nodo(r, doc.selezione!.id);
  const det = nodo(r, doc.dettaglio!.id);
  const area = doc.filtri.area as string | null;
  const motivo = doc.filtri.motivo as string | null;
  const acc = (comuni: string[], extra: Record<string, string[]> = {}): Def => ({ fam, filtro: { comune: comuni, ...extra } });
  const nuovi = (comuni: string[], extra: Record<string, string[]> = {}): Def => acc(comuni, { nuovo: ['1'], ...extra });

  r.pubblica(acc(sel), sint(doc, 'accessi'), `${url} sintesi.accessi`);
  r.pubblica(nuovi(sel), sint(doc, 'nuovi_accessi'), `${url} sintesi.nuovi_accessi`);
  r.derivato(sint(doc, 'nuovi_percentuale'), [sint(doc, 'accessi'), sint(doc, 'nuovi_accessi')], `${url} sintesi.nuovi_percentuale`);
  r.derivato(sint(doc, 'media_accessi'), [sint(doc, 'accessi')], `${url} sintesi.media_accessi`);
  r.derivato(sint(doc, 'media_nuovi'), [sint(doc, 'nuovi_accessi')], `${url} sintesi.media_nuovi`);
  r.pubblica(acc(nodo(r, 'amb')), sint(doc, 'accessi_ambito'), `${url} sintesi.accessi_ambito`);
  r.derivato(sint(doc, 'media_accessi_ambito'), [sint(doc, 'accessi_ambito')], `${url} sintesi.media_accessi_ambito`);

  const comuni = tab(doc, 'comuni');
  if (comuni) {
    for (const riga of comuni.righe) {
      const c = [String(riga.codice_istat)];
      const dove = `${url} comuni[${riga.comune}]`;
      r.pubblica(acc(c), riga.accessi, `${dove}.accessi`);
      r.pubblica(nuovi(c), riga.nuovi_accessi, `${dove}.nuovi_accessi`);
      r.derivato(riga.nuovi_percentuale, [riga.accessi, riga.nuovi_accessi], `${dove}.nuovi_percentuale`);
    }
    const tot = comuni.totali?.[0];
    if (tot) {
      r.pubblica(acc(sel), tot.accessi, `${url} comuni[Totale].accessi`);
      r.pubblica(nuovi(sel), tot.nuovi_accessi, `${url} comuni[Totale].nuovi_accessi`);
    }
    ordinamento(r, comuni.righe, (x) => x.accessi, (x) => acc([String(x.codice_istat)]), (x) => String(x.comune), 1, `${url} comuni`);
  }
  const gruppi = tab(doc, 'gruppi');
  for (const riga of gruppi?.righe ?? []) {
    const g = gruppo(r, String(riga.gruppo));
    const dove = `${url} gruppi[${riga.gruppo}]`;
    r.pubblica(acc(g), riga.accessi, `${dove}.accessi`);
    r.pubblica(nuovi(g), riga.nuovi_accessi, `${dove}.nuovi_accessi`);
    r.derivato(riga.media_accessi, [riga.accessi], `${dove}.media_accessi`);
    r.derivato(riga.media_nuovi, [riga.nuovi_accessi], `${dove}.media_nuovi`);
    r.derivato(riga.nuovi_percentuale, [riga.accessi, riga.nuovi_accessi], `${dove}.nuovi_percentuale`);
  }
  const aree = tab(doc, 'aree');
  for (const riga of aree?.righe ?? []) {
    const a = [String(riga.codice_area)];
    const dove = `${url} aree[${riga.codice_area}]`;
    r.pubblica(acc(det, { area: a }), riga.accessi, `${dove}.accessi`);
    r.pubblica(nuovi(det, { area: a }), riga.nuovi_accessi, `${dove}.nuovi_accessi`);
    r.derivato(riga.nuovi_percentuale, [riga.accessi, riga.nuovi_accessi], `${dove}.nuovi_percentuale`);
  }
  if (aree?.totali?.[0]) {
    r.pubblica(acc(det), aree.totali[0].accessi, `${url} aree[Totale].accessi`);
    r.pubblica(nuovi(det), aree.totali[0].nuovi_accessi, `${url} aree[Totale].nuovi_accessi`);
  }
  const areaF: Record<string, string[]> = area ? { area: [area] } : {};
  for (const [id, attr, chiaveRiga] of [['motivi', 'motivo', 'motivo'], ['problemi', 'problema', 'problema']] as const) {
    const t = tab(doc, id);
    if (!t) continue;
    // Where the motivo filter applies, as documented (REGOLE.motivoSoloProprio).
    const motivoVale = !!motivo && (r.udp || !r.regole.motivoSoloProprio || doc.dettaglio!.id === `c:${r.proprio}`);
    const restr: Record<string, string[]> = id === 'problemi' && motivoVale ? { motivo: [motivo!] } : {};
    const def = (cat: string): Def => acc(det, { ...areaF, ...restr, [attr]: [cat] });
    for (const riga of t.righe) {
      const dove = `${url} ${id}[${riga[chiaveRiga]}]`;
      r.pubblica(def(String(riga[chiaveRiga])), riga.n, `${dove}.n`);
      r.derivato(riga.percentuale, [riga.n, t.totali?.[0]?.n], `${dove}.percentuale`);
    }
    const listati = t.righe.map((x) => String(x[chiaveRiga]));
    const totDef = (dom: Domini) => acc(det, { ...areaF, ...restr, [attr]: (dom.get(fam)?.get(attr) ?? []).filter((x) => x !== NESSUNO) });
    const totale = t.totali?.[0]?.n;
    r.differiti.push((dom) => {
      r.pubblica(totDef(dom), totale, `${url} ${id}[Totale].n`);
      // Every category with at least one accesso is listed: the others are 0 here.
      for (const cat of dom.get(fam)?.get(attr) ?? []) if (cat !== NESSUNO && !listati.includes(cat)) r.zero(def(cat), `${url} ${id} (elenco completo)`);
    });
    ordinamento(r, t.righe, (x) => x.n, (x) => def(String(x[chiaveRiga])), (x) => String(x[chiaveRiga]), 1, `${url} ${id}`);
  }
  dichiaraAnni(r, doc, url, nodo(r, doc.selezione!.id));
}

export function dichiaraSociali(r: Raccolta, doc: Documento, url: string): void {
  const Y = String(doc.filtri.anno);
  const sel = nodo(r, doc.selezione!.id);
  const det = nodo(r, doc.dettaglio!.id);
  const def = (m: string, comuni: string[], extra: Record<string, string[]> = {}): Def => ({ fam: `${m}|${Y}`, filtro: { comune: comuni, ...extra } });
  for (const m of MISURE_SOCIALI) r.pubblica(def(m, sel), sint(doc, m), `${url} sintesi.${m}`);
  r.derivato(sint(doc, 'media_prese_in_carico'), [sint(doc, 'prese_in_carico')], `${url} sintesi.media_prese_in_carico`);
  r.derivato(sint(doc, 'media_beneficiari_anno'), [sint(doc, 'beneficiari_anno')], `${url} sintesi.media_beneficiari_anno`);
  r.pubblica(def('prese_in_carico', nodo(r, 'amb')), sint(doc, 'prese_in_carico_ambito'), `${url} sintesi.prese_in_carico_ambito`);
  const comuni = tab(doc, 'comuni');
  const riga = (x: Riga, comuniRiga: string[], dove: string) => {
    for (const m of MISURE_SOCIALI) r.pubblica(def(m, comuniRiga), x[m], `${dove}.${m}`);
    r.pubblica(def('aperte', comuniRiga), x.aperte, `${dove}.aperte`);
    r.derivato(x.copertura, [x.aperte], `${dove}.copertura`);
    if (x.fascia !== undefined && x.fascia !== 'riservato') r.derivato(x.fascia, [x.aperte], `${dove}.fascia`);
  };
  for (const x of comuni?.righe ?? []) riga(x, [String(x.codice_istat)], `${url} comuni[${x.comune}]`);
  if (comuni?.totali?.[0]) riga(comuni.totali[0], sel, `${url} comuni[Totale]`);
  if (comuni) ordinamento(r, comuni.righe, (x) => x.prese_in_carico, (x) => def('prese_in_carico', [String(x.codice_istat)]), (x) => String(x.comune), 1, `${url} comuni`);
  for (const x of tab(doc, 'gruppi')?.righe ?? []) {
    const g = gruppo(r, String(x.gruppo));
    const dove = `${url} gruppi[${x.gruppo}]`;
    for (const m of MISURE_SOCIALI) r.pubblica(def(m, g), x[m], `${dove}.${m}`);
    r.derivato(x.media_prese, [x.prese_in_carico], `${dove}.media_prese`);
    r.derivato(x.media_beneficiari, [x.beneficiari_anno], `${dove}.media_beneficiari`);
    r.derivato(x.copertura, [RISERVATO === x.copertura ? RISERVATO : null], `${dove}.copertura`);
  }
  const aree = tab(doc, 'aree');
  for (const x of aree?.righe ?? []) for (const m of MISURE_SOCIALI) r.pubblica(def(m, det, { area: [String(x.codice_area)] }), x[m], `${url} aree[${x.codice_area}].${m}`);
  if (aree?.totali?.[0]) for (const m of MISURE_SOCIALI) r.pubblica(def(m, det), aree.totali[0][m], `${url} aree[Totale].${m}`);
  // Coverage buckets: a comune whose count is hidden is in the bucket "non mostrata".
  const fasce = tab(doc, 'fasce');
  if (fasce && comuni) {
    const nascosti = new Set(comuni.righe.filter((x) => nascosto(x.aperte)).map((x) => String(x.comune)));
    for (const f of fasce.righe) {
      if (f.codice_fascia === 'riservato') continue;
      const elenco = String(f.elenco ?? '').split(', ').filter(Boolean);
      for (const n of elenco) if (nascosti.has(n)) r.violazione('derivato', `${url} fasce[${f.codice_fascia}]`, `${n}: fascia mostrata con le cartelle aperte nascoste`);
    }
  }
  dichiaraAnni(r, doc, url, nodo(r, doc.selezione!.id));
}

export function dichiaraEconomici(r: Raccolta, doc: Documento, url: string): void {
  const Y = String(doc.filtri.anno);
  const sel = nodo(r, doc.selezione!.id);
  const det = nodo(r, doc.dettaglio!.id);
  const area = doc.filtri.area as string | null;
  const def = (m: string, comuni: string[], extra: Record<string, string[]> = {}): Def => ({ fam: m === 'n' ? `erogazioni|${Y}` : `${m}|${Y}`, filtro: { comune: comuni, ...extra } });
  const riga = (x: Riga, comuni: string[], dove: string, extra: Record<string, string[]> = {}) => {
    r.pubblica(def('n', comuni, extra), x.n, `${dove}.n`);
    for (const m of IMPORTI) r.pubblica(def(m, comuni, extra), x[m], `${dove}.${m}`);
    r.derivato(x.media_prestazione, [x.n, x.quota_comune], `${dove}.media_prestazione`);
    r.derivato(x.recuperi, IMPORTI.slice(2).map((m) => x[m]).concat(x.recupero_assistito === undefined ? [nascosto(x.quota_comune) ? RISERVATO : null] : []), `${dove}.recuperi`);
  };
  const totali = tab(doc, 'totali');
  for (const x of totali?.righe ?? []) {
    const l = String(x.livello);
    const comuni = l === 'Ambito' ? nodo(r, 'amb') : l === doc.selezione!.etichetta ? sel : gruppo(r, l);
    riga(x, comuni, `${url} totali[${l}]`);
  }
  const prest = tab(doc, 'prestazioni');
  const areaF: Record<string, string[]> = area ? { area: [area] } : {};
  if (prest) {
    for (const x of prest.righe) riga(x, det, `${url} prestazioni[${x.codice_prestazione}]`, { ...areaF, codice: [String(x.codice_prestazione)] });
    if (prest.totali?.[0]) riga(prest.totali[0], det, `${url} prestazioni[Totale]`, areaF);
    const listati = prest.righe.map((x) => String(x.codice_prestazione));
    r.differiti.push((dom) => {
      for (const c of dom.get(`erogazioni|${Y}`)?.get('codice') ?? []) if (!listati.includes(c)) r.zero(def('n', det, { ...areaF, codice: [c] }), `${url} prestazioni (elenco completo)`);
    });
  }
  const comuni = tab(doc, 'comuni');
  for (const x of comuni?.righe ?? []) {
    const c = [String(x.codice_istat)];
    const dove = `${url} comuni[${x.comune}]`;
    r.pubblica(def('n', c), x.n, `${dove}.n`);
    r.pubblica(def('costo', c), x.costo, `${dove}.costo`);
    r.pubblica(def('quota_comune', c), x.quota_comune, `${dove}.quota_comune`);
    r.derivato(x.media_prestazione, [x.n, x.quota_comune], `${dove}.media_prestazione`);
  }
  if (comuni?.totali?.[0]) {
    const x = comuni.totali[0];
    r.pubblica(def('n', sel), x.n, `${url} comuni[Totale].n`);
    r.pubblica(def('costo', sel), x.costo, `${url} comuni[Totale].costo`);
    r.pubblica(def('quota_comune', sel), x.quota_comune, `${url} comuni[Totale].quota_comune`);
  }
  if (comuni) ordinamento(r, comuni.righe, (x) => x.quota_comune, (x) => def('quota_comune', [String(x.codice_istat)]), (x) => String(x.comune), 0.01, `${url} comuni`);
  for (const x of tab(doc, 'gruppi')?.righe ?? []) {
    const g = gruppo(r, String(x.gruppo));
    const dove = `${url} gruppi[${x.gruppo}]`;
    r.pubblica(def('n', g), x.n, `${dove}.n`);
    r.pubblica(def('costo', g), x.costo, `${dove}.costo`);
    r.pubblica(def('quota_comune', g), x.quota_comune, `${dove}.quota_comune`);
    r.derivato(x.media_prestazione, [x.n, x.quota_comune], `${dove}.media_prestazione`);
    r.derivato(x.quota_per_abitante, [x.quota_comune], `${dove}.quota_per_abitante`);
  }
  r.pubblica(def('n', sel), sint(doc, 'n_prestazioni'), `${url} sintesi.n_prestazioni`);
  r.pubblica(def('costo', sel), sint(doc, 'costo'), `${url} sintesi.costo`);
  r.pubblica(def('quota_comune', sel), sint(doc, 'quota_comune'), `${url} sintesi.quota_comune`);
  r.derivato(sint(doc, 'media_prestazione'), [sint(doc, 'n_prestazioni'), sint(doc, 'quota_comune')], `${url} sintesi.media_prestazione`);
  dichiaraAnni(r, doc, url, nodo(r, doc.selezione!.id));
}

export function dichiaraMese(r: Raccolta, doc: Documento, url: string): void {
  const mese = String(doc.filtri.mese);
  const [y, m] = mese.split('-');
  const prec = m === '01' ? `${Number(y) - 1}-12` : `${y}-${String(Number(m) - 1).padStart(2, '0')}`;
  const sel = nodo(r, doc.selezione!.id);
  const det = nodo(r, doc.dettaglio!.id);
  const area = doc.filtri.area as string | null;
  const fam = (misura: string, ym: string) => `${misura}|${ym.slice(0, 4)}`;
  const def = (misura: string, ym: string, comuni: string[], extra: Record<string, string[]> = {}): Def => ({ fam: fam(misura, ym), filtro: { comune: comuni, mese: [ym.slice(5, 7)], ...extra } });
  const MIS = ['accessi', 'cartelle', 'erogazioni'];
  for (const x of MIS) {
    r.pubblica(def(x, mese, sel), sint(doc, `${x}_mese`), `${url} sintesi.${x}_mese`);
    r.pubblica(def(x, prec, sel), sint(doc, `${x}_prec`), `${url} sintesi.${x}_prec`);
    r.derivato(sint(doc, `${x}_variazione`), [sint(doc, `${x}_mese`), sint(doc, `${x}_prec`)], `${url} sintesi.${x}_variazione`);
  }
  for (const x of tab(doc, 'confronto')?.righe ?? []) {
    const misura = String(x.codice_misura);
    r.pubblica(def(misura, mese, sel), x.mese, `${url} confronto[${misura}].mese`);
    r.pubblica(def(misura, prec, sel), x.precedente, `${url} confronto[${misura}].precedente`);
    r.derivato(x.variazione, [x.mese, x.precedente], `${url} confronto[${misura}].variazione`);
  }
  const comuni = tab(doc, 'comuni');
  const riga = (x: Riga, c: string[], dove: string) => {
    for (const misura of MIS) {
      r.pubblica(def(misura, mese, c), x[`${misura}_mese`], `${dove}.${misura}_mese`);
      r.pubblica(def(misura, prec, c), x[`${misura}_prec`], `${dove}.${misura}_prec`);
      r.derivato(x[`${misura}_variazione`], [x[`${misura}_mese`], x[`${misura}_prec`]], `${dove}.${misura}_variazione`);
    }
  };
  for (const x of comuni?.righe ?? []) riga(x, [String(x.codice_istat)], `${url} comuni[${x.comune}]`);
  if (comuni?.totali?.[0]) riga(comuni.totali[0], sel, `${url} comuni[Totale]`);
  if (comuni) ordinamento(r, comuni.righe, (x) => x.accessi_mese, (x) => def('accessi', mese, [String(x.codice_istat)]), (x) => String(x.comune), 1, `${url} comuni`);
  const areaF: Record<string, string[]> = area ? { area: [area] } : {};
  for (const [id, misura, attr] of [['top_motivi', 'accessi', 'motivo'], ['top_prestazioni', 'erogazioni', 'codice']] as const) {
    const t = tab(doc, id);
    // A list not published to this reader (no total row) says nothing.
    if (!t || !t.totali?.length) continue;
    const d = (cat: string): Def => def(misura, mese, det, { ...areaF, [attr]: [cat] });
    for (const x of t.righe) {
      r.pubblica(d(String(x.categoria)), x.n, `${url} ${id}[${x.categoria}].n`);
      r.derivato(x.percentuale, [x.n, t.totali?.[0]?.n], `${url} ${id}[${x.categoria}].percentuale`);
    }
    const listati = t.righe.map((x) => String(x.categoria));
    const ultimo = t.righe[t.righe.length - 1];
    const tot = t.totali?.[0]?.n;
    ordinamento(r, t.righe, (x) => x.n, (x) => d(String(x.categoria)), (x) => String(x.categoria), 1, `${url} ${id}`);
    r.differiti.push((dom) => {
      const cats = (dom.get(fam(misura, mese))?.get(attr) ?? []).filter((c) => c !== NESSUNO);
      r.pubblica(def(misura, mese, det, { ...areaF, [attr]: cats }), tot, `${url} ${id}[Totale].n`);
      for (const c of cats) {
        if (listati.includes(c)) continue;
        if (t.righe.length < 10) r.zero(d(c), `${url} ${id} (primi 10: gli altri sono 0)`);
        else if (r.regole.ordine === 'valore' || !nascosto(ultimo.n)) r.ordine(d(String(ultimo.categoria)), d(c), c.localeCompare(String(ultimo.categoria), 'it') < 0 ? 1 : 0, `${url} ${id} (primi 10)`);
      }
    });
  }
}

// --- digitalization: overview and scorecard -----------------------------------------------

const censo = (istat: string, metrica: string, fonte: 'siz' | 'dich', data = 'corrente'): Def => ({ fam: `censimento|${data}`, filtro: { comune: [istat], metrica: [metrica], fonte: [fonte] } });

function dichiaraDigitalizzazioneComune(r: Raccolta, x: Riga, istat: string, dove: string): void {
  r.pubblica(censo(istat, 'cartelle_attive', 'siz'), x.siz, `${dove}.siz`);
  r.pubblica(censo(istat, 'cartelle_attive', 'dich'), x.dichiarato, `${dove}.dichiarato`);
  const ingressi = [x.siz, x.dichiarato];
  r.derivato(x.digit_tot, ingressi, `${dove}.digit_tot`);
  r.derivato(x.mancanti_obiettivo, ingressi, `${dove}.mancanti_obiettivo`);
  if (x.stato !== 'Senza censimento') r.derivato(x.stato, ingressi, `${dove}.stato`);
  r.derivato(x.previsione_obiettivo === 'non prevedibile' ? null : x.previsione_obiettivo, ingressi, `${dove}.previsione_obiettivo`);
  if (x.a_rischio !== undefined && x.a_rischio !== 'no') r.derivato(x.a_rischio, ingressi, `${dove}.a_rischio`);
}

/** The group ratios (sums over the comuni with a declaration > 0), as the reader can place them. */
function rapportoGruppo(r: Raccolta, comuni: string[], metrica: string, valore: unknown, dichiarati: Map<string, unknown>, dove: string): void {
  if (!numero(valore) || !comuni.every((c) => dichiarati.has(`${c}|${metrica}`))) return;
  const con = comuni.filter((c) => {
    const d = dichiarati.get(`${c}|${metrica}`);
    return d !== null && d !== 0;
  });
  r.rapporti.push({ num: con.map((c) => censo(c, metrica, 'siz')), den: con.map((c) => censo(c, metrica, 'dich')), valore, dove });
}

export function dichiaraPanoramica(r: Raccolta, doc: Documento, url: string, dichiarati: Map<string, unknown>): void {
  const comuni = tab(doc, 'comuni');
  for (const x of comuni?.righe ?? []) {
    const istat = String(x.codice_istat);
    dichiaraDigitalizzazioneComune(r, x, istat, `${url} comuni[${x.comune}]`);
    r.derivato(x.digit_tutela, nascosto(x.siz) || nascosto(x.dichiarato) ? [RISERVATO] : [], `${url} comuni[${x.comune}].digit_tutela`);
  }
  if (comuni) {
    const ordina = doc.filtri.ordina;
    if (ordina === 'digit') {
      const atteso = [...comuni.righe].sort((a, b) => (numero(b.digit_tot) ? b.digit_tot : -1) - (numero(a.digit_tot) ? a.digit_tot : -1) || String(a.comune).localeCompare(String(b.comune), 'it'));
      if (atteso.some((x, i) => x !== comuni.righe[i])) r.violazione('ordine', `${url} comuni`, "l'ordine non segue la digitalizzazione mostrata");
    }
    // Counts of comuni per stato: only the comuni whose stato is shown.
    if (doc.selezione?.id === 'amb') {
      for (const t of ['cluster', 'distretti']) {
        for (const g of tab(doc, t)?.righe ?? []) {
          const membri = new Set(gruppo(r, t === 'cluster' ? String(g.gruppo) : `Distretto di ${g.gruppo}`));
          const righe = comuni.righe.filter((x) => membri.has(String(x.codice_istat)));
          for (const [stato, etichetta] of [['critico', 'Critico'], ['in_corso', 'In corso'], ['raggiunto', 'Obiettivo raggiunto'], ['senza_censimento', 'Senza censimento']]) {
            const n = g[stato];
            if (numero(n) && n !== righe.filter((x) => x.stato === etichetta).length) r.violazione('conteggio stati', `${url} ${t}[${g.gruppo}].${stato}`, `${n} comuni contati, ${righe.filter((x) => x.stato === etichetta).length} mostrati con quello stato`);
          }
          rapportoGruppo(r, [...membri], 'cartelle_attive', g.digit, dichiarati, `${url} ${t}[${g.gruppo}].digit`);
          if (t === 'cluster') rapportoGruppo(r, [...membri], 'cartelle_attive_tutela', g.digit_tutela, dichiarati, `${url} ${t}[${g.gruppo}].digit_tutela`);
        }
      }
      rapportoGruppo(r, nodo(r, 'amb'), 'cartelle_attive', sint(doc, 'digit_ambito'), dichiarati, `${url} sintesi.digit_ambito`);
      rapportoGruppo(r, nodo(r, 'amb'), 'cartelle_attive_tutela', sint(doc, 'digit_ambito_tutela'), dichiarati, `${url} sintesi.digit_ambito_tutela`);
    }
  }
  for (const x of tab(doc, 'a_rischio')?.righe ?? []) {
    const riga = comuni?.righe.find((c) => c.codice_istat === x.codice_istat);
    if (riga && (nascosto(riga.siz) || nascosto(riga.dichiarato))) r.violazione('derivato', `${url} a_rischio[${x.comune}]`, 'comune elencato a rischio con le cifre nascoste');
  }
}

export function dichiaraScheda(r: Raccolta, doc: Documento & { comune?: { codice_istat: string } }, url: string, dichiarati: Map<string, unknown>, digitVisibili: Map<string, unknown>): void {
  const istat = doc.comune!.codice_istat;
  const met = tab(doc, 'metriche');
  for (const x of met?.righe ?? []) {
    const m = String(x.codice_metrica);
    r.pubblica(censo(istat, m, 'siz'), x.siz, `${url} metriche[${m}].siz`);
    r.pubblica(censo(istat, m, 'dich'), x.dichiarato, `${url} metriche[${m}].dichiarato`);
    r.derivato(x.percentuale, [x.siz, x.dichiarato], `${url} metriche[${m}].percentuale`);
    if (x.rispetto_obiettivo !== 'riservato') r.derivato(x.rispetto_obiettivo, [x.siz, x.dichiarato], `${url} metriche[${m}].rispetto_obiettivo`);
  }
  const attive = met?.righe.find((x) => x.codice_metrica === 'cartelle_attive');
  const ingressi = [attive?.siz, attive?.dichiarato];
  for (const k of ['digit_tot', 'mancanti_obiettivo', 'previsione_obiettivo']) r.derivato(sint(doc, k), ingressi, `${url} sintesi.${k}`);
  if (sint(doc, 'stato') !== 'Senza censimento') r.derivato(sint(doc, 'stato'), ingressi, `${url} sintesi.stato`);
  // Rank among peers.
  const conf = tab(doc, 'confronto');
  const comune = r.comuni.find((c) => c.codice_istat === istat)!;
  for (const x of conf?.righe.slice(1) ?? []) {
    const l = String(x.livello);
    const peers = l === 'Ambito' ? nodo(r, 'amb') : l.startsWith('Cluster') ? nodo(r, `cl:${comune.cluster}`) : nodo(r, `d:${comune.distretto}`);
    rapportoGruppo(r, peers, 'cartelle_attive', x.digit, dichiarati, `${url} confronto[${l}].digit`);
    if (typeof x.posizione === 'string' && /^\d+° su \d+$/.test(x.posizione)) {
      const dX = conf!.righe[0].digit;
      if (!numero(dX)) {
        r.violazione('posizione', `${url} confronto[${l}].posizione`, 'posizione mostrata con la digitalizzazione del comune nascosta');
      } else if (r.regole.posizioneSuTutti) {
        const incerti = peers.filter((c) => c !== istat && nascosto(digitVisibili.get(c)));
        r.rangi.push({ sopra: incerti.map((c) => ({ num: censo(c, 'cartelle_attive', 'siz'), den: censo(c, 'cartelle_attive', 'dich'), soglia: dX + 0.005 })), dove: `${url} confronto[${l}].posizione` });
      }
    }
  }
  for (const x of tab(doc, 'pari')?.righe ?? []) {
    if (nascosto(x.digit_tot) && x.stato !== 'Senza censimento') r.derivato(x.stato, [x.digit_tot], `${url} pari[${x.comune}].stato`);
  }
  // The trend: the last point is the latest reconciliation (the figures above).
  const and = tab(doc, 'andamento');
  const punti = and?.righe ?? [];
  punti.forEach((x, i) => {
    const data = i === punti.length - 1 ? 'corrente' : String(x.data);
    r.pubblica(censo(istat, 'cartelle_attive', 'siz', data), x.siz, `${url} andamento[${x.data}].siz`);
    r.pubblica(censo(istat, 'cartelle_attive', 'dich', data), x.dichiarato, `${url} andamento[${x.data}].dichiarato`);
    r.derivato(x.digit_tot, [x.siz, x.dichiarato], `${url} andamento[${x.data}].digit_tot`);
  });
  // The year's activity: the family pages' own cells for this comune.
  const Y = String(doc.filtri.anno);
  const att = tab(doc, 'attivita');
  const voce = (v: string) => att?.righe.find((x) => x.voce === v)?.valore;
  const c = [istat];
  r.pubblica({ fam: `accessi|${Y}`, filtro: { comune: c } }, voce('Accessi allo sportello'), `${url} attivita.accessi`);
  r.pubblica({ fam: `accessi|${Y}`, filtro: { comune: c, nuovo: ['1'] } }, voce('di cui nuovi accessi'), `${url} attivita.nuovi_accessi`);
  r.pubblica({ fam: `prese_in_carico|${Y}`, filtro: { comune: c } }, voce('Prese in carico (persone)'), `${url} attivita.prese_in_carico`);
  r.pubblica({ fam: `beneficiari_anno|${Y}`, filtro: { comune: c } }, voce("Beneficiari dell'anno"), `${url} attivita.beneficiari_anno`);
  r.pubblica({ fam: `erogazioni|${Y}`, filtro: { comune: c } }, voce('Prestazioni erogate'), `${url} attivita.n_prestazioni`);
  r.pubblica({ fam: `quota_comune|${Y}`, filtro: { comune: c } }, voce('Spesa a carico del comune (€)'), `${url} attivita.quota_comune`);
  // Data-quality findings of the comune, sorted by count, first 8.
  const q = tab(doc, 'qualita');
  if (q) {
    const d = (k: string): Def => ({ fam: 'qualita', filtro: { comune: c, controllo: [k] } });
    for (const x of q.righe) r.pubblica(d(String(x.codice_controllo)), x.segnalazioni, `${url} qualita[${x.codice_controllo}].segnalazioni`);
    ordinamento(r, q.righe, (x) => x.segnalazioni, (x) => d(String(x.codice_controllo)), (x) => String(x.codice_controllo), 1, `${url} qualita`);
    const listati = q.righe.map((x) => String(x.codice_controllo));
    const ultimo = q.righe[q.righe.length - 1];
    r.differiti.push((dom) => {
      for (const k of dom.get('qualita')?.get('controllo') ?? []) {
        if (listati.includes(k)) continue;
        if (q.righe.length < 8) r.zero(d(k), `${url} qualita (elenco)`);
        else if (r.regole.ordine === 'valore') r.ordine(d(String(ultimo.codice_controllo)), d(k), k.localeCompare(String(ultimo.codice_controllo)) < 0 ? 1 : 0, `${url} qualita (primi 8)`);
      }
    });
  }
  dichiaraAnni(r, doc, url, [istat]);
}

// --- /analisi/ripartizioni (docs/analisi.md, "Ripartizioni") -----------------------------------

export const FASCE = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75-84', '85+'];
/** Table id -> the attribute its rows filter on (families `accessi|Y` and `persone_sportello|Y`). */
export const ATTRIBUTI_RIPARTIZIONI: Record<string, string> = { punti: 'punto', sesso: 'sesso', eta: 'fascia', nascita: 'nascita' };

/** The tables of the people taken in charge (server/analisi/ripartizioni-sociali.ts): their attribute. */
export const ATTRIBUTI_PRESE: Record<string, string> = { prese_sesso: 'sesso', prese_eta: 'fascia', prese_nascita: 'nascita' };

export interface DocumentoRipartizioniPubblico {
  anno: number | null;
  totale: { accessi: unknown; persone: unknown; prese_in_carico?: unknown };
  tabelle: { id: string; righe: { codice: string; categoria: string; accessi: unknown; persone: unknown }[]; totale?: { accessi: unknown; persone: unknown } }[];
}

/**
 * The breakdowns of a year: accessi by punto, sesso, band and country are the sportello's
 * accessi of the year (`accessi|Y`, the same family as /sportello, so its totals are the same
 * cells); people are `persone_sportello|Y`, the distinct people of the ambito (no comune: a
 * person may go to two comuni). The own comune's people are a part of the ambito's people the
 * reader knows: each is a lower bound of the ambito's figure. A category not listed is 0 (every
 * category with an accesso is listed). `comune`: the own comune of the document, or null.
 */
export function dichiaraRipartizioni(r: Raccolta, doc: DocumentoRipartizioniPubblico, url: string, comune: string | null): void {
  const fam = `accessi|${doc.anno}`;
  const famP = `persone_sportello|${doc.anno}`;
  const sel = comune ? [comune] : nodo(r, 'amb');
  const cat = (c: string) => (c === '' ? NESSUNO : c);
  const acc = (extra: Record<string, string[]> = {}): Def => ({ fam, filtro: { comune: sel, ...extra } });
  const per = (extra: Record<string, string[]> = {}): Def => ({ fam: famP, filtro: extra });
  const persone = (def: Def, v: unknown, dove: string) => {
    if (comune) {
      if (numero(v) && v > 0) r.almeno(def, v, dove);
    } else r.pubblica(def, v, dove);
  };
  r.pubblica(acc(), doc.totale.accessi, `${url} totale.accessi`);
  persone(per(), doc.totale.persone, `${url} totale.persone`);
  // The people taken in charge: the Sociali page's prese_in_carico of the same year (the same
  // family, so its totals are the same figures), by sesso, band and country.
  const pre = (extra: Record<string, string[]> = {}): Def => ({ fam: `prese_in_carico|${doc.anno}`, filtro: { comune: sel, ...extra } });
  if (doc.totale.prese_in_carico !== undefined) r.pubblica(pre(), doc.totale.prese_in_carico, `${url} totale.prese_in_carico`);
  for (const t of doc.tabelle) {
    const attr = ATTRIBUTI_PRESE[t.id];
    if (!attr) continue;
    const righe = t.righe as unknown as { codice: string; categoria: string; persone: unknown }[];
    const totale = t.totale as unknown as { persone: unknown } | undefined;
    if (totale) r.pubblica(pre(), totale.persone, `${url} ${t.id}[Totale].persone`);
    for (const riga of righe) r.pubblica(pre({ [attr]: [cat(riga.codice)] }), riga.persone, `${url} ${t.id}[${riga.categoria}].persone`);
    const listati = righe.map((x) => cat(x.codice));
    if (righe.length || !totale || totale.persone === 0) {
      r.differiti.push((dom) => {
        for (const c of dom.get(`prese_in_carico|${doc.anno}`)?.get(attr) ?? []) if (!listati.includes(c)) r.zero(pre({ [attr]: [c] }), `${url} ${t.id} (elenco completo)`);
      });
    }
    if (attr === 'nascita') ordinamento(r, righe as unknown as Riga[], (x) => x.persone, (x) => pre({ [attr]: [cat(String(x.codice))] }), (x) => String(x.categoria), 1, `${url} ${t.id}`);
  }
  for (const t of doc.tabelle) {
    const attr = ATTRIBUTI_RIPARTIZIONI[t.id];
    if (!attr) continue;
    if (t.totale) {
      r.pubblica(acc(), t.totale.accessi, `${url} ${t.id}[Totale].accessi`);
      persone(per(), t.totale.persone, `${url} ${t.id}[Totale].persone`);
    }
    for (const riga of t.righe) {
      const dove = `${url} ${t.id}[${riga.categoria}]`;
      r.pubblica(acc({ [attr]: [cat(riga.codice)] }), riga.accessi, `${dove}.accessi`);
      // People by punto do not add up over punti: a published figure with no relation.
      if (attr !== 'punto') persone(per({ [attr]: [cat(riga.codice)] }), riga.persone, `${dove}.persone`);
    }
    const listati = t.righe.map((x) => cat(x.codice));
    if (t.righe.length || !t.totale || t.totale.accessi === 0) {
      r.differiti.push((dom) => {
        for (const c of dom.get(fam)?.get(attr) ?? []) if (!listati.includes(c)) r.zero(acc({ [attr]: [c] }), `${url} ${t.id} (elenco completo)`);
      });
    }
    if (attr === 'punto' || attr === 'nascita') ordinamento(r, t.righe as unknown as Riga[], (x) => x.accessi, (x) => acc({ [attr]: [cat(String(x.codice))] }), (x) => String(x.categoria), 1, `${url} ${t.id}`);
  }
}
