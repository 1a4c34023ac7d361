import type { Knex } from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db';
import { BulkLoader } from './bulk';
import { fileChecksum, readCsv, ReadResult } from './csv';
import { leggiParallelo, PianoLettura, pianoParallelo } from './lettura-parallela';
import { TABLES, TableLoad } from './tabelle-siz';
import { formatProblem, ImportRejected, ImportSospesa, Problem, ProblemList } from './problemi';
import { FileInfo, ImportOutcome, recorded, recordImport, seVerifica, Verifica } from './registro';
import { intero, LimitiImport, LIMITI_PREDEFINITI } from './limiti';
import { preparaCodici } from './codici';
import { createStaging, DuplicateKey, prepareReplacement, Sostituzione, swapTables } from './sostituzione';
import { parseDate } from './valori';

export interface ImportOptions {
  /** Progress lines for long imports (the CLI prints them on a terminal). */
  log?: (msg: string) => void;
  utente?: string | null;
  /** Size, row and length limits (the configuration's); default LIMITI_PREDEFINITI. */
  limiti?: LimitiImport;
  /** Dry run: validate and preview, then roll back (registro.ts, Verifica). */
  verifica?: Verifica;
}

export interface SizOptions extends ImportOptions {
  /** Apply the extract even if a table loses more rows than SIZ_CALO_MASSIMO allows. */
  conferma?: boolean;
  /** What a held import tells to do to confirm it; default the command line with --conferma. */
  comeConfermare?: string;
}

// The tables and their row builders live in a module of their own, which the reading workers
// load without the database (lettore.ts).
export { TABLES } from './tabelle-siz';
export type { TableLoad } from './tabelle-siz';

export const SIZ_REQUIRED = ['cartelle.csv', 'membri.csv'];

