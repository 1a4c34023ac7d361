import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../server/context';
import { audit } from '../server/audit';
import { afterImport } from '../server/importazione/dopo';
import { importSiz } from '../server/importazione/siz';
import { importCensimento } from '../server/importazione/censimento';
import { importAnagrafe } from '../server/importazione/anagrafe';
import { importScadenze } from '../server/importazione/scadenze';
import { ImportRejected } from '../server/importazione/problemi';
import type { ImportOutcome } from '../server/importazione/registro';
import type { JobDef, JobResult } from './types';

/**
 * The nightly inbox (interfaces.md, "Jobs"): every new file set dropped in
 * DATA_DIR/inbox/{siz,censimento,anagrafe,scadenze}/ is imported, oldest first (by modification
 * time), with the same importers as `cruscotto import`.
 *
 * What a file set is:
 * - siz/NAME/         a SIZ extract folder, taken only once its `estrazione.txt` is there: the
 *                     exporter writes it last, so a half-copied folder is never read;
 * - anagrafe/NAME/    a folder with anagrafe.csv + estrazione.txt (same rule), or
 *   anagrafe/X.csv    a single registry file (snapshot date: today, with a warning);
 * - censimento/X.csv|X.xlsx, scadenze/X.csv   one file each.
 * Names starting with "." or ending in .part/.tmp/.crdownload (files being copied) are ignored.
 *
 * Afterwards each set is moved out of the way:
 * - imported (or identical to what is loaded): inbox/archivio/<kind>/<stamp>-<name>;
 * - rejected: inbox/scartati/<kind>/<stamp>-<name>/ holding the set and ERRORI.txt, the
 *   file:line:column list of every problem;
 * - a technical failure (database down...): left where it is, retried at the next run, and
 *   the run ends 'fallito'.
 *
 * Each successful import runs the after-import hooks, exactly as `cruscotto import` does. When
 * anything was imported, `riconciliazione` and then `qualita` follow through runJob (when
 * registered), unless the hooks already ran them successfully after the last import: from the
 * first one that has to run, every later one runs too, to keep the order.
 */
export const INBOX_KINDS = ['siz', 'censimento', 'anagrafe', 'scadenze'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];

/** What follows an import, in this order. */
export const CATENA = ['riconciliazione', 'qualita'];

export interface FileSet {
  kind: InboxKind;
  name: string;
  path: string;
  isDir: boolean;
  mtimeMs: number;
}

const IN_COPIA = /^\.|\.(part|tmp|crdownload)$|~$/i;

export function inboxDir(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, 'inbox');
}

/** The complete file sets, oldest first; `inAttesa` lists folders still waiting for estrazione.txt. */
export function findFileSets(root: string): { pronti: FileSet[]; inAttesa: string[]; ignorati: string[] } {
  const pronti: FileSet[] = [];
  const inAttesa: string[] = [];
  const ignorati: string[] = [];
  for (const kind of INBOX_KINDS) {
    const dir = path.join(root, kind);
    fs.mkdirSync(dir, { recursive: true });
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (IN_COPIA.test(e.name)) continue;
      const p = path.join(dir, e.name);
      const rel = `${kind}/${e.name}`;
      if (e.isDirectory()) {
        if (kind !== 'siz' && kind !== 'anagrafe') {
          ignorati.push(rel);
          continue;
        }
        if (!fs.existsSync(path.join(p, 'estrazione.txt'))) {
          inAttesa.push(rel);
          continue;
        }
        pronti.push({ kind, name: e.name, path: p, isDir: true, mtimeMs: newestMtime(p) });
      } else if (e.isFile()) {
        const ok = kind === 'censimento' ? /\.(csv|xlsx)$/i.test(e.name) : kind === 'siz' ? false : /\.csv$/i.test(e.name);
        if (!ok) {
          ignorati.push(rel);
          continue;
        }
        pronti.push({ kind, name: e.name, path: p, isDir: false, mtimeMs: fs.statSync(p).mtimeMs });
      }
    }
  }
  const order = (k: InboxKind) => INBOX_KINDS.indexOf(k);
  pronti.sort((a, b) => a.mtimeMs - b.mtimeMs || order(a.kind) - order(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { pronti, inAttesa, ignorati };
}

/** A folder's time is its newest entry's: when the last file of the set arrived. */
function newestMtime(dir: string): number {
  let t = fs.statSync(dir).mtimeMs;
  for (const n of fs.readdirSync(dir)) t = Math.max(t, fs.statSync(path.join(dir, n)).mtimeMs);
  return t;
}

async function importSet(ctx: AppContext, s: FileSet, oggi: string): Promise<ImportOutcome> {
  const opts = { utente: 'inbox' };
  switch (s.kind) {
    case 'siz':
      return importSiz(ctx.db, s.path, opts);
    case 'censimento':
      return importCensimento(ctx.db, s.path, opts);
    case 'scadenze':
      return importScadenze(ctx.db, s.path, opts);
    case 'anagrafe': {
      const file = s.isDir ? path.join(s.path, 'anagrafe.csv') : s.path;
      if (!fs.existsSync(file)) throw new ImportRejected([{ file: 'anagrafe.csv', line: 0, column: 0, reason: 'file mancante nella cartella (attesi anagrafe.csv ed estrazione.txt)' }], 1);
      return importAnagrafe(ctx.db, file, { ...opts, oggi });
    }
  }
}

/** 2026-11-22T02:00:05Z -> 20261122T020005Z: sortable and valid in every file system. */
function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function freePath(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true });
  let p = path.join(dir, name);
  for (let i = 2; fs.existsSync(p); i++) p = path.join(dir, `${name}-${i}`);
  return p;
}

