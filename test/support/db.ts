/**
 * Database tests run on embedded PGlite always, and on a real PostgreSQL when
 * TEST_DATABASE_URL is set (each test file in its own schema, dropped at the end).
 * PGlite's initdb is slow (~5 s), so a migrated template directory is made once per
 * migrations version and copied for each test file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Database, MIGRATIONS_DIR, migrate, openDb, Engine } from '../../server/db';

export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

function migrationsHash(): string {
  const h = crypto.createHash('sha256');
  for (const f of fs.readdirSync(MIGRATIONS_DIR).sort()) h.update(f).update(fs.readFileSync(path.join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<string> {
  const dir = path.join(os.tmpdir(), `cruscotto-pglite-template-${migrationsHash()}`);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  const db = await openDb({ pgliteDir: tmp });
  await migrate(db);
  await db.close();
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another worker made it first
  }
  return dir;
}

/** A migrated PGlite data folder at `dest` (a copy of the template), for tests that start processes. */
export async function migratedPgliteFolder(dest: string): Promise<void> {
  fs.cpSync(await pgliteTemplate(), dest, { recursive: true });
}

export interface TestDb extends Database {
  dispose(): Promise<void>;
}

/** A fresh, migrated database on the given engine. */
export async function openTestDb(engine: Engine): Promise<TestDb> {
  if (engine === 'postgres') {
    const schema = `t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
    const db = await openDb({ databaseUrl: process.env.TEST_DATABASE_URL!, schema, poolMax: 4 });
    await migrate(db);
    return {
      ...db,
      dispose: async () => {
        await db.knex.raw('drop schema if exists ?? cascade', [schema]);
        await db.close();
      },
    };
  }
  const template = await pgliteTemplate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-test-'));
  fs.cpSync(template, dir, { recursive: true });
  const db = await openDb({ pgliteDir: dir });
  await migrate(db); // no-op unless the template is stale
  return {
    ...db,
    dispose: async () => {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Declares the same tests once per engine; the engine is in the test names, so the output
 * shows which ran. `get()` returns the database of the current engine.
 */
export function describeDb(name: string, fn: (get: () => TestDb, engine: Engine) => void): void {
  for (const engine of ENGINES) {
    describe(`${name} [${engine}]`, () => {
      let db: TestDb | undefined;
      beforeAll(async () => {
        db = await openTestDb(engine);
      }, 120_000);
      afterAll(async () => {
        await db?.dispose();
      });
      fn(() => {
        if (!db) throw new Error('database not open');
        return db;
      }, engine);
    });
  }
}

/**
 * Empties every data table (keeps the migrations), for tests that need a clean slate, and
 * restarts every sequence. Only the tables that hold rows are truncated: a TRUNCATE gives each
 * table and index new files, ~0.5 s for the ~60 tables on PGlite when most of them are empty.
 */
export async function truncateAll(db: Database): Promise<void> {
  const tables = (
    await db.knex.raw(
      `select tablename from pg_tables where schemaname = current_schema() and tablename not like 'knex_migrations%' order by 1`,
    )
  ).rows as { tablename: string }[];
  if (!tables.length) return;
  const piene = (
    await db.knex.raw(
      tables.map(() => `select ? as t where exists (select 1 from ??)`).join(' union all '),
      tables.flatMap((r) => [r.tablename, r.tablename]),
    )
  ).rows as { t: string }[];
  if (piene.length) await db.knex.raw(`truncate ${piene.map(() => '??').join(', ')} restart identity cascade`, piene.map((r) => r.t));
  // The sequences of tables emptied by a DELETE, or left empty by a rolled-back insert.
  // One statement for all of them: setval(..., start, false) is what `restart` does.
  await db.knex.raw(
    `select setval(format('%I.%I', schemaname, sequencename), start_value, false) from pg_sequences where schemaname = current_schema() and last_value is not null`,
  );
}
