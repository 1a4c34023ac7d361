import pino from 'pino';
import { loadConfig } from '../../server/config';
import { AppContext, fixedClock } from '../../server/context';
import type { Database } from '../../server/db';
import { importSiz } from '../../server/importazione/siz';
import { ImportRejected } from '../../server/importazione/problemi';
import { importAnagrafe } from '../../server/importazione/anagrafe';
import { buildCf } from '../../server/shared/cf';
import { runQualita } from '../../server/qualita/service';
import { truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { seedComuni } from '../support/fixtures';

export const OGGI = '2026-11-22';
export const LODI = '098031';
export const BREMBIO = '098010';
export const SANTANGELO = '098047';

export function testCtx(db: Database, oggi = OGGI): AppContext {
  return { config: loadConfig({}), db, log: pino({ level: 'silent' }), clock: fixedClock(oggi) };
}

/** A distinct valid CF per number (synthetic people). */
export function cf(i: number, sex: 'M' | 'F' = 'M'): string {
  const d = new Date(Date.UTC(1950, 0, 1) + i * 97 * 86400000).toISOString().slice(0, 10);
  return buildCf('RSS', 'MRA', d, sex, 'E648');
}

/** A CF with a wrong check character (same shape). */
export function badCf(i: number): string {
  const good = cf(i);
  const last = good[15] === 'A' ? 'B' : 'A';
  return good.slice(0, 15) + last;
}

type Cell = string | number | null;

export interface Cartella { id: string; istat?: string | null; ap?: string; ch?: string | null; area?: string | null; op?: string | null }
export interface Membro { c: string; cf: string; ruolo?: string | null; inizio?: string | null; fine?: string | null; nascita?: string | null }
export interface Prestazione { id: string; c?: string | null; cf?: string | null; istat?: string | null; codice?: string; data?: string; costo?: Cell; quota?: Cell; rec?: [Cell, Cell, Cell, Cell] }
export interface Accesso { id: string; cf?: string | null; istat?: string | null; data?: string; nascita?: string | null; motivo?: string | null; problema?: string | null }

export interface Siz {
  cartelle: Cartella[];
  membri: Membro[];
  prestazioni?: Prestazione[];
  accessi?: Accesso[];
  estrazione?: string;
}

/** The CSV files of a SIZ extract, with recent, clean defaults for every omitted field. */
export function sizFiles(s: Siz): Record<string, string> {
  const files: Record<string, string> = {
    'cartelle.csv': csv([
      ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'operatore_id'],
      ...s.cartelle.map((c) => [c.id, c.istat === undefined ? LODI : c.istat, c.ap ?? '2026-10-01', c.ch ?? null, c.area === undefined ? 'adulti' : c.area, c.op === undefined ? 'OP1' : c.op]),
    ]),
    'membri.csv': csv([
      ['id_cartella', 'codice_fiscale', 'ruolo', 'data_inizio', 'data_fine', 'data_nascita'],
      ...s.membri.map((m) => [m.c, m.cf, m.ruolo === undefined ? 'titolare' : m.ruolo, m.inizio ?? null, m.fine ?? null, m.nascita ?? null]),
    ]),
    'estrazione.txt': `${s.estrazione ?? '2026-11-21'}\n`,
  };
  // A header-only file is a format error: an absent list means no file (the table keeps its rows).
  if (s.prestazioni?.length) files['prestazioni.csv'] = csv([
    ['id_prestazione', 'id_cartella', 'codice_fiscale', 'codice_istat', 'codice_prestazione', 'data_erogazione', 'costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri'],
    ...s.prestazioni.map((p) => [
      p.id,
      p.c ?? null,
      p.cf === undefined ? cf(1) : p.cf,
      p.istat === undefined ? LODI : p.istat,
      p.codice ?? 'A1.04',
      p.data ?? '2026-10-15',
      p.costo ?? '100,00',
      p.quota ?? null,
      ...(p.rec ?? [null, null, null, null]),
    ]),
  ]);
  if (s.accessi?.length) files['accessi.csv'] = csv([
    ['id_accesso', 'codice_fiscale', 'codice_istat', 'data_accesso', 'data_nascita', 'motivo_accesso', 'problema_riscontrato'],
    ...s.accessi.map((a) => [a.id, a.cf === undefined ? cf(1) : a.cf, a.istat === undefined ? LODI : a.istat, a.data ?? '2026-10-20', a.nascita ?? null, a.motivo === undefined ? 'CONTRIBUTO ECONOMICO' : a.motivo, a.problema === undefined ? "PRECARIETA' ECONOMICA" : a.problema]),
  ]);
  return files;
}

/** Empties the database and loads the registry of three comuni and a small nomenclature. */
export async function resetDb(db: Database): Promise<void> {
  await truncateAll(db);
  await seedComuni(db);
  await db.knex('nomenclatore').insert([
    { codice: 'A1.04', descrizione: 'Contributi economici a integrazione del reddito', pasti_trasporti: false },
    { codice: 'B2', descrizione: 'Pasti a domicilio', pasti_trasporti: true },
  ]);
}

/** Imports a SIZ extract through the real import (so cf_valido comes from server/shared/cf.ts). */
export async function loadSiz(db: Database, s: Siz): Promise<void> {
  try {
    const out = await importSiz(db, tempFiles(sizFiles(s)));
    if (out.esito !== 'ok') throw new Error(out.messaggio);
  } catch (e) {
    if (e instanceof ImportRejected) throw new Error(e.report());
    throw e;
  }
}

export interface Finding {
  controllo: string;
  gravita: string;
  codice_istat: string | null;
  tabella: string;
  id_record: string | null;
  messaggio: string;
  valore: number | null;
}

/** Runs the checks and returns the findings of the run (optionally of one check). */
export async function check(db: Database, opts: { oggi?: string; controllo?: string } = {}): Promise<Finding[]> {
  const e = await runQualita(testCtx(db, opts.oggi ?? OGGI), { oggi: opts.oggi ?? OGGI });
  const q = db.knex('qualita_risultati').where({ esecuzione_id: e.esecuzione_id }).orderBy(['controllo', 'tabella', 'id_record', 'chiave']);
  if (opts.controllo) q.where({ controllo: opts.controllo });
  return q.select('controllo', 'gravita', 'codice_istat', 'tabella', 'id_record', 'messaggio', 'valore');
}

/** `tabella:id_record` of findings, for compact assertions. */
export const ids = (f: Finding[]) => f.map((x) => `${x.tabella}:${x.id_record}`);

/** A registry snapshot of one comune at a date, through the real import. */
export async function loadAnagrafe(db: Database, data: string, rows: { cf: string; istat?: string; stato?: string; famiglia?: string }[]): Promise<void> {
  const file = tempFiles({
    'anagrafe.csv': csv([
      ['codice_fiscale', 'codice_istat', 'id_famiglia', 'stato'],
      ...rows.map((r) => [r.cf, r.istat ?? LODI, r.famiglia ?? `F-${r.cf.slice(0, 6)}`, r.stato ?? 'residente']),
    ]),
  });
  await importAnagrafe(db, `${file}/anagrafe.csv`, { data, oggi: OGGI });
}
