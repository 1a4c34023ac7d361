import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db';

/**
 * The audit journal of the embedded database. PGlite has one connection: while an import holds
 * it in its transaction (seconds, at night), an export's audit row would wait for it, and so
 * would the CSV the reader asked for (842-947 ms p95 in `npm run bench -- --scala ambito --db
 * pglite`, docs/bench.md). An export is never sent before its record is durable, so the record
 * goes to a file first, written and flushed to disk (fsync) before the answer, and is copied into
 * `audit` as soon as the connection is free. Nothing is lost: a process that dies before the
 * copy leaves the file, and the next copy (at the next journaled event, at the next opening, or
 * before the audit is read) takes it; each event has its own `rif`, unique in the table, so an
 * event copied twice is one row.
 */
export const CARTELLA_ATTESA = 'cruscotto_audit';

export interface RigaAudit {
  azione: string;
  utente_id: number | null;
  email: string | null;
  dettagli: string | null;
  ip: string | null;
  quando?: Date | string;
}

function cartella(db: Database): string | null {
  return db.engine === 'pglite' && db.pgliteDir ? path.join(db.pgliteDir, CARTELLA_ATTESA) : null;
}

/** Writes the event to the journal, durably; false when this database has no journal (PostgreSQL, in memory). */
export function annota(db: Database, riga: RigaAudit): boolean {
  const dir = cartella(db);
  if (!dir) return false;
  fs.mkdirSync(dir, { recursive: true });
  const testo = JSON.stringify({ ...riga, quando: riga.quando ?? new Date(), rif: crypto.randomUUID() }) + '\n';
  const fd = fs.openSync(path.join(dir, 'corrente.ndjson'), 'a');
  try {
    fs.writeSync(fd, testo);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

const inCorso = new WeakMap<Database, Promise<number>>();

/** A copy is running or waiting for the connection: it will take any event journaled now. */
export function copiaInCorso(db: Database): boolean {
  return inCorso.has(db);
}

/**
 * Copies every journaled event into `audit` and removes what was copied; returns how many events
 * it read. One copy at a time per database; a caller arriving during a copy waits for it and then
 * copies what came after.
 */
export async function svuota(db: Database): Promise<number> {
  const prima = inCorso.get(db);
  if (prima) await prima.catch(() => 0);
  const dir = cartella(db);
  if (!dir || !fs.existsSync(dir)) return 0;
  const p = (async () => {
    let n = 0;
    // Events journaled while a copy waited for the connection are copied by the same caller.
    do n += await copia(db, dir);
    while (fs.existsSync(path.join(dir, 'corrente.ndjson')));
    return n;
  })().finally(() => inCorso.delete(db));
  inCorso.set(db, p);
  return p;
}

async function copia(db: Database, dir: string): Promise<number> {
  // The current file is renamed first: events journaled during the copy go to a new one.
  const corrente = path.join(dir, 'corrente.ndjson');
  if (fs.existsSync(corrente)) fs.renameSync(corrente, path.join(dir, `lotto-${Date.now()}-${crypto.randomUUID()}.ndjson`));
  let n = 0;
  for (const nome of fs.readdirSync(dir).filter((f) => f.startsWith('lotto-')).sort()) {
    const file = path.join(dir, nome);
    const righe = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .flatMap((l) => {
        // A line cut by a crash in the middle of its write was never acknowledged: its export was not sent.
        try {
          return [JSON.parse(l) as RigaAudit & { rif: string }];
        } catch {
          return [];
        }
      });
    for (let i = 0; i < righe.length; i += 500) {
      await db.knex('audit').insert(righe.slice(i, i + 500)).onConflict('rif').ignore();
    }
    fs.rmSync(file);
    n += righe.length;
  }
  return n;
}
