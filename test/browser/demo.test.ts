/**
 * The demo in Chromium (issue 20): with two years of monthly history the overview shows a
 * forecast date for some comuni, and a comune's page shows it with its trend; the demo
 * operatore's list of alarms opens with a death ("Azione richiesta").
 */
import { apri, avvia, Ambiente, erroriVeri } from './support';
import { formatta } from '../../server/cruscotto/tabella';
import type { Documento } from '../../server/cruscotto/documento';

jest.setTimeout(240_000);

let amb: Ambiente;

beforeAll(async () => {
  amb = await avvia();
}, 900_000);

afterAll(async () => {
  await amb?.chiudi();
});

const celle = (sel: string) => amb.page.$$eval(`${sel} tbody tr`, (trs) => trs.map((tr) => Array.from(tr.children).map((c) => (c.textContent ?? '').replace(/\s+/g, ' ').trim())));

test('panoramica (Ufficio di Piano): la data prevista per l\'obiettivo è mostrata per almeno un comune', async () => {
  await amb.entraCome('udp@demo.example');
  await apri(amb, '/');
  expect(erroriVeri(amb.errori)).toEqual([]);
  const doc = await amb.api<Documento>('/api/panoramica');
  const tab = doc.tabelle.find((t) => t.id === 'comuni')!;
  const col = tab.colonne.findIndex((c) => c.chiave === 'previsione_obiettivo');
  const conData = tab.righe.filter((r) => typeof r.previsione_obiettivo === 'string' && /\d{4}/.test(r.previsione_obiettivo));
  expect(conData.length).toBeGreaterThan(0);
  const pagina = await celle('table[data-tabella="comuni"]');
  const mostrate = pagina.filter((r) => /\d{4}/.test(r[col]));
  expect(mostrate.map((r) => r[col])).toEqual(conData.map((r) => formatta(r.previsione_obiettivo as string, 'data')));
});

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
