import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { lockDataFolder } from './db-lock';

// Same JavaScript values from both engines: dates stay 'YYYY-MM-DD' strings (no time-zone
// shifts), numeric and bigint (count(*)) become numbers. Amounts are numeric(14,2) and counts
// stay far below 2^53, so no precision is lost.
const OID = { DATE: 1082, NUMERIC: 1700, INT8: 20 };
pg.types.setTypeParser(OID.DATE, (v: string) => v);
pg.types.setTypeParser(OID.NUMERIC, (v: string) => Number(v));
pg.types.setTypeParser(OID.INT8, (v: string) => Number(v));
const pgliteParsers = {
  [pgliteTypes.DATE]: (v: string) => v,
  [pgliteTypes.NUMERIC]: (v: string) => Number(v),
  [pgliteTypes.INT8]: (v: string) => Number(v),
};

export type Engine = 'pglite' | 'postgres';

export interface Database {
  knex: Knex;
  engine: Engine;
  /** Schema the tables live in (tests isolate themselves in their own schema). */
  schema: string;
  /** The embedded instance (PGlite only): used for its COPY bulk paths. */
  pglite?: PGlite;
  /** Data folder of the embedded instance; absent in memory. */
  pgliteDir?: string;
  close(): Promise<void>;
}

export interface DbOptions {
  /** PostgreSQL connection string; null/undefined = embedded PGlite. */
  databaseUrl?: string | null;
  /** Folder of the embedded database; null = in memory (tests). */
  pgliteDir?: string | null;
  /** Schema to use on PostgreSQL (created when missing); default `public`. */
  schema?: string;
  poolMax?: number;
  /** PGlite only: `name=value` settings; default PGLITE_MEMORY_DEFAULT. */
  pgliteSettings?: string[];
}

/**
 * Memory of the embedded PostgreSQL (settings given to PGlite at start; PGLITE_MEMORY overrides
 * them, see config.ts). PGlite's WebAssembly memory grows and is never given back, so every
 * buffer PostgreSQL fills stays in this process's RSS: with PostgreSQL's defaults (128 MB of
 * shared buffers, 64 MB for index builds) an import of a million rows peaked near 600 MB, with
 * these at 233-269 MB (`npm run bench:import`, docs/bench.md). The price is paid by the pages,
 * which read more through the file system: in `npm run bench` (ambito, 20 connections, two
 * runs each) the p95 at rest went from 63-76 ms to 66-114 ms. work_mem keeps its default (4 MB)
 * for their sorts.
 * PGlite has one connection: shared memory sized for PostgreSQL's 100 cost 15-20 MB at open.
 */
export const PGLITE_MEMORY_DEFAULT = 'shared_buffers=16MB,temp_buffers=1MB,wal_buffers=1MB,maintenance_work_mem=8MB,max_connections=5';

/**
 * Settings of a nightly job's transaction that reads whole tables (the reconciliation and the
 * precomputed facts; the quality checks showed no gain), on PostgreSQL: sort and hash memory for this
 * transaction only. With the default 4 MB the facts' economici sorted 143 MB in temporary files
 * (8.4-9.2 -> 5.7-6.2 CPU seconds at the regional scale; the reconciliation's metrics 3.9 -> 3.3).
 * 64 MB, not more: 256 MB was no faster anywhere and slower for one large sort (the sportello's
 * first accesso, 4.1 -> 5.7 s). JIT stays as the server has it: turned off, economici was no
 * faster. Not on PGlite: its memory, once grown, is never given back (above). docs/fatti.md,
 * «Measures of the job».
 */
export async function impostazioniLavoroNotturno(trx: Knex.Transaction, engine: Engine): Promise<void> {
  if (engine !== 'postgres') return;
  await trx.raw(`set local work_mem = '64MB'`);
}

/** `name=value,name=value` -> PostgreSQL settings; null when malformed. */
export function parsePgSettings(text: string): string[] | null {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  return items.every((s) => /^[a-z_]+=[A-Za-z0-9._]+$/.test(s)) ? items : null;
}

