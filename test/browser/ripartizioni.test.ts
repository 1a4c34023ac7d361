/**
 * /analisi/ripartizioni in Chromium on the demo ambito: as the Ufficio di Piano over five years
 * (charts drawn as SVG, no console errors, no serious accessibility violation, the page's
 * figures are those of its API, A4 print within width); as an operatore, the ambito only, on a
 * 360 px phone. Screenshots and PDFs go to test-artifacts/.
 */
import { accessibilita, apri, avvia, Ambiente, erroriVeri, fotografa, stampa } from './support';

jest.setTimeout(240_000);

let amb: Ambiente;

beforeAll(async () => {
  amb = await avvia();
}, 600_000);

afterAll(async () => {
  await amb?.chiudi();
});

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