function archive(root: string, s: FileSet, when: Date): string {
  const dest = freePath(path.join(root, 'archivio', s.kind), `${stamp(when)}-${s.name}`);
  fs.renameSync(s.path, dest);
  return dest;
}

function reject(root: string, s: FileSet, when: Date, e: ImportRejected): string {
  const dest = freePath(path.join(root, 'scartati', s.kind), `${stamp(when)}-${s.name}`);
  if (s.isDir) fs.renameSync(s.path, dest);
  else {
    fs.mkdirSync(dest);
    fs.renameSync(s.path, path.join(dest, s.name));
  }
  const lines = [`Insieme di file: inbox/${s.kind}/${s.name}`, `Scartato il: ${when.toISOString()}`, '', e.report()];
  if (e.warnings.length) lines.push('', 'Avvisi:', ...e.warnings.map((w) => `- ${w}`));
  lines.push('', 'Correggere i file e depositarli di nuovo nella cartella inbox: verranno importati alla prossima esecuzione.');
  fs.writeFileSync(path.join(dest, 'ERRORI.txt'), lines.join('\n') + '\n');
  return dest;
}

export async function runInbox(ctx: AppContext, opts: { oggi?: string } = {}): Promise<JobResult> {
  const oggi = opts.oggi ?? ctx.clock.today();
  const root = inboxDir(ctx);
  const { pronti, inAttesa, ignorati } = findFileSets(root);
  const lines: string[] = [];
  const conteggi = { importati: 0, invariati: 0, scartati: 0, errori: 0, in_attesa: inAttesa.length, catena: 0 };
  const failures: string[] = [];
  let lastImport: Date | null = null;

  for (const s of pronti) {
    const rel = `${s.kind}/${s.name}`;
    try {
      const out = await importSet(ctx, s, oggi);
      const dest = archive(root, s, ctx.clock.now());
      if (out.esito === 'ok') {
        conteggi.importati++;
        lastImport = new Date();
        lines.push(`${rel}: ${out.messaggio} Archiviato in ${path.relative(root, dest)}.`);
        for (const l of await afterImport(ctx, s.kind)) lines.push(`  ${l}`);
      } else {
        conteggi.invariati++;
        lines.push(`${rel}: ${out.messaggio} Archiviato in ${path.relative(root, dest)}.`);
      }
    } catch (e) {
      if (!(e instanceof ImportRejected)) {
        conteggi.errori++;
        failures.push(rel);
        ctx.log.error({ err: e, set: rel }, 'importazione dalla inbox fallita: riprovo alla prossima esecuzione');
        lines.push(`${rel}: errore tecnico, lasciato nella inbox: ${(e as Error).message}`);
        continue;
      }
      const dest = reject(root, s, ctx.clock.now(), e);
      conteggi.scartati++;
      lines.push(`${rel}: ${e.message} Spostato in ${path.relative(root, dest)} con ERRORI.txt.`);
      await audit(ctx.db, { azione: 'importazione_rifiutata', email: 'inbox', dettagli: { tipo: s.kind, origine: rel, problemi: e.total, scartati: path.relative(root, dest) } });
    }
  }
  for (const w of inAttesa) lines.push(`${w}: in attesa di estrazione.txt (copia non completa): non letto.`);
  for (const w of ignorati) lines.push(`${w}: ignorato (non è un insieme di file atteso in questa cartella).`);

  if (lastImport) {
    // Required here, not at the top: jobs/index -> registry -> inbox would be a cycle at load time.
    // (require, not import(): under `tsx/cjs` a dynamic import() does not resolve .ts files.)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runJob } = require('./index') as typeof import('./index');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { findJob } = require('./registry') as typeof import('./registry');
    let from = false;
    for (const name of CATENA) {
      if (!findJob(name)) continue;
      if (!from && (await okRunSince(ctx, name, lastImport))) {
        lines.push(`${name}: già eseguito dopo l'ultima importazione.`);
        continue;
      }
      from = true;
      try {
        const r = await runJob(ctx, name, { oggi, origine: 'inbox' });
        conteggi.catena++;
        lines.push(`${name}: ${r.messaggio}`);
      } catch (e) {
        failures.push(name);
        lines.push(`${name}: FALLITO: ${(e as Error).message}`);
      }
    }
  }

  const head = pronti.length === 0 ? 'Inbox: nessun nuovo insieme di file.' : `Inbox: ${conteggi.importati} importati, ${conteggi.invariati} invariati, ${conteggi.scartati} scartati${conteggi.errori ? `, ${conteggi.errori} con errori tecnici` : ''}.`;
  const messaggio = [head, ...lines].join('\n');
  if (failures.length) throw new Error(`${messaggio}\nNon riuscito: ${failures.join(', ')}`);
  return { messaggio, conteggi };
}

async function okRunSince(ctx: AppContext, job: string, since: Date): Promise<boolean> {
  return Boolean(await ctx.db.knex('job_esecuzioni').where({ job, esito: 'ok' }).where('avviato_il', '>=', since).first('id'));
}

export const inboxJob: JobDef = {
  name: 'inbox',
  schedule: (ctx) => ctx.config.cron.inbox,
  run: (ctx, opts) => runInbox(ctx, opts),
};
