/**
 * Browser tests: the real app on 127.0.0.1 with the demo data set, driven by Debian Chromium
 * through playwright-core. Chromium must be there: without it these tests FAIL (never skip),
 * with a message saying how to install it (.ci/run installs it).
 *
 * The demo database (genera + the importers + reconciliation + quality checks, exactly as
 * `npm start` loads it) takes ~40 s to build on PGlite: it is built once per version of the
 * migrations and the generator into a template folder and copied for each test file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import pino from 'pino';
import { chromium, Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { loadConfig } from '../../server/config';
import { ensureNomenclature, fixedClock, AppContext } from '../../server/context';
import { Database, MIGRATIONS_DIR, migrate, openDb } from '../../server/db';
import { registerFeatures } from '../../server/features';
import { DEMO_SEED, loadDemoIfEmpty } from '../../server/demo';
import { createApp } from '../../server/app';
import { preparaStatici } from '../../server/web/statici';
import { createSession } from '../../server/auth/sessioni';
import { SESSION_COOKIE, sign } from '../../server/auth/cookies';
import { findUserByEmail } from '../../server/auth/utenti';
import { formatta, Tabella } from '../../server/cruscotto/tabella';
import type { Documento } from '../../server/cruscotto/documento';

export const CHROMIUM = '/usr/bin/chromium';
export const OGGI = '2026-11-22';
const SEGRETO = 'segreto-dei-test-nel-browser';
const ROOT = path.resolve(__dirname, '..', '..');
export const ARTEFATTI = path.join(ROOT, 'test-artifacts');

/** Fails (never skips) when Chromium is missing, whatever REQUIRE_BROWSER says. */
export function richiediChromium(): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium non trovato in ${CHROMIUM}: i test nel browser non possono essere eseguiti. Installare il pacchetto Debian "chromium" (apt-get install chromium; .ci/run lo fa da sé).${process.env.REQUIRE_BROWSER === '1' ? ' REQUIRE_BROWSER=1: la sua assenza è un errore.' : ''}`,
    );
  }
}

function hashDir(h: crypto.Hash, dir: string): void {
  for (const f of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isDirectory()) hashDir(h, p);
    else h.update(f).update(fs.readFileSync(p));
  }
}

function chiaveDemo(): string {
  const h = crypto.createHash('sha256').update(`${DEMO_SEED}|${OGGI}`);
  for (const d of [MIGRATIONS_DIR, path.join(ROOT, 'server', 'genera'), path.join(ROOT, 'server', 'demo'), path.join(ROOT, 'server', 'importazione'), path.join(ROOT, 'sql', 'queries')]) hashDir(h, d);
  for (const f of ['server/demo.ts', 'server/auth/demo.ts', 'server/features.ts', 'fixtures/nomenclatore.csv']) h.update(fs.readFileSync(path.join(ROOT, f)));
  return h.digest('hex').slice(0, 16);
}

export function contesto(db: Database, dataDir: string, env: Record<string, string> = {}): AppContext {
  return { config: loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: SEGRETO, ...env }), db, log: pino({ level: 'silent' }), clock: fixedClock(OGGI) };
}

/** A PGlite folder with the demo ambito loaded (from the template, built when missing). */
export async function cartellaDemo(): Promise<string> {
  const template = path.join(os.tmpdir(), `cruscotto-demo-${chiaveDemo()}`);
  if (!fs.existsSync(path.join(template, 'db', 'PG_VERSION'))) {
    // One builder: the two jest workers often need the template at the same moment, and each
    // build costs a minute of CPU on a machine of two cores. The other waits for it.
    const lock = `${template}.lock`;
    if (await prendi(lock)) {
      try {
        if (!fs.existsSync(path.join(template, 'db', 'PG_VERSION'))) await costruisciDemo(template);
      } finally {
        fs.rmSync(lock, { recursive: true, force: true });
      }
    } else {
      while (fs.existsSync(lock) && !fs.existsSync(path.join(template, 'db', 'PG_VERSION'))) await new Promise((r) => setTimeout(r, 250));
      if (!fs.existsSync(path.join(template, 'db', 'PG_VERSION'))) return cartellaDemo(); // its builder failed: try ourselves
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-browser-'));
  fs.cpSync(template, dir, { recursive: true });
  return dir;
}

/** Takes the lock folder; a lock whose process is gone (a killed run) is taken over. */
async function prendi(lock: string): Promise<boolean> {
  try {
    fs.mkdirSync(lock);
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    return true;
  } catch {
    const pid = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
    let vivo = false;
    try {
      vivo = pid > 0 && process.kill(pid, 0);
    } catch {
      vivo = false;
    }
    if (pid > 0 && !vivo) {
      fs.rmSync(lock, { recursive: true, force: true });
      return prendi(lock);
    }
    return false;
  }
}

async function costruisciDemo(template: string): Promise<void> {
  const tmp = `${template}.tmp-${process.pid}-${Date.now()}`;
  const db = await openDb({ pgliteDir: path.join(tmp, 'db') });
  await migrate(db);
  const ctx = contesto(db, tmp);
  await ensureNomenclature(ctx);
  registerFeatures();
  await loadDemoIfEmpty(ctx, () => undefined);
  await db.close();
  fs.rmSync(path.join(tmp, 'demo'), { recursive: true, force: true });
  try {
    fs.renameSync(tmp, template);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // built meanwhile by a run that took over the lock
  }
}

export interface Ambiente {
  base: string;
  ctx: AppContext;
  /** The browser, for a second, separate session (browser.newContext()). */
  browser: Browser;
  context: BrowserContext;
  page: Page;
  errori: string[];
  /** Signs the browser in as a demo account (a fresh session cookie). */
  entraCome(email: string): Promise<void>;
  /** GET with the current browser's cookies (the API twin, the CSV). */
  api<T = Documento>(p: string): Promise<T>;
  testo(p: string): Promise<{ status: number; text: string; type: string | null }>;
  chiudi(): Promise<void>;
}

/** `env`: more configuration for the app (e.g. SMTP_URL of a test mail server). */
export async function avvia(opts: { env?: Record<string, string> } = {}): Promise<Ambiente> {
  richiediChromium();
  const dir = await cartellaDemo();
  const db = await openDb({ pgliteDir: path.join(dir, 'db') });
  await migrate(db);
  const ctx = contesto(db, dir, opts.env);
  const server = http.createServer(createApp({ ctx }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  // The reduced stylesheet and the bundles are built on first use: not inside a page's timeout.
  await preparaStatici();
  // One browser per file; a test that needs a second session opens another context of it
  // (a new incognito profile costs milliseconds, a second Chromium seconds).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
  // axe-core is served from the app's own origin, so the page's strict CSP stays on.
  await context.route(`${base}/__test__/axe.min.js`, (route) => route.fulfill({ path: require.resolve('axe-core/axe.min.js'), contentType: 'text/javascript' }));
  const page = await context.newPage();
  const errori: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errori.push(m.text());
  });
  page.on('pageerror', (e) => errori.push(`eccezione: ${e.message}`));
  let cookie = '';
  const amb: Ambiente = {
    base,
    ctx,
    browser,
    context,
    page,
    errori,
    async entraCome(email) {
      const u = await findUserByEmail(db, email);
      if (!u) throw new Error(`account dimostrativo ${email} assente`);
      const s = await createSession(db, u.id, ctx.clock.now());
      cookie = `${SESSION_COOKIE}=${sign(s.id, SEGRETO)}`;
      await context.clearCookies();
      await context.addCookies([{ name: SESSION_COOKIE, value: sign(s.id, SEGRETO), url: base }]);
    },
    async api<T>(p: string) {
      const r = await fetch(base + p, { headers: { cookie } });
      if (r.status !== 200) throw new Error(`${p}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
    async testo(p) {
      const r = await fetch(base + p, { headers: { cookie } });
      return { status: r.status, text: await r.text(), type: r.headers.get('content-type') };
    },
    async chiudi() {
      await context.close();
      await browser.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return amb;
}