/** The first line of a small text file (at most 1 KB is read: the file can be anything). */
export function firstLine(file: string): string {
  const buf = Buffer.alloc(1024);
  const fd = fs.openSync(file, 'r');
  try {
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n).replace(/^\ufeff/, '').trim().split(/\r?\n/)[0] ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

/** Extraction date: `estrazione.txt`, else the newest modification date of the files. */
function extractionDate(dir: string, present: string[], problems: ProblemList): string {
  const f = path.join(dir, 'estrazione.txt');
  if (fs.existsSync(f)) {
    const text = firstLine(f);
    const p = parseDate(text);
    if (p.ok) return p.value;
    problems.add({ file: 'estrazione.txt', line: 1, column: 1, reason: p.reason });
    return '';
  }
  const newest = Math.max(...present.map((n) => fs.statSync(path.join(dir, n)).mtimeMs));
  return new Date(newest).toISOString().slice(0, 10);
}

/**
 * Imports a SIZ extract folder: a full snapshot. Each table whose file is present is replaced
 * in one transaction; absent optional files keep their table. Any format problem rejects the
 * whole extract and nothing changes. Identical files (same checksums as loaded) are a no-op.
 * A table that shrank beyond SIZ_CALO_MASSIMO holds the whole extract (ImportSospesa) unless
 * `conferma` is given (see conferma.ts for confirming a held import by its row).
 */
export async function importSiz(db: Database, dir: string, opts: SizOptions = {}): Promise<ImportOutcome> {
  const log = opts.log ?? (() => undefined);
  const limiti = opts.limiti ?? LIMITI_PREDEFINITI;
  return recorded(db, { tipo: 'siz', origine: dir, utente: opts.utente, percorso: 'cartella' }, async (run) => {
    const problems = new ProblemList();
    const warnings: string[] = [];
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      problems.add({ file: dir, line: 0, column: 0, reason: 'la cartella dell\'estrazione SIZ non esiste' });
      throw ImportRejected.from(problems);
    }
    const present = TABLES.map((t) => `${t.table}.csv`).filter((n) => fs.existsSync(path.join(dir, n)));
    for (const req of SIZ_REQUIRED) {
      if (!present.includes(req)) problems.add({ file: req, line: 0, column: 0, reason: 'file obbligatorio mancante nell\'estrazione' });
    }
    const known = new Set([...TABLES.map((t) => `${t.table}.csv`), 'estrazione.txt']);
    const extra = fs.readdirSync(dir).filter((n) => !known.has(n));
    if (extra.length) warnings.push(`file ignorati nell'estrazione: ${extra.slice(0, 20).map((n) => (n.length > 60 ? `${n.slice(0, 60)}…` : n)).join(', ')}${extra.length > 20 ? ` e altri ${extra.length - 20}` : ''}`);
    if (!problems.empty) throw ImportRejected.from(problems, warnings);
    const estrazione = extractionDate(dir, present, problems);
    if (!problems.empty) throw ImportRejected.from(problems, warnings);

    // Checksums first: a table whose file did not change is not reloaded.
    const loaded = await caricate(db.knex);
    const checksums = new Map<string, string>();
    for (const n of present) checksums.set(n, await fileChecksum(path.join(dir, n)));
    const changed = diverse(present, checksums, loaded);

    if (changed.length === 0) {
      const files: FileInfo[] = present.map((n) => ({ nome: n, checksum: checksums.get(n)!, righe: 0 }));
      if (opts.verifica) {
        const esito: ImportOutcome = { id: 0, tipo: 'siz', esito: 'nessuna_modifica', messaggio: 'Nessuna modifica: i file sono identici a quelli già caricati.', righe: {}, avvisi: warnings, data_estrazione: estrazione };
        await db.knex.transaction(async (trx) => seVerifica(opts.verifica, trx, esito));
      }
      const id = await recordImport(db.knex, { tipo: 'siz', origine: dir, id: run.id, avviato_il: run.started, file: files, data_estrazione: estrazione, esito: 'nessuna_modifica', messaggio: 'nessuna modifica: file identici a quelli già caricati', avvisi: warnings, utente: opts.utente });
      return { id, tipo: 'siz', esito: 'nessuna_modifica', messaggio: 'Nessuna modifica: i file sono identici a quelli già caricati.', righe: {}, avvisi: warnings, data_estrazione: estrazione };
    }

    const righe: Record<string, number> = {};
    const files: FileInfo[] = [];
    // Files read without problems whose duplicates the primary key will reveal.
    const clean: { t: TableLoad; header: string[] }[] = [];
    const lastLines = new Map<string, number>();
    // Every file goes into a new table of its own, which takes the old table's place only at the
    // end (sostituzione.ts), so the pages keep reading the old extract, and never wait, while the
    // files are read. Loading the tables themselves (emptied) would make every page that reads
    // them wait for the whole import. The run's id in the name keeps two imports (say a dry run
    // from the upload page and the inbox) apart.
    const target = (t: TableLoad) => `stg_${t.table}_${run.id}`;
    const trx = await db.knex.transaction();
    try {
      if (!opts.verifica) await unaAllaVolta(db, trx, { present, checksums, loaded, changed, log });
      for (const t of changed) {
        const name = `${t.table}.csv`;
        const t0 = Date.now();
        // Every file is read even after a problem elsewhere, so the report lists them all.
        const before = problems.total;
        const file = path.join(dir, name);
        const onProgress = (n: number) => log(`${name}: ${n.toLocaleString('it-IT')} righe (${Math.round(n / Math.max(0.001, (Date.now() - t0) / 1000)).toLocaleString('it-IT')} righe/s)`);
        // A large file by several threads (lettura-parallela.ts); alone when it is small, or when
        // the parts could not be read as the whole file is (then what they loaded is undone).
        const piano = pianoParallelo(file, name, t.spec, limiti);
        let res = piano ? await inParallelo(db, trx, { piano, t, target: target(t), estrazione, limiti, problems, warnings, onProgress }) : null;
        if (!res) {
          await createStaging(trx, t.table, target(t));
          const loader = new BulkLoader(db, trx, target(t), t.columns);
          res = await readCsv({
            file,
            displayName: name,
            spec: t.spec,
            problems,
            warnings,
            limiti,
            onRow: (v, riga) => (problems.total === before ? loader.add(t.build(v, riga.line, estrazione)) : undefined),
            onProgress,
          });
          await loader.finish();
        }
        if (problems.total === before) {
          if (t.keyIsPrimary) clean.push({ t, header: res.header });
          else await duplicateProblems(trx, target(t), t, name, res.header, problems);
        }
        righe[t.table] = res.rows;
        lastLines.set(t.table, res.lastLine);
        files.push({ nome: name, checksum: res.checksum, righe: res.rows });
        log(`${name}: ${res.rows.toLocaleString('it-IT')} righe lette in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      }
      if (!problems.empty || opts.verifica) {
        // Rejected anyway: list the duplicates of the other files too, so one report says it all.
        // A dry run looks for them the same way instead of swapping the tables (the swap would
        // hold the tables' locks, and keep the pages waiting, for nothing).
        for (const c of clean) await duplicateProblems(trx, target(c.t), c.t, `${c.t.table}.csv`, c.header, problems);
        if (!problems.empty) throw ImportRejected.from(problems, warnings);
      }
      // A dry run says it in its preview (calo): the real import would be held unless confirmed.
      const losses = opts.conferma ? [] : shrunk(changed, righe, loaded, lastLines, limiti);
      if (losses.length && !opts.verifica) {
        await trx.rollback();
        throw new ImportSospesa(losses, warnings, files, estrazione, opts.comeConfermare ?? `cruscotto import siz ${dir} --conferma`);
      }
      if (opts.verifica) {
        const skipped = present.filter((n) => !changed.some((t) => `${t.table}.csv` === n));
        await seVerifica(opts.verifica, trx, { id: 0, tipo: 'siz', esito: 'ok', messaggio: `Estrazione SIZ del ${estrazione}: ${Object.entries(righe).map(([k, n]) => `${k} ${n}`).join(', ')}${skipped.length ? ` (invariati: ${skipped.join(', ')})` : ''}.`, righe, avvisi: warnings, data_estrazione: estrazione, ...(losses.length ? { calo: losses.map(formatProblem) } : {}) });
      }

      const tSwap = Date.now();
      const pronte: Sostituzione[] = [];
      for (const t of changed) {
        // The rebuilt primary key is the duplicate check: when it fails, the staging rows are
        // still there for the search of the duplicates' lines.
        const sp = await trx.transaction();
        try {
          pronte.push(await prepareReplacement(sp, db.engine, t.table, target(t)));
          await sp.commit();
        } catch (e) {
          await sp.rollback().catch(() => undefined);
          if (!(e instanceof DuplicateKey)) throw e;
          const c = clean.find((x) => x.t === t)!;
          await duplicateProblems(trx, target(t), t, `${t.table}.csv`, c.header, problems);
        }
      }
      if (!problems.empty) throw ImportRejected.from(problems, warnings);
      // New erogazioni: their (cartella, code) pairs are swapped in with them (codici.ts).
      const erogazioni = changed.find((t) => t.table === 'prestazioni');
      if (erogazioni) pronte.push(await preparaCodici(trx, db.engine, target(erogazioni), `stg_prestazioni_codici_${run.id}`));
      await swapTables(trx, pronte);
      log(`tabelle sostituite in ${((Date.now() - tSwap) / 1000).toFixed(1)} s`);
      const id = await recordImport(trx, { tipo: 'siz', origine: dir, id: run.id, avviato_il: run.started, file: files, data_estrazione: estrazione, esito: 'ok', righe: Object.values(righe).reduce((a, b) => a + b, 0), messaggio: `caricate ${changed.map((t) => t.table).join(', ')}`, avvisi: warnings, utente: opts.utente });
      for (const t of changed) {
        await trx('siz_tabelle').insert({ tabella: t.table, checksum: checksums.get(`${t.table}.csv`), righe: righe[t.table], importazione_id: id, data_estrazione: estrazione }).onConflict('tabella').merge();
      }
      // Unchanged files still belong to this extraction.
      await trx('siz_tabelle').whereIn('tabella', TABLES.filter((t) => present.includes(`${t.table}.csv`) && !changed.includes(t)).map((t) => t.table)).update({ data_estrazione: estrazione });
      if (opts.conferma) await markConfirmed(trx, id, checksums);
      await trx.commit();
      // Fresh statistics: the planner otherwise works with the estimates of the old content. The
      // data is committed: a failure here (the database going away) does not undo the import.
      for (const t of [...changed.map((c) => c.table), ...(erogazioni ? ['prestazioni_codici'] : [])]) await db.knex.raw('analyze ??', [t]).catch(() => undefined);
      const skipped = present.filter((n) => !changed.some((t) => `${t.table}.csv` === n));
      return {
        id,
        tipo: 'siz',
        esito: 'ok',
        messaggio: `Estrazione SIZ del ${estrazione} importata: ${Object.entries(righe).map(([k, n]) => `${k} ${n}`).join(', ')}${skipped.length ? ` (invariati: ${skipped.join(', ')})` : ''}.`,
        righe,
        avvisi: warnings,
        data_estrazione: estrazione,
      };
    } catch (e) {
      if (!trx.isCompleted()) await trx.rollback().catch(() => undefined);
      throw e;
    }
  });
}

/**
 * One file read by several threads into its new table, in a savepoint: when the parts could not
 * be read as the whole file is (null, lettura-parallela.ts), the savepoint takes the table and
 * its rows away and the caller reads the file alone. A worker that fails ends the COPY (which
 * would keep the connection, and the rollback, waiting) and the import.
 */
async function inParallelo(
  db: Database,
  trx: Knex.Transaction,
  a: { piano: PianoLettura; t: TableLoad; target: string; estrazione: string; limiti: LimitiImport; problems: ProblemList; warnings: string[]; onProgress: (n: number) => void },
): Promise<ReadResult | null> {
  const sp = await trx.transaction();
  let loader: BulkLoader | null = null;
  try {
    await createStaging(sp, a.t.table, a.target);
    const l = new BulkLoader(db, sp, a.target, a.t.columns);
    loader = l;
    const res = await leggiParallelo({ piano: a.piano, tabella: a.t.table, estrazione: a.estrazione, limiti: a.limiti, problems: a.problems, warnings: a.warnings, onProgress: a.onProgress, scrivi: (text, righe) => l.addText(text, righe) });
    if (!res) {
      await l.abort(new Error('lettura ripetuta da un solo thread'));
      await sp.rollback();
      return null;
    }
    await l.finish();
    await sp.commit();
    return res;
  } catch (e) {
    await loader?.abort(e instanceof Error ? e : new Error(String(e))).catch(() => undefined);
    await sp.rollback().catch(() => undefined);
    throw e;
  }
}

/** What is loaded now: each SIZ table's file checksum and rows. */
async function caricate(knex: Knex): Promise<Map<string, { checksum: string; righe: number }>> {
  const righe = (await knex('siz_tabelle').select('tabella', 'checksum', 'righe')) as { tabella: string; checksum: string; righe: string | number }[];
  return new Map(righe.map((r) => [r.tabella, { checksum: r.checksum, righe: Number(r.righe) }]));
}

/** The tables whose file is present and differs from what is loaded (TABLES order). */
function diverse(present: string[], checksums: Map<string, string>, loaded: Map<string, { checksum: string }>): TableLoad[] {
  return TABLES.filter((t) => present.includes(`${t.table}.csv`) && loaded.get(t.table)?.checksum !== checksums.get(`${t.table}.csv`));
}

/**
 * One SIZ import at a time per schema (a command beside an upload, two instances): on
 * PostgreSQL two swapping the same tables at once ended in a deadlock and one of them failed
 * (before and after the new-table swap of sostituzione.ts: test/importazione/siz-concorrenza.test.ts).
 * A transaction lock: the second waits for the first's commit (on PGlite its transaction begins
 * after the other's). The tables it found unchanged were compared with what was loaded before the
 * first: compared again inside the transaction, and any that differs from what is loaded now is
 * loaded too, so the result is the second extract whole, never the first's cartelle with the
 * second's accessi (which both engines gave before).
 */
async function unaAllaVolta(
  db: Database,
  trx: Knex.Transaction,
  a: { present: string[]; checksums: Map<string, string>; loaded: Map<string, { checksum: string; righe: number }>; changed: TableLoad[]; log: (s: string) => void },
): Promise<void> {
  // PGlite has one connection: this transaction began after any other had ended.
  if (db.engine === 'postgres') {
    const chiave = `hashtext(current_schema() || ':importazione:siz')`;
    if ((await trx.raw(`select pg_try_advisory_xact_lock(${chiave}) as ok`)).rows[0].ok !== true) {
      a.log("in attesa della fine di un'altra importazione SIZ");
      await trx.raw(`select pg_advisory_xact_lock(${chiave})`);
    }
  }
  a.loaded.clear();
  for (const [k, v] of await caricate(trx)) a.loaded.set(k, v);
  for (const t of diverse(a.present, a.checksums, a.loaded)) if (!a.changed.includes(t)) a.changed.push(t);
  a.changed.sort((x, y) => TABLES.indexOf(x) - TABLES.indexOf(y));
}

/**
 * Tables that lost more than SIZ_CALO_MASSIMO percent of the rows loaded now (tables that had
 * fewer than SIZ_CALO_MIN_RIGHE rows are not judged: a few rows more or less is no signal).
 * Each is a problem located where its file ends: a file cut at a line break looks valid.
 */
function shrunk(changed: TableLoad[], righe: Record<string, number>, loaded: Map<string, { righe: number }>, lastLines: Map<string, number>, limiti: LimitiImport): Problem[] {
  const out: Problem[] = [];
  for (const t of changed) {
    const before = loaded.get(t.table)?.righe ?? 0;
    const now = righe[t.table];
    if (before < Math.max(1, limiti.caloMinRighe) || (before - now) * 100 <= limiti.caloMassimo * before) continue;
    const pct = Math.round((1000 * (before - now)) / before) / 10;
    out.push({
      file: `${t.table}.csv`,
      line: Math.max(1, lastLines.get(t.table) ?? 1),
      column: 0,
      reason: `il file finisce qui con ${intero(now)} righe di dati; la tabella ${t.table} caricata ne ha ${intero(before)}: ${intero(before - now)} in meno (-${pct.toLocaleString('it-IT')}%), oltre il calo massimo del ${limiti.caloMassimo}% (impostazione SIZ_CALO_MASSIMO)`,
    });
  }
  return out;
}

/** Held imports of these very files (same checksums) become `confermata`, pointing to the import that applied them. */
async function markConfirmed(trx: import('knex').Knex.Transaction, id: number, checksums: Map<string, string>): Promise<void> {
  const held = (await trx('importazioni').where({ tipo: 'siz', esito: 'sospesa' }).where('id', '<', id).select('id', 'file', 'messaggio')) as { id: number; file: FileInfo[] | string; messaggio: string | null }[];
  for (const h of held) {
    const files = (typeof h.file === 'string' ? JSON.parse(h.file) : h.file) as FileInfo[];
    if (files.length === 0 || !files.every((f) => checksums.get(f.nome) === f.checksum)) continue;
    await trx('importazioni').where({ id: h.id }).update({ esito: 'confermata', messaggio: `${h.messaggio ?? ''} Confermata: applicata con l'importazione n. ${id}.`.trim() });
  }
}

/** Duplicate ids inside one file, found in SQL on the staging table (no id set held in memory). */
async function duplicateProblems(trx: import('knex').Knex.Transaction, stg: string, t: TableLoad, name: string, header: string[], problems: ProblemList): Promise<void> {
  const keyExpr = t.key.map(() => '??').join(', ');
  const rows = (
    await trx.raw(
      `select min(riga) as prima, array_agg(riga order by riga) as righe from ?? group by ${keyExpr} having count(*) > 1 order by 1 limit 1000`,
      [stg, ...t.key],
    )
  ).rows as { prima: number; righe: number[] }[];
  const column = header.indexOf(t.key[0]) + 1;
  const what = t.key.length > 1 ? `(${t.key.join(', ')})` : t.key[0];
  for (const r of rows) {
    for (const line of r.righe.slice(1)) problems.add({ file: name, line, column, reason: `${what} duplicato: già presente alla riga ${r.prima}` });
  }
}
