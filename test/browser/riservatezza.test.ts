/**
 * Small-count suppression in Chromium with the demo ambito: for a small comune, the account of
 * ANOTHER comune sees `<3` where the Ufficio di Piano sees 1 or 2 - in the page, the JSON twin
 * and the CSV - and no published total lets a suppressed cell be recovered, across the cluster
 * and the distretto views together. The comune's own account and the operatore's pages load
 * cleanly, match their API, draw their charts and pass axe-core.
 */
import { accessibilita, apri, avvia, Ambiente, confrontaConApi, erroriVeri, fotografa, stampa } from './support';
import type { Documento } from '../../server/cruscotto/documento';
import { Pubblicato, recuperabili, Relazione } from '../cruscotto/attaccante';

jest.setTimeout(240_000);

let amb: Ambiente;
/** The smallest comune of the demo (its own demo account is comune.piccolo@demo.example). */
const PICCOLO = '098033';

beforeAll(async () => {
  amb = await avvia();
}, 600_000);

afterAll(async () => {
  await amb?.chiudi();
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
