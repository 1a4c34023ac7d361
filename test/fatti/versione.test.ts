/**
 * The data version of the pages (server/cruscotto/cache.ts) changes when the precomputed facts
 * are computed: a page built from provisional facts during the night says it updates when they
 * are done (server/fatti/leggi.ts), so its cached document must not outlive them.
 */
import { describeDb } from '../support/db';
import { versioneDati } from '../../server/cruscotto/cache';
import { calcolaFatti } from '../../server/fatti/calcola';

describeDb('versione dei dati e fatti precalcolati', (get) => {
  test('ogni calcolo dei fatti dà una nuova versione; senza nulla di nuovo resta la stessa', async () => {
    const prima = await versioneDati(get());
    expect(await versioneDati(get())).toBe(prima);
    await calcolaFatti(get(), '2026-11-22', new Date('2026-11-22T02:00:00Z'));
    const dopo = await versioneDati(get());
    expect(dopo).not.toBe(prima);
    await calcolaFatti(get(), '2026-11-22', new Date('2026-11-23T02:00:00Z'));
    expect(await versioneDati(get())).not.toBe(dopo);
  });
});
