/**
 * Registry variations at scale: two snapshots of N residents (default 1,000,000) in 61 comuni,
 * with 1% of them changing between T0 and T1 (deaths, emigrations, changes of address and of
 * household, births and immigrations), 20,000 open cartelle whose members are residents.
 *   npx tsx bench/variazioni.ts [--righe N] [--db postgres|pglite]
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a
 * throw-away schema. Prints the time of each import, of the diff (variations + alarms), of the
 * digests, and the peak RSS of this process (process.resourceUsage().maxRSS). The two CSV files
 * are written by a child process first, so the peak is the import's and the diff's alone.
 * BENCH_KEEP=1 keeps the schema and the files, to look at query plans afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { openDb, migrate, Database } from '../server/db';
import { loadConfig } from '../server/config';
import { fixedClock } from '../server/context';
import { importAnagrafe } from '../server/importazione/anagrafe';
import { buildCf } from '../server/shared/cf';
import { calcolaVariazioni } from '../server/variazioni/calcolo';
import { inviaDigest } from '../server/variazioni/notifica';

const T0 = '2026-11-20';
const T1 = '2026-11-21';
const COMUNI = Array.from({ length: 61 }, (_, i) => `0980${String(i + 1).padStart(2, '0')}`);
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** One in PERIOD residents changes, with one of the KINDS kinds of change: 6 / 600 = 1%. */
const PERIOD = 600;

function letters3(k: number): string {
  return ALPHA[k % 26] + ALPHA[Math.floor(k / 26) % 26] + ALPHA[Math.floor(k / 676) % 26];
}

/** A distinct valid CF per index: surname from i mod 26^3, name from i div 26^3. */
function cfOf(i: number, birth: string, sex: 'M' | 'F'): string {
  return buildCf(letters3(i % 17576), letters3(Math.floor(i / 17576)), birth, sex, 'E648');
}

