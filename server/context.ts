import path from 'node:path';
import pino from 'pino';
import type { Config } from './config';
import type { Mailer } from './shared/trasporto';
import { Database, migrate, openDb } from './db';
import { importNomenclatore } from './importazione/nomenclatore';
import { closeInterruptedImports } from './importazione/registro';
import { svuota } from './audit/attesa';
import { giornoIso } from './shared/formato';

export type Logger = pino.Logger;

/** "Today" is injected, so tests and replays can fix it (`--oggi`). */
export interface Clock {
  now(): Date;
  /** Today's date in the scheduler's time zone, YYYY-MM-DD. */
  today(): string;
}

export function systemClock(timeZone = 'Europe/Rome'): Clock {
  return {
    now: () => new Date(),
    today: () => giornoIso(new Date(), timeZone),
  };
}

/** A clock fixed on a given day (at noon in Rome, so the date never shifts). */
export function fixedClock(day: string): Clock {
  return { now: () => new Date(`${day}T11:00:00Z`), today: () => day };
}

/** Everything a service, job, route or command needs, passed in explicitly. */
export interface AppContext {
  config: Config;
  db: Database;
  log: Logger;
  clock: Clock;
  /**
   * The SMTP transport. Unset (production): each delivery pass builds one from the configuration
   * and closes it (server/posta/mailer.ts). A test sets its own (a failing or crashing one), or
   * null for "no SMTP".
   */
  mailer?: Pick<Mailer, 'send'> | null;
  /** Signing keys derived once per context, by use (e.g. 'presa_visione': server/promemoria/presa-visione.ts). */
  chiavi?: Map<string, Buffer>;
}

export const FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures');

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined }, pino.destination(2));
}

/**
 * Opens the configured database (PostgreSQL from DATABASE_URL, else embedded PGlite in
 * DATA_DIR/db), applies pending migrations and loads the default nomenclature when empty.
 */
export async function openContext(config: Config, opts: { log?: Logger; clock?: Clock } = {}): Promise<AppContext> {
  const db = await openDb({ databaseUrl: config.databaseUrl, pgliteDir: config.databaseUrl ? null : path.join(config.dataDir, 'db'), pgliteSettings: config.pgliteSettings });
  await migrate(db);
  const ctx: AppContext = { config, db, log: opts.log ?? createLogger(), clock: opts.clock ?? systemClock(config.tzScheduler) };
  // Imports left `in_corso` by a process that died are failures; say so before anything reads them.
  const closed = await closeInterruptedImports(db);
  if (closed) ctx.log.warn({ importazioni: closed }, 'importazioni interrotte da un arresto precedente segnate come fallite');
  // Exports recorded in the journal of the embedded database and not yet copied (server/audit/attesa.ts).
  const ripresi = await svuota(db);
  if (ripresi) ctx.log.info({ eventi: ripresi }, 'registro attività: eventi in attesa copiati');
  await ensureNomenclature(ctx);
  return ctx;
}

/** The shipped nomenclature is loaded once, so census exclusions work out of the box. */
export async function ensureNomenclature(ctx: AppContext): Promise<void> {
  const [{ n }] = await ctx.db.knex('nomenclatore').count('* as n');
  if (Number(n) === 0) await importNomenclatore(ctx.db, path.join(FIXTURES_DIR, 'nomenclatore.csv'), { utente: 'sistema' });
}
