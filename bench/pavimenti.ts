/**
 * Floors: the same work done by PostgreSQL alone, same run, same data, so every time has a ratio.
 *  - COPY: each CSV file the cycle imports, streamed with pg-copy-streams from this process into
 *    an unindexed table of text columns (no parsing of dates or amounts, no checks, no index):
 *    the fastest a file can reach the database.
 *  - Scan: one sequential scan of each table the reconciliation reads (index scans disabled,
 *    so count(*) cannot answer from an index).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '../server/db';
import type { Pavimento } from './protocollo';

const FILES: [string, string[]][] = [
  ['comuni', ['comuni.csv']],
  ['siz', ['siz/operatori.csv', 'siz/cartelle.csv', 'siz/membri.csv', 'siz/prestazioni.csv', 'siz/accessi.csv']],
  ['censimento', ['censimento.csv']],
  ['scadenze', ['scadenze.csv']],
  ['anagrafe T0', ['anagrafe/1/anagrafe.csv']],
  ['anagrafe T1', ['anagrafe/2/anagrafe.csv']],
];

function headerOf(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  } finally {
    fs.closeSync(fd);
  }
}

async function copyOne(c: Client, file: string, k: number): Promise<{ secondi: number; righe: number; nota?: string }> {
  const head = headerOf(file);
  const delim = head.split(';').length >= head.split(',').length ? ';' : ',';
  const n = head.split(delim).length;
  const table = `pavimento_${k}`;
  const attempt = async (cols: number, opts: string) => {
    await c.query(`drop table if exists ${table}`);
    await c.query(`create table ${table} (${Array.from({ length: cols }, (_, i) => `c${i} text`).join(', ')})`);
    const t = process.hrtime.bigint();
    const stream = c.query(copyFrom(`copy ${table} from stdin with (${opts})`));
    await pipeline(fs.createReadStream(file), stream);
    return { secondi: Number(process.hrtime.bigint() - t) / 1e9, righe: Number(stream.rowCount) };
  };
  try {
    return await attempt(n, `format csv, header true, delimiter '${delim}'`);
  } catch (e) {
    // Files with deliberately broken rows (wrong column count, stray quotes) do not COPY as
    // CSV: one line per row into one column is then the floor (a little lower: no field split).
    const r = await attempt(1, `format csv, header true, delimiter E'\\x01', quote E'\\x02', encoding 'LATIN1'`);
    return { ...r, nota: `righe intere (${(e as Error).message.split('\n')[0]})` };
  }
}

export async function pavimentoCopy(url: string, schema: string, dir: string): Promise<Pavimento[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const out: Pavimento[] = [];
  try {
    await c.query(`set search_path to "${schema.replace(/"/g, '')}"`);
    let k = 0;
    let tot = 0;
    let totRighe = 0;
    for (const [nome, files] of FILES) {
      let s = 0;
      let righe = 0;
      const note: string[] = [];
      for (const f of files) {
        const p = path.join(dir, f);
        if (!fs.existsSync(p)) continue;
        const r = await copyOne(c, p, k++);
        s += r.secondi;
        righe += r.righe;
        if (r.nota) note.push(`${f}: ${r.nota}`);
      }
      tot += s;
      totRighe += righe;
      out.push({ nome: `COPY ${nome}`, secondi: +s.toFixed(2), righe, nota: note.join('; ') || undefined });
    }
    out.push({ nome: 'COPY totale', secondi: +tot.toFixed(2), righe: totRighe });
    for (let i = 0; i < k; i++) await c.query(`drop table if exists pavimento_${i}`);
  } finally {
    await c.end();
  }
  return out;
}

const SCAN = ['cartelle', 'membri', 'prestazioni', 'censimento', 'comuni'];

export async function pavimentoScansione(db: Database): Promise<Pavimento> {
  const t = process.hrtime.bigint();
  let righe = 0;
  await db.knex.transaction(async (trx) => {
    for (const s of ['enable_indexscan', 'enable_indexonlyscan', 'enable_bitmapscan']) await trx.raw(`set local ${s} = off`);
    for (const table of SCAN) righe += Number((await trx.raw('select count(*) as n from ??', [table])).rows[0].n);
  });
  return { nome: `scansione sequenziale (${SCAN.join(', ')})`, secondi: +(Number(process.hrtime.bigint() - t) / 1e9).toFixed(3), righe };
}
