/**
 * The 2020 census return (data contract section 3). The declared values are derived
 * from the SIZ counts at E (contatori.ts) with a per-comune "loaded share", chosen so
 * that digit_tot spreads from ~30% to ~100%: some comuni reach the 80% target, some are
 * in progress, some are critical, one or two declare LESS than SIZ holds
 * (sopra_dichiarato) and a few return no census at all (senza_censimento).
 */
import path from 'node:path';
import { Comune } from './comuni';
import { Conteggi, METRICHE, Metrica } from './contatori';
import { Contesto } from './contesto';
import { CsvWriter } from './csv-writer';
import { isoFromDay } from './date';
import { Rng } from './rng';

export const HEADER_CENSIMENTO = ['codice_istat', 'data_riferimento', 'periodo_inizio', ...METRICHE, 'note'];

export interface EsitoComune {
  istat: string;
  siz: Conteggi;
  dichiarato: Conteggi | null;
  /** Expected digit_tot and stato with the default target 80 and warning level 50. */
  digitTot: number | null;
  stato: 'senza_censimento' | 'raggiunto' | 'in_corso' | 'critico';
}

export interface EsitoCensimento {
  comuni: EsitoComune[];
  senzaCensimento: string[];
  sopraDichiarato: string[];
  nomi: string[];
  righe: number;
}

const NOTE = [
  "Dati forniti dall'ufficio servizi sociali",
  'Comprende le cartelle gestite in convenzione',
  'Conteggio da registro cartaceo',
  'Tutela minori in carico al servizio associato',
];

/**
 * round(100*s/d, 2) half away from zero, as docs/metriche.md ("Cifre della digitalizzazione") says.
 */
export function percentuale(s: number, d: number): number | null {
  if (!d) return null;
  const x = (100 * s) / d;
  return Math.sign(x) * (Math.round(Math.abs(x) * 100 + 1e-9) / 100);
}

/** A comune's name as a clerk may type it: case, apostrophes, accents and spaces differ. */
export function nomeStorpiato(nome: string, variante: number): string {
  const senzaAccenti = nome.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  if (variante === 0) return senzaAccenti.toUpperCase().replace(/'/g, ' ');
  if (variante === 1) return senzaAccenti.toLowerCase().replace(/'/g, '');
  return ` ${senzaAccenti.replace(/ /g, '  ').replace(/^(\S)(\S*)/, (_, a: string, b: string) => a.toLowerCase() + b.toUpperCase())} `;
}

/** Three comuni for the name-matching demo: apostrophes first, then multi-word names. */
export function comuniPerNomi(comuni: readonly Comune[]): string[] {
  const byPop = [...comuni].sort((a, b) => b.popolazione - a.popolazione || (a.istat < b.istat ? -1 : 1));
  const apostrofo = byPop.filter((c) => /['\u00C0-\u017F]/.test(c.nome)).slice(0, 2);
  const altro = byPop.find((c) => c.nome.includes(' ') && !apostrofo.includes(c) && c !== byPop[0]);
  return [...apostrofo, ...(altro ? [altro] : [])].map((c) => c.istat);
}

export async function scriviCensimento(contesto: Contesto, dir: string, protetti: Set<string>, nomi: string[]): Promise<EsitoCensimento> {
  const rng = new Rng(contesto.seme, 'censimento');
  const { par } = contesto;
  const candidatiSenza = rng.shuffle(contesto.comuni.filter((c) => !protetti.has(c.istat) && !nomi.includes(c.istat)));
  const senza = new Set(candidatiSenza.slice(0, par.senzaCensimento).map((c) => c.istat));
  const conCensimento = contesto.comuni.filter((c) => !senza.has(c.istat));
  const candidatiSopra = rng.shuffle(conCensimento.filter((c) => contesto.contatori.get(c.istat).cartelle_attive >= 10));
  const sopra = new Set(candidatiSopra.slice(0, par.sopraDichiarato).map((c) => c.istat));
  // Loaded share spread evenly over the other comuni, in random order.
  const normali = rng.shuffle(conCensimento.filter((c) => !sopra.has(c.istat)));
  const quota = new Map<string, number>();
  normali.forEach((c, i) => quota.set(c.istat, 0.3 + (0.69 * i) / Math.max(1, normali.length - 1)));

  const E = isoFromDay(contesto.E);
  const Ps = isoFromDay(contesto.Ps);
  const w = new CsvWriter(path.join(dir, 'censimento.csv'), HEADER_CENSIMENTO, par.delim);
  const wNomi = new CsvWriter(path.join(dir, 'censimento-nomi.csv'), ['comune', ...HEADER_CENSIMENTO.slice(1)], par.delim);
  const esiti: EsitoComune[] = [];
  for (const c of contesto.comuni) {
    const siz = contesto.contatori.get(c.istat);
    if (senza.has(c.istat)) {
      esiti.push({ istat: c.istat, siz, dichiarato: null, digitTot: null, stato: 'senza_censimento' });
      continue;
    }
    const q = quota.get(c.istat) ?? 1;
    const d = {} as Conteggi;
    for (const m of METRICHE as readonly Metrica[]) {
      const s = siz[m];
      if (m === 'cartelle_attive' && sopra.has(c.istat)) {
        d[m] = s - Math.max(1, Math.round(s * (0.03 + 0.05 * rng.next())));
        continue;
      }
      let r = m === 'cartelle_attive' ? q : Math.min(0.99, Math.max(0.15, q * (0.85 + 0.3 * rng.next())));
      if (m.includes('tutela')) r = Math.max(0.15, r * 0.85);
      if (sopra.has(c.istat) && m !== 'cartelle_attive') r = 0.9 + 0.09 * rng.next();
      d[m] = s === 0 ? (m === 'cartelle_attive' ? rng.int(1, 3) : rng.int(0, 2)) : Math.max(1, Math.round(s / r));
    }
    // A return is internally consistent: tutela within the total, at least one person per cartella.
    d.cartelle_attive_tutela = Math.min(d.cartelle_attive_tutela, d.cartelle_attive);
    d.utenti_in_carico = Math.max(d.utenti_in_carico, d.cartelle_attive);
    d.utenti_in_carico_tutela = Math.min(Math.max(d.utenti_in_carico_tutela, d.cartelle_attive_tutela), d.utenti_in_carico);
    const nota = rng.chance(0.15) ? rng.pick(NOTE) : '';
    const valori = METRICHE.map((m) => contesto.fmt.conteggio(d[m]));
    w.row([c.istat, E, Ps, ...valori, nota]);
    if (nomi.includes(c.istat)) {
      const v = nomi.indexOf(c.istat);
      wNomi.row([nomeStorpiato(c.nome, v), E, Ps, ...valori, nota]);
    }
    const digit = percentuale(siz.cartelle_attive, d.cartelle_attive);
    esiti.push({
      istat: c.istat,
      siz,
      dichiarato: d,
      digitTot: digit,
      stato: digit == null ? 'senza_censimento' : digit >= 80 ? 'raggiunto' : digit >= 50 ? 'in_corso' : 'critico',
    });
  }
  await w.close();
  await wNomi.close();
  return { comuni: esiti, senzaCensimento: [...senza].sort(), sopraDichiarato: [...sopra].sort(), nomi, righe: w.rows };
}
