import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Database } from '../db';
import { birthDateFromValidCf, isValidCf } from '../shared/cf';
import { BulkLoader } from './bulk';
import { readCsv, RowValues } from './csv';
import { ImportRejected, ProblemList } from './problemi';
import { ImportOutcome, ImportRun, recorded, recordImport, seVerifica } from './registro';
import { SPEC } from './schede';
import { normalizeAddress, parseDate } from './valori';
import { firstLine, type ImportOptions } from './siz';

const COLUMNS = ['codice_fiscale', 'cf_valido', 'cognome', 'nome', 'sesso', 'data_nascita', 'data_nascita_cf', 'codice_istat', 'indirizzo', 'indirizzo_norm', 'id_famiglia', 'stato', 'data_evento', 'riga'];

/**
 * Snapshots kept per comune: the new one and the previous one, which the variations compare.
 * An older one is pruned only once the variations job has compared past it, so importing several
 * snapshots before the job runs loses no comparison (server/variazioni, variazioni_confronti).
 */
const SNAPSHOTS_KEPT = 2;

/** Date of the snapshot: --data, else the companion estrazione.txt, else today. */
function snapshotDate(file: string, given: string | undefined, problems: ProblemList, warnings: string[], today: string): string {
  if (given) {
    const p = parseDate(given);
    if (!p.ok) problems.add({ file: '--data', line: 0, column: 0, reason: p.reason });
    return p.ok ? p.value : '';
  }
  const companion = path.join(path.dirname(file), 'estrazione.txt');
  if (fs.existsSync(companion)) {
    const p = parseDate(firstLine(companion));
    if (!p.ok) problems.add({ file: 'estrazione.txt', line: 1, column: 1, reason: p.reason });
    return p.ok ? p.value : '';
  }
  warnings.push(`data dello snapshot non indicata (né --data né estrazione.txt): uso la data di oggi ${today}`);
  return today;
}

/**
 * Civil-registry snapshot: one snapshot per comune present in the file, at one date. A comune's
 * snapshot at the same date is replaced; older snapshots beyond the previous one are pruned.
 */
/** Residents per INSERT on PGlite (at least; a twentieth of the file when larger). */
const RIGHE_PER_ISTRUZIONE_PGLITE = 5_000;

/** The ranges [da, a] of `passo` lines each that cover min..max (none when the file is empty). */
export function fette(min: number | null, max: number | null, passo: number): [number, number][] {
  if (min === null || max === null || max < min) return [];
  if (!Number.isFinite(passo)) return [[min, max]];
  passo = Math.max(1, Math.floor(passo));
  const out: [number, number][] = [];
  for (let da = min; da <= max; da += passo) out.push([da, Math.min(max, da + passo - 1)]);
  return out;
}

/** The columns of COLUMNS for one valid row of the file. */
function residentRow(v: RowValues, line: number, date: string): unknown[] {
  const cf = v.codice_fiscale as string;
  const valid = isValidCf(cf);
  return [cf, valid, v.cognome, v.nome, v.sesso, v.data_nascita, valid ? birthDateFromValidCf(cf, date) : null, v.codice_istat, v.indirizzo, normalizeAddress(v.indirizzo as string | null), v.id_famiglia, v.stato ?? 'residente', v.data_evento, line];
}

/**
 * Reads the registry file through the contract's rules, with progress lines; `onRow` gets the
 * columns of each valid row (COLUMNS order) and its comune, until the first problem.
 */
function leggiResidenti(
  a: { file: string; name: string; date: string; problems: ProblemList; warnings: string[]; opts: ImportOptions },
  onRow: (row: unknown[], istat: string) => void | Promise<void>,
): ReturnType<typeof readCsv> {
  const log = a.opts.log ?? (() => undefined);
  const t0 = Date.now();
  return readCsv({
    file: a.file,
    displayName: a.name,
    spec: SPEC.anagrafe,
    problems: a.problems,
    warnings: a.warnings,
    limiti: a.opts.limiti,
    onRow: (v, riga) => (a.problems.empty ? onRow(residentRow(v, riga.line, a.date), v.codice_istat as string) : undefined),
    onProgress: (n) => log(`${a.name}: ${n.toLocaleString('it-IT')} righe (${Math.round(n / Math.max(0.001, (Date.now() - t0) / 1000)).toLocaleString('it-IT')} righe/s)`),
  });
}

