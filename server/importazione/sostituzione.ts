import type { Knex } from 'knex';
import { AppError } from '../shared/errori';

/** A unique index of the table refused the new content: the caller reports the duplicates. */
export class DuplicateKey extends AppError {
  constructor(readonly table: string) {
    super(`chiave duplicata in ${table}`);
  }
}

interface IndexDef {
  nome: string;
  def: string;
  vincolo: string | null;
  vdef: string | null;
}

/**
 * The table a new content of `table` is loaded into: an ordinary table (it takes the place of
 * `table` at the swap, so it cannot be temporary) with the same columns, defaults, NOT NULL and
 * CHECK constraints and storage, and no index: they are built once the rows are in
 * (prepareReplacement). Created inside the import's transaction, it vanishes with a rollback (a
 * rejected file, a dry run, a crash): nothing is left behind to clean up.
 */
export async function createStaging(trx: Knex.Transaction, table: string, staging: string): Promise<void> {
  await trx.raw('create table ?? (like ?? including defaults including constraints including storage including comments)', [staging, table]);
  // The table's own triggers too (LIKE copies none), before the load: they see the new rows as
  // they would have seen them inserted into the table, and stay with it after the swap.
  const triggers = (await trx.raw('select pg_get_triggerdef(oid) as def from pg_trigger where tgrelid = ?::regclass and not tgisinternal order by tgname', [table])).rows as { def: string }[];
  for (const t of triggers) {
    const m = /^(CREATE (?:CONSTRAINT )?TRIGGER \S+ .*? ON )\S+( .*)$/s.exec(t.def);
    if (!m) throw new Error(`definizione di trigger non riconosciuta: ${t.def}`);
    await trx.raw(`${m[1]}"${staging.replace(/"/g, '""')}"${m[2]}`);
  }
}

/** `CREATE [UNIQUE] INDEX name ON table USING ...` of the catalog, for another table and name. */
function indexFor(def: string, staging: string, name: string): string {
  const m = /^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ (USING .*)$/s.exec(def);
  if (!m) throw new Error(`definizione di indice non riconosciuta: ${def}`);
  const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';
  return `CREATE ${m[1] ?? ''}INDEX ${ident(name)} ON ${ident(staging)} ${m[2]}`;
}

/**
 * Replaces `table` with `staging` (filled by the caller, see createStaging), inside the
 * caller's transaction (a rollback restores the old table).
 *
 * The indexes of `table`, read back from the catalog (a migration that adds one needs no change
 * here), are built on `staging` first: building a b-tree from the loaded rows is about five times
 * faster than inserting a million keys one by one, and the rebuilt primary key is the duplicate
 * check (DuplicateKey, with the rows still in `staging` for the search of their lines). Then the
 * old table is dropped and `staging` takes its name, its indexes and constraints theirs, and the
 * views that read the table are created again as they were. The catalog text is not user input,
 * which is why it is run as it is.
 *
 * Until 2026-12-04 the rows went from a temporary table into the emptied table (TRUNCATE, indexes
 * dropped, INSERT ... SELECT, indexes built): every row was written twice (the INSERT took 10 s
 * of a regional extract under load), and the TRUNCATE's exclusive lock, which keeps the pages
 * reading the table waiting, was held for the INSERT and the index builds (28-33 s in all). Now
 * that lock is taken by the DROP and lasts the renames. As before, a reader waits for it and
 * then sees the new content (every transaction of this service is READ COMMITTED).
 *
 * No foreign key may point to the table and no default may use a sequence the table owns (both
 * would be dropped with it): the SIZ tables have neither, which is checked here, not assumed.
 */
export interface Sostituzione {
  table: string;
  staging: string;
  indexes: IndexDef[];
  temp: string[];
  views: { nome: string; def: string }[];
}

