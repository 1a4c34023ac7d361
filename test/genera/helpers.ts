/**
 * Independent readers for the generated files: they parse with csv-parse and apply the
 * value rules of docs/formati.md and the docs/metriche.md definitions again, so the tests do not
 * trust the generator's own bookkeeping.
 */
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { birthDateFromCf, isValidCf, normalizeCf } from '../../server/shared/cf';

export type Row = Record<string, string>;

export function leggi(file: string): { header: string[]; rows: Row[] } {
  const text = fs.readFileSync(file, 'utf8');
  const firstLine = text.slice(0, text.indexOf('\n'));
  const delimiter = firstLine.split(';').length >= firstLine.split(',').length ? ';' : ',';
  const records: string[][] = parse(text, { delimiter, relax_column_count: false });
  const [header, ...data] = records;
  return { header, rows: data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const IT = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** Contract date -> YYYY-MM-DD; undefined for empty; throws on a format error. */
export function data(v: string): string | undefined {
  if (v === '') return undefined;
  let y: number, m: number, d: number;
  let x = ISO.exec(v);
  if (x) [y, m, d] = [Number(x[1]), Number(x[2]), Number(x[3])];
  else if ((x = IT.exec(v))) [y, m, d] = [Number(x[3]), Number(x[2]), Number(x[1])];
  else throw new Error(`data non valida: ${v}`);
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) throw new Error(`data inesistente: ${v}`);
  return dt.toISOString().slice(0, 10);
}

/** Contract amount -> cents; undefined for empty; throws on a format error. */
export function importo(v: string): number | undefined {
  let s = v.trim();
  if (s === '') return undefined;
  s = s.replace(/^€\s*/, '').replace(/\s*€$/, '');
  let n: number;
  if (/^-?\d+(\.\d+)?$/.test(s)) n = Number(s);
  else if (/^-?\d+,\d+$/.test(s)) n = Number(s.replace(',', '.'));
  else if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) n = Number(s.replace(/\./g, '').replace(',', '.'));
  else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) n = Number(s.replace(/,/g, ''));
  else throw new Error(`importo non valido: ${v}`);
  return Math.round(n * 100);
}

export function booleano(v: string): boolean {
  const s = v.trim().toLowerCase();
  if (['1', 'si', 'sì', 's', 'true', 'x'].includes(s)) return true;
  if (['', '0', 'no', 'n', 'false'].includes(s)) return false;
  throw new Error(`booleano non valido: ${v}`);
}

export function istat(v: string): string | null {
  const s = v.trim();
  return /^\d{1,6}$/.test(s) ? s.padStart(6, '0') : null;
}

export function cf(v: string): string | null {
  return normalizeCf(v);
}

export { isValidCf };

export function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const PASTI = new Set(['A1.16', 'A1.16.01', 'A2.07.01']);
const NOMENCLATORE_RADICI = /^(A1\.(0[1-9]|1\d|20)|A2\.(0[1-9]|1[0-2])|A3\.0[1-3]|Z9\.99)$/;

function lookup(code: string): string | null {
  let c = code;
  for (;;) {
    if (PASTI.has(c) || NOMENCLATORE_RADICI.test(c)) return c;
    const i = c.lastIndexOf('.');
    if (i < 0) return null;
    c = c.slice(0, i);
  }
}

export function codice(raw: string): string {
  return raw.trim().split(/[-\s]/)[0].toUpperCase();
}
export function pastiTrasporti(raw: string): boolean {
  const c = lookup(codice(raw));
  return c != null && PASTI.has(c);
}
export function codiceNoto(raw: string): boolean {
  return lookup(codice(raw)) != null;
}

export const METRICHE = [
  'cartelle_attive', 'cartelle_attive_tutela', 'utenti_in_carico', 'utenti_in_carico_tutela',
  'cartelle_aperte_periodo', 'utenti_nuovi_periodo', 'cartelle_chiuse_periodo', 'utenti_senza_cartella_periodo',
] as const;

