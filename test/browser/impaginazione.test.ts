/**
 * The pages on a phone (360×740) and on a desktop (1366×900), for every role, and the scorecard
 * on paper (issue 18): nothing wider than the screen, the menu button opens the menu, "Esci" is
 * there with enough contrast, the body is set in Titillium Web; the scorecard prints on exactly
 * one A4 page with no date broken across lines and the SVG chart with its 80% line.
 * The screenshots checked and the printed scorecard (PDF; its PNG with FOTOGRAFIE=1) go to test-artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { animazioniVeloci, ARTEFATTI, attendiGrafici, avvia, Ambiente, erroriVeri } from './support';

jest.setTimeout(300_000);

let amb: Ambiente;

beforeAll(async () => {
  amb = await avvia();
}, 600_000);

afterAll(async () => {
  await amb?.chiudi();
});

/** Every page each role can open (the demo accounts), scadenza 1 and message 1 included. */
const RUOLI: [string, string[]][] = [
  ['udp@demo.example', ['/', '/comuni/098031', '/sportello', '/sociali', '/economici', '/sportello?dal=2024-12-01&al=2025-03-01', '/mese', '/qualita', '/scadenze', '/scadenze/1', '/notifiche', '/posta', '/job', '/audit', '/password',
    '/analisi/saldo', '/analisi/carico', '/analisi/ripartizioni?anno=2025', '/caricamenti', '/caricamenti/siz', '/importazioni', '/utenti', '/contatti', '/censimento', '/credenziali']],
  ['comune.lodi@demo.example', ['/', '/comuni/098031', '/comuni/098033', '/sportello', '/sociali', '/economici', '/sociali?comune=098031&dal=2025-01-01&al=2025-06-30', '/mese', '/qualita', '/scadenze', '/password',
    '/analisi/saldo', '/analisi/carico', '/analisi/ripartizioni?anno=2025', '/analisi/ripartizioni?anno=2025&comune=098031', '/contatti/098031', '/credenziali/098031']],
  ['comune.piccolo@demo.example', ['/comuni/098033', '/sportello?comune=098033', '/qualita']],
  ['assistente.sociale@demo.example', ['/', '/notifiche', '/sociali', '/password', '/analisi/ripartizioni?anno=2025']],
];

const SCHERMI = [
  { nome: 'telefono', width: 360, height: 740 },
  { nome: 'desktop', width: 1366, height: 900 },
];

/** WCAG contrast of an element's text against the first opaque background behind it. */
async function contrasto(selettore: string): Promise<number> {
  return amb.page.evaluate((sel) => {
    const el = Array.from(document.querySelectorAll<HTMLElement>(sel)).find((e) => e.offsetParent !== null && e.getBoundingClientRect().width > 0)!;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let fondo: number[] | null = null;
    for (let e: HTMLElement | null = el; e && !fondo; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.9)) fondo = c.slice(0, 3);
    }
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
    const b = lum(fondo ?? [255, 255, 255]);
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }, selettore);
}

/** The menu has finished opening when the design system moves the focus into it (close button). */
async function menuAperto(): Promise<void> {
  await amb.page.waitForFunction(() => document.activeElement?.classList.contains('close-menu') === true, null, { timeout: 10_000 });
}

/** Screenshots checked below (not empty): the overview, a scorecard and the alarms, on both screens. */
const SCATTI: Record<string, [string, string]> = {
  'udp@demo.example': ['/', 'panoramica'],
  'comune.lodi@demo.example': ['/comuni/098031', 'scheda'],
  'assistente.sociale@demo.example': ['/notifiche', 'notifiche'],
};

