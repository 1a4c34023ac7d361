/**
 * A small ambito for the reminder tests, loaded through the real imports: comuni with their
 * contacts, census returns, SIZ extracts (full snapshots) and the reconciliation service.
 */
import fs from 'node:fs';
import type { AppContext } from '../../server/context';
import type { Database } from '../../server/db';
import { importCensimento } from '../../server/importazione/censimento';
import { importSiz } from '../../server/importazione/siz';
import { normalizeName } from '../../server/importazione/valori';
import { runRiconciliazione } from '../../server/riconciliazione/service';
import { buildCf } from '../../server/shared/cf';
import { csv, tempFiles } from '../support/files';

export const LODI = '098031';
export const BREMBIO = '098010';
export const SANTANGELO = '098047';
export const ABBADIA = '098001';

export async function comuniConContatti(db: Database): Promise<void> {
  const rows: [string, string, number, string, string | null][] = [
    [LODI, 'Lodi', 45000, 'Lodi', 'Sociale@Comune.Lodi.example; segreteria@comune.lodi.example'],
    [BREMBIO, 'Brembio', 2800, 'Casalpusterlengo', 'servizi.sociali@comune.brembio.example'],
    [SANTANGELO, "Sant'Angelo Lodigiano", 13000, "Sant'Angelo Lodigiano", 'sociale@comune.santangelo.example'],
    [ABBADIA, 'Abbadia Cerreto', 300, 'Lodi', null],
  ];
  await db.knex('comuni').insert(rows.map(([codice_istat, nome, popolazione, distretto, email]) => ({ codice_istat, nome, nome_norm: normalizeName(nome), popolazione, distretto, email })));
}

/** Distinct valid codici fiscali. */
export function cf(i: number): string {
  const l = 'BCDFGHLMNPRSTVZ';
  return buildCf(l[i % 15] + l[Math.floor(i / 15) % 15] + l[Math.floor(i / 225) % 15], 'MRA', `1970-01-${String((i % 28) + 1).padStart(2, '0')}`, 'M', 'E648');
}

/**
 * Imports a SIZ extract (a full snapshot) with `n` open cartelle per comune, all opened before
 * the census reference date, one member each.
 */
export async function importaSiz(db: Database, estrazione: string, perComune: Record<string, number>): Promise<void> {
  const cartelle: (string | null)[][] = [['id_cartella', 'codice_istat', 'data_apertura', 'area_utenza']];
  const membri: (string | null)[][] = [['id_cartella', 'codice_fiscale', 'ruolo']];
  let i = 0;
  for (const [istat, n] of Object.entries(perComune)) {
    for (let k = 1; k <= n; k++) {
      i++;
      const id = `C${istat}-${k}`;
      cartelle.push([id, istat, '2025-06-01', 'adulti']);
      membri.push([id, cf(i), 'titolare']);
    }
  }
  const dir = tempFiles({ 'cartelle.csv': csv(cartelle), 'membri.csv': csv(membri), 'estrazione.txt': `${estrazione}\n` });
  try {
    await importSiz(db, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports a census return: declared `cartelle_attive` per comune at `data` (E). */
export async function importaCensimento(db: Database, data: string, perComune: Record<string, number>): Promise<void> {
  const rows: (string | number)[][] = [['codice_istat', 'data_riferimento', 'cartelle_attive']];
  for (const [istat, n] of Object.entries(perComune)) rows.push([istat, data, n]);
  const dir = tempFiles({ 'censimento.csv': csv(rows) });
  try {
    await importCensimento(db, `${dir}/censimento.csv`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function riconcilia(ctx: AppContext, oggi: string): Promise<void> {
  await runRiconciliazione(ctx, { oggi });
}

export async function scadenza(db: Database, s: { codice_istat: string; tipo: string; data_scadenza: string; obiettivo?: number | null; descrizione?: string | null; email?: string | null; chiusa?: boolean }): Promise<number> {
  const [row] = await db.knex('scadenze').insert({ obiettivo: null, descrizione: null, email: null, chiusa: false, ...s }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}

/** Every day from `from` to `to` included. */
export function giorni(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d = new Date(d.getTime() + 86_400_000)) out.push(d.toISOString().slice(0, 10));
  return out;
}
