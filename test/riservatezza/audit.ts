/**
 * The disclosure audit as a reader runs it: sign in as an account, fetch every page's JSON
 * twin for every filter combination of the plan (and the CSV of every table, compared with the
 * JSON), declare what each cell counts (dichiarazioni.ts) and solve (modello.ts).
 */
import type { Documento } from '../../server/cruscotto/documento';
import { tabellaCsv } from '../../server/cruscotto/tabella';
import { Audit, chiaveDef, Fuga, MENO_DI_TRE, RISERVATO, Risultato } from './modello';
import { csvTabella, TabellaAnalisi } from '../../server/analisi/tabella';
import { AREE, ComunePubblico, dichiaraEconomici, dichiaraRipartizioni, DocumentoRipartizioniPubblico, FASCE, dichiaraMese, dichiaraPanoramica, dichiaraScheda, dichiaraSociali, dichiaraSportello, Domini, IMPORTI, MESI, MISURE_SOCIALI, NESSUNO, Raccolta, Regole } from './dichiarazioni';

export interface Lettore {
  /** GET as the account; null when the page answers 400/403/404 (not published to it). */
  get(path: string): Promise<{ status: number; text: string }>;
}

export interface Piano {
  anni: number[];
  /** Months YYYY-MM to read on the monthly page. */
  mesi: string[];
  /** Every comune, cluster and distretto as a selection (else: the ambito and the own comune). */
  tutteLeSelezioni: boolean;
  /** Area and motivo filters on the breakdowns (ambito and own comune). */
  filtriDettaglio: boolean;
  /** Fetch the CSV of one document in `csvOgni` and compare it with its JSON (1 = all). */
  csvOgni: number;
}

export interface Rapporto extends Risultato {
  documenti: number;
  csv: number;
  perPagina: Record<string, Record<string, number>>;
  esempi: Fuga[];
  letturaMs: number;
  /**
   * The kinds of hidden cell the run met (page and its kind of filters, place in the document,
   * family and the attributes it restricts, `<3` or `riservato`): what a set of data sets
   * covers (casuale-cli.ts --tipi compares the seeds).
   */
  tipiNascosti: string[];
}

