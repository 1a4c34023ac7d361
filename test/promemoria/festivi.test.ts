/**
 * The working-day calendar against a maintained source (issue 14): the local table of
 * server/shared/calendario.ts gives the same national holidays as the `date-holidays`
 * package (Italy, type "public") on every day from 2024 to 2040, and the reminders skip
 * Monday 4 October 2027 (San Francesco d'Assisi, a national holiday again from 2026).
 */
import Holidays from 'date-holidays';
import { runJob } from '../../jobs';
import { isHoliday, isWorkingDay } from '../../server/shared/calendario';
import { describeDb } from '../support/db';
import { mailContext } from '../posta/support';
import { comuniConContatti, giorni, importaCensimento, importaSiz, LODI, riconcilia, scadenza } from './piano';

describe('festività nazionali', () => {
  test('ogni giorno dal 2024 al 2040: festivo e lavorativo come in date-holidays', () => {
    const hd = new Holidays('IT');
    const diversi: string[] = [];
    let festivi = 0;
    for (let anno = 2024; anno <= 2040; anno++) {
      const pubbliche = hd.getHolidays(anno).filter((h) => h.type === 'public');
      const pubblici = new Set(pubbliche.map((h) => h.date.slice(0, 10)));
      // Easter Sunday is in date-holidays' list; the local table leaves it out (always a Sunday).
      const festiviAttesi = new Set(pubbliche.filter((h) => h.name !== 'Domenica di Pasqua').map((h) => h.date.slice(0, 10)));
      for (const d of giorni(`${anno}-01-01`, `${anno}-12-31`)) {
        const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
        const lavorativo = dow !== 0 && dow !== 6 && !pubblici.has(d);
        const festivo = festiviAttesi.has(d);
        if (isWorkingDay(d) !== lavorativo || isHoliday(d) !== festivo) diversi.push(d);
        if (festivo) festivi++;
      }
    }
    expect(diversi).toEqual([]);
    // 17 years x (10 fixed-date holidays + Easter Monday), plus 4 October from 2026 (15 years).
    expect(festivi).toBe(17 * 11 + 15);
    expect([isHoliday('2025-10-04'), isHoliday('2026-10-04'), isHoliday('2027-10-04')]).toEqual([false, true, true]);
  });
});

describeDb('promemoria: lunedì 4 ottobre 2027 è festivo', (get) => {
  test('il promemoria dei 7 giorni prima di una scadenza di lunedì 11 ottobre 2027 parte martedì 5', async () => {
    const db = get();
    const ctx = mailContext(db);
    ctx.clock.day('2027-09-20');
    await comuniConContatti(db);
    await importaCensimento(db, '2027-09-01', { [LODI]: 10 });
    await importaSiz(db, '2027-09-19', { [LODI]: 5 });
    await riconcilia(ctx, '2027-09-20');
    await scadenza(db, { codice_istat: LODI, tipo: 'caricamento', data_scadenza: '2027-10-11' });
    const perGiorno: Record<string, string[]> = {};
    for (const d of giorni('2027-09-27', '2027-10-06')) {
      ctx.clock.day(d);
      expect((await runJob(ctx, 'promemoria', { oggi: d })).esito).toBe('ok');
      const nuovi = (await db.knex('posta').where({ tipo: 'promemoria' }).orderBy('id').pluck('oggetto')) as string[];
      const gia = Object.values(perGiorno).flat().length;
      if (nuovi.length > gia) perGiorno[d] = nuovi.slice(gia);
    }
    // Lodi has two contacts: each occasion is one message to each. -14 = Monday 27 September;
    // -7 = Monday 4 October, a holiday: moved to Tuesday 5 October (6 days before).
    expect(perGiorno).toEqual({
      '2027-09-27': ['Promemoria: scadenza del 11/10/2027 tra 14 giorni – Comune di Lodi', 'Promemoria: scadenza del 11/10/2027 tra 14 giorni – Comune di Lodi'],
      '2027-10-05': ['Promemoria: scadenza del 11/10/2027 tra 6 giorni – Comune di Lodi', 'Promemoria: scadenza del 11/10/2027 tra 6 giorni – Comune di Lodi'],
    });
  });
});
