import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../server/context';
import { audit } from '../server/audit';
import { afterImport } from '../server/importazione/dopo';
import { importSiz } from '../server/importazione/siz';
import { importCensimento } from '../server/importazione/censimento';
import { importAnagrafe } from '../server/importazione/anagrafe';
import { importScadenze } from '../server/importazione/scadenze';
import { ImportRejected, ImportSospesa } from '../server/importazione/problemi';
import { ImportFailed, type ImportOutcome } from '../server/importazione/registro';
import { PercorsoNonValido } from '../server/importazione/percorso';
import { descriviErrore } from '../server/shared/guasti';
import { JobFallito, type JobDef, type JobOptions, type JobResult } from './tipi';
import { eseguiCatena } from './catena';

/**
 * The nightly inbox (docs/interfacce.md, "Job"): every new file set dropped in
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
 *   file:line:column list of every problem; also a set that made the import fail in a way the
 *   same file would repeat (a value the database refuses...): ERRORI.txt says what happened;
 * - held (a SIZ table lost too many rows, docs/formati.md): inbox/sospesi/siz/<stamp>-<name>/
 *   with SOSPESO.txt, waiting for "conferma" (the import row points to the new folder);
 * - a failure of the environment (database away, a file that cannot be read): left where it
 *   is, retried at the next run.
 * Any set not imported makes the run end 'fallito', with the reason and the counts: the office
 * sees it on the jobs page. No file can stop the loop: every set is handled on its own.
 *
 * Each successful import runs its per-import steps (the audit), as `cruscotto import` does. After
 * all the sets of the run, the jobs of the nightly chain (jobs/catena.ts) due after the kinds
 * imported run once, in order, through runJob.
 */
export const INBOX_KINDS = ['siz', 'censimento', 'anagrafe', 'scadenze'] as const;
export type InboxKind = (typeof INBOX_KINDS)[number];


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

