/**
 * `cruscotto genera`: a deterministic synthetic data set that follows the data contract
 * (comuni registry, SIZ extract, census return, two civil-registry snapshots, deadlines),
 * with a realistic sprinkling of data-quality problems. Same (seme, scala, oggi) ->
 * byte-identical files. Everything is streamed to disk one household at a time, so the
 * regione scale (~10 million residents) runs in bounded memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GeneratoreAnagrafe, HEADER_ANAGRAFE } from './anagrafe';
import { comuniPerNomi, scriviCensimento } from './censimento';
import { Comune, comuniAmbito } from './comuni';
import { Contatori, nuovaUnita } from './contatori';
import { Contesto } from './contesto';
import { CsvWriter, Writers, writeSmall } from './csv-writer';
import { dayFromIso, dayFromParts, isoFromDay } from './date';
import { Formato } from './formato';
import { Nomenclatore } from './nomenclatore';
import { generaOperatori } from './operatori';
import { PARAMETRI, Scala, SCALE } from './parametri';
import { Famiglia, GeneratoreFamiglie } from './persone';
import { Problemi } from './problemi';
import { comuniRegione, DIMENSIONI } from './regione';
import { Rng } from './rng';
import { scriviScadenze } from './scadenze';
import { GeneratoreSiz, HEADER } from './siz';

export interface GeneraOptions {
  dir: string;
  scala: Scala;
  seme: number;
  /** YYYY-MM-DD: 'today' for the data (the SIZ extraction is the day before). */
  oggi: string;
  onProgress?: (msg: string) => void;
  /**
   * The two registry snapshots: `giorni` between them (default 1: T0 = oggi - 2, T1 = oggi - 1)
   * and `tasso`, the multiplier of the variation rates of people outside open cases (default 1).
   * The demo asks for a month at a real rate (server/demo.ts); tests and the bench keep the default.
   */
  anagrafe?: { giorni?: number; tasso?: number };
  /** "Dirty" comuni: codice ISTAT -> multiplier (> 1) of their share of the quality problems (server/genera/problemi.ts). */
  sporchi?: Record<string, number>;
}

export interface GeneraResult {
  dir: string;
  /** Files written, relative to `dir`, sorted. */
  files: string[];
  /** Data rows (header excluded) per file, keyed like `files`. */
  counts: Record<string, number>;
  /** Deliberate data-quality problems injected, `check:detail` -> rows (see generazione.json). */
  problemi: Record<string, number>;
  /** Registry variations between anagrafe/1 and anagrafe/2, by type. */
  variazioni: Record<string, number>;
}

/** Population of the Ambito di Lodi in the fixtures: the unit of the problem targets. */
const POP_AMBITO = 238888;
/** Ambito scale: comuni with registry snapshots (Codogno, Tavazzano, Massalengo, Boffalora d'Adda: ~28,000 residents). */
const ANAGRAFE_AMBITO = ['098019', '098056', '098037', '098003'];

function sceltaAnagrafe(seme: number, scala: Scala, comuni: Comune[]): Set<string> {
  if (scala === 'ambito') {
    const presenti = ANAGRAFE_AMBITO.filter((i) => comuni.some((c) => c.istat === i));
    if (presenti.length > 0) return new Set(presenti);
  }
  const rng = new Rng(seme, 'anagrafe-comuni');
  const out = new Set<string>();
  const target = scala === 'ambito' ? 25_000 : DIMENSIONI[scala].anagrafe;
  let tot = 0;
  for (const c of rng.shuffle(comuni)) {
    if (tot >= target) break;
    if (c.popolazione > target / 4) continue;
    out.add(c.istat);
    tot += c.popolazione;
  }
  return out;
}

/** Comuni that stopped loading SIZ 75-120 days ago: small or mid-sized ones, as in practice. */
function sceltaFermi(seme: number, n: number, comuni: Comune[], escludi: Set<string>, oggi: number, maxPop: number): Map<string, number> {
  const rng = new Rng(seme, 'fermi');
  const cand = rng.shuffle(comuni.filter((c) => c.popolazione >= 1000 && c.popolazione < maxPop && !escludi.has(c.istat)));
  return new Map(cand.slice(0, n).map((c) => [c.istat, oggi - rng.int(75, 120)]));
}

