import path from 'node:path';
import { z } from 'zod';
import cron from 'node-cron';
import { parsePgSettings, PGLITE_MEMORY_DEFAULT } from './db';

/**
 * One typed configuration object, read from the environment once at boot.
 * Services never read process.env: they receive this object.
 */
export interface Config {
  databaseUrl: string | null;
  dataDir: string;
  /** Settings of the embedded PostgreSQL (memory), see db.ts. */
  pgliteSettings: string[];
  port: number;
  baseUrl: string;
  smtpUrl: string | null;
  mailFrom: string;
  obiettivo: number;
  sogliaCritica: number;
  tzScheduler: string;
  cron: { inbox: string; variazioni: string; promemoria: string; riepilogo: string };
  promemoriaGiorni: number[];
  sessionSecret: string | null;
  /** Largest upload of the upload pages, in bytes (the files, or a ZIP's content once extracted). */
  caricamentiMaxByte: number;
}

const cronExpr = (name: string, def: string) =>
  z
    .string()
    .default(def)
    .refine((v) => cron.validate(v), { message: `${name}: espressione cron non valida` });

const schema = z.object({
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  PGLITE_MEMORY: z
    .string()
    .default(PGLITE_MEMORY_DEFAULT)
    .refine((v) => parsePgSettings(v) !== null, { message: 'PGLITE_MEMORY: elenco di impostazioni nome=valore separate da virgole (es. shared_buffers=16MB,work_mem=4MB)' }),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Ufficio di Piano <noreply@localhost>'),
  OBIETTIVO: z.coerce.number().gt(0).max(100).default(80),
  SOGLIA_CRITICA: z.coerce.number().min(0).max(100).default(50),
  TZ_SCHEDULER: z.string().default('Europe/Rome'),
  CRON_INBOX: cronExpr('CRON_INBOX', '0 2 * * *'),
  CRON_VARIAZIONI: cronExpr('CRON_VARIAZIONI', '30 2 * * *'),
  CRON_PROMEMORIA: cronExpr('CRON_PROMEMORIA', '0 8 * * *'),
  CRON_RIEPILOGO: cronExpr('CRON_RIEPILOGO', '0 8 10 * *'),
  PROMEMORIA_GIORNI: z
    .string()
    .default('30,14,7,1')
    .refine((v) => v.split(',').every((x) => /^\s*\d+\s*$/.test(x)), {
      message: 'PROMEMORIA_GIORNI: elenco di numeri interi separati da virgole',
    }),
  SESSION_SECRET: z.string().optional(),
  CARICAMENTI_MAX_MB: z.coerce.number().positive().max(1_000_000).default(2048),
});

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset", as in a .env file with `SMTP_URL=`.
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') clean[k] = v;
  const parsed = schema.safeParse(clean);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('\n');
    throw new ConfigError(`Configurazione non valida:\n${msg}`);
  }
  const e = parsed.data;
  if (e.SOGLIA_CRITICA > e.OBIETTIVO) throw new ConfigError('SOGLIA_CRITICA non può superare OBIETTIVO');
  return {
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(e.DATA_DIR),
    pgliteSettings: parsePgSettings(e.PGLITE_MEMORY)!,
    port: e.PORT,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    obiettivo: e.OBIETTIVO,
    sogliaCritica: e.SOGLIA_CRITICA,
    tzScheduler: e.TZ_SCHEDULER,
    cron: { inbox: e.CRON_INBOX, variazioni: e.CRON_VARIAZIONI, promemoria: e.CRON_PROMEMORIA, riepilogo: e.CRON_RIEPILOGO },
    promemoriaGiorni: e.PROMEMORIA_GIORNI.split(',').map((x) => Number(x.trim())).sort((a, b) => b - a),
    sessionSecret: e.SESSION_SECRET ?? null,
    caricamentiMaxByte: Math.round(e.CARICAMENTI_MAX_MB * 1024 * 1024),
  };
}