async function importSet(ctx: AppContext, s: FileSet, oggi: string, comeConfermare: string): Promise<ImportOutcome> {
  const opts = { utente: 'inbox', limiti: ctx.config.limiti };
  switch (s.kind) {
    case 'siz':
      return importSiz(ctx.db, s.path, { ...opts, comeConfermare });
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

/** A name not taken yet in dir (the folder itself is made when something is moved there). */
function freePath(dir: string, name: string): string {
  let p = path.join(dir, name);
  for (let i = 2; fs.existsSync(p); i++) p = path.join(dir, `${name}-${i}`);
  return p;
}

function archive(root: string, s: FileSet, when: Date): string {
  const dest = freePath(path.join(root, 'archivio', s.kind), `${stamp(when)}-${s.name}`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.renameSync(s.path, dest);
  return dest;
}

/** Moves a set to dest, a folder inbox/<where>/<kind>/<stamp>-<name>/ (a single file gets its own), with a text file beside it. */
function setAside(s: FileSet, dest: string, note: string, text: string[]): string {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if (s.isDir) fs.renameSync(s.path, dest);
  else {
    fs.mkdirSync(dest, { recursive: true });
    fs.renameSync(s.path, path.join(dest, s.name));
  }
  fs.writeFileSync(path.join(dest, note), text.join('\n') + '\n');
  return dest;
}

function asideDest(root: string, where: 'scartati' | 'sospesi', s: FileSet, when: Date): string {
  return freePath(path.join(root, where, s.kind), `${stamp(when)}-${s.name}`);
}

function reject(root: string, s: FileSet, when: Date, e: ImportRejected | ImportFailed): string {
  const lines = [`Insieme di file: inbox/${s.kind}/${s.name}`, `Scartato il: ${when.toISOString()}`, ''];
  if (e instanceof ImportRejected) {
    lines.push(e.report());
    if (e.warnings.length) lines.push('', 'Avvisi:', ...e.warnings.map((w) => `- ${w}`));
  } else lines.push(e.message);
  lines.push('', 'Correggere i file e depositarli di nuovo nella cartella inbox: verranno importati alla prossima esecuzione.');
  return setAside(s, asideDest(root, 'scartati', s, when), 'ERRORI.txt', lines);
}

/** A failure the same files would repeat goes to scartati; the database away or an unreadable file is retried. */
function retryLater(f: ImportFailed): boolean {
  return f.databaseAssente || typeof (f.cause as { syscall?: unknown } | null)?.syscall === 'string';
}

export async function runInbox(ctx: AppContext, opts: JobOptions = {}): Promise<JobResult> {
  const oggi = opts.oggi ?? ctx.clock.today();
  const root = inboxDir(ctx);
  const { pronti, inAttesa, ignorati } = findFileSets(root);
  const lines: string[] = [];
  const conteggi: Conteggi = { importati: 0, invariati: 0, scartati: 0, sospesi: 0, errori: 0, in_attesa: inAttesa.length, catena: 0 };
  const failures: string[] = [];
  const importati = new Set<string>();

  for (const s of pronti) {
    const rel = `${s.kind}/${s.name}`;
    const when = ctx.clock.now();
    // Where the set goes if it is held, so that the message can say how to confirm it there.
    const heldAt = asideDest(root, 'sospesi', s, when);
    let out: ImportOutcome;
    try {
      out = await importSet(ctx, s, oggi, `cruscotto import siz ${heldAt} --conferma`);
    } catch (e) {
      try {
        await setFailed(ctx, root, s, rel, when, heldAt, e, conteggi, lines, failures);
      } catch (moveError) {
        conteggi.errori++;
        failures.push(`${rel}: non spostato (${descriviErrore(moveError)})`);
        lines.push(`${rel}: ${e instanceof Error ? e.message : String(e)} Non è stato possibile spostarlo: ${descriviErrore(moveError)}.`);
      }
      continue;
    }
    let dest: string;
    try {
      dest = archive(root, s, ctx.clock.now());
    } catch (e) {
      // Imported, but still in the inbox: the next run finds the same files ("nessuna modifica").
      conteggi.errori++;
      failures.push(`${rel}: importato ma non archiviato (${descriviErrore(e)})`);
      dest = s.path;
    }
    if (out.esito === 'ok') {
      conteggi.importati++;
      importati.add(s.kind);
      lines.push(`${rel}: ${out.messaggio} Archiviato in ${path.relative(root, dest)}.`);
      for (const l of await afterImport(ctx, s.kind)) lines.push(`  ${l}`);
    } else {
      conteggi.invariati++;
      lines.push(`${rel}: ${out.messaggio} Archiviato in ${path.relative(root, dest)}.`);
    }
  }
  for (const w of inAttesa) lines.push(`${w}: in attesa di estrazione.txt (copia non completa): non letto.`);
  for (const w of ignorati) lines.push(`${w}: ignorato (non è un insieme di file atteso in questa cartella).`);

  if (importati.size) {
    // Once for every import of this run (jobs/catena.ts), through runJob's path given by runJob.
    const c = opts.catena ? await eseguiCatena(ctx, importati, opts.catena, { oggi, origine: 'inbox' }) : null;
    if (c) {
      conteggi.catena += c.eseguiti;
      lines.push(...c.righe);
      failures.push(...c.falliti);
    }
  }

  const head =
    pronti.length === 0
      ? 'Inbox: nessun nuovo insieme di file.'
      : `Inbox: ${conteggi.importati} importati, ${conteggi.invariati} invariati, ${conteggi.scartati} scartati${conteggi.sospesi ? `, ${conteggi.sospesi} sospesi in attesa di conferma` : ''}${conteggi.errori ? `, ${conteggi.errori} con errori tecnici` : ''}.`;
  const messaggio = [head, ...lines].join('\n');
  if (failures.length) throw new JobFallito(`${messaggio}\nNon riuscito: ${failures.join('; ')}`, { messaggio, conteggi });
  return { messaggio, conteggi };
}

type Conteggi = { importati: number; invariati: number; scartati: number; sospesi: number; errori: number; in_attesa: number; catena: number };

/** A set that was not imported: held, rejected or failed (see the top comment for where each goes). */
async function setFailed(ctx: AppContext, root: string, s: FileSet, rel: string, when: Date, heldAt: string, err: unknown, conteggi: Conteggi, lines: string[], failures: string[]): Promise<void> {
  // A set of the wrong shape (a file where a folder is expected, or gone meanwhile) is not an
  // import (nothing recorded), but it must still leave the inbox with its reason.
  const e = err instanceof PercorsoNonValido ? new ImportRejected([{ file: s.name, line: 0, column: 0, reason: err.message }], 1) : err;
  if (e instanceof ImportSospesa) {
    const text = [`Insieme di file: inbox/${s.kind}/${s.name}`, `Sospeso il: ${when.toISOString()}`, '', e.report()];
    const dest = setAside(s, heldAt, 'SOSPESO.txt', text);
    // The import row follows the files, so that "conferma" finds them.
    await ctx.db.knex('importazioni').where({ tipo: s.kind, esito: 'sospesa', origine: s.path }).update({ origine: dest });
    conteggi.sospesi++;
    failures.push(`${rel}: sospeso, da confermare`);
    lines.push(`${rel}: ${e.message} Spostato in ${path.relative(root, dest)} con SOSPESO.txt. ${e.problemLines().join(' ')}`);
    await audit(ctx.db, { azione: 'importazione_sospesa', email: 'inbox', dettagli: { tipo: s.kind, origine: rel, sospesi: path.relative(root, dest) } });
    return;
  }
  if (e instanceof ImportRejected) {
    const dest = reject(root, s, when, e);
    conteggi.scartati++;
    failures.push(`${rel}: scartato (${e.total} ${e.total === 1 ? 'problema' : 'problemi'}, vedi ERRORI.txt)`);
    lines.push(`${rel}: ${e.message} Spostato in ${path.relative(root, dest)} con ERRORI.txt.`);
    await audit(ctx.db, { azione: 'importazione_rifiutata', email: 'inbox', dettagli: { tipo: s.kind, origine: rel, problemi: e.total, scartati: path.relative(root, dest) } });
    return;
  }
  const f = ImportFailed.from(e);
  ctx.log.error({ err: f.cause, set: rel }, 'importazione dalla inbox fallita');
  if (retryLater(f)) {
    conteggi.errori++;
    failures.push(`${rel}: errore tecnico, riprovo alla prossima esecuzione`);
    lines.push(`${rel}: errore tecnico, lasciato nella inbox: ${f.message}`);
    return;
  }
  const dest = reject(root, s, when, f);
  conteggi.scartati++;
  failures.push(`${rel}: scartato (${f.message})`);
  lines.push(`${rel}: ${f.message} Spostato in ${path.relative(root, dest)} con ERRORI.txt.`);
}

export const inboxJob: JobDef = {
  name: 'inbox',
  schedule: (ctx) => ctx.config.cron.inbox,
  run: (ctx, opts) => runInbox(ctx, opts),
};
