/**
 * A reminder as the comune receives it: through a real SMTP server, parsed with mailparser
 * (HTML and plain-text parts, Italian characters, absolute links with BASE_URL, no personal
 * data), then rendered in Chromium and saved as a screenshot in test-artifacts/.
 * Chromium: CHROMIUM_PATH or /usr/bin/chromium; REQUIRE_BROWSER=1 makes its absence a failure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { runJob } from '../../jobs';
import { describeDb, truncateAll } from '../support/db';
import { BASE_URL, mailContext, Ricevuto, startSmtp, TestSmtp } from '../posta/support';
import { comuniConContatti, importaCensimento, importaSiz, riconcilia, SANTANGELO, scadenza } from './piano';

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');

function findChromium(): string | null {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (c && fs.existsSync(c)) return c;
  return null;
}

const CF_RE = /[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]/;

describeDb('e-mail di promemoria', (get) => {
  let smtp: TestSmtp;
  let ctx: ReturnType<typeof mailContext>;
  let mail: Ricevuto;

  beforeAll(async () => {
    smtp = await startSmtp(() => ctx.clock.today());
    const db = get();
    await truncateAll(db);
    ctx = mailContext(db, { smtpUrl: smtp.url });
    ctx.clock.day('2026-05-29');
    await comuniConContatti(db);
    await importaCensimento(db, '2026-03-01', { [SANTANGELO]: 40 });
    await importaSiz(db, '2026-05-28', { [SANTANGELO]: 23 });
    await riconcilia(ctx, '2026-05-29');
    // Deadline Tue 30 June: -30 is Sun 31 May, moved to Mon 1 June.
    await scadenza(db, { codice_istat: SANTANGELO, tipo: 'caricamento', data_scadenza: '2026-06-30', descrizione: 'Completare il caricamento: priorità alle cartelle più vecchie, però senza trascurare le nuove' });
    ctx.clock.day('2026-06-01');
    await runJob(ctx, 'promemoria', { oggi: '2026-06-01' });
    await smtp.waitFor(1);
    mail = smtp.received[0];
  });
  afterAll(async () => {
    await smtp.stop();
  });

  test('one multipart/alternative message with a plain-text and an HTML part, in Italian', () => {
    expect(smtp.received).toHaveLength(1);
    expect(mail.to).toBe('sociale@comune.santangelo.example');
    expect(mail.from).toBe('"Ufficio di Piano" <udp@ambito-lodi.example>');
    expect(mail.subject).toBe("Promemoria: scadenza del 30/06/2026 tra 29 giorni – Comune di Sant'Angelo Lodigiano");
    expect(String((mail.headers.get('content-type') as { value: string }).value)).toBe('multipart/alternative');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    // 23 of 40 = 57.5%; to reach 80%: ceil(32) - 23 = 9.
    const frase = "Comune di Sant'Angelo Lodigiano: il 57,5% delle cartelle dichiarate è in SIZ (23 su 40); ne mancano 9 per raggiungere l'obiettivo (80%) entro il 30 giugno 2026.";
    expect(mail.text).toContain(frase);
    expect(mail.text).toContain('priorità alle cartelle più vecchie, però senza trascurare le nuove');
    expect(mail.text).toContain('Caricamento delle cartelle in SIZ: scadenza il 30 giugno 2026 (mancano 29 giorni alla scadenza).');
    expect(mail.text).not.toMatch(/&#x27;|&amp;|&quot;/); // the text part is not HTML-escaped
    expect(mail.html).toContain('<html lang="it">');
    expect(mail.html).toContain('charset="utf-8"');
    expect(mail.html).toContain('priorità alle cartelle più vecchie, però');
    expect(mail.html).toContain('57,5%');
  });

  test('every link is absolute, on BASE_URL: the scorecard and the signed presa-visione link', () => {
    const hrefs = [...mail.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBe(2);
    for (const h of hrefs) expect(h.startsWith(`${BASE_URL}/`)).toBe(true);
    expect(hrefs[0]).toBe(`${BASE_URL}/comuni/${SANTANGELO}`);
    expect(hrefs[1]).toMatch(new RegExp(`^${BASE_URL}/presa-visione/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$`));
    const urls = mail.text.match(/https?:\/\/\S+/g) ?? [];
    expect(urls).toEqual(hrefs);
  });

  test('no personal data of assisted people: no codice fiscale, no cartella id', () => {
    for (const part of [mail.text, mail.html, mail.subject]) {
      expect(part).not.toMatch(CF_RE);
      expect(part).not.toMatch(/C098047-\d+/);
    }
  });

  const executable = findChromium();
  if (!executable && process.env.REQUIRE_BROWSER === '1') {
    test('Chromium è richiesto (REQUIRE_BROWSER=1) ma non è installato', () => {
      expect(findChromium()).not.toBeNull();
    });
  }
  if (executable) {
    test('rendered in Chromium: screenshot saved in test-artifacts/', async () => {
      const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-chromium-'));
      const browser = await chromium.launchPersistentContext(userDataDir, {
        executablePath: executable,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 720, height: 900 },
      });
      try {
        const page = await browser.newPage();
        // Offline: the e-mail must not need anything from the network to render.
        await page.route('**/*', (route) => route.abort());
        await page.setContent(mail.html, { waitUntil: 'load' });
        const visible = await page.innerText('body');
        expect(visible).toContain("Comune di Sant'Angelo Lodigiano");
        expect(visible).toContain('Apri la scheda del comune');
        expect(visible).toContain('Conferma la presa visione');
        expect(visible).toContain('57,5%');
        // The 600px layout fits the viewport: no horizontal scrolling.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(720);
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        const file = path.join(ARTIFACTS, 'promemoria.png');
        await page.screenshot({ path: file, fullPage: true });
        fs.writeFileSync(path.join(ARTIFACTS, 'promemoria.txt'), mail.text);
        const png = fs.readFileSync(file);
        expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
        expect(png.length).toBeGreaterThan(10_000);
      } finally {
        await browser.close();
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    });
  }
});
