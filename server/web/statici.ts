import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import express, { Request, Response } from 'express';

/**
 * The static files of the pages: the design system (bootstrap-italia's CSS and fonts), our CSS,
 * and two small scripts bundled here with esbuild (already in the dependencies through tsx):
 *  - `js/app.js`: bootstrap-italia's own collapsible navbar (the menu button on a phone) and the
 *    page behaviours (print button, "seleziona tutte"), on every page, deferred;
 *  - `js/grafici.js`: ApexCharts' core with only the chart types and features we draw (bar, line,
 *    donut, legend, annotations: about 30% less than the full build), plus our drawing code,
 *    loaded only by pages that have a chart.
 *
 * The design system's stylesheet is reduced to the rules the pages use (cssDesign below).
 *
 * Every URL carries the version of the whole set (`/static/<versione>/...`), a hash of our
 * files and of the installed packages' versions: the files are cached a year as immutable, and
 * a new release changes every URL. Text files are compressed once (brotli and gzip) and kept in
 * memory; the pages are compressed as server/app.ts says.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const PUBBLICI = path.join(ROOT, 'views', 'public');
const nm = (p: string) => path.join(ROOT, 'node_modules', p);

/** Public path (after the version) → file on disk, by prefix. */
const CARTELLE: [string, string][] = [
  ['bi/', nm('bootstrap-italia/dist/')],
  ['apx/', nm('apexcharts/dist/')],
  ['', PUBBLICI + path.sep],
];

/** Bundled scripts: public path → entry file. */
const PACCHETTI: Record<string, string> = {
  'js/app.js': path.join(PUBBLICI, 'js', 'app.entry.js'),
  'js/grafici.js': path.join(PUBBLICI, 'js', 'grafici.entry.js'),
};

const TIPI: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};
const COMPRIMIBILI = new Set(['.css', '.js', '.svg', '.map']);

function versionePacchetto(nome: string): string {
  return (JSON.parse(fs.readFileSync(nm(`${nome}/package.json`), 'utf8')) as { version: string }).version;
}

function hashCartella(h: crypto.Hash, dir: string): void {
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) hashCartella(h, p);
    else h.update(f).update(fs.readFileSync(p));
  }
}

let versione: string | null = null;

/**
 * The version in every static URL: changes when our files or the packages change. Computed on
 * first use (the CLI loads the templates for e-mails, never a static URL).
 */
export function versioneStatici(): string {
  if (!versione) {
    const h = crypto.createHash('sha256');
    h.update(`bootstrap-italia@${versionePacchetto('bootstrap-italia')}|apexcharts@${versionePacchetto('apexcharts')}`);
    hashCartella(h, PUBBLICI);
    versione = h.digest('hex').slice(0, 12);
  }
  return versione;
}

/** The versioned URL of a static file: `asset('app.css')` → `/static/<versione>/app.css`. */
export function asset(p: string): string {
  return `/static/${versioneStatici()}/${p.replace(/^\/+/, '')}`;
}

interface File {
  tipo: string;
  corpo: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  etag: string;
}

const cache = new Map<string, Promise<File | null>>();

async function bundle(entry: string): Promise<Buffer> {
  // Loaded on first use: the CLI's other commands never pay for it.
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  const r = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2019'],
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    absWorkingDir: ROOT,
  });
  return Buffer.from(r.outputFiles[0].contents);
}

/**
 * bootstrap-italia's stylesheet is 612 KB, of which the pages use a fifth: on a phone, matching
 * every element against 600 KB of rules took longer than anything else on the first screen.
 * PurgeCSS keeps the rules whose classes appear in our templates, scripts and services (or in
 * the design system's navbar script), plus the families named below that are built at run time.
 * Computed once per set of sources and kept in the temporary folder (4 s on a busy machine).
 */
const CSS_DESIGN = 'bi/css/bootstrap-italia.min.css';
const SORGENTI_CSS = [path.join(ROOT, 'views'), path.join(ROOT, 'server')];
const PLUGIN_MENU = [nm('bootstrap-italia/dist/plugins/navbar-collapsible.js'), nm('bootstrap-italia/dist/plugins/util/backdrop.js'), nm('bootstrap-italia/dist/plugins/util/scrollbar.js')];
const SEMPRE = [/^stato-/, /^badge/, /^bg-/, /^text-/, /^alert/, /^btn/, /^table/, /^col-/, /^show$/, /^expanded$/, /^navbar-open$/, /^fade$/, /^overlay/, /^active$/, /^disabled$/];

function fileSorgenti(dir: string, out: string[] = []): string[] {
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    if (f.isDirectory()) fileSorgenti(p, out);
    else if (/\.(hbs|ts|js)$/.test(f.name)) out.push(p);
  }
  return out;
}

