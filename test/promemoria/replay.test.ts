/**
 * The 90-day replay: the daily `promemoria` job run on 90 consecutive days (injected clock) over
 * a plan of several deadlines, against a real SMTP server. The exact list of what arrived
 * (recipient, day, subject) proves the offsets, the move to the next working day across Easter
 * Monday, a Sunday and 1 May, the weekly cadence after a deadline, the catch-up of an occasion
 * missed before the service started, and the stop when the target is met mid-way (a new SIZ
 * extract re-imported and reconciled), when the census is returned, and when the office marks a
 * deadline done. A second scenario: the service is down for two weeks.
 */
import { runJob } from '../../jobs';
import { isWorkingDay } from '../../server/shared/calendario';
import { listScadenze, segnaCompletata } from '../../server/scadenze/service';
import { describeDb, truncateAll } from '../support/db';
import { mailContext, startSmtp, TestSmtp } from '../posta/support';
import { ABBADIA, BREMBIO, comuniConContatti, giorni, importaCensimento, importaSiz, LODI, riconcilia, SANTANGELO, scadenza } from './piano';

const LODI_1 = 'sociale@comune.lodi.example';
const LODI_2 = 'segreteria@comune.lodi.example';
const BREMBIO_1 = 'servizi.sociali@comune.brembio.example';
const SANTANGELO_1 = 'sociale@comune.santangelo.example';
const ABBADIA_1 = 'protocollo@comune.abbadia.example';

const lodi = (n: string) => `Promemoria: scadenza del 06/05/2026 ${n} – Comune di Lodi`;
const lodiDopo = (n: number) => `Sollecito: Scaduta il 06/05/2026 (da ${n} giorni) – Comune di Lodi`;
const brembio = (n: string) => `Promemoria: scadenza del 02/06/2026 ${n} – Comune di Brembio`;
const brembioDopo = (n: number) => `Sollecito: Scaduta il 02/06/2026 (da ${n} giorni) – Comune di Brembio`;
const santangelo = (n: string) => `Promemoria: scadenza del 08/05/2026 ${n} – Comune di Sant'Angelo Lodigiano`;
const santangeloDopo = (n: number) => `Sollecito: Scaduta il 08/05/2026 (da ${n} giorni) – Comune di Sant'Angelo Lodigiano`;
const abbadiaDopo = (n: number) => `Sollecito: Scaduta il 10/03/2026 (da ${n} giorni) – Comune di Abbadia Cerreto`;

// Hand-computed from the plan (see the comments on each deadline below).
const ATTESI: [string, string, string][] = [
  ['2026-03-23', ABBADIA_1, abbadiaDopo(13)], // catch-up: the 17 March occasion fell before the service started
  ['2026-03-24', ABBADIA_1, abbadiaDopo(14)],
  ['2026-03-31', ABBADIA_1, abbadiaDopo(21)],
  ['2026-04-07', ABBADIA_1, abbadiaDopo(28)],
  ['2026-04-07', LODI_1, lodi('tra 29 giorni')], // -30 = Easter Monday 6 April -> Tuesday
  ['2026-04-07', LODI_2, lodi('tra 29 giorni')],
  ['2026-04-08', SANTANGELO_1, santangelo('tra 30 giorni')],
  ['2026-04-14', ABBADIA_1, abbadiaDopo(35)], // census returned on 16 April: no more
  ['2026-04-22', LODI_1, lodi('tra 14 giorni')],
  ['2026-04-22', LODI_2, lodi('tra 14 giorni')],
  ['2026-04-24', SANTANGELO_1, santangelo('tra 14 giorni')],
  ['2026-04-29', LODI_1, lodi('tra 7 giorni')],
  ['2026-04-29', LODI_2, lodi('tra 7 giorni')],
  ['2026-05-04', BREMBIO_1, brembio('tra 29 giorni')], // -30 = Sunday 3 May -> Monday
  ['2026-05-04', SANTANGELO_1, santangelo('tra 4 giorni')], // -7 = 1 May (Friday holiday) -> Monday 4
  ['2026-05-05', LODI_1, lodi('domani')],
  ['2026-05-05', LODI_2, lodi('domani')],
  ['2026-05-07', SANTANGELO_1, santangelo('domani')],
  ['2026-05-13', LODI_1, lodiDopo(7)],
  ['2026-05-13', LODI_2, lodiDopo(7)],
  ['2026-05-15', SANTANGELO_1, santangeloDopo(7)],
  ['2026-05-19', BREMBIO_1, brembio('tra 14 giorni')],
  ['2026-05-20', LODI_1, lodiDopo(14)], // new SIZ extract on 22 May reaches 80%: no more
  ['2026-05-20', LODI_2, lodiDopo(14)],
  ['2026-05-22', SANTANGELO_1, santangeloDopo(14)], // marked done on 25 May: no more
  ['2026-05-26', BREMBIO_1, brembio('tra 7 giorni')],
  ['2026-06-01', BREMBIO_1, brembio('domani')], // the deadline itself is 2 June, a holiday
  ['2026-06-09', BREMBIO_1, brembioDopo(7)],
  ['2026-06-16', BREMBIO_1, brembioDopo(14)],
];

