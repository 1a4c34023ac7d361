/**
 * Forecast and risk (docs/metriche.md, "Cifre della digitalizzazione" and "Storia, previsione e
 * rischio"): a least-squares line over the stored history of digit_tot (one point per day, last 180
 * days, same census round, >= 3 points over >= 14 days), null when the slope is <= 0; a_rischio
 * against the comune's open `caricamento` deadline. Each comune declares 100 cartelle, so digit_tot
 * = the number of open cartelle loaded.
 */
import type { Database } from '../../server/db';
import { history } from '../../server/riconciliazione/service';
import { describeDb, truncateAll } from '../support/db';
import { censimento, comune, run, scadenza } from './helpers';

const E = '2020-06-30';

/** Sets the comune's cartelle to n open ones: digit_tot = n with 100 declared. */
async function loaded(db: Database, istat: string, n: number): Promise<void> {
  await db.knex('cartelle').where({ codice_istat: istat }).del();
  const rows = Array.from({ length: n }, (_, i) => ({ id_cartella: `${istat}-${i}`, codice_istat: istat, data_apertura: '2019-01-01', riga: i + 1 }));
  if (rows.length) await db.knex('cartelle').insert(rows);
}

async function day(db: Database, oggi: string, values: Record<string, number>) {
  for (const [istat, n] of Object.entries(values)) await loaded(db, istat, n);
  return run(db, oggi);
}

const R = '098001'; // rising exactly 1 point a day: 20, 30, 40
const S = '098002'; // rising, not on a line: 20, 30, 50
const F = '098003'; // falling
const P = '098004'; // flat
const Z = '098005'; // target reached
const W = '098006'; // flat at 60, deadline with its own target 50
const V = '098007'; // flat at 20, deadline closed
const S2 = '098008'; // same as S, deadline with target 60
const N = '098009'; // no deadline, falling

