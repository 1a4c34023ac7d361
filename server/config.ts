import path from 'node:path';
import { z } from 'zod';
import cron from 'node-cron';
import { parsePgSettings, PGLITE_MEMORY_DEFAULT } from './db';
import { LimitiImport, LIMITI_PREDEFINITI } from './importazione/limiti';
import { AppError } from './shared/errori';

/**
 * One typed configuration object, read from the environment once at boot.
 * Services never read process.env: they receive this object.
 */
export interface Config {
  databaseUrl: string | null;
  dataDir: string;
  /** Settings of the embedded PostgreSQL (memory), see db.ts. */
  pgliteSettings: string[];
  /** Address the web server listens on: loopback unless set (the demo prints its passwords). */
  host: string;
  port: number;
  baseUrl: string;
  smtpUrl: string | null;
  /** Bound on connecting, on the greeting and on any silence of the SMTP server (ms). */
  smtpTimeoutMs: number;
  /** SMTP connections (messages in flight) at once. */
  smtpConnessioni: number;
  /** Requests per address in 15 minutes to each group of limited routes (login, password, acknowledgement). */
  limiteRichieste: number;
  mailFrom: string;
  obiettivo: number;
  sogliaCritica: number;
  tzScheduler: string;
  cron: { inbox: string; variazioni: string; promemoria: string; riepilogo: string };
  promemoriaGiorni: number[];
  sessionSecret: string | null;
  /** Limits on input files (importazione/limiti.ts, docs/formati.md). */
  limiti: LimitiImport;
  /** Largest upload of the upload pages, in bytes (the files, or a ZIP's content once extracted). */
  caricamentiMaxByte: number;
  /** The web server's JS heap may grow this many percent over what the last full collection kept (0: V8's own rule). */
  heapCrescita: number;
}

const cronExpr = (name: string, def: string) =>
  z
    .string()
    .default(def)
    .refine((v) => cron.validate(v), { message: `${name}: espressione cron non valida` });

/** A whole number in [min, max], with the range in the message (the variable's name is added by loadConfig). */
const intero = (def: number, min: number, max: number, why = '') =>
  z
    .string()
    .default(String(def))
    .refine((v) => /^\s*\d+\s*$/.test(v) && Number(v) >= min && Number(v) <= max, { message: `atteso un numero intero tra ${min} e ${max}${why}` })
    .transform(Number);

const L = LIMITI_PREDEFINITI;
const MB = 1024 * 1024;

const schema = z.object({
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  PGLITE_MEMORY: z
    .string()
    .default(PGLITE_MEMORY_DEFAULT)
    .refine((v) => parsePgSettings(v) !== null, { message: 'PGLITE_MEMORY: elenco di impostazioni nome=valore separate da virgole (es. shared_buffers=16MB,work_mem=4MB)' }),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  SMTP_TIMEOUT: z.coerce.number({ message: 'SMTP_TIMEOUT: un numero di secondi' }).positive('SMTP_TIMEOUT: un numero di secondi maggiore di zero').max(120, 'SMTP_TIMEOUT: al massimo 120 secondi').default(15),
  SMTP_CONNESSIONI: z.coerce.number({ message: 'SMTP_CONNESSIONI: un numero intero' }).int('SMTP_CONNESSIONI: un numero intero').min(1, 'SMTP_CONNESSIONI: almeno 1').max(20, 'SMTP_CONNESSIONI: al massimo 20').default(3),
  LIMITE_RICHIESTE: z.coerce.number({ message: 'LIMITE_RICHIESTE: un numero intero' }).int('LIMITE_RICHIESTE: un numero intero').min(1, 'LIMITE_RICHIESTE: almeno 1').default(60),
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
  IMPORT_MAX_MB: intero(L.fileByte / MB, 1, 1024 * 1024),
  IMPORT_MAX_RIGHE: intero(L.righe, 1, 1_000_000_000),
  IMPORT_MAX_TESTO: intero(L.testo, 1, 1_000_000),
  // A btree index entry holds at most ~2,700 bytes: 500 characters of 4 bytes still fit.
  IMPORT_MAX_ID: intero(L.id, 1, 500, ' (PostgreSQL non indicizza identificativi più lunghi)'),
  XLSX_MAX_MB: intero(L.xlsxByte / MB, 1, 4095),
  XLSX_MAX_CELLE: intero(L.xlsxCelle, 1, 100_000_000),
  XLSX_MAX_STRINGA: intero(L.xlsxStringa, 1, 10_000_000),
  SIZ_CALO_MASSIMO: intero(L.caloMassimo, 0, 100, ' (percentuale; 100 = nessun controllo)'),
  SIZ_CALO_MIN_RIGHE: intero(L.caloMinRighe, 0, 1_000_000_000),
  CARICAMENTI_MAX_MB: z.coerce.number().positive().max(1_000_000).default(2048),
  HEAP_CRESCITA: intero(50, 0, 1000),
});

export class ConfigError extends AppError {}

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
    host: e.HOST,
    port: e.PORT,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL ?? null,
    smtpTimeoutMs: Math.round(e.SMTP_TIMEOUT * 1000),
    smtpConnessioni: e.SMTP_CONNESSIONI,
    limiteRichieste: e.LIMITE_RICHIESTE,
    mailFrom: e.MAIL_FROM,
    obiettivo: e.OBIETTIVO,
    sogliaCritica: e.SOGLIA_CRITICA,
    tzScheduler: e.TZ_SCHEDULER,
    cron: { inbox: e.CRON_INBOX, variazioni: e.CRON_VARIAZIONI, promemoria: e.CRON_PROMEMORIA, riepilogo: e.CRON_RIEPILOGO },
    promemoriaGiorni: e.PROMEMORIA_GIORNI.split(',').map((x) => Number(x.trim())).sort((a, b) => b - a),
    sessionSecret: e.SESSION_SECRET ?? null,
    limiti: {
      fileByte: e.IMPORT_MAX_MB * MB,
      righe: e.IMPORT_MAX_RIGHE,
      testo: e.IMPORT_MAX_TESTO,
      id: e.IMPORT_MAX_ID,
      xlsxByte: e.XLSX_MAX_MB * MB,
      xlsxCelle: e.XLSX_MAX_CELLE,
      xlsxStringa: e.XLSX_MAX_STRINGA,
      caloMassimo: e.SIZ_CALO_MASSIMO,
      caloMinRighe: e.SIZ_CALO_MIN_RIGHE,
    },
    caricamentiMaxByte: Math.round(e.CARICAMENTI_MAX_MB * 1024 * 1024),
    heapCrescita: e.HEAP_CRESCITA,
  };
}
