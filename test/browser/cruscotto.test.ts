/**
 * The cruscotto in Chromium with the demo ambito, as the Ufficio di Piano: every page loads
 * without console errors, shows exactly the figures of its /api/ twin, draws its charts as SVG,
 * has no serious or critical accessibility violation (axe-core), prints on A4; filters change
 * the figures and the URL (back/forward included); clicking a motivo filters the problemi.
 * Screenshots and PDFs go to test-artifacts/.
 */
import { accessibilita, apri, avvia, Ambiente, confrontaConApi, erroriVeri, fotografa, stampa } from './support';
import type { Documento } from '../../server/cruscotto/documento';

jest.setTimeout(240_000);

let amb: Ambiente;

beforeAll(async () => {
  amb = await avvia();
  await amb.entraCome('udp@demo.example');
}, 600_000);

afterAll(async () => {
  await amb?.chiudi();
});

/** Page path, its API twin, the most pages its print may take. */
const PAGINE: [string, string, number][] = [
  ['/', '/api/panoramica', 5],
  ['/comuni/098031?anno=2025', '/api/comuni/098031?anno=2025', 2],
  ['/sportello?anno=2025&comune=098031', '/api/sportello?anno=2025&comune=098031', 3],
  ['/sociali?anno=2025&cluster=3', '/api/sociali?anno=2025&cluster=3', 3],
  ['/economici?anno=2025&distretto=Lodi&vista=distretto', '/api/economici?anno=2025&distretto=Lodi&vista=distretto', 4],
  ['/economici?comune=098031&dal=2024-12-01&al=2025-03-01', '/api/economici?comune=098031&dal=2024-12-01&al=2025-03-01', 4],
  ['/mese?mese=2026-10&comune=098019', '/api/mese?mese=2026-10&comune=098019', 3],
  ['/qualita?comune=098031', '/api/qualita?comune=098031', 8],
];

describe.each(PAGINE)('%s (Ufficio di Piano)', (pagina, api, maxPagine) => {
  const nome = pagina.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'panoramica';

  test('si apre senza errori in console, disegna i grafici in SVG, mostra le cifre della sua API', async () => {
    const { grafici, svg } = await apri(amb, pagina);
    // Tooltips too: ApexCharts' own would write style="" attributes, which the CSP refuses.
    for (const sel of ['.apexcharts-bar-area', '.apexcharts-pie-area', '.apexcharts-marker']) {
      const el = amb.page.locator(sel).first();
      if (await el.count()) await el.hover({ force: true });
    }
    await amb.page.waitForTimeout(200);
    expect(erroriVeri(amb.errori)).toEqual([]);
    expect(svg).toBe(grafici);
    if (!pagina.startsWith('/qualita')) expect(grafici).toBeGreaterThan(0);
    const doc = await amb.api<Documento>(api);
    expect(await confrontaConApi(amb, doc)).toEqual([]);
    await fotografa(amb, `udp-${nome}.png`);
  });

  test('accessibilità: nessuna violazione seria o critica (axe-core)', async () => {
    expect(await accessibilita(amb)).toEqual([]);
  });

  test(`stampa su A4: entra in larghezza, al più ${maxPagine} pagine`, async () => {
    const { pagine, largo } = await stampa(amb, `udp-${nome}.pdf`);
    expect(largo).toBe(false);
    expect(pagine).toBeGreaterThan(0);
    expect(pagine).toBeLessThanOrEqual(maxPagine);
  });
});

test('la scheda del comune sta in una o due pagine A4 con filtri e data dei dati', async () => {
  await apri(amb, '/comuni/098019?anno=2026');
  const { pagine } = await stampa(amb, 'udp-scheda-codogno.pdf');
  expect(pagine).toBeLessThanOrEqual(2);
  await amb.page.emulateMedia({ media: 'print' });
  const intestazione = await amb.page.locator('.intestazione-stampa').innerText();
  expect(intestazione).toContain('Dati aggiornati al 21/11/2026');
  expect(intestazione).toContain('Anno 2026');
  await amb.page.emulateMedia({ media: 'screen' });
  // The "how it is computed" panel, with the comune's own numbers.
  const doc = await amb.api<Documento & { spiegazione: { testo: string } }>('/api/comuni/098019?anno=2026');
  expect(await amb.page.locator('[data-spiegazione]').innerText()).toBe(doc.spiegazione.testo);
  expect(doc.spiegazione.testo).toMatch(/^[\d,]+% = \d+ cartelle caricate su \d+ dichiarate/);
  await fotografa(amb, 'udp-scheda-codogno.png');
});