/**
 * Prunes the snapshots of these comuni beyond the SNAPSHOTS_KEPT newest that the variations job
 * has compared past; the residents of a pruned snapshot go first (no cascading foreign key: see
 * migration 7000). Returns how many residents went.
 */
async function prune(trx: Knex.Transaction, comuni: string[]): Promise<number> {
  const r = await trx.raw(
    `with vecchi as (delete from anagrafe_snapshot where id in (
       select id from (select id, codice_istat, data_snapshot, row_number() over (partition by codice_istat order by data_snapshot desc) as n
                       from anagrafe_snapshot where codice_istat = any(?)) r
       where n > ? and r.data_snapshot < (select max(c.data_snapshot) from variazioni_confronti c where c.codice_istat = r.codice_istat))
       returning id)
     delete from anagrafe where snapshot_id in (select id from vecchi)`,
    [comuni, SNAPSHOTS_KEPT],
  );
  return r.rowCount ?? 0;
}

/** The import's row in the registry, its id on the new snapshots, and the outcome. */
async function finish(
  trx: Knex.Transaction,
  a: { file: string; name: string; date: string; warnings: string[]; run: ImportRun; opts: ImportOptions; res: { checksum: string; rows: number }; ids: number[]; comuni: number; pruned: number },
): Promise<ImportOutcome> {
  const { file, name, date, warnings, run, opts, res, ids, pruned } = a;
  const id = await recordImport(trx, { tipo: 'anagrafe', origine: file, id: run.id, avviato_il: run.started, file: [{ nome: name, checksum: res.checksum, righe: res.rows }], data_estrazione: date, esito: 'ok', righe: res.rows, avvisi: warnings, utente: opts.utente });
  await trx('anagrafe_snapshot').whereIn('id', ids).update({ importazione_id: id });
  return {
    id,
    tipo: 'anagrafe',
    esito: 'ok',
    messaggio: `Anagrafe al ${date} importata: ${res.rows} residenti di ${a.comuni} comuni${pruned ? ` (${pruned} residenti di snapshot più vecchi rimossi)` : ''}.`,
    righe: { anagrafe: res.rows },
    avvisi: warnings,
    data_estrazione: date,
  };
}

/**
 * Tells whether any codice fiscale of a file repeats, without a set of a million strings (about
 * 70 MB of heap): a 53-bit hash of each in a growing Float64Array, sorted once at the end. A
 * repeated hash is a repeated CF, or one chance in ~20,000 for a million CFs a collision: either
 * way the caller takes the exact path, so a collision costs time, never a wrong answer.
 */
export class ImpronteCf {
  private a = new Float64Array(1 << 16);
  private n = 0;

  add(cf: string): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < cf.length; i++) {
      const c = cf.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  }

  anyRepeated(): boolean {
    const v = this.a.subarray(0, this.n).sort();
    for (let i = 1; i < v.length; i++) if (v[i] === v[i - 1]) return true;
    return false;
  }
}

/**
 * Snapshot ids reserved before the COPY, on the import's own connection: one per known comune and
 * 64 more. Not from a second connection while the COPY streams: with a small pool, imports
 * running side by side each held a connection and waited for another one (a deadlock found by
 * test/importazione/anagrafe-concorrenza.test.ts). Unused ids are lost, as with any sequence.
 */
async function snapshotIds(trx: Knex.Transaction): Promise<number[]> {
  const r = await trx.raw(`select nextval(pg_get_serial_sequence('anagrafe_snapshot', 'id')) as id from generate_series(1, (select count(*) from comuni)::int + 64)`);
  return (r.rows as { id: string }[]).map((x) => Number(x.id));
}

/**
 * The import on PostgreSQL, when it is not a dry run: the residents go by COPY straight into
 * `anagrafe`, each comune's under a new snapshot id taken when the comune first appears in the
 * file (on a second connection: this one is busy with the COPY). PostgreSQL maintains the
 * table's three indexes while this process reads the file, on the other core, instead of after
 * it (the staging table's INSERT ... SELECT: 11-14 s of a 24-30 s import of the regional
 * snapshot under load, the reading 10-12 s). The old snapshot of a comune at the same date is
 * replaced by the new one (new id, same comune and date: nothing refers to the ids but the
 * residents).
 *
 * A duplicated codice fiscale (the primary key refuses it within a comune; ImpronteCf finds it
 * across comuni, in 0.2 s where a query over the new rows took 1.4-5.7 s) sends the import
 * back to the staging path (null), which reads the file again and reports each duplicate's
 * lines exactly as it always did. The format problems are the same reading's, rejected here
 * as there.
 */
