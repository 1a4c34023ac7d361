/**
 * Through the daily job: one of a comune's two contacts is refused by the mail server. The
 * other gets the reminder once; the next days' runs retry only the refused one, without a new
 * copy for anybody, until it is accepted.
 */
import { runJob } from '../../jobs';
import { describeDb, truncateAll } from '../support/db';
import { mailContext, startSmtp, TestSmtp } from '../posta/support';
import { comuniConContatti, importaCensimento, importaSiz, LODI, riconcilia, scadenza } from './piano';

describeDb('promemoria: un destinatario rifiutato', (get) => {
  let smtp: TestSmtp;
  let ctx: ReturnType<typeof mailContext>;
  beforeAll(async () => {
    smtp = await startSmtp(() => ctx.clock.today());
  });
  afterAll(async () => {
    await smtp.stop();
  });

  test('only the refused recipient is retried, and gets it once when accepted', async () => {
    const db = get();
    await truncateAll(db);
    ctx = mailContext(db, { smtpUrl: smtp.url });
    ctx.clock.day('2026-04-01');
    await comuniConContatti(db);
    await importaCensimento(db, '2026-03-01', { [LODI]: 10 });
    await importaSiz(db, '2026-03-31', { [LODI]: 5 });
    await riconcilia(ctx, '2026-04-01');
    await scadenza(db, { codice_istat: LODI, tipo: 'caricamento', data_scadenza: '2026-05-06' });
    smtp.reject.add('segreteria@comune.lodi.example');

    const stato = async () => db.knex('posta').orderBy('id').select('destinatario', 'stato', 'tentativi');
    for (const d of ['2026-04-07', '2026-04-08']) {
      ctx.clock.day(d);
      await runJob(ctx, 'promemoria', { oggi: d });
    }
    expect(await stato()).toEqual([
      { destinatario: 'sociale@comune.lodi.example', stato: 'inviato', tentativi: 1 },
      { destinatario: 'segreteria@comune.lodi.example', stato: 'fallito', tentativi: 2 },
    ]);
    smtp.reject.clear();
    ctx.clock.day('2026-04-09');
    await runJob(ctx, 'promemoria', { oggi: '2026-04-09' });
    expect(await stato()).toEqual([
      { destinatario: 'sociale@comune.lodi.example', stato: 'inviato', tentativi: 1 },
      { destinatario: 'segreteria@comune.lodi.example', stato: 'inviato', tentativi: 3 },
    ]);
    expect(smtp.received.map((m) => [m.giorno, m.to])).toEqual([
      ['2026-04-07', 'sociale@comune.lodi.example'],
      ['2026-04-09', 'segreteria@comune.lodi.example'],
    ]);
    expect(new Set(smtp.received.map((m) => m.subject))).toEqual(new Set(['Promemoria: scadenza del 06/05/2026 tra 29 giorni – Comune di Lodi']));
  });
});