test('anni a confronto: il grafico della scheda ha un punto per anno (almeno 2 nei dati dimostrativi), come la tabella e l\'API', async () => {
  // The document first (its first computation reads every year): the page then renders from it.
  const doc = await amb.api<Documento>('/api/comuni/098031?anno=2025');
  await apri(amb, '/comuni/098031?anno=2025');
  const g = doc.grafici.find((x) => x.id === 'grafico_anni')!;
  const t = doc.tabelle.find((x) => x.id === 'anni')!;
  expect(g.categorie).toEqual(t.righe.map((r) => r.anno));
  // Years with a figure of accessi (a bar each), in the demo data.
  const punti = g.serie[0].dati.filter((x) => x !== null && x > 0).length;
  expect(punti).toBeGreaterThanOrEqual(2);
  // The chart is drawn (SVG bars) with one x label per year.
  const box = amb.page.locator('#grafico_anni');
  await box.scrollIntoViewIfNeeded();
  await amb.page.waitForFunction(() => document.querySelectorAll('#grafico_anni .apexcharts-bar-area').length > 0, null, { timeout: 20_000 });
  expect(await amb.page.locator('#grafico_anni .apexcharts-xaxis-label').count()).toBe(g.categorie.length);
  expect(await amb.page.locator('#grafico_anni .apexcharts-bar-area').count()).toBeGreaterThanOrEqual(punti);
  // At 360 px (the table scrolls in its own box, the page no wider than the screen): every page
  // of test/browser/impaginazione.test.ts, the scorecard and two pages with a period included.
  await fotografa(amb, 'udp-scheda-anni.png');
});

test('cambiare un filtro cambia le cifre e l\'URL; indietro e avanti funzionano', async () => {
  await apri(amb, '/sportello?anno=2025');
  const prima = await amb.page.locator('[data-chiave="accessi"]').innerText();
  await amb.page.selectOption('#f-anno', '2024');
  await amb.page.selectOption('#f-cluster', '3');
  await Promise.all([amb.page.waitForURL(/anno=2024/), amb.page.click('#modulo-filtri button[type=submit]')]);
  await amb.page.waitForLoadState('networkidle');
  const url = new URL(amb.page.url());
  expect(url.searchParams.get('anno')).toBe('2024');
  expect(url.searchParams.get('cluster')).toBe('3');
  const dopo = await amb.page.locator('[data-chiave="accessi"]').innerText();
  expect(dopo).not.toBe(prima);
  const doc = await amb.api<Documento>(`/api/sportello${url.search}`);
  expect(await confrontaConApi(amb, doc)).toEqual([]);
  expect(erroriVeri(amb.errori)).toEqual([]);
  await amb.page.goBack({ waitUntil: 'networkidle' });
  expect(new URL(amb.page.url()).searchParams.get('anno')).toBe('2025');
  expect(await amb.page.locator('[data-chiave="accessi"]').innerText()).toBe(prima);
  await amb.page.goForward({ waitUntil: 'networkidle' });
  expect(await amb.page.locator('[data-chiave="accessi"]').innerText()).toBe(dopo);
});

test('cliccare un motivo filtra i problemi (pagina e API coincidono)', async () => {
  await apri(amb, '/sportello?anno=2025');
  const tutti = await amb.page.locator('table[data-tabella="problemi"] tfoot td').first().innerText();
  const link = amb.page.locator('table[data-tabella="motivi"] tbody tr').nth(1).locator('a');
  const motivo = await link.innerText();
  await Promise.all([amb.page.waitForURL(/motivo=/), link.click()]);
  await amb.page.waitForLoadState('networkidle');
  const url = new URL(amb.page.url());
  expect(url.searchParams.get('motivo')).toBe(motivo);
  const filtrati = await amb.page.locator('table[data-tabella="problemi"] tfoot td').first().innerText();
  expect(Number(filtrati.replace(/\./g, ''))).toBeLessThan(Number(tutti.replace(/\./g, '')));
  expect(await amb.page.locator('#titolo-problemi').innerText()).toContain(`motivo «${motivo}»`);
  const doc = await amb.api<Documento>(`/api/sportello${url.search}`);
  expect(await confrontaConApi(amb, doc)).toEqual([]);
  expect(erroriVeri(amb.errori)).toEqual([]);
  await fotografa(amb, 'udp-sportello-motivo.png');
});

test('la pagina funziona senza JavaScript: le tabelle ci sono, i grafici no', async () => {
  // A second page of the same browser whose scripts are blocked.
  const page = await amb.context.newPage();
  await page.route(/\.js(\?|$)/, (r) => r.abort());
  const risposta = await page.goto(`${amb.base}/sociali?anno=2025`, { waitUntil: 'networkidle' });
  expect(risposta?.status()).toBe(200);
  expect(await page.locator('table[data-tabella="comuni"] tbody tr').count()).toBe(61);
  expect(await page.locator('[data-grafico] svg').count()).toBe(0);
  await page.close();
});
