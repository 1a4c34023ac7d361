/**
 * The monthly digest: its figures (month over month computed in SQL, small counts suppressed),
 * and its being held, with an `allerta` to the office instead, in each of the three conditions:
 * an old SIZ extract, a failed reconciliation, an unreliable import.
 */
import fs from 'node:fs';
import { runJob } from '../../jobs';
import { createUser } from '../../server/auth/utenti';
import { importSiz } from '../../server/importazione/siz';
import { meseRiepilogo, runRiepilogo } from '../../server/riepilogo/service';
import { runQualita } from '../../server/qualita/service';
import { latestReport } from '../../server/riconciliazione/service';
import { caricaContesto } from '../../server/cruscotto/contesto';
import { censimentoVisibile, digitGruppi } from '../../server/cruscotto/digitalizzazione';
import { visibilitaComune } from '../../server/cruscotto/nodi';
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { mailContext, startSmtp, TestSmtp } from '../posta/support';
import { ABBADIA, BREMBIO, cf, comuniConContatti, importaCensimento, LODI, riconcilia } from './piano';

type Cell = string | number | null;

/** A SIZ extract with the cartelle, accessi and erogazioni the digest counts. */
async function estrazione(db: Parameters<typeof importSiz>[0], data: string, opts: { senzaComune?: number; abbadia?: number } = {}): Promise<void> {
  const cartelle: Cell[][] = [['id_cartella', 'codice_istat', 'data_apertura', 'area_utenza', 'operatore_id']];
  const membri: Cell[][] = [['id_cartella', 'codice_fiscale', 'ruolo']];
  const accessi: Cell[][] = [['id_accesso', 'codice_fiscale', 'codice_istat', 'data_accesso', 'motivo_accesso', 'problema_riscontrato']];
  const prestazioni: Cell[][] = [['id_prestazione', 'codice_fiscale', 'codice_istat', 'codice_prestazione', 'data_erogazione', 'costo']];
  let p = 0;
  const cartella = (istat: string | null, apertura: string) => {
    p++;
    cartelle.push([`C${p}`, istat, apertura, 'adulti', 'OP1']);
    membri.push([`C${p}`, cf(p), 'titolare']);
  };
  const accesso = (istat: string, d: string) => {
    p++;
    accessi.push([`A${p}`, cf(p), istat, d, 'CONTRIBUTO ECONOMICO', "PRECARIETA' ECONOMICA"]);
  };
  const erogazione = (istat: string, d: string) => {
    p++;
    prestazioni.push([`P${p}`, cf(p), istat, 'A1.04', d, '100.00']);
  };
  // Lodi: 5 cartelle open since 2025 (in SIZ at the census date), 3 opened in September, 2 in October.
  for (let i = 0; i < 5; i++) cartella(LODI, '2025-03-01');
  for (let i = 0; i < 3; i++) cartella(LODI, '2026-09-10');
  for (let i = 0; i < 2; i++) cartella(LODI, '2026-10-05');
  for (let i = 0; i < 5; i++) accesso(LODI, '2026-10-12');
  for (let i = 0; i < 4; i++) accesso(LODI, '2026-09-30');
  accesso(LODI, '2026-08-31'); // outside both months
  for (let i = 0; i < 6; i++) erogazione(LODI, '2026-09-01');
  // Brembio: 2 cartelle, 1 accesso in October, 3 erogazioni in each month.
  for (let i = 0; i < 2; i++) cartella(BREMBIO, '2025-05-01');
  accesso(BREMBIO, '2026-10-31');
  for (let i = 0; i < 3; i++) erogazione(BREMBIO, '2026-10-01');
  for (let i = 0; i < 3; i++) erogazione(BREMBIO, '2026-09-15');
  for (let i = 0; i < (opts.senzaComune ?? 0); i++) cartella(null, '2025-03-01');
  for (let i = 0; i < (opts.abbadia ?? 0); i++) cartella(ABBADIA, '2025-03-01');
  const dir = tempFiles({
    'cartelle.csv': csv(cartelle),
    'membri.csv': csv(membri),
    'accessi.csv': csv(accessi),
    'prestazioni.csv': csv(prestazioni),
    'operatori.csv': csv([['operatore_id', 'nome', 'cognome'], ['OP1', 'Anna', 'Bianchi']]),
    'estrazione.txt': `${data}\n`,
  });
  try {
    await importSiz(db, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeDb('riepilogo mensile', (get) => {
  let smtp: TestSmtp;
  let ctx: ReturnType<typeof mailContext>;
  beforeAll(async () => {
    smtp = await startSmtp(() => ctx.clock.today());
  });
  afterAll(async () => {
    await smtp.stop();
  });

  /** A healthy ambito on 10 November 2026: fresh extract, reconciled, checked. */
  async function ambito(opts: { udp?: boolean } = { udp: true }): Promise<void> {
    const db = get();
    await truncateAll(db);
    smtp.received.length = 0;
    ctx = mailContext(db, { smtpUrl: smtp.url });
    ctx.clock.day('2026-11-10');
    await comuniConContatti(db);
    await importaCensimento(db, '2026-06-30', { [LODI]: 8, [BREMBIO]: 10 });
    await estrazione(db, '2026-11-05');
    await riconcilia(ctx, '2026-11-10');
    await runQualita(ctx, { oggi: '2026-11-10' });
    if (opts.udp) {
      await createUser(db, { email: 'Responsabile@UdP.example', ruolo: 'udp', password: 'password-lunga-di-prova-1' });
      await createUser(db, { email: 'analista@udp.example', ruolo: 'udp', password: 'password-lunga-di-prova-2' });
      await createUser(db, { email: 'sociale@comune.lodi.example', ruolo: 'comune', codice_istat: LODI, password: 'password-lunga-di-prova-3' });
    }
  }

  test('the month reported is the previous calendar month', () => {
    expect(meseRiepilogo('2026-11-10')).toEqual({ mese: '2026-10', m1: '2026-10-01', m2: '2026-11-01', p1: '2026-09-01' });
    expect(meseRiepilogo('2027-01-10')).toEqual({ mese: '2026-12', m1: '2026-12-01', m2: '2027-01-01', p1: '2026-11-01' });
    expect(meseRiepilogo('2027-02-10')).toEqual({ mese: '2027-01', m1: '2027-01-01', m2: '2027-02-01', p1: '2026-12-01' });
  });

  test("sent to each comune contact, with month-over-month figures, the comune's own counts in full; once per month", async () => {
    await ambito();
    const res = await runJob(ctx, 'riepilogo', { oggi: '2026-11-10' });
    expect(res.esito).toBe('ok');
    // Lodi has two contacts, Brembio and Sant'Angelo one each, Abbadia none.
    expect(smtp.received.map((m) => [m.to, m.subject]).sort()).toEqual([
      ['segreteria@comune.lodi.example', 'Riepilogo mensile di ottobre 2026 – Comune di Lodi'],
      ['servizi.sociali@comune.brembio.example', 'Riepilogo mensile di ottobre 2026 – Comune di Brembio'],
      ['sociale@comune.lodi.example', 'Riepilogo mensile di ottobre 2026 – Comune di Lodi'],
      ['sociale@comune.santangelo.example', "Riepilogo mensile di ottobre 2026 – Comune di Sant'Angelo Lodigiano"],
    ]);
    const lodi = smtp.received.find((m) => m.to === 'sociale@comune.lodi.example')!;
    // 5 of 8 declared = 62.5%; to reach 80%: ceil(6.4) - 5 = 2, written in full (own figures).
    expect(lodi.text).toContain('Cartelle sociali in SIZ rispetto a quelle dichiarate: 62,5% (obiettivo 80%; stato: in corso).');
    expect(lodi.text).toContain('Comuni dello stesso cluster (1): 62,5%.');
    expect(lodi.text).toContain("Cartelle mancanti all'obiettivo: 2.");
    expect(lodi.text).toContain('- Accessi allo sportello: 5 / 4 / +25%'); // (5 - 4) / 4
    expect(lodi.text).toContain('- Nuove cartelle aperte: 2 / 3 / -33,3%'); // (2 - 3) / 3
    expect(lodi.text).toContain('- Erogazioni: 0 / 6 / -100%');
    expect(lodi.text).toContain('Punteggio di qualità dei dati SIZ del comune: 100 su 100.');
    expect(lodi.html).toContain('https://cruscotto.ambito-lodi.example/comuni/098031');
    const brembio = smtp.received.find((m) => m.to === 'servizi.sociali@comune.brembio.example')!;
    // 2 in SIZ of 10 declared = 20%, shown to the comune as on its own scorecard.
    expect(brembio.text).toContain('Cartelle sociali in SIZ rispetto a quelle dichiarate: 20% (obiettivo 80%');
    expect(brembio.text).toContain("Cartelle mancanti all'obiettivo: 6."); // ceil(8) - 2
    expect(brembio.text).toContain('- Accessi allo sportello: 1 / 0 / –'); // base 0: no variation
    expect(brembio.text).toContain('- Nuove cartelle aperte: 0 / 0 / –');
    expect(brembio.text).toContain('- Erogazioni: 3 / 3 / 0%');
    expect(brembio.text).toContain("Le cifre sono quelle del tuo comune, per intero come le vede nel cruscotto l'account del comune");

    await runRiepilogo(ctx, { oggi: '2026-11-12' }); // again in the same month: nothing new
    expect(smtp.received).toHaveLength(4);
  });

  test("a group's digitalization follows the partner rule of the scorecard: Lodi's distretto would give back Abbadia's 1", async () => {
    // Distretto of Lodi = {Lodi, Abbadia Cerreto}. Abbadia: 1 cartella in SIZ of 4 declared
    // (`<3` for Lodi). The distretto's ratio (5 + 1) / (8 + 4) = 50%, with Lodi's own 5 of 8,
    // would give Abbadia's 1 back; no other comune has 3 or more cartelle to be its partner, so
    // the ratio is `riservato`, as on Lodi's scorecard. Lodi's cluster (Lodi alone) is shown.
    const db = get();
    await truncateAll(db);
    smtp.received.length = 0;
    ctx = mailContext(db, { smtpUrl: smtp.url });
    ctx.clock.day('2026-11-10');
    await comuniConContatti(db);
    await importaCensimento(db, '2026-06-30', { [LODI]: 8, [BREMBIO]: 10, [ABBADIA]: 4 });
    await estrazione(db, '2026-11-05', { abbadia: 1 });
    await riconcilia(ctx, '2026-11-10');
    await runQualita(ctx, { oggi: '2026-11-10' });
    const report = (await latestReport(db))!;
    expect(report.comuni.find((c) => c.codice_istat === LODI)!.digit_distretto).toBe(50);
    await runRiepilogo(ctx, { oggi: '2026-11-10' });
    const lodi = smtp.received.find((m) => m.to === 'sociale@comune.lodi.example')!;
    expect(lodi.text).toContain('Comuni dello stesso cluster (1): 62,5%. Distretto di Lodi: riservato.');
    expect(lodi.text).toContain('la percentuale non è mostrata perché farebbe ricavare i piccoli numeri di un altro comune');
    expect(lodi.html).toContain('Distretto di Lodi: riservato.');
    // The scorecard of Lodi's account takes the same figures from the same function.
    const cctx = await caricaContesto(db, '2026-11-10');
    const g = digitGruppi(cctx, censimentoVisibile(cctx, visibilitaComune(LODI), report), report, cctx.perIstat.get(LODI)!);
    expect([g.cluster, g.distretto]).toEqual([62.5, 'riservato']);
    // Brembio's distretto (Brembio alone) is its own figure: shown in full.
    const brembio = smtp.received.find((m) => m.to === 'servizi.sociali@comune.brembio.example')!;
    expect(brembio.text).toContain('Distretto di Casalpusterlengo: 20%.');
    expect(brembio.text).not.toContain('riservato');
  });

  async function trattenuto(oggi: string, motivo: RegExp): Promise<void> {
    ctx.clock.day(oggi);
    const res = await runRiepilogo(ctx, { oggi });
    expect(res.trattenuto).toBe(true);
    expect(res.motivi.join(' ')).toMatch(motivo);
    expect(smtp.received.filter((m) => /Riepilogo mensile di .* – Comune/.test(m.subject))).toHaveLength(0);
    const allerte = smtp.received.filter((m) => m.subject.includes('trattenuto'));
    expect(allerte.map((m) => m.to).sort()).toEqual(['analista@udp.example', 'responsabile@udp.example']);
    for (const a of allerte) {
      expect(a.text).toMatch(motivo);
      expect(a.text).toContain('https://cruscotto.ambito-lodi.example/qualita');
    }
    expect(await get().knex('posta').where({ tipo: 'allerta' }).count('* as n').first()).toEqual({ n: 2 });
    expect(await get().knex('posta').where({ tipo: 'riepilogo' }).count('* as n').first()).toEqual({ n: 0 });
    // Held again later in the month: the office is not alerted twice for the same month.
    await runRiepilogo(ctx, { oggi });
    expect(smtp.received.filter((m) => m.subject.includes('trattenuto'))).toHaveLength(2);
  }

  test('held when the latest SIZ extract is older than 40 days', async () => {
    await ambito();
    // 5 November + 40 days = 15 December: still fresh on the 15th, too old on the 16th.
    ctx.clock.day('2026-12-15');
    expect((await runRiepilogo(ctx, { oggi: '2026-12-15' })).trattenuto).toBe(false);
    smtp.received.length = 0;
    await get().knex('posta').del();
    await trattenuto('2027-01-10', /l'ultima estrazione SIZ è del 05\/11\/2026, più vecchia di 40 giorni/);
    expect(smtp.received[0].subject).toBe('Riepilogo mensile di dicembre 2026 trattenuto: dati da verificare');
  });

  test('held when the latest reconciliation failed', async () => {
    await ambito();
    await get().knex('riconciliazioni').insert({ eseguita_il: ctx.clock.now(), oggi: '2026-11-10', obiettivo: 80, soglia_critica: 50, esito: 'errore', messaggio: 'errore di prova nel calcolo' });
    await trattenuto('2026-11-10', /l'ultima riconciliazione \(del 10\/11\/2026\) è fallita: errore di prova nel calcolo/);
  });

  test('held when the data-quality verdict is non_affidabile', async () => {
    await ambito();
    // A new extract where 3 of the 20 cartelle (15%, above the 5% threshold) have no comune.
    await estrazione(get(), '2026-11-09', { senzaComune: 3 });
    await trattenuto('2026-11-10', /i dati importati non sono affidabili: .*non ha un comune valido/);
  });

  test('without UdP accounts the alert goes to the MAIL_FROM address', async () => {
    await ambito({ udp: false });
    await get().knex('riconciliazioni').insert({ eseguita_il: ctx.clock.now(), oggi: '2026-11-10', obiettivo: 80, soglia_critica: 50, esito: 'errore', messaggio: 'x' });
    await runRiepilogo(ctx, { oggi: '2026-11-10' });
    expect(smtp.received.map((m) => m.to)).toEqual(['udp@ambito-lodi.example']);
  });
});
