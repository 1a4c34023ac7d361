/**
 * The office runs the service from the browser (issue 16), in Chromium on the demo ambito:
 * uploads with their dry run (a SIZ ZIP, a malformed census, an XLSX census) and the history;
 * the comuni's accounts created in bulk, the invitation read from a real SMTP server and
 * followed; a password reset by e-mail that ends the old sessions; "Esegui ora" on a job.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { avvia, Ambiente, erroriVeri } from './support';
import { startSmtp, TestSmtp } from '../posta/support';
import { zip } from '../support/zip';
import { csv } from '../support/files';
import { CF } from '../support/fixtures';
import { excel } from '../../server/shared/excel';
import { registerFeatures } from '../../server/features';
import { attendiCaricamenti } from '../../server/caricamenti/service';
import { attendiConsegne } from '../../server/account/inviti';
import { attendiEseguiOra } from '../../server/jobs-web/esegui';

jest.setTimeout(240_000);

let amb: Ambiente;
let smtp: TestSmtp;
let tmp: string;

beforeAll(async () => {
  registerFeatures(); // the after-import chain, as in the server (the demo template may come from cache)
  smtp = await startSmtp();
  amb = await avvia({ env: { SMTP_URL: smtp.url } });
  await amb.entraCome('udp@demo.example');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-ufficio-'));
}, 600_000);

afterAll(async () => {
  if (amb) {
    await attendiCaricamenti(amb.ctx);
    await attendiConsegne(amb.ctx);
    await attendiEseguiOra(amb.ctx);
    await amb.chiudi();
  }
  await smtp?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const linkIn = (text: string) => /https?:\/\/[^\s]+(\/account\/imposta\/[A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;

async function carica(file: string | string[], tipo: string): Promise<void> {
  const p = amb.page;
  await p.goto(`${amb.base}/caricamenti/${tipo}`);
  await p.setInputFiles('#file', file);
  await p.getByRole('button', { name: 'Verifica' }).click();
  await p.waitForURL(/\/caricamento\/\d+$/);
  // The page follows the dry run by itself (static/attendi.js) until it is done.
  await p.waitForSelector('text=/Verifica superata|Problemi trovati/', { timeout: 120_000 });
}

test('SIZ as a ZIP: the dry run shows the counts, "Carica" changes the figures on the pages', async () => {
  const righe = [['id_cartella', 'codice_istat', 'data_apertura']];
  const membri = [['id_cartella', 'codice_fiscale']];
  for (let i = 1; i <= 7; i++) {
    righe.push([`Z${i}`, '098031', '2010-01-15']); // open at any census date of the demo
    membri.push([`Z${i}`, [CF.mario, CF.anna, CF.luca, CF.nonna][i % 4]]);
  }
  const f = path.join(tmp, 'estrazione.zip');
  fs.writeFileSync(f, zip([{ nome: 'siz/cartelle.csv', dati: csv(righe) }, { nome: 'siz/membri.csv', dati: csv(membri) }, { nome: 'siz/estrazione.txt', dati: '2026-11-20\n' }]));
  const prima = await amb.ctx.db.knex('cartelle').count('* as n');
  await amb.page.goto(`${amb.base}/comuni/098031`);
  const paginaPrima = await amb.page.locator('main').textContent();
  const apiPrima = JSON.stringify(await amb.api('/api/comuni/098031'));
  await carica(f, 'siz');
  const anteprima = amb.page.locator('#anteprima-tabelle');
  await expect(anteprima.locator('tr', { hasText: 'Cartelle' }).first().locator('td').nth(1).textContent()).resolves.toBe('7');
  expect(await amb.ctx.db.knex('cartelle').count('* as n')).toEqual(prima); // nothing yet
  // 7 cartelle against the demo's thousands: the loss is shown and must be confirmed.
  await expect(amb.page.locator('#calo').textContent()).resolves.toMatch(/cartelle\.csv:\d+:0: il file finisce qui con 7 righe di dati/);
  await amb.page.getByRole('button', { name: 'Carica' }).click(); // unticked: the browser asks for the tick, nothing is sent
  expect(amb.page.url()).toMatch(/\/caricamento\/\d+$/);
  await expect(amb.page.locator('#stato-caricamento').textContent()).resolves.toMatch(/verificat/);
  await amb.page.locator('label[for="conferma_calo"]').click(); // as a person does: the design system draws the box on the label
  expect(await amb.page.locator('#conferma_calo').isChecked()).toBe(true);
  await amb.page.getByRole('button', { name: 'Carica' }).click();
  await amb.page.waitForSelector('.callout-title:text("Caricato")', { timeout: 180_000 });
  await expect(amb.page.locator('.callout.success').textContent()).resolves.toMatch(/Riconciliazione n\. \d+/); // the after-import chain ran
  expect(await amb.ctx.db.knex('cartelle').count('* as n')).toEqual([{ n: 7 }]);
  const run = await amb.ctx.db.knex('riconciliazione_comuni as r').join('riconciliazioni as x', 'x.id', 'r.riconciliazione_id').where('r.codice_istat', '098031').orderBy('x.id', 'desc').first('r.cartelle_attive_siz');
  expect(run.cartelle_attive_siz).toBe(7);
  // The scorecard of Lodi shows the new extract: its page and its API twin changed, 7 cartelle in SIZ.
  await amb.page.goto(`${amb.base}/comuni/098031`);
  expect(await amb.page.locator('main').textContent()).not.toEqual(paginaPrima);
  const apiDopo = JSON.stringify(await amb.api('/api/comuni/098031'));
  expect(apiDopo).not.toEqual(apiPrima);
  expect(apiDopo).toMatch(/"siz":7[,}]/);
  expect(erroriVeri(amb.errori)).toEqual([]);
});

test('a malformed census: every file:line:column listed, nothing changes', async () => {
  const prima = await amb.ctx.db.knex('censimento').count('* as n');
  const f = path.join(tmp, 'censimento-errato.csv');
  fs.writeFileSync(f, csv([['codice_istat', 'data_riferimento', 'cartelle_attive'], ['098031', '2026-13-01', 5], ['098010', '2026-06-30', '-2']]));
  await carica(f, 'censimento');
  const righe = await amb.page.locator('#problemi tbody tr').allTextContents();
  expect(righe.length).toBe(2);
  expect(righe[0]).toMatch(/^censimento-errato\.csv22data_riferimento: data inesistente/);
  expect(righe[1]).toMatch(/^censimento-errato\.csv33cartelle_attive/);
  expect(await amb.ctx.db.knex('censimento').count('* as n')).toEqual(prima);
});

test('an XLSX census: verified, then loaded', async () => {
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet('Censimento');
  ws.addRow(['codice_istat', 'data_riferimento', 'cartelle_attive']);
  ws.addRow(['098031', '2026-10-31', 14]);
  const f = path.join(tmp, 'censimento.xlsx');
  await wb.xlsx.writeFile(f);
  await carica(f, 'censimento');
  await expect(amb.page.locator('#anteprima-digitalizzazione tbody tr').first().textContent()).resolves.toMatch(/Lodi\s*.*14.*50%/);
  await amb.page.getByRole('button', { name: 'Carica' }).click();
  await amb.page.waitForSelector('.callout-title:text("Caricato")', { timeout: 120_000 });
  expect(await amb.ctx.db.knex('censimento').where({ codice_istat: '098031', data_riferimento: '2026-10-31' }).first('cartelle_attive')).toEqual({ cartelle_attive: 14 });
});

test('the history shows all three, with who, how and the problems', async () => {
  await amb.page.goto(`${amb.base}/importazioni`);
  const righe = (await amb.page.locator('#storico tbody tr').allTextContents()).map((r) => r.replace(/\s+/g, ' '));
  const web = righe.filter((r) => r.includes('udp@demo.example'));
  expect(web.length).toBe(3);
  expect(web[0]).toMatch(/udp@demo\.example web Censimento censimento\.xlsx [0-9a-f]{12} 1 – importata/);
  expect(web[1]).toMatch(/udp@demo\.example web Censimento censimento-errato\.csv [0-9a-f]{12} – – rifiutata 2 problemi · CSV/);
  expect(web[2]).toMatch(/udp@demo\.example web Estrazione SIZ cartelle\.csv [0-9a-f]{12} ?membri\.csv [0-9a-f]{12} 14 20\/11\/2026 importata/);
  expect(righe.some((r) => /demo/.test(r))).toBe(true); // the demo's own imports are there too
});

test('bulk-create the comuni\'s accounts: the invitation arrives, the person sets a password and lands on the comune\'s page', async () => {
  const p = amb.page;
  await p.goto(`${amb.base}/utenti-comuni`);
  const scelta = await p.locator('input[name="scelti"]').first().getAttribute('value');
  const [istat, email] = scelta!.split('|');
  await p.getByRole('button', { name: /Crea gli account scelti/ }).click();
  await expect(p.locator('#esito').textContent()).resolves.toMatch(/Account dei comuni creati: \d+/);
  await attendiConsegne(amb.ctx);
  const deadline = Date.now() + 60_000;
  while (!smtp.received.some((m) => m.to === email) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const invito = smtp.received.find((m) => m.to === email)!;
  const link = linkIn(invito.text)!;
  await amb.context.clearCookies();
  await p.goto(amb.base + link);
  await p.fill('#nuova', 'una frase tutta mia 2026');
  await p.fill('#conferma', 'una frase tutta mia 2026');
  await p.getByRole('button', { name: /Salva la password/ }).click();
  await p.waitForURL(`${amb.base}/comuni/${istat}`);
  await expect(p.locator('header').textContent()).resolves.toContain(email);
});

test('a password reset by e-mail ends the old sessions', async () => {
  // The old session: another profile of the same browser, its own cookies.
  const vecchio = await amb.browser.newContext();
  try {
    const altra = await vecchio.newPage();
    await altra.goto(`${amb.base}/login`);
    await altra.fill('#email', 'comune.lodi@demo.example');
    await altra.fill('#password', 'demo-lodi-2026');
    await altra.getByRole('button', { name: 'Accedi' }).click();
    await altra.waitForURL(`${amb.base}/`);

    const p = amb.page;
    await amb.context.clearCookies();
    await p.goto(`${amb.base}/login`);
    await p.getByRole('link', { name: 'Password dimenticata?' }).click();
    await p.fill('#email', 'comune.lodi@demo.example');
    await p.getByRole('button', { name: 'Mandami il link' }).click();
    await expect(p.locator('.alert-success').textContent()).resolves.toContain("Se l'indirizzo corrisponde a un account attivo");
    await attendiConsegne(amb.ctx);
    const deadline = Date.now() + 60_000;
    while (!smtp.received.some((m) => m.to === 'comune.lodi@demo.example') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const link = linkIn(smtp.received.find((m) => m.to === 'comune.lodi@demo.example')!.text)!;
    await p.goto(amb.base + link);
    await p.fill('#nuova', 'nuova frase del comune di Lodi');
    await p.fill('#conferma', 'nuova frase del comune di Lodi');
    await p.getByRole('button', { name: /Salva la password/ }).click();
    await p.waitForURL(`${amb.base}/comuni/098031`);
    await altra.goto(`${amb.base}/`);
    expect(altra.url()).toMatch(/\/login/);
  } finally {
    await vecchio.close();
  }
});

test('"Esegui ora" on a job: shown running, then its result', async () => {
  await amb.entraCome('udp@demo.example');
  const p = amb.page;
  await p.goto(`${amb.base}/job`);
  await p.getByRole('button', { name: 'Esegui ora qualita' }).click();
  await p.waitForURL(/\/job\?esecuzione=\d+/);
  await p.waitForSelector('#esecuzione-seguita .badge:text("riuscito")', { timeout: 180_000 });
  await expect(p.locator('#esecuzione-seguita').textContent()).resolves.toMatch(/Controlli di qualità/);
  expect(erroriVeri(amb.errori)).toEqual([]);
});