export async function verifica(opts: {
  lettore: Lettore;
  verita?: Lettore;
  proprio: string | null;
  comuni: ComunePubblico[];
  piano: Piano;
  regole: Regole;
  oggi: string;
  /** Progress on stderr (long runs). */
  avanzamento?: (testo: string) => void;
}): Promise<Rapporto> {
  const t0 = Date.now();
  const { lettore, piano, proprio, comuni } = opts;
  const r = new Raccolta(comuni, opts.regole, proprio);
  const verita = opts.verita ? new Raccolta(comuni, opts.regole, null, true) : null;
  let documenti = 0;
  let csv = 0;
  const leggi = async (path: string): Promise<Documento | null> => {
    const res = await lettore.get(path);
    if (res.status !== 200) {
      if (res.status >= 500) throw new Error(`${path}: ${res.status}`);
      return null;
    }
    documenti++;
    if (opts.avanzamento && documenti % 100 === 0) opts.avanzamento(`${documenti} documenti letti (${path})`);
    const doc = JSON.parse(res.text) as Documento;
    if (piano.csvOgni > 0 && documenti % piano.csvOgni === 0) {
      for (const t of doc.tabelle) {
        const c = await lettore.get(`${path}${path.includes('?') ? '&' : '?'}formato=csv&tabella=${t.id}`);
        csv++;
        if (c.text.replace(/^\uFEFF/, '') !== tabellaCsv(t).replace(/^\uFEFF/, '')) r.violazione('csv diverso dal JSON', `${path} ${t.id}`, 'il CSV non è la tabella del JSON');
      }
    }
    return doc;
  };
  const leggiVerita = async (path: string): Promise<Documento | null> => {
    if (!opts.verita || /[?&]area=/.test(path)) return null;
    const res = await opts.verita.get(path);
    return res.status === 200 ? (JSON.parse(res.text) as Documento) : null;
  };

  // Selections: the ambito, clusters, distretti, comuni (or only the ambito and the own comune).
  const cluster = [...new Set(comuni.map((c) => c.cluster))].sort();
  const distretti = [...new Set(comuni.map((c) => c.distretto))].sort();
  const selezioni: string[] = [''];
  if (piano.tutteLeSelezioni) {
    for (const k of cluster) selezioni.push(`cluster=${k}`);
    for (const d of distretti) selezioni.push(`vista=distretto&distretto=${encodeURIComponent(d)}`);
    selezioni.push('vista=distretto');
    for (const c of comuni) selezioni.push(`comune=${c.codice_istat}`);
  } else if (proprio) selezioni.push(`comune=${proprio}`);
  const dettagli = ['', ...(proprio ? [`comune=${proprio}`] : [])];
  const q = (...p: string[]) => {
    const s = p.filter(Boolean).join('&');
    return s ? `?${s}` : '';
  };

  const dichiara = async (path: string, f: (x: Raccolta, d: Documento, url: string) => void) => {
    const doc = await leggi(path);
    if (doc) f(r, doc, path);
    const vero = verita ? await leggiVerita(path) : null;
    if (vero && verita) f(verita, vero, path);
    return doc;
  };

  // Digitalization: the overview and every scorecard.
  const pano = await leggi('/api/panoramica');
  const dichiarati = new Map<string, unknown>();
  const digit = new Map<string, unknown>();
  for (const x of pano?.tabelle.find((t) => t.id === 'comuni')?.righe ?? []) {
    dichiarati.set(`${x.codice_istat}|cartelle_attive`, x.dichiarato);
    digit.set(String(x.codice_istat), x.digit_tot);
  }
  const schede: [string, Documento][] = [];
  for (const c of comuni) {
    for (const anno of c.codice_istat === proprio || piano.tutteLeSelezioni ? piano.anni : piano.anni.slice(0, 1)) {
      const path = `/api/comuni/${c.codice_istat}${q(`anno=${anno}`)}`;
      const doc = await leggi(path);
      if (!doc) continue;
      schede.push([path, doc]);
      for (const x of doc.tabelle.find((t) => t.id === 'metriche')?.righe ?? []) dichiarati.set(`${c.codice_istat}|${x.codice_metrica}`, x.dichiarato);
    }
  }
  for (const [path, doc] of schede) dichiaraScheda(r, doc, path, dichiarati, digit);
  for (const sel of ['', ...cluster.map((k) => `cluster=${k}`), ...distretti.map((d) => `vista=distretto&distretto=${encodeURIComponent(d)}`)]) {
    for (const ordina of ['', 'ordina=nome', 'ordina=stato']) {
      const doc = await leggi(`/api/panoramica${q(sel, ordina)}`);
      if (doc) dichiaraPanoramica(r, doc, `/api/panoramica${q(sel, ordina)}`, dichiarati);
    }
  }

  for (const anno of piano.anni) {
    const A = `anno=${anno}`;
    const motiviAnno = new Set<string>();
    for (const sel of selezioni) {
      const doc = await dichiara(`/api/sportello${q(A, sel)}`, dichiaraSportello);
      for (const x of doc?.tabelle.find((t) => t.id === 'motivi')?.righe ?? []) motiviAnno.add(String(x.motivo));
      await dichiara(`/api/sociali${q(A, sel)}`, dichiaraSociali);
      await dichiara(`/api/economici${q(A, sel)}`, dichiaraEconomici);
    }
    if (piano.filtriDettaglio) {
      for (const sel of dettagli) {
        for (const area of ['', ...AREE.map((a) => `area=${a}`)]) {
          await dichiara(`/api/sportello${q(A, sel, area)}`, dichiaraSportello);
          for (const m of [...motiviAnno].sort()) await dichiara(`/api/sportello${q(A, sel, area, `motivo=${encodeURIComponent(m)}`)}`, dichiaraSportello);
          if (area) {
            await dichiara(`/api/sociali${q(A, sel, area)}`, dichiaraSociali);
            await dichiara(`/api/economici${q(A, sel, area)}`, dichiaraEconomici);
          }
        }
      }
    }
  }
  // The breakdowns (/analisi/ripartizioni): the ambito and the own comune, each year (the only
  // selections a non-UdP account may open; a whole year is the only period on the ambito).
  for (const anno of piano.anni) {
    for (const sel of dettagli) {
      const path = `/api/analisi/ripartizioni${q(`anno=${anno}`, sel)}`;
      const res = await lettore.get(path);
      if (res.status !== 200) {
        if (res.status >= 500) throw new Error(`${path}: ${res.status}`);
        continue;
      }
      documenti++;
      const doc = JSON.parse(res.text) as DocumentoRipartizioniPubblico & { tabelle: TabellaAnalisi[] };
      if (piano.csvOgni > 0) {
        for (const t of doc.tabelle) {
          const c = await lettore.get(`${path}&formato=csv&tabella=${t.id}`);
          csv++;
          if (c.text.replace(/^\uFEFF/, '') !== csvTabella(t).replace(/^\uFEFF/, '')) r.violazione('csv diverso dal JSON', `${path} ${t.id}`, 'il CSV non è la tabella del JSON');
        }
      }
      dichiaraRipartizioni(r, doc, path, sel ? sel.slice('comune='.length) : null);
    }
  }
  for (const mese of piano.mesi) {
    const M = `mese=${mese}`;
    for (const sel of selezioni) await dichiara(`/api/mese${q(M, sel)}`, dichiaraMese);
    if (piano.filtriDettaglio) for (const sel of dettagli) for (const area of AREE) await dichiara(`/api/mese${q(M, sel, `area=${area}`)}`, dichiaraMese);
  }
  const letturaMs = Date.now() - t0;

  // Families and their complete domains: what the reader knows from every page together.
  const audit = new Audit(proprio);
  const tutti = comuni.map((c) => c.codice_istat);
  const dom: Domini = new Map();
  const visti = (fam: string, attr: string) => [...(r.valori.get(fam)?.get(attr) ?? [])];
  const famiglie = new Set([...r.valori.keys()]);
  for (const fam of famiglie) {
    const [nome, periodo] = fam.split('|');
    let attributi: Record<string, string[]>;
    let tipo: 'conteggio' | 'importo' = 'conteggio';
    let componente = fam;
    // The breakdowns' categories (punto, sesso, band, country): complete lists, '∅' = not known.
    const ripartizioni = (f: string) => ({ sesso: ['F', 'M', NESSUNO], fascia: [...FASCE, NESSUNO], nascita: [...visti(f, 'nascita').filter((x) => x !== NESSUNO), NESSUNO] });
    if (nome === 'accessi') attributi = { comune: tutti, mese: MESI, area: AREE, motivo: [...visti(fam, 'motivo').filter((x) => x !== NESSUNO), NESSUNO], problema: [...visti(fam, 'problema').filter((x) => x !== NESSUNO), NESSUNO], nuovo: ['0', '1'], ...ripartizioni(fam), punto: [...visti(fam, 'punto').filter((x) => x !== NESSUNO), NESSUNO] };
    else if (nome === 'persone_sportello') attributi = ripartizioni(fam);
    else if (nome === 'cartelle') attributi = { comune: tutti, mese: MESI };
    else if (nome === 'erogazioni' || IMPORTI.includes(nome)) {
      componente = `economici|${periodo}`;
      tipo = nome === 'erogazioni' ? 'conteggio' : 'importo';
      const codici = [...new Set([...visti(`erogazioni|${periodo}`, 'codice'), ...IMPORTI.flatMap((i) => visti(`${i}|${periodo}`, 'codice'))])];
      attributi = nome === 'erogazioni' ? { comune: tutti, mese: MESI, codice: codici.length ? codici : ['-'], area: AREE } : { comune: tutti, codice: codici.length ? codici : ['-'], area: AREE };
    } else if (nome === 'prese_in_carico') attributi = { comune: tutti, area: AREE, ...ripartizioni(fam) };
    else if (MISURE_SOCIALI.includes(nome)) attributi = { comune: tutti, area: AREE };
    else if (nome === 'aperte') attributi = { comune: tutti };
    else if (nome === 'censimento') {
      componente = 'censimento';
      attributi = { comune: tutti, metrica: ['cartelle_attive', 'cartelle_attive_tutela', 'utenti_in_carico', 'utenti_in_carico_tutela', 'cartelle_aperte_periodo', 'utenti_nuovi_periodo', 'cartelle_chiuse_periodo', 'utenti_senza_cartella_periodo'], fonte: ['siz', 'dich'] };
    } else if (nome === 'qualita') attributi = { comune: tutti, controllo: visti(fam, 'controllo') };
    else throw new Error(`famiglia sconosciuta ${fam}`);
    audit.famiglia({ nome: fam, componente, tipo, attributi });
    dom.set(fam, new Map(Object.entries(attributi)));
  }
  for (const f of r.differiti) f(dom);
  if (verita) for (const f of verita.differiti) f(dom);
  const veri = new Map<string, number>();
  for (const p of verita?.pubblicazioni ?? []) {
    if (typeof p.mostrato !== 'number' || !audit.haFamiglia(p.def.fam)) continue;
    try {
      veri.set(chiaveDef(normalizza(audit, p.def)), p.mostrato);
    } catch {
      // a value outside the reader's domain: not used
    }
  }
  for (const p of r.pubblicazioni) {
    const d = normalizza(audit, p.def);
    audit.pubblica(d, p.mostrato, p.dove, veri.get(chiaveDef(d)));
  }
  for (const v of r.vincoli) audit.vincolo(v.termini, v.min, v.max, v.dove);
  for (const x of r.rapporti) audit.rapporto(x.num, x.den, x.valore, x.dove);
  for (const x of r.rangi) audit.rango(x.sopra, x.dove);
  for (const v of r.violazioni) audit.violazione(v.tipo, v.dove, v.dettaglio);
  opts.avanzamento?.(`${documenti} documenti letti in ${((Date.now() - t0) / 1000).toFixed(0)} s; programmi lineari...`);
  const ris = await audit.esegui({ verificaVerita: !!verita, avanzamento: opts.avanzamento });
  const perPagina: Record<string, Record<string, number>> = {};
  for (const f of ris.fughe) {
    const pagina = f.dove.split('?')[0].split(' ')[0].replace(/\/\d{6}$/, '/:istat');
    perPagina[pagina] ??= {};
    perPagina[pagina][f.tipo] = (perPagina[pagina][f.tipo] ?? 0) + 1;
  }
  const tipiNascosti = [...new Set(r.pubblicazioni.filter((p) => p.mostrato === MENO_DI_TRE || p.mostrato === RISERVATO).map((p) => tipoDi(p, comuni.length)))].sort();
  return { ...ris, documenti, csv, perPagina, esempi: esempi(ris.fughe), letturaMs, tipiNascosti, millisecondi: Date.now() - t0 };
}