/**
 * bootstrap-italia's stylesheet embeds a VideoJS icon font as a data: URL, which the strict
 * CSP (font-src 'self') refuses on every page of the product: not a cruscotto error, reported
 * to the lead (allowing data: fonts in server/app.ts fixes it). Nothing else is tolerated.
 */
export function erroriVeri(errori: string[]): string[] {
  return errori.filter((e) => !/Loading the font 'data:application\/font-woff/.test(e));
}

/**
 * Opens a page and waits for its charts; returns the number of charts drawn as SVG. The page's
 * own script is loaded with it ('load'); the only later request is the charts' bundle, which
 * the wait for every chart's SVG covers (no fixed half second of network silence).
 */
export async function apri(amb: Ambiente, p: string): Promise<{ grafici: number; svg: number }> {
  amb.errori.length = 0;
  const r = await amb.page.goto(amb.base + p, { waitUntil: 'load' });
  if (!r || r.status() !== 200) throw new Error(`${p}: stato ${r?.status()}`);
  return attendiGrafici(amb);
}

/** Scrolls to every chart of the current page and waits for its SVG; the charts and the SVGs. */
export async function attendiGrafici(amb: Ambiente): Promise<{ grafici: number; svg: number }> {
  const grafici = await amb.page.locator('[data-grafico]').count();
  // Charts are drawn when they come near the screen (views/public/js): scroll to each one.
  for (let i = 0; i < grafici; i++) {
    const g = amb.page.locator('[data-grafico]').nth(i);
    await g.scrollIntoViewIfNeeded();
    await g.locator('svg.apexcharts-svg').first().waitFor({ timeout: 15_000 });
  }
  if (grafici) await amb.page.evaluate(() => window.scrollTo(0, 0));
  const svg = await amb.page.locator('[data-grafico] svg.apexcharts-svg').count();
  return { grafici, svg };
}

/** axe-core on the current page: the serious and critical violations. */
export async function accessibilita(amb: Ambiente): Promise<string[]> {
  await amb.page.addScriptTag({ url: `${amb.base}/__test__/axe.min.js` });
  const risultati = await amb.page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodi: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return risultati.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodi.join(', ')})`);
}

/**
 * Every figure of the page equals its JSON twin: the headline cards and every cell of every
 * table, formatted as the page formats them (server/cruscotto/tabella.ts `formatta`).
 */
export async function confrontaConApi(amb: Ambiente, doc: Documento): Promise<string[]> {
  const diff: string[] = [];
  const sintesi = await amb.page.$$eval('[data-sintesi] [data-chiave]', (els) => els.map((e) => [e.getAttribute('data-chiave'), e.textContent?.trim()]));
  const mostrate = new Map(sintesi as [string, string][]);
  for (const s of doc.sintesi) {
    const atteso = formatta(s.valore, s.tipo);
    if (mostrate.get(s.chiave) !== atteso) diff.push(`sintesi ${s.chiave}: pagina "${mostrate.get(s.chiave)}", API "${atteso}"`);
  }
  for (const t of doc.tabelle) diff.push(...(await confrontaTabella(amb, t)));
  return diff;
}

async function confrontaTabella(amb: Ambiente, t: Tabella): Promise<string[]> {
  const sel = `table[data-tabella="${t.id}"]`;
  if ((await amb.page.locator(sel).count()) === 0) return [`tabella ${t.id}: non è nella pagina`];
  const leggi = (parte: string) => amb.page.$$eval(`${sel} ${parte} tr`, (trs) => trs.map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));
  const corpo = await leggi('tbody');
  const piede = await leggi('tfoot');
  // The page's text is read with its spaces collapsed (the € sign's no-break space included).
  const attese = (righe: Record<string, unknown>[]) => righe.map((r) => t.colonne.map((c) => formatta((r[c.chiave] ?? null) as never, c.tipo).replace(/\s+/g, ' ')));
  const diff: string[] = [];
  const confronta = (nome: string, pagina: string[][], api: string[][]) => {
    if (api.length === 0 && nome === 'righe') {
      if (pagina.length !== 1 || !pagina[0][0].startsWith('Nessun dato')) diff.push(`tabella ${t.id}: attesa vuota`);
      return;
    }
    if (pagina.length !== api.length) diff.push(`tabella ${t.id} ${nome}: ${pagina.length} righe nella pagina, ${api.length} nell'API`);
    api.forEach((r, i) => {
      if (JSON.stringify(r) !== JSON.stringify(pagina[i])) diff.push(`tabella ${t.id} ${nome} ${i}: pagina ${JSON.stringify(pagina[i])}, API ${JSON.stringify(r)}`);
    });
  };
  confronta('righe', corpo, attese(t.righe));
  confronta('totali', piede, attese(t.totali ?? []));
  return diff;
}