describe.each(RUOLI)('%s', (email, pagine) => {
  beforeAll(async () => {
    await amb.entraCome(email);
    // The menu's slide (0.3 s to open, 0.2 s to close) 20 times faster on each of these pages;
    // the keyboard test below runs it at its own speed.
    await animazioniVeloci(amb, 20);
  });
  afterAll(async () => {
    await animazioniVeloci(amb, 1);
  });

  // Each page is loaded once, on the phone, then the window is widened to the desktop's: the
  // same CSS laid out again at 1366 px (the charts redraw at the new width by themselves).
  test.each(pagine)('%s: al telefono e al desktop non più larga dello schermo, Titillium Web, menu ed «Esci» raggiungibili', async (pagina) => {
    amb.errori.length = 0;
    for (const { nome, width, height } of SCHERMI) {
      await amb.page.setViewportSize({ width, height });
      if (nome === 'telefono') {
        const r = await amb.page.goto(amb.base + pagina, { waitUntil: 'load' });
        expect(r?.status()).toBe(200);
      }
      await amb.page.evaluate(() => document.fonts.ready);
      const misure = await amb.page.evaluate(() => ({
        pagina: document.documentElement.scrollWidth,
        schermo: document.documentElement.clientWidth,
        font: getComputedStyle(document.body).fontFamily,
        caricato: document.fonts.check('16px "Titillium Web"') && Array.from(document.fonts as unknown as Iterable<FontFace>).some((f) => f.family.replace(/"/g, '') === 'Titillium Web' && f.status === 'loaded'),
      }));
      // Laid out at this screen's width (less a scrollbar, if any).
      expect(misure.schermo).toBeLessThanOrEqual(width);
      expect(misure.schermo).toBeGreaterThan(width - 20);
      expect(misure.pagina).toBeLessThanOrEqual(misure.schermo);
      // Every code is shown through its label: no snake_case id anywhere in the visible text.
      if (nome === 'desktop') expect(await amb.page.evaluate(() => document.body.innerText.match(/\b[a-z]+(?:_[a-z0-9]+)+\b/g) ?? [])).toEqual([]);
      expect(misure.font.split(',')[0].replace(/["']/g, '').trim()).toBe('Titillium Web');
      expect(misure.caricato).toBe(true);
      if (SCATTI[email]?.[0] === pagina) {
        // The screen as a person sees it: the charts in view drawn, the top of the page.
        await attendiGrafici(amb);
        const file = path.join(ARTEFATTI, `${SCATTI[email][1]}-${nome}.png`);
        fs.mkdirSync(ARTEFATTI, { recursive: true });
        await amb.page.screenshot({ path: file, fullPage: false });
        expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      }
      // "Esci" is on screen, readable, in the account bar.
      const esci = amb.page.locator('.it-header-slim-wrapper [data-esci]');
      await expect(esci.isVisible()).resolves.toBe(true);
      const box = (await esci.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(await contrasto('.it-header-slim-wrapper [data-esci]')).toBeGreaterThanOrEqual(4.5);
      if (nome === 'telefono') {
        // The menu button opens the design system's menu; "Esci" is in it too; Escape closes it.
        const bottone = amb.page.locator('.custom-navbar-toggler');
        await expect(bottone.isVisible()).resolves.toBe(true);
        await bottone.click();
        await menuAperto();
        expect(await bottone.getAttribute('aria-expanded')).toBe('true');
        const voce = amb.page.locator('#menu-principale .navbar-nav .nav-link').first();
        expect(await contrasto('#menu-principale .navbar-nav .nav-link')).toBeGreaterThanOrEqual(4.5);
        await expect(voce.isVisible()).resolves.toBe(true);
        await expect(amb.page.locator('#menu-principale [data-esci]').isVisible()).resolves.toBe(true);
        expect(await contrasto('#menu-principale [data-esci]')).toBeGreaterThanOrEqual(4.5);
        await amb.page.keyboard.press('Escape');
        await amb.page.locator('#menu-principale .navbar-nav .nav-link').first().waitFor({ state: 'hidden' });
      } else {
        await expect(amb.page.locator('#menu-principale .navbar-nav .nav-link').first().isVisible()).resolves.toBe(true);
      }
    }
    expect(erroriVeri(amb.errori)).toEqual([]);
  });
});

test('la pagina di accesso sta nello schermo del telefono, in Titillium Web', async () => {
  await amb.context.clearCookies();
  await amb.page.setViewportSize({ width: 360, height: 740 });
  await amb.page.goto(`${amb.base}/login`, { waitUntil: 'load' });
  await amb.page.evaluate(() => document.fonts.ready);
  const m = await amb.page.evaluate(() => ({ w: document.documentElement.scrollWidth, font: getComputedStyle(document.body).fontFamily, ok: document.fonts.check('16px "Titillium Web"') }));
  expect(m.w).toBeLessThanOrEqual(360);
  expect(m.font.startsWith('"Titillium Web"')).toBe(true);
  expect(m.ok).toBe(true);
});

test('il menu si apre e si chiude con la tastiera', async () => {
  await amb.entraCome('udp@demo.example');
  await amb.page.setViewportSize({ width: 360, height: 740 });
  await amb.page.goto(`${amb.base}/`, { waitUntil: 'load' });
  await amb.page.locator('.custom-navbar-toggler').focus();
  await amb.page.keyboard.press('Enter');
  await menuAperto();
  await expect(amb.page.locator('#menu-principale .nav-link[href="/sportello"]').isVisible()).resolves.toBe(true);
  await amb.page.keyboard.press('Escape');
  await amb.page.locator('#menu-principale .nav-link[href="/sportello"]').waitFor({ state: 'hidden' });
  expect(await amb.page.locator('.custom-navbar-toggler').getAttribute('aria-expanded')).toBe('false');
});

/** The text of a PDF, page by page and line by line (test/browser/testo-pdf.mjs). */
function testoPdf(file: string): string[][] {
  const r = spawnSync(process.execPath, [path.join(__dirname, 'testo-pdf.mjs'), file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`testo-pdf: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][];
}

/** A PNG of the first page of a PDF: pdftoppm when installed, otherwise the print view rendered. */
async function pngDellaStampa(pdf: string, png: string): Promise<void> {
  const r = spawnSync('pdftoppm', ['-png', '-r', '80', '-singlefile', pdf, png.replace(/\.png$/, '')], { encoding: 'utf8' });
  if (r.status === 0 && fs.existsSync(png)) return;
  await amb.page.emulateMedia({ media: 'print' });
  await amb.page.setViewportSize({ width: 794, height: 1123 });
  await amb.page.screenshot({ path: png, fullPage: false });
  await amb.page.emulateMedia({ media: 'screen' });
}

describe.each([
  ['grande', '098031', 'comune.lodi@demo.example'],
  ['piccolo', '098033', 'comune.piccolo@demo.example'],
])('la scheda di un comune %s (%s) stampata', (taglia, istat, email) => {
  test('è una sola pagina A4, con le date intere, il grafico SVG con la linea dell\'80% e il piede', async () => {
    await amb.entraCome(email);
    await amb.page.setViewportSize({ width: 1366, height: 900 });
    await amb.page.goto(`${amb.base}/comuni/${istat}`, { waitUntil: 'load' });
    // Every chart drawn (its bundle loaded), as the print below would draw them.
    await attendiGrafici(amb);
    // The "Stampa / PDF" button opens the browser's print dialog.
    await amb.page.evaluate(() => {
      (window as unknown as { stampe: number }).stampe = 0;
      window.print = () => {
        (window as unknown as { stampe: number }).stampe++;
      };
    });
    await amb.page.getByRole('button', { name: 'Stampa / PDF' }).click();
    expect(await amb.page.evaluate(() => (window as unknown as { stampe: number }).stampe)).toBe(1);

    await amb.page.emulateMedia({ media: 'print' });
    const vista = await amb.page.evaluate(() => {
      const v = document.querySelector<HTMLElement>('.volantino')!;
      const linea = v.querySelector('.svg-obiettivo .linea-obiettivo');
      const svg = v.querySelector('.svg-obiettivo');
      const vb = svg?.getAttribute('viewBox')?.split(' ').map(Number) ?? [];
      return {
        testo: v.innerText,
        visibile: v.offsetParent !== null || getComputedStyle(v).display !== 'none',
        x: Number(linea?.getAttribute('x1')),
        larghezza: vb[2],
        schermo: document.querySelector<HTMLElement>('.solo-schermo')?.offsetParent ?? null,
      };
    });
    await amb.page.emulateMedia({ media: 'screen' });
    expect(vista.visibile).toBe(true);
    expect(vista.schermo).toBeNull();
    // The 80% line sits at 80% of the bar (8 px margins on a 480-wide drawing).
    expect(vista.x).toBeCloseTo(8 + (vista.larghezza - 16) * 0.8, 0);
    for (const atteso of ['Digitalizzazione', 'Censimento e SIZ a confronto', 'Confronto con comuni simili', "L'attività del", 'Andamento e scadenza', 'Fonte:', 'GDPR art. 9', 'Dati aggiornati al']) expect(vista.testo).toContain(atteso);

    const pdf = path.join(ARTEFATTI, `scheda-stampata-${taglia}.pdf`);
    await amb.page.emulateMedia({ media: 'print' });
    fs.mkdirSync(ARTEFATTI, { recursive: true });
    fs.writeFileSync(pdf, await amb.page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    await amb.page.emulateMedia({ media: 'screen' });
    const pagine = testoPdf(pdf);
    expect(pagine.length).toBe(1);
    const righe = pagine[0].map((l) => l.replace(/\s+/g, ''));
    // Every date of the handout is whole on one line of the PDF.
    const date = [...new Set(vista.testo.match(/\d{2}\/\d{2}\/\d{4}/g) ?? [])];
    expect(date.length).toBeGreaterThanOrEqual(3);
    for (const d of date) expect([d, righe.some((r) => r.includes(d))]).toEqual([d, true]);
    // And so is every percentage and grouped number (no "76,9|6%").
    const numeri = [...new Set(vista.testo.match(/\d[\d.]*,\d+%?/g) ?? [])];
    for (const n of numeri) expect([n, righe.some((r) => r.includes(n))]).toEqual([n, true]);
    expect(pagine[0].join('\n')).toContain('Obiettivo 80%');
    // A picture of the print for a person to look at: nothing reads it (test/browser/support.ts fotografa).
    if (process.env.FOTOGRAFIE === '1') await pngDellaStampa(pdf, path.join(ARTEFATTI, `scheda-stampata-${taglia}.png`));
  });
});

describe("la giornata dell'assistente sociale", () => {
  test('dopo l\'accesso arriva su /notifiche; il menu conta le notifiche da vedere; i decessi sono in cima', async () => {
    await amb.context.clearCookies();
    await amb.page.setViewportSize({ width: 360, height: 740 });
    await amb.page.goto(`${amb.base}/login`);
    await amb.page.fill('#email', 'assistente.sociale@demo.example');
    await amb.page.fill('#password', 'demo-operatore-2026');
    await Promise.all([amb.page.waitForNavigation(), amb.page.click('main button[type=submit]')]);
    expect(new URL(amb.page.url()).pathname).toBe('/notifiche');
    const api = JSON.parse((await amb.page.evaluate(() => fetch('/api/notifiche').then((r) => r.text())))) as { aperti: number; allarmi: { tipo: string; preso_visione_il: string | null; id_cartella: string }[] };
    expect(api.aperti).toBeGreaterThan(1);
    expect((await amb.page.locator('[data-conteggio-menu]').first().innerText()).replace(/\D+/g, '')).toBe(String(api.aperti));
    // On the phone the closed menu's button shows it too.
    await expect(amb.page.locator('.conteggio-pulsante').isVisible()).resolves.toBe(true);
    expect(await amb.page.locator('.conteggio-pulsante').innerText()).toBe(String(api.aperti));
    // Deaths first: in the list and in the groups by case.
    const tipi = api.allarmi.filter((a) => !a.preso_visione_il).map((a) => a.tipo === 'decesso');
    expect(tipi).toEqual([...tipi].sort((a, b) => Number(b) - Number(a)));
    const gruppi = await amb.page.$$eval('section.cartella-notifiche', (s) => s.map((x) => x.classList.contains('cartella-decesso')));
    expect(gruppi.length).toBeGreaterThan(0);
    expect(gruppi).toEqual([...gruppi].sort((a, b) => Number(b) - Number(a)));
    // Every alarm of a case is in that case's group.
    const perGruppo = await amb.page.$$eval('section.cartella-notifiche', (s) => s.map((x) => [x.querySelector('h3')!.textContent!.match(/Cartella (\S+)/)![1], x.querySelectorAll('article.notifica').length] as [string, number]));
    for (const [cartella, n] of perGruppo) expect([cartella, n]).toEqual([cartella, api.allarmi.filter((a) => !a.preso_visione_il && a.id_cartella === cartella).length]);
    // The action is above the first alarm.
    const azione = (await amb.page.locator('.barra-azioni button[type=submit]').boundingBox())!;
    const primo = (await amb.page.locator('article.notifica').first().boundingBox())!;
    expect(azione.y).toBeLessThan(primo.y);
  });

  test('una pagina, un valore sconosciuto di pagina, viste o tipo è un 400', async () => {
    // With the session of the sign-in above.
    for (const q of ['pagina=abc', 'pagina=0', 'viste=x', 'nessuna=sì', 'tipo=matrimonio']) expect([q, await amb.page.evaluate((x) => fetch(`/notifiche?${x}`).then((r) => r.status), q)]).toEqual([q, 400]);
  });

  test('«Seleziona tutte» spunta ogni notifica della pagina; senza selezione un messaggio, e nulla cambia', async () => {
    await amb.page.goto(`${amb.base}/notifiche`, { waitUntil: 'load' });
    const caselle = amb.page.locator('input[data-selezionabile]');
    const n = await caselle.count();
    expect(n).toBeGreaterThan(1);
    // Nothing ticked: a message, no navigation.
    await amb.page.locator('.barra-azioni button[type=submit]').click();
    await expect(amb.page.locator('[data-messaggio-selezione]').isVisible()).resolves.toBe(true);
    expect(new URL(amb.page.url()).search).toBe('');
    // Select all, and back.
    await amb.page.locator('label[for=seleziona-tutte]').click();
    expect(await amb.page.locator('input[data-selezionabile]:checked').count()).toBe(n);
    expect(await amb.page.locator('[data-conteggio-selezione]').innerText()).toBe(`${n} selezionate`);
    await amb.page.locator('label[for=seleziona-tutte]').click();
    expect(await amb.page.locator('input[data-selezionabile]:checked').count()).toBe(0);
    // Without JavaScript the server says it too.
    const csrf = await amb.page.locator('#modulo-notifiche input[name=_csrf]').inputValue();
    const r = await amb.page.evaluate(async (t) => {
      const x = await fetch('/notifiche/presa-visione', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(t)}`, redirect: 'follow' });
      return { url: x.url, testo: await x.text() };
    }, csrf);
    expect(r.url).toContain('/notifiche?nessuna=1');
    expect(r.testo).toContain('Nessuna notifica selezionata');
    // Select all, confirm: the page says how many, the menu count goes.
    await amb.page.locator('label[for=seleziona-tutte]').click();
    await Promise.all([amb.page.waitForNavigation(), amb.page.locator('.barra-azioni button[type=submit]').click()]);
    expect(await amb.page.locator('main').innerText()).toContain(`${n} notifiche segnate come viste`);
    const restano = JSON.parse(await amb.page.evaluate(() => fetch('/api/notifiche').then((x) => x.text()))) as { aperti: number };
    if (restano.aperti === 0) expect(await amb.page.locator('[data-conteggio-menu]').count()).toBe(0);
    else expect((await amb.page.locator('[data-conteggio-menu]').first().innerText()).replace(/\D+/g, '')).toBe(String(restano.aperti));
  });
});