function person(i: number): { cf: string; birth: string; sex: 'M' | 'F'; comune: string; fam: string; via: string } {
  const sex = i % 2 ? 'F' : 'M';
  const birth = `${1930 + (i % 90)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
  const fam = Math.floor((i * 10) / 23); // households of 2-3
  return { cf: cfOf(i, birth, sex), birth, sex, comune: COMUNI[fam % COMUNI.length], fam: `F${fam}`, via: `Via ${letters3(fam % 5000)} ${1 + (fam % 120)}` };
}

class Writer {
  private readonly out: fs.WriteStream;
  private buf: string[] = [];
  constructor(file: string) {
    this.out = fs.createWriteStream(file);
    this.buf.push('codice_fiscale;cognome;nome;sesso;data_nascita;codice_istat;indirizzo;id_famiglia;stato;data_evento');
  }
  async row(cols: string[]): Promise<void> {
    this.buf.push(cols.join(';'));
    if (this.buf.length >= 5000) await this.flush();
  }
  private async flush(): Promise<void> {
    const ok = this.out.write(this.buf.join('\n') + '\n');
    this.buf = [];
    if (!ok) await once(this.out, 'drain');
  }
  async end(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

async function writeSnapshots(dir: string, n: number): Promise<{ changes: Record<string, number> }> {
  const w0 = new Writer(path.join(dir, 't0.csv'));
  const w1 = new Writer(path.join(dir, 't1.csv'));
  const changes: Record<string, number> = { decesso: 0, emigrazione: 0, cambio_indirizzo: 0, cambio_famiglia: 0, nascita: 0, immigrazione: 0 };
  let nuovi = 0;
  for (let i = 0; i < n; i++) {
    const p = person(i);
    const base = [p.cf, `C${letters3(i % 17576)}`, `N${letters3(Math.floor(i / 17576))}`, p.sex, p.birth, p.comune];
    await w0.row([...base, p.via, p.fam, 'residente', '']);
    switch (i % PERIOD) {
      case 0:
        changes.decesso++;
        await w1.row([...base, p.via, p.fam, 'deceduto', T1]);
        break;
      case 1:
        changes.emigrazione++; // absent at T1
        break;
      case 2:
        changes.cambio_indirizzo++;
        await w1.row([...base, `${p.via} bis`, p.fam, 'residente', '']);
        break;
      case 3:
        changes.cambio_famiglia++;
        await w1.row([...base, p.via, `${p.fam}N`, 'residente', '']);
        break;
      case 4: {
        // Unchanged here, and a newcomer in the same household: a birth or an immigration.
        await w1.row([...base, `  ${p.via.toLowerCase()} `, p.fam, 'residente', '']); // case/spaces only: no change
        const j = n + nuovi++;
        const nato = j % 2 === 0;
        const birth = nato ? '2026-11-10' : '1990-06-15';
        changes[nato ? 'nascita' : 'immigrazione']++;
        await w1.row([cfOf(j, birth, 'M'), 'Nuovo', 'Arrivo', 'M', birth, p.comune, p.via, p.fam, '', '']);
        break;
      }
      case 5:
        changes.emigrazione++;
        await w1.row([...base, p.via, p.fam, 'emigrato', T1]);
        break;
      default:
        await w1.row([...base, p.via, p.fam, '', '']);
    }
  }
  await w0.end();
  await w1.end();
  return { changes };
}

/** 20,000 open cartelle of 200 operatori: every 50th resident holds one. */
async function seedSiz(db: Database, n: number): Promise<void> {
  await db.knex('comuni').insert(COMUNI.map((c, i) => ({ codice_istat: c, nome: `Comune ${i + 1}`, nome_norm: `COMUNE${i + 1}`, popolazione: Math.round(n / 61), distretto: 'Lodi' })));
  await db.knex.batchInsert('operatori', Array.from({ length: 200 }, (_, k) => ({ operatore_id: `OP${k}`, email: `op${k}@servizi.example`, riga: k + 1 })), 1000);
  const cartelle: Record<string, unknown>[] = [];
  const membri: Record<string, unknown>[] = [];
  for (let i = 0, k = 0; i < n; i += 50, k++) {
    const p = person(i);
    cartelle.push({ id_cartella: `C${k}`, codice_istat: p.comune, data_apertura: '2024-01-01', operatore_id: `OP${k % 200}`, riga: k + 1 });
    membri.push({ riga: k + 1, id_cartella: `C${k}`, codice_fiscale: p.cf, cf_valido: true, data_nascita: p.birth });
  }
  await db.knex.batchInsert('cartelle', cartelle, 2000);
  await db.knex.batchInsert('membri', membri, 2000);
}

async function main() {
  const args = process.argv.slice(2);
  const righe = Number(args[args.indexOf('--righe') + 1] || 0) || 1_000_000;
  if (args.includes('--genera')) {
    const { changes } = await writeSnapshots(args[args.indexOf('--genera') + 1], righe);
    process.stdout.write(JSON.stringify(changes));
    return;
  }
  const engine = args.includes('--db') ? args[args.indexOf('--db') + 1] : 'postgres';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-variazioni-'));
  const g0 = Date.now();
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--genera', dir, '--righe', String(righe)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`generazione dei file non riuscita (${child.status})`);
  const changes = JSON.parse(child.stdout) as Record<string, number>;
  const generazione = (Date.now() - g0) / 1000;
  const schema = `bench_var_${process.pid}`;
  const db = engine === 'postgres'
    ? await openDb({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema })
    : await openDb({ pgliteDir: path.join(dir, 'db') });
  try {
    await migrate(db);
    await seedSiz(db, righe);
    const secs = async (f: () => Promise<unknown>) => {
      const t = process.hrtime.bigint();
      await f();
      return Number(process.hrtime.bigint() - t) / 1e9;
    };
    const imp0 = await secs(() => importAnagrafe(db, path.join(dir, 't0.csv'), { data: T0, oggi: T1 }));
    const imp1 = await secs(() => importAnagrafe(db, path.join(dir, 't1.csv'), { data: T1, oggi: T1 }));
    let confronti: Awaited<ReturnType<typeof calcolaVariazioni>> = [];
    const diff = await secs(async () => (confronti = await calcolaVariazioni(db, { ora: new Date(`${T1}T01:30:00Z`) })));
    const ctx = { config: loadConfig({ DATA_DIR: dir }), db, log: pino({ level: 'silent' }), clock: fixedClock('2026-11-22') };
    const digest = await secs(() => inviaDigest(ctx, { ora: new Date(`${T1}T01:30:00Z`) }));
    const perTipo = Object.fromEntries(((await db.knex('variazioni').select('tipo').count('* as n').groupBy('tipo')) as { tipo: string; n: number }[]).map((r) => [r.tipo, r.n]));
    const posta = Number((await db.knex('posta').count('* as n'))[0].n);
    console.log(
      JSON.stringify(
        {
          engine,
          residenti: righe,
          file_mb: +((fs.statSync(path.join(dir, 't0.csv')).size + fs.statSync(path.join(dir, 't1.csv')).size) / 1e6).toFixed(1),
          generazione_s: +generazione.toFixed(2),
          import_t0_s: +imp0.toFixed(2),
          import_t1_s: +imp1.toFixed(2),
          diff_s: +diff.toFixed(2),
          import_piu_diff_s: +(imp0 + imp1 + diff).toFixed(2),
          digest_s: +digest.toFixed(2),
          variazioni_attese: changes,
          variazioni: perTipo,
          confronti: confronti.filter((c) => c.data_precedente).length,
          allarmi: confronti.reduce((s, c) => s + c.allarmi, 0),
          email_in_coda: posta,
          rss_picco_mb: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6),
        },
        null,
        2,
      ),
    );
  } finally {
    if (engine === 'postgres' && !process.env.BENCH_KEEP) await db.knex.raw('drop schema if exists ?? cascade', [schema]);
    if (process.env.BENCH_KEEP) console.error(`schema kept: ${schema}`);
    await db.close();
    if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