/** Folder, inside PGlite's data folder, of the files bulk imports COPY from. */
export const PGLITE_IMPORT_DIR = 'cruscotto_import';

export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'sql', 'migrations');

/**
 * knex's PGlite client, giving the event loop a turn before each statement. PGlite runs every
 * statement synchronously on the main thread and answers with promises only: a job or an import
 * awaiting statement after statement is one chain of microtasks, and no HTTP request is read,
 * nor any timer fired, until the chain ends (the facts job: 4-6 s of a frozen server, measured
 * with `npm run bench -- --db pglite`, docs/bench.md). setImmediate runs after the pending I/O,
 * so the requests that arrived meanwhile are read (and, while the connection is taken, served
 * from what the pages kept: server/cruscotto/notte.ts) between two statements.
 */
class ClientPgLiteCedevole extends (ClientPgLite as unknown as new (config: Knex.Config) => { _query(connection: unknown, obj: unknown): Promise<unknown> }) {
  async _query(connection: unknown, obj: unknown): Promise<unknown> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return super._query(connection, obj);
  }
}

/** Opens the database: PostgreSQL when a URL is given, else embedded PGlite. */
export async function openDb(opts: DbOptions): Promise<Database> {
  const schema = opts.schema ?? 'public';
  if (opts.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      connection: opts.databaseUrl,
      searchPath: [schema],
      pool: { min: 0, max: opts.poolMax ?? 10 },
    });
    if (schema !== 'public') await knex.raw('create schema if not exists ??', [schema]);
    return { knex, engine: 'postgres', schema, close: () => knex.destroy() };
  }
  // One process per folder (db-lock.ts): the lock comes before anything touches the folder, and
  // a refusal (DatabaseInUseError) leaves it as it was.
  const lock = opts.pgliteDir ? lockDataFolder(opts.pgliteDir) : null;
  let pglite: PGlite;
  try {
    // COPY files an interrupted import left behind (see importazione/bulk.ts).
    if (opts.pgliteDir) fs.rmSync(path.join(opts.pgliteDir, PGLITE_IMPORT_DIR), { recursive: true, force: true });
    // The options form: `new PGlite(undefined, opts)` would ignore the options for an in-memory database.
    pglite = new PGlite({
      dataDir: opts.pgliteDir ?? undefined,
      parsers: pgliteParsers,
      startParams: [...PGlite.defaultStartParams, ...(opts.pgliteSettings ?? parsePgSettings(PGLITE_MEMORY_DEFAULT)!).flatMap((s) => ['-c', s])],
    });
    await pglite.waitReady;
  } catch (e) {
    lock?.release();
    throw e;
  }
  const knex = knexFactory({
    client: ClientPgLiteCedevole as unknown as typeof knexFactory.Client,
    dialect: 'postgres',
    // knex-pglite accepts a function returning our own instance, so we can set the parsers.
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
  });
  return {
    knex,
    engine: 'pglite',
    schema: 'public',
    pglite,
    pgliteDir: opts.pgliteDir ?? undefined,
    close: async () => {
      try {
        await knex.destroy();
        if (!pglite.closed) await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * PGlite only: its single connection is taken now (an import's transaction, a job's query, a
 * page's query). A page then does not queue behind it when it can serve what it computed before.
 */
export function connessioneOccupata(db: Database): boolean {
  if (db.engine !== 'pglite') return false;
  const pool = (db.knex.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
  return !!pool && pool.numUsed() + pool.numPendingAcquires() > 0;
}

export function migrationConfig(db: Database): Knex.MigratorConfig {
  return {
    directory: MIGRATIONS_DIR,
    loadExtensions: ['.ts'],
    schemaName: db.schema === 'public' ? undefined : db.schema,
    tableName: 'knex_migrations',
  };
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(db: Database): Promise<string[]> {
  const [, applied] = (await db.knex.migrate.latest(migrationConfig(db))) as [number, string[]];
  return applied;
}