describeDb('riconciliazione: previsione e a_rischio', (get) => {
  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    for (const c of [R, S, F, P, Z, W, V, S2, N]) {
      await comune(db, c);
      await censimento(db, c, E, { cartelle_attive: 100 });
    }
    await scadenza(db, R, '2025-12-01'); // past
    await scadenza(db, R, '2026-02-15'); // nearest upcoming: used
    await scadenza(db, R, '2026-09-30');
    await scadenza(db, S, '2026-03-31');
    await scadenza(db, F, '2025-11-30');
    await scadenza(db, F, '2025-12-20'); // only past ones: the latest is used
    await scadenza(db, Z, '2026-02-01');
    await scadenza(db, W, '2026-02-01', { obiettivo: 50 });
    await scadenza(db, V, '2026-02-01', { chiusa: true });
    await scadenza(db, V, '2026-02-01', { tipo: 'censimento' });
    await scadenza(db, S2, '2026-02-01', { obiettivo: 60 });
  });

  const all = (r: number, s: number, f: number) => ({ [R]: r, [S]: s, [F]: f, [P]: 30, [Z]: 85, [W]: 60, [V]: 20, [S2]: s, [N]: f });

  test('runs older than 180 days are ignored; with fewer than 3 runs there is no forecast', async () => {
    const db = get();
    await day(db, '2025-06-01', all(90, 90, 0)); // outside the window of the runs below
    await day(db, '2025-06-20', all(95, 95, 0));
    const r1 = await day(db, '2026-01-01', all(20, 20, 40));
    expect(r1[R].previsione_obiettivo).toBeNull();
    // Two runs on 11/01: only the day's latest (30) counts.
    await day(db, '2026-01-11', all(90, 90, 90));
    const r2 = await day(db, '2026-01-11', all(30, 30, 30));
    expect(r2[R].previsione_obiettivo).toBeNull(); // 2 points
    expect(r2[R].a_rischio).toBe(true); // deadline, below target, no forecast
  });

  test('rising: the day the least-squares line reaches the target, rounded up; falling or flat: null', async () => {
    const db = get();
    const r = await day(db, '2026-01-21', all(40, 50, 20));
    // R: y = 40 + x (x = days from 21/01/2026) reaches 80 at x = 40: 02/03/2026.
    expect(r[R].previsione_obiettivo).toBe('2026-03-02');
    // S: points (-20, 20), (-10, 30), (0, 50): slope 1.5, intercept 48.33, 80 at x = 21.1 -> 22 days: 12/02/2026.
    expect(r[S].previsione_obiettivo).toBe('2026-02-12');
    expect(r[F].previsione_obiettivo).toBeNull(); // 40, 30, 20
    expect(r[P].previsione_obiettivo).toBeNull(); // slope 0
  });

  test('a_rischio: with a deadline, below its target, forecast after it or missing; never without a deadline', async () => {
    const db = get();
    const rows = await db.knex('riconciliazione_comuni').where('riconciliazione_id', db.knex('riconciliazioni').max('id'));
    const r = Object.fromEntries(rows.map((x) => [x.codice_istat, x]));
    expect([r[R].scadenza, r[R].a_rischio]).toEqual(['2026-02-15', true]); // forecast 02/03 after 15/02
    expect([r[S].scadenza, r[S].a_rischio]).toEqual(['2026-03-31', false]); // forecast 12/02 before 31/03
    expect([r[F].scadenza, r[F].a_rischio]).toEqual(['2025-12-20', true]); // falling: no forecast
    expect([r[P].scadenza, r[P].a_rischio]).toEqual([null, false]); // no deadline
    expect([r[N].scadenza, r[N].a_rischio]).toEqual([null, false]); // no deadline, falling
    expect([r[Z].scadenza, r[Z].stato, r[Z].a_rischio]).toEqual(['2026-02-01', 'raggiunto', false]);
    expect([r[W].obiettivo_scadenza, r[W].a_rischio]).toEqual([50, false]); // 60 >= the deadline's 50
    expect([r[V].scadenza, r[V].a_rischio]).toEqual([null, false]); // closed / other type: no deadline
    // S2 (same line as S): 60 is reached at x = 7.8 -> 29/01, before the deadline of 01/02.
    expect([r[S2].obiettivo_scadenza, r[S2].a_rischio]).toEqual([60, false]);
  });

  test('a new census round starts a new history', async () => {
    const db = get();
    await censimento(db, R, '2020-12-31', { cartelle_attive: 100 });
    const r = await day(db, '2026-01-31', all(50, 60, 10));
    expect(r[R].data_riferimento).toBe('2020-12-31');
    expect(r[R].previsione_obiettivo).toBeNull(); // 1 point of the new round
    expect(r[S].previsione_obiettivo).not.toBeNull(); // S keeps its round and its history
  });

  test('history lists the stored figures of the successful runs, oldest first', async () => {
    const h = await history(get(), S);
    expect(h.map((p) => [p.oggi, p.digit_tot])).toEqual([
      ['2025-06-01', 90],
      ['2025-06-20', 95],
      ['2026-01-01', 20],
      ['2026-01-11', 90],
      ['2026-01-11', 30],
      ['2026-01-21', 50],
      ['2026-01-31', 60],
    ]);
    expect(h[0].eseguita_il).toMatch(/^2025-06-01T\d{2}:\d{2}:\d{2}Z$/);
  });
});

describeDb('riconciliazione: previsione, almeno 14 giorni', (get) => {
  test('3 runs over 13 days: no forecast; over 14 days: forecast', async () => {
    const db = get();
    await truncateAll(db);
    await comune(db, R);
    await censimento(db, R, E, { cartelle_attive: 100 });
    await day(db, '2026-01-01', { [R]: 10 });
    await day(db, '2026-01-05', { [R]: 14 });
    const r13 = await day(db, '2026-01-14', { [R]: 23 });
    expect(r13[R].previsione_obiettivo).toBeNull();
    // y = 10 + (x - 0) over 01/01 .. 15/01: 80 reached 70 days after 01/01 = 12/03/2026.
    const r14 = await day(db, '2026-01-15', { [R]: 24 });
    expect(r14[R].previsione_obiettivo).toBe('2026-03-12');
  });
});