/** The kind of a published cell (Rapporto.tipiNascosti), without the values of its filters. */
function tipoDi(p: { def: { fam: string; filtro: Record<string, readonly string[]> }; mostrato: unknown; dove: string }, nComuni: number): string {
  const [url, ...resto] = p.dove.split(' ');
  const [pagina, qs] = url.split('?');
  const chiavi = [...new Set(new URLSearchParams(qs ?? '').keys())].filter((k) => k !== 'anno' && k !== 'mese').sort().join('&');
  const luogo = resto.join(' ').replace(/\[[^\]]*\]/g, '[]');
  const attributi = Object.keys(p.def.filtro)
    .sort()
    .map((k) => (k !== 'comune' ? k : `comune:${p.def.filtro.comune.length === 1 ? 'uno' : p.def.filtro.comune.length >= nComuni ? 'tutti' : 'alcuni'}`))
    .join(',');
  return `${pagina.replace(/\/\d{6}$/, '/:istat')}?${chiavi} ${luogo} ${p.def.fam.split('|')[0]}{${attributi}} ${String(p.mostrato)}`;
}

/** The domain's own order of values (the audit compares filters as sets). */
function normalizza(audit: Audit, d: { fam: string; filtro: Record<string, readonly string[]> }) {
  const f = audit.famigliaDi(d.fam);
  const filtro: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(d.filtro)) {
    const dom = f.attributi[k];
    const u = [...new Set(v)].filter((x) => dom.includes(x));
    if (u.length < dom.length) filtro[k] = u;
  }
  return { fam: d.fam, filtro };
}

function esempi(fughe: Fuga[]): Fuga[] {
  const per = new Map<string, Fuga[]>();
  for (const f of fughe) {
    const l = per.get(f.tipo) ?? per.set(f.tipo, []).get(f.tipo)!;
    if (l.length < 3) l.push(f);
  }
  return [...per.values()].flat();
}

export function descrivi(r: Rapporto): string {
  const righe = [
    `documenti letti: ${r.documenti} (CSV confrontati: ${r.csv}); celle pubblicate: ${r.occorrenze} occorrenze, ${r.celleMostrate} cifre distinte mostrate, ${r.celleNascoste} nascoste (${r.occorrenzeNascoste} occorrenze)`,
    `programmi lineari: ${r.programmi} componenti su ${r.componenti}; tempo: lettura ${(r.letturaMs / 1000).toFixed(1)} s, totale ${(r.millisecondi / 1000).toFixed(1)} s`,
    `celle ricavabili o regole violate: ${r.fughe.length}`,
  ];
  for (const [p, k] of Object.entries(r.perPagina)) righe.push(`  ${p}: ${Object.entries(k).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  for (const e of r.esempi) righe.push(`  esempio [${e.tipo}] ${e.dove}: ${e.dettaglio}`);
  return righe.join('\n');
}