/** docs/metriche.md, "Metriche del censimento (lato SIZ)", on whole files, per comune. */
export function metricheCensimento(cartelle: Row[], membri: Row[], prestazioni: Row[], E: string, Ps: string): Map<string, Record<string, number>> {
  const out = new Map<string, Record<string, number>>();
  const get = (k: string) => {
    let r = out.get(k);
    if (!r) out.set(k, (r = Object.fromEntries(METRICHE.map((m) => [m, 0]))));
    return r;
  };
  const erogE = new Map<string, { n: number; pasti: number }>();
  for (const p of prestazioni) {
    const id = p.id_cartella;
    if (!id || data(p.data_erogazione)! > E) continue;
    const x = erogE.get(id) ?? { n: 0, pasti: 0 };
    x.n++;
    if (pastiTrasporti(p.codice_prestazione)) x.pasti++;
    erogE.set(id, x);
  }
  type C = { k: string | null; ap: string; ch?: string; tutela: boolean; escl: boolean; attiva: boolean };
  const cart = new Map<string, C>();
  for (const c of cartelle) {
    const x = erogE.get(c.id_cartella);
    const escl = !!x && x.pasti === x.n;
    const ap = data(c.data_apertura)!;
    const ch = data(c.data_chiusura);
    const aperta = ap <= E && (ch == null || ch > E);
    const k = istat(c.codice_istat);
    const tutela = booleano(c.tutela_minori);
    cart.set(c.id_cartella, { k, ap, ch, tutela, escl, attiva: aperta && !escl });
    if (k == null || escl) continue;
    const r = get(k);
    if (aperta) {
      r.cartelle_attive++;
      if (tutela) r.cartelle_attive_tutela++;
    }
    if (ap >= Ps && ap <= E) r.cartelle_aperte_periodo++;
    if (ch != null && ch >= Ps && ch <= E) r.cartelle_chiuse_periodo++;
  }
  const sets = new Map<string, Set<string>>();
  const add = (name: string, k: string, v: string) => {
    const key = `${name}|${k}`;
    let s = sets.get(key);
    if (!s) sets.set(key, (s = new Set()));
    s.add(v);
  };
  const primo = new Map<string, string>();
  for (const m of membri) {
    const c = cart.get(m.id_cartella);
    if (!c || c.k == null) continue;
    const p = cf(m.codice_fiscale)!;
    const start = data(m.data_inizio) ?? c.ap;
    const fine = data(m.data_fine);
    const end = fine == null ? c.ch : c.ch == null ? fine : fine < c.ch ? fine : c.ch;
    if (c.attiva && start <= E && (end == null || end > E)) {
      add('carico', c.k, p);
      if (c.tutela) add('caricoT', c.k, p);
    }
    if (!c.escl) {
      const key = `${c.k}|${p}`;
      const prev = primo.get(key);
      if (prev == null || start < prev) primo.set(key, start);
    }
    if (start <= E && (end == null || end >= Ps)) add('overlap', c.k, p);
  }
  for (const [key, s] of sets) {
    const [name, k] = key.split('|');
    if (name === 'carico') get(k).utenti_in_carico += s.size;
    if (name === 'caricoT') get(k).utenti_in_carico_tutela += s.size;
  }
  for (const [key, d] of primo) if (d >= Ps && d <= E) get(key.split('|')[0]).utenti_nuovi_periodo++;
  const senza = new Set<string>();
  for (const p of prestazioni) {
    if (p.id_cartella) continue;
    const d = data(p.data_erogazione)!;
    const k = istat(p.codice_istat);
    const c = cf(p.codice_fiscale);
    if (d < Ps || d > E || k == null || !c) continue;
    if (sets.get(`overlap|${k}`)?.has(c)) continue;
    senza.add(`${k}|${c}`);
  }
  for (const key of senza) get(key.split('|')[0]).utenti_senza_cartella_periodo++;
  return out;
}

/** docs/metriche.md, "Variazioni anagrafiche", between two snapshots (all comuni together). */
export function variazioni(t0: Row[], t1: Row[], T0: string): Record<string, string[]> {
  const out: Record<string, string[]> = { nascita: [], immigrazione: [], decesso: [], emigrazione: [], cambio_indirizzo: [], cambio_famiglia: [] };
  const by0 = new Map(t0.map((r) => [cf(r.codice_fiscale)!, r]));
  const by1 = new Map(t1.map((r) => [cf(r.codice_fiscale)!, r]));
  const stato = (r: Row) => (r.stato || 'residente').toLowerCase();
  const ind = (s: string) => s.trim().toUpperCase().replace(/\s+/g, ' ');
  const limite = addDays(T0, -30);
  for (const [k, r1] of by1) {
    const r0 = by0.get(k);
    if (!r0) {
      const nascita = data(r1.data_nascita) ?? birthDateFromCf(k, T0);
      if (nascita && nascita > limite) out.nascita.push(k);
      else if (stato(r1) === 'residente') out.immigrazione.push(k);
      continue;
    }
    if (stato(r0) !== 'residente') continue;
    if (stato(r1) === 'deceduto') out.decesso.push(k);
    else if (stato(r1) === 'emigrato') out.emigrazione.push(k);
    else {
      if (ind(r0.indirizzo) !== ind(r1.indirizzo)) out.cambio_indirizzo.push(k);
      if (r0.id_famiglia !== r1.id_famiglia) out.cambio_famiglia.push(k);
    }
  }
  for (const [k, r0] of by0) if (!by1.has(k) && stato(r0) === 'residente') out.emigrazione.push(k);
  return out;
}