export async function genera(opts: GeneraOptions): Promise<GeneraResult> {
  const { dir, scala, seme } = opts;
  if (!SCALE.includes(scala)) throw new Error(`scala non valida: ${String(scala)} (${SCALE.join('|')})`);
  if (!Number.isSafeInteger(seme)) throw new Error(`seme non valido: ${String(seme)} (intero)`);
  const oggi = dayFromIso(opts.oggi);
  if (oggi < dayFromParts(2021, 1, 1)) throw new Error(`oggi (${opts.oggi}) deve essere successivo al censimento 2020`);
  const progress = opts.onProgress ?? (() => undefined);
  const giorniAnagrafe = opts.anagrafe?.giorni ?? 1;
  const tassoAnagrafe = opts.anagrafe?.tasso ?? 1;
  if (!Number.isInteger(giorniAnagrafe) || giorniAnagrafe < 1 || giorniAnagrafe > 365) throw new Error(`anagrafe.giorni non valido: ${String(giorniAnagrafe)} (intero da 1 a 365)`);
  if (!(tassoAnagrafe >= 0 && tassoAnagrafe <= 10)) throw new Error(`anagrafe.tasso non valido: ${String(tassoAnagrafe)} (da 0 a 10)`);
  const par = PARAMETRI[scala];
  fs.mkdirSync(dir, { recursive: true });

  const comuni = scala === 'ambito' ? comuniAmbito(seme) : comuniRegione(seme, scala);
  const popTot = comuni.reduce((s, c) => s + c.popolazione, 0);
  const nom = new Nomenclatore();
  const E = dayFromParts(2020, 6, 30);
  const Ps = dayFromParts(2020, 1, 1);
  const anagrafeSet = sceltaAnagrafe(seme, scala, comuni);
  const nomi = comuniPerNomi(comuni);
  const fermi = sceltaFermi(seme, par.fermi, comuni, new Set([...anagrafeSet, ...nomi]), oggi, scala === 'ambito' ? 6000 : 20000);
  const { operatori, perComune } = generaOperatori(new Rng(seme, 'operatori'), comuni, par.operatoriSenzaEmail);
  const contesto: Contesto = {
    seme,
    scala,
    par,
    oggi,
    estrazione: oggi - 1,
    inizio: dayFromParts(2016, 1, 1),
    E,
    Ps,
    comuni,
    perIstat: new Map(comuni.map((c) => [c.istat, c])),
    nom,
    problemi: new Problemi(new Rng(seme, 'problemi'), popTot / POP_AMBITO),
    contatori: new Contatori(
      comuni.map((c) => c.istat),
      E,
      Ps,
      nom,
    ),
    fmt: new Formato(new Rng(seme, 'formato')),
    operatoriPerComune: perComune,
    fermi,
    ultimaAttivita: new Map(),
    istatSconosciuto: '099999',
    anagrafe: { giorni: giorniAnagrafe, tasso: tassoAnagrafe },
  };
  if (fermi.size > 0) contesto.problemi.conta('caricamento_fermo:comune_senza_attivita_60_giorni', fermi.size);

  // comuni.csv
  const wc = new CsvWriter(path.join(dir, 'comuni.csv'), ['codice_istat', 'nome', 'popolazione', 'distretto', 'email'], par.delim);
  for (const c of comuni) wc.row([c.istat, c.nome, c.popolazione, c.distretto, c.email]);
  await wc.close();

  // operatori.csv
  const sizDir = path.join(dir, 'siz');
  const wo = new CsvWriter(path.join(sizDir, 'operatori.csv'), HEADER.operatori, par.delim);
  for (const o of operatori) wo.row([o.id, o.nome, o.cognome, o.email, o.istat]);
  await wo.close();

  // SIZ extract and registry snapshots, one household at a time.
  const writers = new Writers();
  const w = {
    cartelle: writers.add(new CsvWriter(path.join(sizDir, 'cartelle.csv'), HEADER.cartelle, par.delim)),
    membri: writers.add(new CsvWriter(path.join(sizDir, 'membri.csv'), HEADER.membri, par.delim)),
    prestazioni: writers.add(new CsvWriter(path.join(sizDir, 'prestazioni.csv'), HEADER.prestazioni, par.delim)),
    accessi: writers.add(new CsvWriter(path.join(sizDir, 'accessi.csv'), HEADER.accessi, par.delim)),
  };
  const wa0 = writers.add(new CsvWriter(path.join(dir, 'anagrafe', '1', 'anagrafe.csv'), HEADER_ANAGRAFE, ';'));
  const wa1 = writers.add(new CsvWriter(path.join(dir, 'anagrafe', '2', 'anagrafe.csv'), HEADER_ANAGRAFE, ';'));
  const fams = new GeneratoreFamiglie(oggi);
  const siz = new GeneratoreSiz(contesto, w);
  const anagrafe = new GeneratoreAnagrafe(contesto, wa0, wa1, fams);

  let fatti = 0;
  let prossimoAvviso = 0;
  for (const comune of comuni) {
    const rng = new Rng(seme, 'comune', comune.istat);
    fams.nuovoComune(comune);
    contesto.problemi.nuovoComune(comune.popolazione / popTot, opts.sporchi?.[comune.istat] ?? 1);
    const conAnagrafe = anagrafeSet.has(comune.istat);
    let residenti = 0;
    let ultima: Famiglia | null = null;
    while (residenti < comune.popolazione) {
      const size = GeneratoreFamiglie.dimensione(rng);
      residenti += size;
      const u0 = rng.next();
      const storia = u0 < par.pStoriaAperta ? 'aperta' : u0 < par.pStoriaAperta + par.pStoriaChiusa ? 'chiusa' : null;
      const accessi = rng.chance(par.pAccessiFamiglia);
      const servizi = rng.chance(par.pServiziSenzaCartella);
      // Households with nothing to write are not even built (most of them, outside the registry comuni).
      if (!conAnagrafe && !storia && !accessi && !servizi) continue;
      const fam = fams.famiglia(rng, size);
      ultima = fam;
      const u = nuovaUnita();
      if (storia) siz.storia(rng, comune, fam, storia === 'aperta', u);
      if (accessi) siz.accessiFamiglia(rng, comune, fam, u);
      if (servizi) siz.serviziSenzaCartella(rng, comune, fam, u);
      siz.scrivi(u);
      if (conAnagrafe) anagrafe.famiglia(rng, comune, fam, GeneratoreSiz.membriAperti(u, anagrafe.T1));
      await writers.maybeFlush();
    }
    const g = nuovaUnita();
    siz.guardia(rng, comune, ultima, g);
    siz.scrivi(g);
    fatti += comune.popolazione;
    if (fatti >= prossimoAvviso) {
      progress(`SIZ/anagrafe: ${Math.round((100 * fatti) / popTot)}% dei residenti (${comune.nome})`);
      prossimoAvviso += popTot / 20;
    }
  }
  await writers.closeAll();
  writeSmall(path.join(sizDir, 'estrazione.txt'), `${isoFromDay(oggi - 1)}\n`);
  writeSmall(path.join(dir, 'anagrafe', '1', 'estrazione.txt'), `${isoFromDay(anagrafe.T0)}\n`);
  writeSmall(path.join(dir, 'anagrafe', '2', 'estrazione.txt'), `${isoFromDay(anagrafe.T1)}\n`);

  progress('censimento e scadenze');
  const cens = await scriviCensimento(contesto, dir, new Set([...anagrafeSet, comuni.reduce((a, b) => (b.popolazione > a.popolazione ? b : a)).istat]), nomi);
  if (cens.sopraDichiarato.length > 0) contesto.problemi.conta('sopra_dichiarato:siz_oltre_il_dichiarato', cens.sopraDichiarato.length);
  const nScadenze = await scriviScadenze(contesto, dir, cens);

  const counts: Record<string, number> = {
    'comuni.csv': comuni.length,
    'siz/operatori.csv': operatori.length,
    'siz/cartelle.csv': w.cartelle.rows,
    'siz/membri.csv': w.membri.rows,
    'siz/prestazioni.csv': w.prestazioni.rows,
    'siz/accessi.csv': w.accessi.rows,
    'siz/estrazione.txt': 1,
    'anagrafe/1/anagrafe.csv': wa0.rows,
    'anagrafe/1/estrazione.txt': 1,
    'anagrafe/2/anagrafe.csv': wa1.rows,
    'anagrafe/2/estrazione.txt': 1,
    'censimento.csv': cens.righe,
    'censimento-nomi.csv': cens.nomi.length,
    'scadenze.csv': nScadenze,
  };
  const decessiAperti = anagrafe.conteggi.get('decesso_membro_cartella_aperta') ?? 0;
  if (decessiAperti > 0) contesto.problemi.conta('deceduto_con_cartella_aperta:decesso_membro_cartella_aperta', decessiAperti);
  const problemi = contesto.problemi.riepilogo();
  const variazioni: Record<string, number> = {};
  for (const k of [...anagrafe.conteggi.keys()].sort()) variazioni[k] = anagrafe.conteggi.get(k)!;

  // Manifest: what was generated and what the service is expected to find in it.
  const manifest = {
    seme,
    scala,
    oggi: opts.oggi,
    estrazione_siz: isoFromDay(oggi - 1),
    anagrafe: { comuni: [...anagrafeSet].sort(), data_1: isoFromDay(anagrafe.T0), data_2: isoFromDay(anagrafe.T1) },
    censimento: {
      data_riferimento: isoFromDay(E),
      periodo_inizio: isoFromDay(Ps),
      senza_censimento: cens.senzaCensimento,
      sopra_dichiarato: cens.sopraDichiarato,
      comuni_per_nome: cens.nomi,
    },
    caricamento_fermo: [...fermi.keys()].sort(),
    righe: counts,
    problemi,
    variazioni,
    atteso: cens.comuni.map((c) => ({
      codice_istat: c.istat,
      stato: c.stato,
      digit_tot: c.digitTot,
      siz: c.siz,
      dichiarato: c.dichiarato,
    })),
  };
  counts['generazione.json'] = 1;
  writeSmall(path.join(dir, 'generazione.json'), JSON.stringify(manifest, null, 1) + '\n');
  progress('fatto');
  return { dir, files: Object.keys(counts).sort(), counts, problemi, variazioni };
}