async function straightIntoAnagrafe(
  db: Database,
  trx: Knex.Transaction,
  a: { file: string; name: string; date: string; warnings: string[]; run: ImportRun; opts: ImportOptions },
): Promise<ImportOutcome | null> {
  const { file, name, date, warnings, run, opts } = a;
  const problems = new ProblemList();
  const sp = await trx.transaction();
  const snaps = new Map<string, { id: number; righe: number }>();
  const riserva = await snapshotIds(trx);
  // More comuni in the file than ids reserved (comuni missing from the comuni table): the
  // staging path, which numbers snapshots as it inserts them.
  let oltre = false;
  const impronte = new ImpronteCf();
  let res: Awaited<ReturnType<typeof readCsv>>;
  try {
    const loader = new BulkLoader(db, sp, 'anagrafe', ['snapshot_id', ...COLUMNS]);
    res = await leggiResidenti({ file, name, date, problems, warnings, opts }, (row, istat) => {
      if (oltre) return;
      impronte.add(row[0] as string);
      let s = snaps.get(istat);
      if (!s) {
        const id = riserva.shift();
        if (id === undefined) {
          oltre = true;
          return;
        }
        s = { id, righe: 0 };
        snaps.set(istat, s);
      }
      s.righe++;
      return loader.add([s.id, ...row]);
    });
    await loader.finish();
  } catch (e) {
    if ((e as { code?: string }).code !== '23505') throw e;
    await sp.rollback();
    return null;
  }
  if (!problems.empty) throw ImportRejected.from(problems, warnings);
  const ids = [...snaps.values()].map((s) => s.id);
  const istat = [...snaps.keys()];
  if (oltre || impronte.anyRepeated()) {
    await sp.rollback();
    return null;
  }
  await sp.commit();

  const unknown = (await trx.raw('select x.codice_istat from unnest(?::text[]) as x(codice_istat) where not exists (select 1 from comuni c where c.codice_istat = x.codice_istat) order by 1', [istat])).rows as { codice_istat: string }[];
  if (unknown.length) warnings.push(`comuni non presenti nell'anagrafica dei comuni: ${unknown.map((u) => u.codice_istat).join(', ')}`);
  // The snapshot of the same comuni at the same date is replaced, its residents first.
  await trx.raw(
    `with vecchi as (delete from anagrafe_snapshot where data_snapshot = ?::date and codice_istat = any(?) returning id)
     delete from anagrafe where snapshot_id in (select id from vecchi)`,
    [date, istat],
  );
  await trx.raw(`insert into anagrafe_snapshot (id, codice_istat, data_snapshot, righe) select x.id, x.codice_istat, ?::date, x.righe from unnest(?::int[], ?::text[], ?::int[]) as x(id, codice_istat, righe)`, [
    date,
    ids,
    istat,
    [...snaps.values()].map((s) => s.righe),
  ]);
  const pruned = await prune(trx, istat);
  return finish(trx, { file, name, date, warnings, run, opts, res, ids, comuni: snaps.size, pruned });
}

