/**
 * The cruscotto in Chromium with the demo ambito, as the Ufficio di Piano: every page loads
 * without console errors, shows exactly the figures of its /api/ twin, draws its charts as SVG,
 * has no serious or critical accessibility violation (axe-core), prints on A4; filters change
 * the figures and the URL (back/forward included); clicking a motivo filters the problemi.
 * PDFs go to test-artifacts/ (screenshots too with FOTOGRAFIE=1).
 *
 * With the same server and browser (one demo database, one Chromium, the documents computed
 * once): the demo's forecasts (issue 20, formerly demo.test.ts), /analisi/ripartizioni
 * (formerly ripartizioni.test.ts) and the small-count suppression in the pages of the other
 * accounts (formerly riservatezza.test.ts), at the end.
 */
import { accessibilita, apri, attendiGrafici, avvia, Ambiente, confrontaConApi, erroriVeri, fotografa, stampa } from './support';
import { formatta } from '../../server/cruscotto/tabella';
import type { Documento } from '../../server/cruscotto/documento';
import { Pubblicato, recuperabili, Relazione } from '../cruscotto/attaccante';

jest.setTimeout(240_000);

let amb: Ambiente;

beforeAll(async () => {
  amb = await avvia();
  await amb.entraCome('udp@demo.example');
}, 600_000);

afterAll(async () => {
  await amb?.chiudi();
});

const celle = (sel: string) => amb.page.$$eval(`${sel} tbody tr`, (trs) => trs.map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));

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

  if (pagina === '/') {
    test('panoramica (Ufficio di Piano): la data prevista per l\'obiettivo è mostrata per almeno un comune', async () => {
      // The demo's two years of monthly history (issue 20), on the page just opened.
      const doc = await amb.api<Documento>('/api/panoramica');
      const tab = doc.tabelle.find((t) => t.id === 'comuni')!;
      const col = tab.colonne.findIndex((c) => c.chiave === 'previsione_obiettivo');
      const conData = tab.righe.filter((r) => typeof r.previsione_obiettivo === 'string' && /\d{4}/.test(r.previsione_obiettivo));
      expect(conData.length).toBeGreaterThan(0);
      const pagina = await celle('table[data-tabella="comuni"]');
      const mostrate = pagina.filter((r) => /\d{4}/.test(r[col]));
      expect(mostrate.map((r) => r[col])).toEqual(conData.map((r) => formatta(r.previsione_obiettivo as string, 'data')));
    });
  }

  if (pagina === '/comuni/098031?anno=2025') {
    test('anni a confronto: il grafico della scheda ha un punto per anno (almeno 2 nei dati dimostrativi), come la tabella e l\'API', async () => {
      // On the page just opened and compared with this very document.
      const doc = await amb.api<Documento>(api);
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
      await amb.page.evaluate(() => window.scrollTo(0, 0));
      await fotografa(amb, 'udp-scheda-anni.png');
    });
  }

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

test('cambiare un filtro cambia le cifre e l\'URL; indietro e avanti funzionano', async () => {
  await apri(amb, '/sportello?anno=2025');
  const prima = await amb.page.locator('[data-chiave="accessi"]').innerText();
  await amb.page.selectOption('#f-anno', '2024');
  await amb.page.selectOption('#f-cluster', '3');
  await Promise.all([amb.page.waitForURL(/anno=2024/), amb.page.click('#modulo-filtri button[type=submit]')]);
  await amb.page.waitForLoadState('load');
  await attendiGrafici(amb);
  const url = new URL(amb.page.url());
  expect(url.searchParams.get('anno')).toBe('2024');
  expect(url.searchParams.get('cluster')).toBe('3');
  const dopo = await amb.page.locator('[data-chiave="accessi"]').innerText();
  expect(dopo).not.toBe(prima);
  const doc = await amb.api<Documento>(`/api/sportello${url.search}`);
  expect(await confrontaConApi(amb, doc)).toEqual([]);
  expect(erroriVeri(amb.errori)).toEqual([]);
  await amb.page.goBack({ waitUntil: 'load' });
  expect(new URL(amb.page.url()).searchParams.get('anno')).toBe('2025');
  expect(await amb.page.locator('[data-chiave="accessi"]').innerText()).toBe(prima);
  await amb.page.goForward({ waitUntil: 'load' });
  expect(await amb.page.locator('[data-chiave="accessi"]').innerText()).toBe(dopo);
});