/**
 * Prints the page to A4 with the print stylesheet: the number of pages, and whether anything is
 * wider than the printable width (laid out at that width, as the printer does).
 */
export async function stampa(amb: Ambiente, file: string): Promise<{ pagine: number; largo: boolean }> {
  const { page } = amb;
  const prima = page.viewportSize();
  // A4 minus the 10 mm side margins of the print stylesheet, at 96 dpi.
  const larghezza = Math.floor(((210 - 20) / 25.4) * 96);
  await page.setViewportSize({ width: larghezza, height: 1100 });
  await page.emulateMedia({ media: 'print' });
  // The charts redraw at the new width (ApexCharts, after its resize debounce): wait for every
  // drawn chart to fit its box, for at most 3 s; one that never does shows as «largo» below.
  await page
    .waitForFunction(() => Array.from(document.querySelectorAll('[data-grafico] svg.apexcharts-svg')).every((s) => s.getBoundingClientRect().width <= (s.closest('[data-grafico]') as HTMLElement).clientWidth + 1), null, { timeout: 3000 })
    .catch(() => undefined);
  const largo = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
  const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  fs.mkdirSync(ARTEFATTI, { recursive: true });
  fs.writeFileSync(path.join(ARTEFATTI, file), pdf);
  await page.emulateMedia({ media: 'screen' });
  if (prima) await page.setViewportSize(prima);
  const pagine = (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  return { pagine, largo };
}

/**
 * A full-page screenshot in test-artifacts/, for a person to look at: nothing reads it, so it
 * is taken only with FOTOGRAFIE=1 (half a second each), or always when `sempre` (the census
 * round's screens, which docs/censimento.md points to).
 */
export async function fotografa(amb: Ambiente, file: string, opts: { sempre?: boolean } = {}): Promise<void> {
  if (!opts.sempre && process.env.FOTOGRAFIE !== '1') return;
  fs.mkdirSync(ARTEFATTI, { recursive: true });
  await amb.page.screenshot({ path: path.join(ARTEFATTI, file), fullPage: true });
}

/**
 * CSS transitions and animations of the page (and of the next ones in the same tab) run `volte`
 * times faster (1: back to normal), through the DevTools protocol: the same CSS and the same
 * scripts, the design system's menu waits for the same transitionend, only sooner.
 */
export async function animazioniVeloci(amb: Ambiente, volte: number): Promise<void> {
  // The rate lasts as long as the session that set it: one session per tab, kept open.
  let cdp = sessioniAnimazioni.get(amb.page);
  if (!cdp) {
    cdp = await amb.context.newCDPSession(amb.page);
    await cdp.send('Animation.enable');
    sessioniAnimazioni.set(amb.page, cdp);
  }
  await cdp.send('Animation.setPlaybackRate', { playbackRate: volte });
}
const sessioniAnimazioni = new WeakMap<Page, CDPSession>();