export async function importAnagrafe(db: Database, file: string, opts: ImportOptions & { data?: string; oggi?: string; righePerIstruzione?: number } = {}): Promise<ImportOutcome> {
  return recorded(db, { tipo: 'anagrafe', origine: file, utente: opts.utente, percorso: 'file' }, async (run) => {
    const problems = new ProblemList();
    const warnings: string[] = [];
    const today = opts.oggi ?? new Date().toISOString().slice(0, 10);
    const date = snapshotDate(file, opts.data, problems, warnings, today);
    if (!problems.empty) throw ImportRejected.from(problems, warnings);
    const name = path.basename(file);
    const trx = await db.knex.transaction();
    try {
      if (db.engine === 'postgres' && !opts.verifica) {
        // One registry import at a time per schema (a command beside an upload, two instances):
        // the second waits and then replaces the first's snapshot of the same date, as it did when
        // both went through the staging table. Without the lock it failed on the unique
        // (comune, date) of anagrafe_snapshot after reading its whole file.
        await trx.raw(`select pg_advisory_xact_lock(hashtext(current_schema() || ':importazione:anagrafe'))`);
        const esito = await straightIntoAnagrafe(db, trx, { file, name, date, warnings: [...warnings], run, opts });
        if (esito) {
          await trx.commit();
          return esito;
        }
      }
      await trx.raw('create temp table stg_anagrafe as select * from anagrafe with no data');
      await trx.raw('alter table stg_anagrafe drop column snapshot_id');
      const loader = new BulkLoader(db, trx, 'stg_anagrafe', COLUMNS);
      const res = await leggiResidenti({ file, name, date, problems, warnings, opts }, (row) => loader.add(row));
      await loader.finish();
      // Statistics of the staging table before anything reads it. Without them the planner
      // guessed a few thousand rows and, once the INSERT below got its `riga between` filter,
      // joined the snapshots by a nested loop: 91 M comparisons, 18 s of a 45 s INSERT of the
      // regional snapshot (EXPLAIN ANALYZE, 2026-12-04); with them, a hash join.
      if (problems.empty) await trx.raw('analyze stg_anagrafe');
      if (problems.empty) {
        // The duplicated CFs first (a hash aggregate, no arrays), then the lines of those only:
        // the lines of every one of a million CFs took 4 s (regional snapshot, 2026-12-03).
        const dups = (
          await trx.raw(
            `select codice_fiscale, array_agg(riga order by riga) as righe from stg_anagrafe
              where codice_fiscale in (select codice_fiscale from stg_anagrafe group by codice_fiscale having count(*) > 1)
              group by codice_fiscale order by min(riga) limit 1000`,
          )
        ).rows as { righe: number[] }[];
        for (const d of dups) for (const line of d.righe.slice(1)) problems.add({ file: name, line, column: res.header.indexOf('codice_fiscale') + 1, reason: `codice_fiscale duplicato: già presente alla riga ${d.righe[0]}` });
      }
      if (!problems.empty) throw ImportRejected.from(problems, warnings);

      const unknown = (await trx.raw('select distinct s.codice_istat from stg_anagrafe s left join comuni c on c.codice_istat = s.codice_istat where c.codice_istat is null')).rows as { codice_istat: string }[];
      if (unknown.length) warnings.push(`comuni non presenti nell'anagrafica dei comuni: ${unknown.map((u) => u.codice_istat).join(', ')}`);

      const snaps = (
        await trx.raw(
          `insert into anagrafe_snapshot (codice_istat, data_snapshot, righe)
           select codice_istat, ?::date, count(*) from stg_anagrafe group by codice_istat
           on conflict (codice_istat, data_snapshot) do update set righe = excluded.righe, importato_il = now()
           returning id, codice_istat`,
          [date],
        )
      ).rows as { id: number; codice_istat: string }[];
      const ids = snaps.map((s) => s.id);
      await trx('anagrafe').whereIn('snapshot_id', ids).del();
      // PGlite runs each statement on the main thread: one INSERT of every resident kept every
      // page waiting for its whole length (0.4-0.85 s for 28,000 residents under load, docs/bench.md).
      // There it goes in slices of lines, a turn of the event loop apart (server/db.ts).
      // PostgreSQL does it at once: each slice scans the staging table again.
      const { min, max } = (await trx.raw('select min(riga) as min, max(riga) as max from stg_anagrafe')).rows[0] as { min: number | null; max: number | null };
      const passo = opts.righePerIstruzione ?? (db.engine === 'pglite' ? Math.max(RIGHE_PER_ISTRUZIONE_PGLITE, Math.ceil(res.rows / 20)) : Infinity);
      for (const [da, a] of fette(min, max, passo)) {
        await trx.raw(
          `insert into anagrafe (snapshot_id, ${COLUMNS.join(', ')})
           select s.id, ${COLUMNS.map((c) => 'g.' + c).join(', ')} from stg_anagrafe g join anagrafe_snapshot s on s.codice_istat = g.codice_istat and s.data_snapshot = ?::date
            where g.riga between ? and ?`,
          [date, da, a],
        );
      }
      const pruned = await prune(trx, snaps.map((x) => x.codice_istat));
      const esito = await finish(trx, { file, name, date, warnings, run, opts, res, ids, comuni: snaps.length, pruned });
      await seVerifica(opts.verifica, trx, esito);
      await trx.raw('drop table stg_anagrafe');
      await trx.commit();
      return esito;
    } catch (e) {
      await trx.rollback().catch(() => undefined);
      throw e;
    }
  });
}
