import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../server/db';
import { importAnagrafe } from '../../server/importazione/anagrafe';
import { buildCf } from '../../server/shared/cf';
import { csv, tempFiles } from '../support/files';

/** The two registry dates most tests compare, and "today" (the run happens the day after T1). */
export const T0 = '2026-11-20';
export const T1 = '2026-11-21';
export const OGGI = '2026-11-22';
export const ORA = new Date(`${OGGI}T01:30:00Z`);

export const LODI = '098031';
export const BREMBIO = '098010';

/** A person of the synthetic registry, with a valid CF built from the details. */
export interface Persona {
  cf: string;
  cognome: string;
  nome: string;
  nascita: string;
}

export function persona(cognome: string, nome: string, nascita: string, sesso: 'M' | 'F' = 'M'): Persona {
  return { cf: buildCf(cognome.slice(0, 3), nome.slice(0, 3), nascita, sesso, 'E648'), cognome, nome, nascita };
}

/** One registry row: the person, where they live and in which household, and their state. */
export interface Riga {
  p: Persona;
  istat?: string;
  indirizzo?: string | null;
  famiglia: string;
  stato?: 'residente' | 'deceduto' | 'emigrato';
  evento?: string;
  /** false: leave data_nascita empty (decoded from the CF). */
  conNascita?: boolean;
}

export function anagrafeCsv(rows: Riga[]): string {
  return csv([
    ['codice_fiscale', 'cognome', 'nome', 'data_nascita', 'codice_istat', 'indirizzo', 'id_famiglia', 'stato', 'data_evento'],
    ...rows.map((r) => [r.p.cf, r.p.cognome, r.p.nome, r.conNascita === false ? null : r.p.nascita, r.istat ?? LODI, r.indirizzo === undefined ? 'Via Roma 1' : r.indirizzo, r.famiglia, r.stato ?? null, r.evento ?? null]),
  ]);
}

const dirs: string[] = [];

/** Imports a registry snapshot at `data` (one file, any number of comuni). */
export async function importa(db: Database, data: string, rows: Riga[]): Promise<void> {
  const dir = tempFiles({ 'anagrafe.csv': anagrafeCsv(rows) });
  dirs.push(dir);
  const out = await importAnagrafe(db, path.join(dir, 'anagrafe.csv'), { data, oggi: OGGI });
  if (out.esito !== 'ok') throw new Error(out.messaggio);
}

export function cleanupFiles(): void {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

let riga = 1;

/** A cartella with its members, inserted as the SIZ import would leave them. */
export async function cartella(
  db: Database,
  c: { id: string; istat?: string; apertura?: string; chiusura?: string | null; operatore?: string | null; membri: { p: Persona; inizio?: string; fine?: string }[] },
): Promise<void> {
  await db.knex('cartelle').insert({ id_cartella: c.id, codice_istat: c.istat ?? LODI, data_apertura: c.apertura ?? '2025-01-10', data_chiusura: c.chiusura ?? null, operatore_id: c.operatore === undefined ? 'OP1' : c.operatore, riga: riga++ });
  for (const m of c.membri) {
    await db.knex('membri').insert({ riga: riga++, id_cartella: c.id, codice_fiscale: m.p.cf, cf_valido: true, ruolo: null, data_inizio: m.inizio ?? null, data_fine: m.fine ?? null, data_nascita: m.p.nascita });
  }
}

export async function operatore(db: Database, id: string, email: string | null, istat = LODI): Promise<void> {
  await db.knex('operatori').insert({ operatore_id: id, nome: 'Nome' + id, cognome: 'Cognome' + id, email, codice_istat: istat, riga: riga++ });
}

/** The stored variations, as comparable tuples sorted. */
export async function variazioni(db: Database): Promise<string[]> {
  const rows = await db.knex('variazioni').select('codice_istat', 'data_precedente', 'data_snapshot', 'codice_fiscale', 'tipo');
  return rows.map((r) => `${r.codice_istat} ${r.data_precedente}>${r.data_snapshot} ${r.codice_fiscale} ${r.tipo}`).sort();
}

export function v(istat: string, p: Persona, tipo: string, d0 = T0, d1 = T1): string {
  return `${istat} ${d0}>${d1} ${p.cf} ${tipo}`;
}

/** Alarms as "variation type CF -> cartella operatore", sorted. */
export async function allarmi(db: Database): Promise<string[]> {
  const rows = await db.knex('allarmi as a').join('variazioni as v', 'v.id', 'a.variazione_id').select('v.tipo', 'v.codice_fiscale', 'a.id_cartella', 'a.operatore_id');
  return rows.map((r) => `${r.tipo} ${r.codice_fiscale} -> ${r.id_cartella} ${r.operatore_id}`).sort();
}
