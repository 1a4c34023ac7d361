/**
 * A whole census round in Chromium on the demo ambito, with a real SMTP server (issue 19's
 * acceptance): the office opens a round for three comuni and the invitations arrive; Lodi saves
 * a draft, then submits with one plausibility warning shown; a second comune answers with the
 * XLSX sheet (uploaded by the office); the third does nothing and gets the reminder on the
 * expected working day; the board shows their states; the scorecard shows the new
 * digitalization; an amendment before the deadline replaces the declaration and keeps the
 * history. Screenshots of each screen go to test-artifacts/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { accessibilita, avvia, Ambiente, erroriVeri, fotografa } from './support';
import { startSmtp, TestSmtp } from '../posta/support';
import { excel } from '../../server/shared/excel';
import { registerFeatures } from '../../server/features';
import { attendiCaricamenti } from '../../server/caricamenti/service';
import { attendiConsegne } from '../../server/account/inviti';
import { attendiRiconciliazione } from '../../server/censimento/riconcilia';
import { avvisi, Figure } from '../../server/censimento/regole';
import { runPromemoria } from '../../server/promemoria/service';
import { DEMO_LODI } from '../../server/auth/demo';

jest.setTimeout(240_000);

const E = '2026-10-31';
const SCADENZA = '2026-12-28'; // Monday: the 30-day reminder falls on Saturday 28 November, so it goes on Monday 30
let amb: Ambiente;
let smtp: TestSmtp;
let tmp: string;
let piccolo: { codice_istat: string; nome: string };
let terzo: { codice_istat: string; nome: string };
let giro = 0;
const indirizzo = (istat: string) => `censimento.${istat}@comuni.test`;

beforeAll(async () => {
  registerFeatures(); // the after-import steps, as in the server (the demo template may come from cache)
  smtp = await startSmtp();
  amb = await avvia({ env: { SMTP_URL: smtp.url, BASE_URL: 'http://cruscotto.example' } });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-censimento-'));
  const k = amb.ctx.db.knex;
  const u = await k('utenti').where({ email: 'comune.piccolo@demo.example' }).first('codice_istat');
  piccolo = await k('comuni').where({ codice_istat: u.codice_istat }).first('codice_istat', 'nome');
  terzo = await k('comuni').where({ attivo: true }).whereNotIn('codice_istat', [DEMO_LODI, piccolo.codice_istat]).orderBy('popolazione', 'desc').first('codice_istat', 'nome');
  for (const c of [DEMO_LODI, piccolo.codice_istat, terzo.codice_istat]) await k('comuni').where({ codice_istat: c }).update({ email_ufficio: indirizzo(c) });
  // The demo's own census is older than this round.
  expect(((await k('censimento').max('data_riferimento as d').first()) as { d: string }).d < E).toBe(true);
}, 600_000);

afterAll(async () => {
  if (amb) {
    await attendiRiconciliazione(amb.ctx);
    await attendiCaricamenti(amb.ctx);
    await attendiConsegne(amb.ctx);
    await amb.chiudi();
  }
  await smtp?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('1. the office opens a round for three comuni; the invitations arrive', async () => {
  await amb.entraCome('udp@demo.example');
  const p = amb.page;
  await p.goto(`${amb.base}/censimento`);
  await p.fill('#g-rif', E);
  await p.fill('#g-scad', SCADENZA);
  await p.fill('#g-msg', 'Quest\'anno il censimento si compila online.');
  // The design system draws the box over its label: a person clicks the label.
  for (const c of [DEMO_LODI, piccolo.codice_istat, terzo.codice_istat]) await p.click(`label[for="g-c-${c}"]`);
  for (const c of [DEMO_LODI, piccolo.codice_istat, terzo.codice_istat]) expect(await p.isChecked(`#g-c-${c}`)).toBe(true);
  await fotografa(amb, 'censimento-1-apertura.png', { sempre: true });
  expect(await accessibilita(amb)).toEqual([]);
  await p.click('#apri-censimento');
  await p.waitForURL(/\/censimento\/giri\/\d+/);
  giro = Number(/giri\/(\d+)/.exec(p.url())![1]);
  await expect(p.locator('#esito').textContent()).resolves.toBe('Censimento aperto: 3 inviti in uscita.');
  await attendiConsegne(amb.ctx);
  await smtp.waitFor(3);
  const inviti = smtp.received.filter((m) => m.subject === 'Censimento delle cartelle sociali al 31 ottobre 2026: rispondere entro il 28 dicembre 2026');
  expect(inviti.map((m) => m.to).sort()).toEqual([DEMO_LODI, piccolo.codice_istat, terzo.codice_istat].map(indirizzo).sort());
  const lodi = inviti.find((m) => m.to === indirizzo(DEMO_LODI))!;
  expect(lodi.text).toContain('http://cruscotto.example/censimento/comuni/098031');
  expect(lodi.text).toContain("Quest'anno il censimento si compila online.");
  expect(lodi.text).not.toMatch(/[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]/); // no codice fiscale
  expect(erroriVeri(amb.errori)).toEqual([]);
});

let dichiarate = 0;

test('2. Lodi saves a draft, then submits with one plausibility warning shown', async () => {
  await amb.entraCome('comune.lodi@demo.example');
  const p = amb.page;
  await p.goto(`${amb.base}/censimento/comuni/${DEMO_LODI}`);
  await expect(p.locator('#stato-dichiarazione').textContent()).resolves.toContain('Da compilare');
  await expect(p.locator('#aiuto-cartelle_attive').textContent()).resolves.toContain('una cartella di un singolo beneficiario conta 1 cartella');
  const mod = await amb.api<{ siz: Figure; precedente: Partial<Figure> | null; intervallo_ambito: { min: number; max: number } | null }>(`/api/censimento/comuni/${DEMO_LODI}`);
  const siz = mod.siz.cartelle_attive!;
  expect(siz).toBeGreaterThan(10);
  await p.fill('#f-cartelle_attive', String(siz + 5));
  await p.click('#salva-bozza');
  await expect(p.locator('#esito').textContent()).resolves.toBe('Bozza salvata: non è ancora inviata.');
  await expect(p.locator('#stato-dichiarazione').textContent()).resolves.toContain('Bozza');
  // Only the active cartelle, the others left empty (not known); a value giving exactly one
  // warning: just below the SIZ count, or the SIZ count itself when the previous round (the
  // demo's, years ago) is far enough for the change to warn too.
  const vuote = { cartelle_attive_tutela: null, utenti_in_carico: null, utenti_in_carico_tutela: null, cartelle_aperte_periodo: null, utenti_nuovi_periodo: null, cartelle_chiuse_periodo: null, utenti_senza_cartella_periodo: null };
  const rif = { siz: mod.siz, precedente: mod.precedente, intervallo: mod.intervallo_ambito };
  dichiarate = [siz - 1, siz].find((c) => avvisi({ cartelle_attive: c, ...vuote }, rif).length === 1)!;
  const attesi = avvisi({ cartelle_attive: dichiarate, ...vuote }, rif);
  expect(attesi.length).toBe(1);
  await p.fill('#f-cartelle_attive', String(dichiarate));
  await p.click('#invia');
  await p.waitForSelector('#avvisi');
  const mostrati = await p.locator('#avvisi li').allTextContents();
  expect(mostrati).toEqual(attesi.map((a) => a.messaggio));
  expect(mostrati.length).toBe(1);
  await fotografa(amb, 'censimento-2-modulo-avviso.png', { sempre: true });
  expect(await accessibilita(amb)).toEqual([]);
  expect(await amb.ctx.db.knex('censimento').where({ codice_istat: DEMO_LODI, data_riferimento: E }).first('cartelle_attive', 'importazione_id')).toEqual({ cartelle_attive: dichiarate, importazione_id: null });
  expect(erroriVeri(amb.errori)).toEqual([]);
});

test('3. the second comune answers with the XLSX sheet, uploaded by the office', async () => {
  await amb.entraCome('udp@demo.example');
  const wb = new (excel().Workbook)();
  const ws = wb.addWorksheet('Censimento');
  ws.addRow(['codice_istat', 'data_riferimento', 'cartelle_attive', 'utenti_in_carico']);
  ws.addRow([piccolo.codice_istat, E, 9, 15]);
  const f = path.join(tmp, 'censimento.xlsx');
  await wb.xlsx.writeFile(f);
  const p = amb.page;
  await p.goto(`${amb.base}/caricamenti/censimento`);
  await p.setInputFiles('#file', f);
  await p.getByRole('button', { name: 'Verifica' }).click();
  await p.waitForURL(/\/caricamento\/\d+$/);
  await p.waitForSelector('text=/Verifica superata|Problemi trovati/', { timeout: 120_000 });
  await p.getByRole('button', { name: 'Carica' }).click();
  await p.waitForSelector('.callout-title:text("Caricato")', { timeout: 120_000 });
  const invio = await amb.ctx.db.knex('censimento_invii').where({ codice_istat: piccolo.codice_istat }).first('origine', 'cartelle_attive', 'utenti_in_carico');
  expect(invio).toEqual({ origine: 'importazione', cartelle_attive: 9, utenti_in_carico: 15 });
});

test('4. the third does nothing and receives the reminder on the expected working day (Monday 30 November), the others none', async () => {
  const ids = (await amb.ctx.db.knex('censimento_giri_comuni').where({ giro_id: giro }).pluck('scadenza_id')).map(Number);
  await runPromemoria(amb.ctx, { oggi: '2026-11-27' });
  expect(await amb.ctx.db.knex('posta').where({ tipo: 'promemoria' }).whereIn('scadenza_id', ids).count('* as n').first()).toEqual({ n: expect.anything() });
  expect(Number((await amb.ctx.db.knex('posta').where({ tipo: 'promemoria' }).whereIn('scadenza_id', ids).count('* as n').first())!.n)).toBe(0);
  const prima = smtp.received.length;
  await runPromemoria(amb.ctx, { oggi: '2026-11-30' });
  const righe = await amb.ctx.db.knex('posta').where({ tipo: 'promemoria' }).whereIn('scadenza_id', ids).select('destinatario', 'stato', 'codice_istat');
  expect(righe).toEqual([{ destinatario: indirizzo(terzo.codice_istat), stato: 'inviato', codice_istat: terzo.codice_istat }]);
  await smtp.waitFor(prima + 1);
  const arrivati = smtp.received.slice(prima).filter((m) => m.to === indirizzo(terzo.codice_istat) && m.text.includes('censimento'));
  expect(arrivati.length).toBe(1);
  expect(arrivati[0].text).toContain(`Modulo del censimento (dopo l'accesso): http://cruscotto.example/censimento/comuni/${terzo.codice_istat}`);
  expect(smtp.received.slice(prima).some((m) => m.to === indirizzo(DEMO_LODI) && m.text.includes('Restituzione del censimento'))).toBe(false);
});

test('5. the board shows the three comuni\'s states; 6. the scorecard shows the new digitalization', async () => {
  await attendiRiconciliazione(amb.ctx);
  await amb.entraCome('udp@demo.example');
  const p = amb.page;
  await p.goto(`${amb.base}/censimento/giri/${giro}`);
  const stato = async (istat: string) => (await p.locator(`#tabellone tr[data-istat="${istat}"] [data-stato]`).getAttribute('data-stato'));
  expect([await stato(DEMO_LODI), await stato(piccolo.codice_istat), await stato(terzo.codice_istat)]).toEqual(['inviato', 'inviato', 'non_aperto']);
  await expect(p.locator(`#tabellone tr[data-istat="${piccolo.codice_istat}"]`).textContent()).resolves.toContain('foglio Excel');
  await expect(p.locator(`#tabellone tr[data-istat="${DEMO_LODI}"] li`).count()).resolves.toBe(1);
  await fotografa(amb, 'censimento-3-tabellone.png', { sempre: true });
  expect(await accessibilita(amb)).toEqual([]);
  const board = await amb.api<{ comuni: { codice_istat: string; siz: number; digit_nuova: number }[] }>(`/api/censimento/giri/${giro}`);
  const riga = board.comuni.find((c) => c.codice_istat === DEMO_LODI)!;
  const atteso = Math.round((riga.siz / dichiarate) * 10000) / 100;
  expect(riga.digit_nuova).toBe(atteso);
  expect(atteso).toBeGreaterThanOrEqual(100);
  // The scorecard reads the reconciliation that ran after the submissions (once, debounced).
  const scheda = JSON.stringify(await amb.api(`/api/comuni/${DEMO_LODI}`));
  expect(scheda).toMatch(new RegExp(`"chiave":"digit_tot"[^}]*"valore":${atteso}[,}]`));
  const rc = await amb.ctx.db.knex('riconciliazione_comuni as rc').join('riconciliazioni as r', 'r.id', 'rc.riconciliazione_id').where({ 'rc.codice_istat': DEMO_LODI }).orderBy('r.id', 'desc').first('rc.cartelle_attive_dich', 'rc.data_conteggio');
  expect([rc.cartelle_attive_dich, rc.data_conteggio]).toEqual([dichiarate, E]);
});

test('7. an amendment before the deadline replaces the declaration and keeps the history', async () => {
  await amb.entraCome('comune.lodi@demo.example');
  const p = amb.page;
  await p.goto(`${amb.base}/censimento/comuni/${DEMO_LODI}`);
  await expect(p.locator('#invia').textContent()).resolves.toBe('Invia la correzione');
  const nuove = dichiarate + 40;
  await p.fill('#f-cartelle_attive', String(nuove));
  await p.click('#invia');
  await p.waitForLoadState('load');
  expect(await amb.ctx.db.knex('censimento').where({ codice_istat: DEMO_LODI, data_riferimento: E }).first('cartelle_attive')).toEqual({ cartelle_attive: nuove });
  await p.goto(`${amb.base}/censimento/comuni/${DEMO_LODI}/storico`);
  const invii = await p.locator('#invii tbody tr').allTextContents();
  expect(invii.length).toBe(2);
  expect(invii[0]).toContain('comune.lodi@demo.example');
  await fotografa(amb, 'censimento-4-storico.png', { sempre: true });
  expect(erroriVeri(amb.errori)).toEqual([]);
});

test('8. account review: Lodi asks for a new account, the office approves it in its list, the invitation arrives', async () => {
  await amb.entraCome('comune.lodi@demo.example');
  const p = amb.page;
  await p.goto(`${amb.base}/credenziali/${DEMO_LODI}`);
  await expect(p.locator('#account').textContent()).resolves.toContain('comune.lodi@demo.example');
  await p.fill('#n-email', 'nuova.responsabile@comune.lodi.test');
  await p.click('#chiedi-account');
  await expect(p.locator('#esito').textContent()).resolves.toBe("Richiesta di un nuovo account per nuova.responsabile@comune.lodi.test inviata all'Ufficio di Piano.");
  await fotografa(amb, 'censimento-5-credenziali-comune.png', { sempre: true });
  expect(await accessibilita(amb)).toEqual([]);
  await amb.entraCome('udp@demo.example');
  await p.goto(`${amb.base}/credenziali`);
  const riga = p.locator('#richieste tbody tr', { hasText: 'nuova.responsabile@comune.lodi.test' });
  await fotografa(amb, 'censimento-6-credenziali-ufficio.png', { sempre: true });
  const prima = smtp.received.length;
  await riga.getByRole('button', { name: /Approva/ }).click();
  await expect(p.locator('#esito').textContent()).resolves.toBe('Account nuova.responsabile@comune.lodi.test creato: invito mandato.');
  await attendiConsegne(amb.ctx);
  await smtp.waitFor(prima + 1);
  const invito = smtp.received.slice(prima).find((m) => m.to === 'nuova.responsabile@comune.lodi.test')!;
  expect(invito.subject).toBe('Il tuo account del Cruscotto Digitalizzazione');
  expect(erroriVeri(amb.errori)).toEqual([]);
});