export async function prepareReplacement(trx: Knex.Transaction, engine: 'pglite' | 'postgres', table: string, staging: string): Promise<Sostituzione> {
  const indexes = (
    await trx.raw(
      `select i.relname as nome, pg_get_indexdef(i.oid) as def, c.conname as vincolo, pg_get_constraintdef(c.oid) as vdef
         from pg_index x
         join pg_class i on i.oid = x.indexrelid
         left join pg_constraint c on c.conindid = x.indexrelid and c.conrelid = x.indrelid
        where x.indrelid = ?::regclass
        order by c.conname is null, i.relname`,
      [table],
    )
  ).rows as IndexDef[];
  const blockers = (
    await trx.raw(
      `select conname as nome from pg_constraint where contype = 'f' and confrelid = ?::regclass
       union all
       select s.relname from pg_depend d join pg_class s on s.oid = d.objid and s.relkind = 'S'
        where d.classid = 'pg_class'::regclass and d.refobjid = ?::regclass and d.deptype in ('a', 'i')`,
      [table, table],
    )
  ).rows as { nome: string }[];
  if (blockers.length) throw new Error(`la tabella ${table} non si può sostituire: ${blockers.map((b) => b.nome).join(', ')}`);

  // More sort memory for the index builds of this transaction only (the default 64 MB spills a
  // million text keys to disk). Not on PGlite: its memory, once grown, is never given back.
  if (engine === 'postgres') await trx.raw(`set local maintenance_work_mem = '256MB'`);
  const temp = indexes.map((_, i) => `${staging}_i${i}`);
  for (const [i, ix] of indexes.entries()) {
    try {
      if (ix.vincolo) await trx.raw(`alter table ?? add constraint ?? ${ix.vdef}`, [staging, temp[i]]);
      else await trx.raw(indexFor(ix.def, staging, temp[i]));
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw new DuplicateKey(table);
      throw e;
    }
  }

  // The views reading the table (and those reading them), outermost last, to create again in
  // that order: a view is bound to the table it was created on, not to its name.
  const views = (
    await trx.raw(
      `with recursive dipendenti(oid, livello) as (
         select r.ev_class, 1 from pg_depend d join pg_rewrite r on r.oid = d.objid and d.classid = 'pg_rewrite'::regclass
          where d.refobjid = ?::regclass and r.ev_class <> d.refobjid
         union
         select r.ev_class, v.livello + 1 from dipendenti v join pg_depend d on d.refobjid = v.oid join pg_rewrite r on r.oid = d.objid and d.classid = 'pg_rewrite'::regclass
          where r.ev_class <> v.oid
       )
       select c.relname as nome, pg_get_viewdef(c.oid) as def, max(v.livello) as livello
         from dipendenti v join pg_class c on c.oid = v.oid
        where c.relkind = 'v'
        group by c.oid, c.relname
        order by max(v.livello), c.relname`,
      [table],
    )
  ).rows as { nome: string; def: string }[];
  return { table, staging, indexes, temp, views };
}

/** How long the swap waits for its locks before letting go of them and trying again. */
export const ATTESA_BLOCCHI_MS = 250;

/**
 * The exclusive locks of `tables`, all of them or none. LOCK TABLE takes them one after the
 * other: holding the first, it waits for the second while a page that already read the second
 * may be about to read the first (a statement locks each table it reads as it meets it). The two
 * then wait for each other, and PostgreSQL ends one of them after deadlock_timeout (1 s): the
 * night's import, or the page, failed with «deadlock detected» (test/importazione/siz-concorrenza.test.ts,
 * twice at load 7-10). So the locks are asked in a savepoint with a lock_timeout shorter than
 * that: when they are not all had in time, the savepoint lets go of those it holds, the page goes
 * on, and after a pause the import asks again. As before, it waits as long as the readers take.
 */
async function bloccaTutte(trx: Knex.Transaction, tables: string[]): Promise<void> {
  const prima = (await trx.raw(`select current_setting('lock_timeout') as v`)).rows[0].v as string;
  for (let tentativo = 1; ; tentativo++) {
    const sp = await trx.transaction();
    try {
      await sp.raw(`set local lock_timeout = '${ATTESA_BLOCCHI_MS}ms'`);
      await sp.raw(`lock table ${tables.map(() => '??').join(', ')} in access exclusive mode`, tables);
      await sp.raw('select set_config(?, ?, true)', ['lock_timeout', prima]);
      await sp.commit();
      return;
    } catch (e) {
      await sp.rollback().catch(() => undefined);
      if ((e as { code?: string }).code !== '55P03') throw e; // lock_not_available
      // A pause that grows a little, so the readers queued behind the locks asked can pass.
      await new Promise((ok) => setTimeout(ok, Math.min(1000, 20 * tentativo)));
    }
  }
}

/**
 * The swap of every prepared table, at the end of the import: the exclusive locks of all of them
 * are asked in one statement, then each old table is dropped and its replacement renamed. The
 * index builds of every table came before (prepareReplacement), so the locks last milliseconds;
 * when the swap of one table came right after its own index builds, the first table stayed
 * locked during the builds of the next ones (seconds at the regional scale), and a page reading
 * two of the tables in the other order could meet the import in a deadlock
 * (test/importazione/siz-concorrenza.test.ts).
 */
export async function swapTables(trx: Knex.Transaction, sostituzioni: Sostituzione[]): Promise<void> {
  if (!sostituzioni.length) return;
  await bloccaTutte(trx, sostituzioni.map((x) => x.table));
  const views = new Map<string, string>();
  for (const x of sostituzioni) for (const v of x.views) views.set(v.nome, v.def);
  // A view reading two of the tables is dropped once, and created again once, after every rename.
  const ordine = sostituzioni.flatMap((x) => x.views.map((v) => v.nome)).filter((n, i, a) => a.indexOf(n) === i);
  for (const nome of [...ordine].reverse()) await trx.raw('drop view if exists ??', [nome]);
  for (const { table, staging, indexes, temp } of sostituzioni) {
    await trx.raw('drop table ??', [table]);
    await trx.raw('alter table ?? rename to ??', [staging, table]);
    for (const [i, ix] of indexes.entries()) {
      if (ix.vincolo) await trx.raw('alter table ?? rename constraint ?? to ??', [table, temp[i], ix.vincolo]);
      else await trx.raw('alter index ?? rename to ??', [temp[i], ix.nome]);
    }
  }
  // No bindings: knex would read a `?` of the view's text as one.
  for (const nome of ordine) await trx.raw(`create view "${nome.replace(/"/g, '""')}" as ${views.get(nome)}`);
}