const ordina = (l: [string, string, string][]) => [...l].sort((a, b) => (a.join('|') < b.join('|') ? -1 : 1));

describeDb('promemoria: replay di 90 giorni', (get) => {
  let smtp: TestSmtp;
  let ctx: ReturnType<typeof mailContext>;

  beforeAll(async () => {
    smtp = await startSmtp(() => ctx.clock.today());
  });
  afterAll(async () => {
    await smtp.stop();
  });

  async function pianoIniziale(): Promise<{ santangelo: number; chiusa: number; lodi: number; brembio: number; abbadia: number }> {
    const db = get();
    await truncateAll(db);
    smtp.received.length = 0;
    ctx = mailContext(db, { smtpUrl: smtp.url });
    ctx.clock.day('2026-03-20');
    await comuniConContatti(db);
    await importaCensimento(db, '2026-03-01', { [LODI]: 10, [BREMBIO]: 20, [SANTANGELO]: 30 });
    await importaSiz(db, '2026-03-19', { [LODI]: 5, [BREMBIO]: 10, [SANTANGELO]: 24 });
    await riconcilia(ctx, '2026-03-20');
    return {
      // caricamento, default target 80%: Lodi has 5 of 10 declared (50%), 3 missing.
      lodi: await scadenza(db, { codice_istat: LODI, tipo: 'caricamento', data_scadenza: '2026-05-06', descrizione: 'Caricamento delle cartelle arretrate' }),
      // caricamento with its own target 75%: 10 of 20 (50%), 5 missing. Never met.
      brembio: await scadenza(db, { codice_istat: BREMBIO, tipo: 'caricamento', data_scadenza: '2026-06-02', obiettivo: 75 }),
      // credenziali: met when the office marks it done.
      santangelo: await scadenza(db, { codice_istat: SANTANGELO, tipo: 'credenziali', data_scadenza: '2026-05-08', descrizione: "Aggiornare l'elenco degli operatori abilitati a SIZ" }),
      // censimento, already overdue, with its own recipient (the comune has no contact).
      abbadia: await scadenza(db, { codice_istat: ABBADIA, tipo: 'censimento', data_scadenza: '2026-03-10', email: 'Protocollo@Comune.Abbadia.example' }),
      // closed by the office: never a reminder.
      chiusa: await scadenza(db, { codice_istat: LODI, tipo: 'altro', data_scadenza: '2026-04-15', chiusa: true }),
    };
  }

  test('90 consecutive days: exactly the expected messages, on the expected days', async () => {
    const ids = await pianoIniziale();
    const db = get();
    const days = giorni('2026-03-23', '2026-06-20');
    expect(days).toHaveLength(90);
    for (const d of days) {
      ctx.clock.day(d);
      if (d === '2026-04-16') await importaCensimento(db, '2026-03-31', { [ABBADIA]: 6 });
      if (d === '2026-05-22') {
        await importaSiz(db, '2026-05-21', { [LODI]: 8, [BREMBIO]: 10, [SANTANGELO]: 24 }); // Lodi reaches 8 of 10 = 80%
        await riconcilia(ctx, d);
      }
      if (d === '2026-05-25') expect(await segnaCompletata(db, ids.santangelo, ctx.clock.now())).toBe(true);
      const res = await runJob(ctx, 'promemoria', { oggi: d });
      expect(res.esito).toBe('ok');
    }

    const arrivati = smtp.received.map((m) => [m.giorno, m.to, m.subject] as [string, string, string]);
    expect(ordina(arrivati)).toEqual(ordina(ATTESI));
    expect(arrivati.every(([d]) => isWorkingDay(d))).toBe(true);

    // Content of the first Lodi and Brembio reminders: the figures and the forecast.
    const primoLodi = smtp.received.find((m) => m.giorno === '2026-04-07' && m.to === LODI_1)!;
    expect(primoLodi.text).toContain("Comune di Lodi: il 50% delle cartelle dichiarate è in SIZ (5 su 10); ne mancano 3 per raggiungere l'obiettivo (80%) entro il 6 maggio 2026.");
    expect(primoLodi.text).toContain('Caricamento delle cartelle arretrate');
    expect(primoLodi.text).toContain('https://cruscotto.ambito-lodi.example/comuni/098031');
    const primoBrembio = smtp.received.find((m) => m.giorno === '2026-05-04' && m.to === BREMBIO_1)!;
    expect(primoBrembio.text).toContain("Comune di Brembio: il 50% delle cartelle dichiarate è in SIZ (10 su 20); ne mancano 5 per raggiungere l'obiettivo (75%) entro il 2 giugno 2026.");
    const dopoBrembio = smtp.received.find((m) => m.giorno === '2026-06-09')!;
    expect(dopoBrembio.text).toContain("ne mancano 5 per raggiungere l'obiettivo (75%). Scaduta il 02/06/2026 (da 7 giorni).");
    expect(dopoBrembio.text).toContain('Caricamento delle cartelle in SIZ: Scaduta il 02/06/2026 (da 7 giorni).');
    expect(dopoBrembio.text).toContain('Previsione: andamento non ancora prevedibile (servono almeno 3 rilevazioni in almeno 14 giorni).');

    // The board after the replay.
    const board = Object.fromEntries((await listScadenze(ctx, { oggi: '2026-06-20' })).map((s) => [s.id, s]));
    expect([board[ids.lodi].stato, board[ids.lodi].promemoria_inviati, board[ids.lodi].digit_tot, board[ids.lodi].mancanti_obiettivo]).toEqual(['completata', 12, 80, 0]);
    expect([board[ids.brembio].stato, board[ids.brembio].promemoria_inviati, board[ids.brembio].mancanti_obiettivo]).toEqual(['scaduta', 6, 5]);
    expect([board[ids.santangelo].stato, board[ids.santangelo].promemoria_inviati]).toEqual(['completata', 6]);
    expect([board[ids.abbadia].stato, board[ids.abbadia].promemoria_inviati]).toEqual(['completata', 5]);
    expect([board[ids.chiusa].chiusa, board[ids.chiusa].promemoria_inviati]).toEqual([true, 0]);

    // Running the job again on the last day, or twice, adds nothing.
    await runJob(ctx, 'promemoria', { oggi: '2026-06-20' });
    await runJob(ctx, 'promemoria', { oggi: '2026-06-16' });
    expect(smtp.received).toHaveLength(ATTESI.length);
    expect(await db.knex('posta').count('* as n').first()).toEqual({ n: ATTESI.length });
  });

  test('down for two weeks: the missed occasions are not sent one by one, only the latest, once', async () => {
    const ids = await pianoIniziale();
    const db = get();
    await db.knex('scadenze').whereNot('id', ids.lodi).update({ chiusa: true }); // Lodi only
    for (const d of ['2026-04-07', '2026-04-08']) {
      ctx.clock.day(d);
      await runJob(ctx, 'promemoria', { oggi: d });
    }
    // Down from 9 April to 3 May: the 14-day (22 April) and 7-day (29 April) occasions are missed.
    for (const d of ['2026-05-04', '2026-05-05', '2026-05-06']) {
      ctx.clock.day(d);
      await runJob(ctx, 'promemoria', { oggi: d });
    }
    expect(smtp.received.filter((m) => m.to === LODI_1).map((m) => [m.giorno, m.subject])).toEqual([
      ['2026-04-07', lodi('tra 29 giorni')],
      ['2026-05-04', lodi('tra 2 giorni')], // the 29 April occasion, sent once on the first day back
      ['2026-05-05', lodi('domani')],
    ]);
    const rif = await db.knex('posta').where({ destinatario: LODI_1 }).orderBy('id').pluck('riferimento');
    expect(rif).toEqual([`scadenza ${ids.lodi}, 30 giorni prima`, `scadenza ${ids.lodi}, 7 giorni prima`, `scadenza ${ids.lodi}, 1 giorno prima`]);
  });
});
