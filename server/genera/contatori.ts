/**
 * SIZ-side census counts, per comune, computed from the generated rows with the rules
 * of docs/metriche.md ("Metriche del censimento (lato SIZ)"), so the declared values of
 * censimento.csv can be set to give a chosen digitalization. Rows are fed one unit at a time (a
 * household with all its cartelle, members and erogazioni): people never span units within one
 * comune, so distinct-person counts can be done per unit and summed, and nothing per person has to
 * be kept for the whole run.
 */
import { CENSUS_METRICS } from '../importazione/schede';
import { normalizeCf } from '../shared/cf';
import { Nomenclatore } from './nomenclatore';

/**
 * The eight census metrics of docs/metriche.md: the same list the import and the reconciliation
 * use.
 */
export const METRICHE = CENSUS_METRICS;
export type Metrica = (typeof METRICHE)[number];
export type Conteggi = Record<Metrica, number>;

export interface CartellaRec {
  id: string;
  /** codice_istat exactly as written ('' / unknown / unpadded on purpose in a few rows). */
  istat: string;
  ap: number;
  ch: number | null;
  /** Canonical area used to generate the content; `areaScritta` is what goes in the file. */
  area: 'minori' | 'adulti' | 'anziani';
  areaScritta: string;
  tutela: boolean;
  operatore: string;
}

export interface MembroRec {
  idCartella: string;
  cf: string;
  ruolo: string;
  inizio: number | null;
  fine: number | null;
  nascita: number | null;
}

export interface ErogRec {
  id: string;
  idCartella: string;
  cf: string;
  istat: string;
  codice: string;
  descrizione: string;
  giorno: number;
  costo: number;
  quota: number | null;
  recuperi: [number, number, number, number];
}

export interface AccessoRec {
  id: string;
  cf: string;
  istat: string;
  giorno: number;
  nascita: number | null;
  area: string;
  motivo: string;
  problema: string;
  punto: string;
}

export interface Unita {
  cartelle: CartellaRec[];
  membri: MembroRec[];
  erog: ErogRec[];
  accessi: AccessoRec[];
}

export function nuovaUnita(): Unita {
  return { cartelle: [], membri: [], erog: [], accessi: [] };
}

/** The comune a written codice_istat designates ('98031' -> '098031'), or null. */
export function istatNormale(raw: string): string | null {
  const s = raw.trim();
  return /^\d{1,6}$/.test(s) ? s.padStart(6, '0') : null;
}

function zero(): Conteggi {
  return Object.fromEntries(METRICHE.map((m) => [m, 0])) as Conteggi;
}

export class Contatori {
  private readonly per = new Map<string, Conteggi>();

  constructor(
    istat: readonly string[],
    private readonly E: number,
    private readonly Ps: number,
    private readonly nom: Nomenclatore,
  ) {
    for (const i of istat) this.per.set(i, zero());
  }

  get(istat: string): Conteggi {
    return this.per.get(istat) ?? zero();
  }

  aggiungi(u: Unita): void {
    const { E, Ps } = this;
    // Erogazioni <= E per cartella, for the meals/transport exclusion.
    const erogE = new Map<string, { n: number; pasti: number }>();
    for (const e of u.erog) {
      if (e.idCartella === '' || e.giorno > E) continue;
      const x = erogE.get(e.idCartella) ?? { n: 0, pasti: 0 };
      x.n++;
      if (this.nom.pastiTrasporti(e.codice)) x.pasti++;
      erogE.set(e.idCartella, x);
    }
    const cartelle = new Map<string, { c: CartellaRec; k: string | null; escl: boolean; attiva: boolean }>();
    for (const c of u.cartelle) {
      const k = istatNormale(c.istat);
      const x = erogE.get(c.id);
      const escl = x != null && x.n > 0 && x.pasti === x.n;
      const aperta = c.ap <= E && (c.ch == null || c.ch > E);
      const cnt = k != null ? this.per.get(k) : undefined;
      cartelle.set(c.id, { c, k: cnt ? k : null, escl, attiva: aperta && !escl });
      if (!cnt || escl) continue;
      if (aperta) {
        cnt.cartelle_attive++;
        if (c.tutela) cnt.cartelle_attive_tutela++;
      }
      if (c.ap >= Ps && c.ap <= E) cnt.cartelle_aperte_periodo++;
      if (c.ch != null && c.ch >= Ps && c.ch <= E) cnt.cartelle_chiuse_periodo++;
    }
    // People, per comune of the cartella.
    const inCarico = new Map<string, Set<string>>();
    const inCaricoTutela = new Map<string, Set<string>>();
    const primoInizio = new Map<string, Map<string, number>>();
    const sovrapposti = new Map<string, Set<string>>();
    const add = (m: Map<string, Set<string>>, k: string, cf: string) => {
      let s = m.get(k);
      if (!s) m.set(k, (s = new Set()));
      s.add(cf);
    };
    for (const m of u.membri) {
      const x = cartelle.get(m.idCartella);
      if (!x || x.k == null) continue;
      const cf = normalizeCf(m.cf);
      if (!cf) continue;
      const start = m.inizio ?? x.c.ap;
      const end = m.fine == null ? x.c.ch : x.c.ch == null ? m.fine : Math.min(m.fine, x.c.ch);
      if (x.attiva && start <= E && (end == null || end > E)) {
        add(inCarico, x.k, cf);
        if (x.c.tutela) add(inCaricoTutela, x.k, cf);
      }
      if (!x.escl) {
        let pm = primoInizio.get(x.k);
        if (!pm) primoInizio.set(x.k, (pm = new Map()));
        const prev = pm.get(cf);
        if (prev == null || start < prev) pm.set(cf, start);
      }
      if (start <= E && (end == null || end >= Ps)) add(sovrapposti, x.k, cf);
    }
    for (const [k, s] of inCarico) this.per.get(k)!.utenti_in_carico += s.size;
    for (const [k, s] of inCaricoTutela) this.per.get(k)!.utenti_in_carico_tutela += s.size;
    for (const [k, pm] of primoInizio) {
      let n = 0;
      for (const d of pm.values()) if (d >= Ps && d <= E) n++;
      this.per.get(k)!.utenti_nuovi_periodo += n;
    }
    const senza = new Map<string, Set<string>>();
    for (const e of u.erog) {
      if (e.idCartella !== '' || e.giorno < Ps || e.giorno > E) continue;
      const k = istatNormale(e.istat);
      const cf = normalizeCf(e.cf);
      if (k == null || !cf || !this.per.has(k)) continue;
      if (sovrapposti.get(k)?.has(cf)) continue;
      add(senza, k, cf);
    }
    for (const [k, s] of senza) this.per.get(k)!.utenti_senza_cartella_periodo += s.size;
  }
}
