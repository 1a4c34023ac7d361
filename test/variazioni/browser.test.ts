/**
 * The alarms page in a real Chromium (playwright-core): sign in through the login form, filter
 * by type, acknowledge one alarm with its checkbox and another with its own button, under the
 * strict CSP with no violation and no script error. Like the other browser tests
 * (test/browser), a missing Chromium is a failure, never a skip.
 */
import fs from 'node:fs';
import { chromium, Browser as Chromium, Page } from 'playwright-core';
import { createUser } from '../../server/auth/utenti';
import { eseguiVariazioni } from '../../server/variazioni/service';
import { mutableClock, startServer, testContext, TestServer } from '../auth/helpers';
import { openTestDb, TestDb, truncateAll } from '../support/db';
import { cleanupFiles } from './helpers';
import { P, seedScenario } from './scenario';

function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  return null;
}

const PASSWORD = 'password-dei-test-2026';

// What the browser adds - the sign-in form, the page's script under the strict CSP, the design
// system's checkbox - does not depend on the database engine; the same filter and acknowledgements
// are checked on both engines by test/variazioni/web.test.ts. So one engine here: PGlite, always there.
describe('pagina /notifiche nel browser [pglite]', () => {
  let db: TestDb | undefined;
  const get = (): TestDb => {
    if (!db) throw new Error('database not open');
    return db;
  };
  let ctx: ReturnType<typeof testContext>;
  let server: TestServer;
  let browser: Chromium;
  let opId: number;

  beforeAll(async () => {
    const executable = findChromium();
    if (!executable) throw new Error('Chromium non trovato (CHROMIUM_PATH, /usr/bin/chromium): installare il pacchetto Debian "chromium" (apt-get install chromium).');
    db = await openTestDb('pglite');
    await truncateAll(db);
    await seedScenario(db);
    ctx = testContext(db, { clock: mutableClock('2026-11-22T09:00:00Z') });
    await eseguiVariazioni(ctx);
    opId = (await createUser(db, { email: 'op1@servizi.example', ruolo: 'operatore', operatore_id: 'OP1', password: PASSWORD })).utente.id;
    server = await startServer(ctx);
    browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (ctx) fs.rmSync(ctx.dataDir, { recursive: true, force: true });
    await db?.dispose();
    cleanupFiles();
  });

  /** A page that records script errors, CSP violations (console errors) and failed requests. */
  async function pagina(): Promise<{ page: Page; problemi: string[] }> {
    const page = await browser.newPage();
    const problemi: string[] = [];
    page.on('console', (m) => {
      const t = m.text();
      if (m.type() !== 'error') return;
      problemi.push(t);
    });
    page.on('pageerror', (e) => problemi.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) problemi.push(`HTTP ${r.status()} ${r.url()}`);
    });
    return { page, problemi };
  }

  test('accesso, filtro per tipo, presa visione con la casella e con il pulsante', async () => {
    const { page, problemi } = await pagina();
    await page.goto(`${server.url}/notifiche`);
    expect(page.url()).toContain('/login');
    await page.fill('#email', 'op1@servizi.example');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/notifiche');

    expect(await page.locator('article.notifica').count()).toBe(2);
    expect(await page.textContent('main')).toContain(P.bimbo.cf);

    await page.selectOption('#tipo', 'nascita');
    await Promise.all([page.waitForNavigation(), page.click('text=Filtra')]);
    expect(await page.locator('article.notifica').count()).toBe(2);

    // bootstrap-italia draws the box on the label, as a person sees and clicks it.
    await page.click('article.notifica:first-of-type label[for^=allarme-]');
    expect(await page.isChecked('article.notifica:first-of-type input[type=checkbox]')).toBe(true);
    await Promise.all([page.waitForNavigation(), page.click('text=Segna come viste le notifiche selezionate')]);
    expect(await page.textContent('main')).toContain('1 notifica segnata come vista');
    expect(await page.locator('article.notifica').count()).toBe(1);
    expect(page.url()).toContain('tipo=nascita');

    await Promise.all([page.waitForNavigation(), page.click('text=Presa visione di questa notifica')]);
    expect(await page.textContent('main')).toContain('Da vedere (0)');

    const visti = await get().knex('allarmi').where('operatore_id', 'OP1').pluck('preso_visione_da');
    expect(visti).toEqual([opId, opId]);
    expect(problemi).toEqual([]);
    await page.close();
  }, 60_000);
});
