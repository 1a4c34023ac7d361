/**
 * The pages keep one data version's documents in memory (server/cruscotto/notte.ts): a new
 * version empties the router's memo, so a night that changes the version a dozen times does not
 * keep a dozen versions' data and documents (2 GB at the regional scale, docs/bench.md).
 */
import { describeDb } from '../support/db';
import { Memo } from '../../server/cruscotto/cache';
import { pagineDiNotte } from '../../server/cruscotto/notte';
import { calcolaFatti } from '../../server/fatti/calcola';

describeDb('una sola versione dei dati in memoria', (get) => {
  test('i documenti di una versione vecchia non restano nella memo; la stessa versione li tiene', async () => {
    const memo = new Memo<unknown>(600);
    const cached = <T>(key: string, fn: () => Promise<T>) => memo.get(key, fn) as Promise<T>;
    const notte = pagineDiNotte(get(), cached, () => memo.clear());
    const v1 = (await notte.dati('2026-11-22')).versione;
    let calcoli = 0;
    const doc = () => cached(`doc|${v1}`, async () => ++calcoli);
    await doc();
    await notte.dati('2026-11-22');
    await doc();
    expect({ calcoli, voci: memo.size }).toEqual({ calcoli: 1, voci: 2 }); // the ambito and the document
    await calcolaFatti(get(), '2026-11-22', new Date('2026-11-22T02:00:00Z'));
    const v2 = (await notte.dati('2026-11-22')).versione;
    expect(v2).not.toBe(v1);
    expect(memo.size).toBe(1); // the new version's ambito only
    await doc();
    expect(calcoli).toBe(2);
  });
});