test('cliccare un motivo filtra i problemi (pagina e API coincidono)', async () => {
  await apri(amb, '/sportello?anno=2025');
  const tutti = await amb.page.locator('table[data-tabella="problemi"] tfoot td').first().innerText();
  const link = amb.page.locator('table[data-tabella="motivi"] tbody tr').nth(1).locator('a');
  const motivo = await link.innerText();
  await Promise.all([amb.page.waitForURL(/motivo=/), link.click()]);
  await amb.page.waitForLoadState('load');
  await attendiGrafici(amb);
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
  const risposta = await page.goto(`${amb.base}/sociali?anno=2025`, { waitUntil: 'load' });
  expect(risposta?.status()).toBe(200);
  expect(await page.locator('table[data-tabella="comuni"] tbody tr').count()).toBe(61);
  expect(await page.locator('[data-grafico] svg').count()).toBe(0);
  await page.close();
});

describe('la demo (issue 20)', () => {
  test('scheda di un comune in crescita: la data prevista e il grafico dell\'andamento', async () => {
    await amb.entraCome('udp@demo.example');
    const doc = await amb.api<Documento>('/api/panoramica');
    const riga = doc.tabelle.find((t) => t.id === 'comuni')!.righe.find((r) => typeof r.previsione_obiettivo === 'string' && /\d{4}/.test(r.previsione_obiettivo))!;
    const { grafici, svg } = await apri(amb, `/comuni/${String(riga.codice_istat)}`);
    expect(erroriVeri(amb.errori)).toEqual([]);
    expect(svg).toBe(grafici);
    const valore = (await amb.page.locator('[data-sintesi] [data-chiave="previsione_obiettivo"]').first().textContent())?.trim() ?? '';
    expect(valore).toMatch(/\d{4}/);
  });

  test("operatore della demo: il primo allarme della lista è un decesso, evidenziato come azione richiesta", async () => {
    await amb.entraCome('assistente.sociale@demo.example');
    await apri(amb, '/notifiche');
    expect(erroriVeri(amb.errori)).toEqual([]);
    const primo = amb.page.locator('article.notifica').first();
    expect(await primo.getAttribute('class')).toContain('notifica-decesso');
    expect(await amb.page.locator('h3.cartella-titolo').first().textContent()).toContain('Azione richiesta');
  });
});

/**
 * /analisi/ripartizioni: as the Ufficio di Piano over five years (charts drawn as SVG, no console
 * errors, no serious accessibility violation, the page's figures are those of its API, A4 print
 * within width); as an operatore, the ambito only, on a 360 px phone.
 */
describe('/analisi/ripartizioni', () => {
  const PAGINA = '/analisi/ripartizioni?dal=2022-01-01&al=2026-11-22';

  test("Ufficio di Piano, cinque anni: grafici in SVG, cifre dell'API, nessun errore, accessibile, stampa A4", async () => {
    await amb.entraCome('udp@demo.example');
    const { grafici, svg } = await apri(amb, PAGINA);
    expect(erroriVeri(amb.errori)).toEqual([]);
    // Four of the sportello (punto, sesso, age, country), three of the people taken in charge.
    expect(grafici).toBe(7);
    expect(svg).toBe(grafici);
    const doc = await amb.api<{ totale: { accessi: number; persone: number; prese_in_carico: number }; tabelle: { id: string; righe: { categoria: string; accessi: unknown }[] }[] }>(PAGINA.replace('/analisi', '/api/analisi'));
    expect(doc.totale.accessi).toBeGreaterThan(0);
    const testo = await amb.page.locator('#totali').innerText();
    expect(testo.replace(/\./g, '')).toContain(String(doc.totale.accessi));
    expect(doc.totale.prese_in_carico).toBeGreaterThan(0);
    expect((await amb.page.locator('#totali-prese').innerText()).replace(/\./g, '')).toContain(String(doc.totale.prese_in_carico));
    for (const t of doc.tabelle) {
      const righe = await amb.page.locator(`#tabella-${t.id} tbody tr`).count();
      expect([t.id, righe]).toEqual([t.id, Math.max(1, t.righe.length)]);
    }
    expect(await accessibilita(amb)).toEqual([]);
    await fotografa(amb, 'udp-ripartizioni.png');
    const { pagine, largo } = await stampa(amb, 'udp-ripartizioni.pdf');
    expect(largo).toBe(false);
    expect(pagine).toBeGreaterThan(0);
    // Seven tables, each beside its chart: five A4 pages at most (four before the people taken in charge).
    expect(pagine).toBeLessThanOrEqual(5);
  });

  test("un operatore sul telefono (360 px): l'ambito per anno, niente dal/al, nulla più largo dello schermo", async () => {
    await amb.entraCome('assistente.sociale@demo.example');
    await amb.page.setViewportSize({ width: 360, height: 740 });
    await apri(amb, '/analisi/ripartizioni?anno=2025');
    expect(erroriVeri(amb.errori)).toEqual([]);
    expect(await amb.page.locator('#f-dal').count()).toBe(0);
    expect(await amb.page.locator('#f-comune').count()).toBe(0);
    const w = await amb.page.evaluate(() => document.documentElement.scrollWidth);
    expect(w).toBeLessThanOrEqual(360);
    await fotografa(amb, 'operatore-ripartizioni-360.png');
    const r = await amb.page.goto(`${amb.base}/analisi/ripartizioni?dal=2025-01-01&al=2025-06-30`);
    expect(r?.status()).toBe(400);
    expect(await amb.page.content()).toContain('anno intero');
  });
});