async function cssDesign(): Promise<Buffer> {
  const file = [...SORGENTI_CSS.flatMap((d) => fileSorgenti(d)), ...PLUGIN_MENU].sort();
  const h = crypto.createHash('sha256').update(versioneStatici());
  for (const f of file) h.update(f).update(fs.readFileSync(f));
  const cache = path.join(os.tmpdir(), `cruscotto-css-${h.digest('hex').slice(0, 16)}.css`);
  try {
    return await fs.promises.readFile(cache);
  } catch {
    /* computed below */
  }
  const { PurgeCSS } = (await import('purgecss')) as typeof import('purgecss');
  const [r] = await new PurgeCSS().purge({
    content: file.map((f) => ({ raw: fs.readFileSync(f, 'utf8'), extension: path.extname(f).slice(1) })),
    css: [nm(`bootstrap-italia/dist/css/bootstrap-italia.min.css`)],
    safelist: { standard: SEMPRE },
    keyframes: true,
  });
  const corpo = Buffer.from(r.css);
  const tmp = `${cache}.${process.pid}`;
  await fs.promises.writeFile(tmp, corpo).then(() => fs.promises.rename(tmp, cache)).catch(() => fs.promises.rm(tmp, { force: true }));
  return corpo;
}

async function minificaCss(css: Buffer): Promise<Buffer> {
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  const r = await esbuild.transform(css.toString('utf8'), { loader: 'css', minify: true, legalComments: 'none' });
  return Buffer.from(r.code);
}

function fileSuDisco(rel: string): string | null {
  if (rel.includes('\0') || rel.split('/').some((s) => s === '..' || s.startsWith('.'))) return null;
  for (const [prefisso, dir] of CARTELLE) {
    if (!rel.startsWith(prefisso)) continue;
    const p = path.resolve(dir, rel.slice(prefisso.length));
    if (!p.startsWith(dir)) return null;
    if (p.endsWith('.entry.js')) return null; // sources of the bundles, not served alone
    try {
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

async function carica(rel: string): Promise<File | null> {
  const ext = path.extname(rel);
  const tipo = TIPI[ext];
  if (!tipo) return null;
  let corpo: Buffer;
  if (PACCHETTI[rel]) corpo = await bundle(PACCHETTI[rel]);
  else if (rel === CSS_DESIGN) corpo = await cssDesign();
  else {
    const p = fileSuDisco(rel);
    if (!p) return null;
    corpo = await fs.promises.readFile(p);
    // Our own stylesheet is written to be read: it is minified once here.
    if (ext === '.css' && p.startsWith(PUBBLICI)) corpo = await minificaCss(corpo);
  }
  const f: File = { tipo, corpo, etag: `"${crypto.createHash('sha1').update(corpo).digest('base64url').slice(0, 16)}"` };
  if (COMPRIMIBILI.has(ext) && corpo.length > 1024) {
    // Quality 9, not 11: nearly the same size, a tenth of the time on first request.
    f.br = zlib.brotliCompressSync(corpo, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: corpo.length } });
    f.gzip = zlib.gzipSync(corpo, { level: 9 });
  }
  return f;
}

function leggi(rel: string): Promise<File | null> {
  let p = cache.get(rel);
  if (!p) {
    p = carica(rel).catch((e: unknown) => {
      cache.delete(rel);
      throw e;
    });
    cache.set(rel, p);
  }
  return p;
}

/** Accept-Encoding's preference between the two encodings we keep (no q-value arithmetic needed). */
function codifica(req: Request): 'br' | 'gzip' | null {
  const ae = String(req.headers['accept-encoding'] ?? '');
  const ammessa = (nome: string) => new RegExp(`(^|,)\\s*${nome}\\s*(;\\s*q\\s*=\\s*(?!0(\\.0*)?\\s*(,|$))[\\d.]+)?\\s*(,|$)`, 'i').test(ae);
  if (ammessa('br')) return 'br';
  if (ammessa('gzip')) return 'gzip';
  return null;
}

/**
 * Prepares the files every page asks for (the reduced design stylesheet, the page script), so
 * the first person to open a page does not wait for them. Called once the server listens.
 */
export async function preparaStatici(): Promise<void> {
  await Promise.all([CSS_DESIGN, 'app.css', 'js/app.js', 'js/grafici.js'].map((f) => leggi(f)));
}

/** `/static/<versione>/<file>`: our files and the design system's, cached a year. */
export function staticiRouter(): express.Router {
  const r = express.Router();
  r.get(/^\/static\/([0-9a-f]{12})\/(.+)$/, async (req: Request, res: Response, next) => {
    const [v, rel] = [req.params[0], req.params[1]] as [string, string];
    let f: File | null;
    try {
      f = await leggi(decodeURIComponent(rel));
    } catch (e) {
      next(e);
      return;
    }
    if (!f) {
      res.status(404).type('text/plain').send('File non trovato');
      return;
    }
    // A page of an older release asks for an older version: it gets today's file, not cached.
    res.setHeader('Cache-Control', v === versioneStatici() ? 'public, max-age=31536000, immutable' : 'no-cache');
    res.setHeader('Content-Type', f.tipo);
    res.setHeader('ETag', f.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === f.etag) {
      res.status(304).end();
      return;
    }
    const c = f.br || f.gzip ? codifica(req) : null;
    const corpo = c === 'br' ? f.br! : c === 'gzip' ? f.gzip! : f.corpo;
    if (c) res.setHeader('Content-Encoding', c);
    res.setHeader('Content-Length', String(corpo.length));
    res.end(req.method === 'HEAD' ? undefined : corpo);
  });
  return r;
}