/**
 * Small-count suppression (formerly riservatezza.test.ts): for a small comune, the account of
 * ANOTHER comune sees `<3` where the Ufficio di Piano sees 1 or 2 - in the page, the JSON twin
 * and the CSV - and no published total lets a suppressed cell be recovered, across the cluster
 * and the distretto views together. The comune's own account and the operatore's pages load
 * cleanly, match their API, draw their charts and pass axe-core.
 */
describe('riservatezza', () => {
  /** The smallest comune of the demo (its own demo account is comune.piccolo@demo.example). */
  const PICCOLO = '098033';

  beforeAll(async () => {
    // The desktop window of the other tests (the phone test above left 360 px).
    await amb.page.setViewportSize({ width: 1280, height: 900 });
  });

  const tabella = (d: Documento, id: string) => d.tabelle.find((t) => t.id === id)!;

  test("scheda di un piccolo comune: <3 per l'account di un altro comune dove l'UdP vede 1 o 2, in pagina, API e CSV", async () => {
    await amb.entraCome('udp@demo.example');
    const udp = await amb.api(`/api/comuni/${PICCOLO}`);
    await amb.entraCome('comune.lodi@demo.example');
    const lodi = await amb.api(`/api/comuni/${PICCOLO}`);
    const piccoli = tabella(udp, 'metriche').righe.filter((r) => typeof r.dichiarato === 'number' && r.dichiarato >= 1 && r.dichiarato <= 2);
    expect(piccoli.length).toBeGreaterThan(0);
    for (const r of piccoli) {
      const altra = tabella(lodi, 'metriche').righe.find((x) => x.codice_metrica === r.codice_metrica)!;
      expect([r.codice_metrica, altra.dichiarato]).toEqual([r.codice_metrica, '<3']);
      expect(altra.percentuale === 'riservato' || altra.percentuale === null).toBe(true);
    }
    // The page shows exactly that, and the CSV too.
    await apri(amb, `/comuni/${PICCOLO}`);
    expect(erroriVeri(amb.errori)).toEqual([]);
    expect(await confrontaConApi(amb, lodi)).toEqual([]);
    const metrica = String(piccoli[0].metrica);
    const rigaPagina = amb.page.locator('table[data-tabella="metriche"] tbody tr', { hasText: metrica }).first();
    expect(await rigaPagina.locator('td').nth(1).innerText()).toBe('<3');
    const csv = await amb.testo(`/api/comuni/${PICCOLO}?formato=csv&tabella=metriche`);
    expect(csv.text.split('\r\n').find((l) => l.startsWith(`${metrica};`))).toMatch(/^[^;]+;[^;]*;<3;/);
    expect(await accessibilita(amb)).toEqual([]);
    await fotografa(amb, 'altro-comune-scheda-piccolo.png');
    // The comune itself sees its own figures in full.
    await amb.entraCome('comune.piccolo@demo.example');
    const proprio = await amb.api(`/api/comuni/${PICCOLO}`);
    expect(tabella(proprio, 'metriche').righe.map((r) => r.dichiarato)).toEqual(tabella(udp, 'metriche').righe.map((r) => r.dichiarato));
  });

  test("sportello: i comuni piccoli sono <3 per l'altro comune, e nessun totale di cluster, distretto o ambito li rivela", async () => {
    const pagine = ['/api/sportello?anno=2025', '/api/sportello?anno=2025&vista=distretto'];
    await amb.entraCome('udp@demo.example');
    const [udpC, udpD] = [await amb.api(pagine[0]), await amb.api(pagine[1])];
    await amb.entraCome('comune.lodi@demo.example');
    const [altC, altD] = [await amb.api(pagine[0]), await amb.api(pagine[1])];

    const celle: Record<string, Pubblicato> = {};
    const rel: Relazione[] = [];
    for (const misura of ['accessi', 'nuovi_accessi']) {
      const membri = new Map<string, string[]>();
      for (const [vista, u, a] of [['cluster', udpC, altC], ['distretto', udpD, altD]] as const) {
        const ru = tabella(u, 'comuni').righe;
        const ra = tabella(a, 'comuni').righe;
        for (const r of ru) {
          const k = `${misura}|${r.codice_istat}`;
          const mostrato = ra.find((x) => x.codice_istat === r.codice_istat)![misura];
          // The same cell reads the same whatever the view.
          if (celle[k]) expect([k, celle[k].mostrato]).toEqual([k, mostrato]);
          celle[k] = { mostrato: mostrato as number | string, vero: r[misura] as number, noto: r.codice_istat === '098031' };
          const g = `${misura}|${vista}|${r[vista]}`;
          membri.set(g, [...(membri.get(g) ?? []), k]);
        }
        for (const [i, g] of tabella(u, 'gruppi').righe.entries()) {
          const nome = g.gruppo === 'Ambito' ? `${misura}|amb` : `${misura}|${vista}|${vista === 'cluster' ? String(g.gruppo).slice(8, 9) : String(g.gruppo).replace('Distretto di ', '')}`;
          celle[nome] = { mostrato: tabella(a, 'gruppi').righe[i][misura] as number | string, vero: g[misura] as number };
        }
      }
      for (const [g, m] of membri) rel.push({ t: g, p: m });
      rel.push({ t: `${misura}|amb`, p: [...membri.keys()].filter((g) => g.includes('|cluster|')) });
      rel.push({ t: `${misura}|amb`, p: [...membri.keys()].filter((g) => g.includes('|distretto|')) });
    }
    // Every 1-2 of another comune is <3 for Lodi's account...
    const piccoli = Object.entries(celle).filter(([k, c]) => !k.endsWith('098031') && k.split('|').length === 2 && c.vero >= 1 && c.vero <= 2);
    expect(piccoli.length).toBeGreaterThan(0);
    for (const [k, c] of piccoli) expect([k, c.mostrato]).toEqual([k, '<3']);
    // ...and nothing can be worked out from the totals of both views.
    expect(recuperabili(celle, rel)).toEqual([]);

    // In the page too, and in the CSV.
    await apri(amb, '/sportello?anno=2025');
    expect(erroriVeri(amb.errori)).toEqual([]);
    expect(await confrontaConApi(amb, altC)).toEqual([]);
    expect(await amb.page.locator('table[data-tabella="comuni"] td.soppressa', { hasText: '<3' }).count()).toBeGreaterThan(0);
    const csv = await amb.testo('/api/sportello?anno=2025&formato=csv&tabella=comuni');
    expect(csv.text.split('\r\n').filter((l) => l.includes(';<3;')).length).toBe(new Set(piccoli.map(([k]) => k.split('|')[1])).size);
    expect(await accessibilita(amb)).toEqual([]);
    await fotografa(amb, 'altro-comune-sportello.png');
  });

  describe.each([
    ['comune.lodi@demo.example', '/comuni/098031?anno=2025', '/api/comuni/098031?anno=2025'],
    ['comune.lodi@demo.example', '/qualita', '/api/qualita'],
    ['comune.piccolo@demo.example', '/', '/api/panoramica'],
    ['comune.piccolo@demo.example', '/economici?anno=2025', '/api/economici?anno=2025'],
    ['assistente.sociale@demo.example', '/sociali?anno=2025&distretto=Lodi&vista=distretto', '/api/sociali?anno=2025&distretto=Lodi&vista=distretto'],
    ['assistente.sociale@demo.example', '/mese', '/api/mese'],
  ])('%s %s', (email, pagina, api) => {
    test('senza errori, cifre uguali all\'API, grafici SVG, accessibile, stampabile su A4', async () => {
      await amb.entraCome(email);
      const { grafici, svg } = await apri(amb, pagina);
      expect(erroriVeri(amb.errori)).toEqual([]);
      expect(svg).toBe(grafici);
      expect(await confrontaConApi(amb, await amb.api(api))).toEqual([]);
      expect(await accessibilita(amb)).toEqual([]);
      const nome = `${email.split('@')[0]}-${pagina.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'panoramica'}`;
      await fotografa(amb, `${nome}.png`);
      const { largo, pagine } = await stampa(amb, `${nome}.pdf`);
      expect(largo).toBe(false);
      expect(pagine).toBeLessThanOrEqual(pagina.startsWith('/comuni/') ? 2 : 6);
    });
  });
});
