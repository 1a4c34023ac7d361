/**
 * The precomputed facts (server/fatti) give the very figures the pages compute from the data: for
 * every family (sportello, sociali, economici, mese) and a random sample of selections (comune,
 * cluster, distretto, ambito), years and months, the documents built from the facts equal the
 * documents built from the data, on a varied small ambito imported through the SIZ import; again
 * after a second import that changes the data (until the facts are recomputed they are stale and
 * not read); and the facts' raw counts match plain counts of the rows.
 */
import { describeDb } from '../support/db';
import { tempFiles } from '../support/files';
import { importSiz } from '../../server/importazione/siz';
import { calcolaFatti } from '../../server/fatti/calcola';
import { sqlText } from '../../server/shared/sql';
import { fattiCorrenti } from '../../server/fatti/leggi';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { parseFiltri, Pagina, mesePrecedente } from '../../server/cruscotto/filtri';
import type { Visibilita } from '../../server/cruscotto/nodi';
import { documentoSportello, leggiSportello } from '../../server/cruscotto/sportello';
import { documentoSociali, leggiSociali } from '../../server/cruscotto/sociali';
import { documentoEconomici, leggiEconomici } from '../../server/cruscotto/economici';
import { documentoMese, leggiMese } from '../../server/cruscotto/mese';
import { avvisoNonAttribuiti } from '../../server/cruscotto/riferimenti';
import { normalizeName } from '../../server/importazione/valori';
import type { TestDb } from '../support/db';
import { mulberry32 as rng } from '../support/rng';
import { COMUNI, estratto } from './support/ambito';

const OGGI = '2026-11-22';
const UDP: Visibilita = { udp: true, proprio: null, classe: 'udp' };
const DI: (istat: string) => Visibilita = (istat) => ({ udp: false, proprio: istat, classe: `comune:${istat}` });

/** Runs `fn` with the facts made stale (so every figure is read from the data), then restores them. */
async function senzaFatti<T>(db: TestDb, fn: () => Promise<T>): Promise<T> {
  const [{ fonte }] = await db.knex('fatti_stato').select('fonte');
  await db.knex('fatti_stato').update({ fonte: 'altra' });
  try {
    expect(await fattiCorrenti(db)).toBeNull();
    return await fn();
  } finally {
    await db.knex('fatti_stato').update({ fonte });
  }
}

describeDb('fatti precalcolati: le stesse cifre calcolate dai dati', (get) => {
  let contesto: Contesto;
  const filtri = (pagina: Pagina, q: Record<string, string>) => parseFiltri(q, pagina, contesto, { api: true });

  beforeAll(async () => {
    await get().knex('comuni').insert(COMUNI.map(([codice_istat, nome, popolazione, distretto]) => ({ codice_istat, nome, nome_norm: normalizeName(nome), popolazione, distretto })));
    expect((await importSiz(get(), tempFiles(estratto(1)))).esito).toBe('ok');
  });

  /** Every family, a random sample of selections, years and months: facts == data. */
  async function confronta(seme: number): Promise<number> {
    const db = get();
    contesto = await caricaContesto(db, OGGI);
    const stato = await fattiCorrenti(db);
    expect(stato).not.toBeNull();
    const r = rng(seme);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const selezione = (): Record<string, string> => {
      const k = Math.floor(r() * 4);
      if (k === 0) return {};
      if (k === 1) return { comune: pick(contesto.comuni).codice_istat };
      if (k === 2) return { cluster: String(pick(contesto.cluster)) };
      return { distretto: pick(contesto.distretti) };
    };
    let confronti = 0;
    // Three of the four years of the facts, at random (the current one with today's day for sociali).
    const anni = [2023, 2024, 2025, 2026].sort(() => r() - 0.5).slice(0, 3);
    for (const anno of anni) {
      expect(stato!.chiavi.anni).toContain(anno);
      const motivo = pick([null, null, 'CASA', 'LAVORO']);
      const daiFatti = { sp: await leggiSportello(db, anno, motivo), so: await leggiSociali(db, anno, OGGI), ec: await leggiEconomici(db, anno), na: [await avvisoNonAttribuiti(db, 'sociali', anno), await avvisoNonAttribuiti(db, 'economici', anno)] };
      const daiDati = await senzaFatti(db, async () => ({ sp: await leggiSportello(db, anno, motivo), so: await leggiSociali(db, anno, OGGI), ec: await leggiEconomici(db, anno), na: [await avvisoNonAttribuiti(db, 'sociali', anno), await avvisoNonAttribuiti(db, 'economici', anno)] }));
      // The raw per-comune figures of every comune, then the documents of sampled selections.
      expect(daiFatti).toEqual(daiDati);
      for (let i = 0; i < 3; i++) {
        const q = { anno: String(anno), ...selezione(), ...(r() < 0.3 ? { area: pick(['minori', 'adulti', 'anziani', 'non_indicata']) } : {}), ...(r() < 0.3 ? { vista: 'distretto' } : {}) };
        const v = r() < 0.5 ? UDP : DI(pick(contesto.comuni).codice_istat);
        const fSp = filtri('sportello', motivo ? { ...q, motivo } : q);
        expect(documentoSportello(contesto, fSp, v, daiFatti.sp)).toEqual(documentoSportello(contesto, fSp, v, daiDati.sp));
        const fSo = filtri('sociali', q);
        expect(documentoSociali(contesto, fSo, v, daiFatti.so)).toEqual(documentoSociali(contesto, fSo, v, daiDati.so));
        const fEc = filtri('economici', q);
        expect(documentoEconomici(contesto, fEc, v, daiFatti.ec)).toEqual(documentoEconomici(contesto, fEc, v, daiDati.ec));
        confronti += 3;
      }
    }
    for (let i = 0; i < 3; i++) {
      const mese = `2026-${String(1 + Math.floor(r() * 10)).padStart(2, '0')}`;
      expect(stato!.chiavi.mesi).toEqual(expect.arrayContaining([mese, mesePrecedente(mese)]));
      const daiFatti = await leggiMese(db, mese);
      const daiDati = await senzaFatti(db, () => leggiMese(db, mese));
      expect(daiFatti).toEqual(daiDati);
      const sel: Record<string, string> = r() < 0.5 ? {} : { comune: pick(contesto.comuni).codice_istat };
      const f = filtri('mese', { mese, ...sel });
      expect(documentoMese(contesto, f, UDP, daiFatti)).toEqual(documentoMese(contesto, f, UDP, daiDati));
      confronti++;
    }
    return confronti;
  }

  /** Plain counts of the rows, independent of the pages' queries. */
  async function conteggi(anno: number): Promise<{ accessi: number; fatti: number; erogazioni: number; fattiErogazioni: number }> {
    const db = get();
    const c = async (sql: string, b: (string | number)[]) => Number((await db.knex.raw(sql, b)).rows[0].n);
    return {
      accessi: await c(`select count(*) as n from accessi a join comuni c on c.codice_istat = a.codice_istat and c.attivo where a.data_accesso between ? and ?`, [`${anno}-01-01`, `${anno}-12-31`]),
      fatti: await c(`select coalesce(sum(accessi), 0) as n from fatti_sportello where anno = ?`, [anno]),
      erogazioni: await c(`select count(*) as n from prestazioni p join comuni c on c.codice_istat = p.codice_istat and c.attivo where p.data_erogazione between ? and ?`, [`${anno}-01-01`, `${anno}-12-31`]),
      fattiErogazioni: await c(`select coalesce(sum(n), 0) as n from fatti_economici where anno = ?`, [anno]),
    };
  }

  test('dopo il calcolo: ogni famiglia, selezioni, anni e mesi a caso, le stesse cifre; un anno più vecchio dei fatti si calcola dai dati', async () => {
    // Four years of facts (the default keeps twelve: every year of these data), so that 2022 is
    // older than the facts.
    await calcolaFatti(get(), OGGI, new Date(), 4);
    expect(await confronta(11)).toBe(30);
    const c = await conteggi(2025);
    expect(c.fatti).toBe(c.accessi);
    expect(c.fattiErogazioni).toBe(c.erogazioni);
    expect(c.accessi).toBeGreaterThan(0);
    // 2022 has data but is older than the facts' years: its figures come from the
    // data, as the page computed them before the facts.
    expect((await fattiCorrenti(get()))!.chiavi.anni).toEqual([2023, 2024, 2025, 2026]);
    const c22 = await conteggi(2022);
    expect(c22.fatti).toBe(0);
    const d = await leggiSportello(get(), 2022, null);
    expect([...d.aree.values()].flatMap((m) => [...m.values()]).reduce((s, x) => s + x.accessi, 0)).toBe(c22.accessi);
    expect(c22.accessi).toBeGreaterThan(0);
  });

  test('le righe senza comune: per ogni anno dei fatti (una passata per tabella) quelle della query della pagina, anno per anno', async () => {
    // The facts take every year in one grouped pass (sql/queries/fatti/non_attribuiti.sql); the
    // pages' own query (sql/queries/cruscotto/non_attribuiti.sql) takes one year. A cartella of
    // 099999 counts in every year it overlaps, an accesso or erogazione in the year of its date.
    const { chiavi } = await calcolaFatti(get(), OGGI);
    expect(chiavi.anni).toEqual(expect.arrayContaining([2022, 2023, 2024, 2025, 2026]));
    let righe = 0;
    for (const anno of chiavi.anni) {
      const fatti = await get().knex('fatti_non_attribuiti').where({ anno }).first('accessi', 'cartelle', 'prestazioni');
      const dati = (await get().knex.raw(sqlText('cruscotto', 'non_attribuiti'), { inizio: `${anno}-01-01`, fine: `${anno}-12-31` })).rows[0];
      expect(fatti).toEqual({ accessi: Number(dati.accessi), cartelle: Number(dati.cartelle), prestazioni: Number(dati.prestazioni) });
      righe += fatti.accessi + fatti.cartelle + fatti.prestazioni;
    }
    // The data set has rows without a comune in several years, cartelle open across years among them.
    expect(righe).toBeGreaterThan(0);
    const anniConCartelle = await get().knex('fatti_non_attribuiti').where('cartelle', '>', 0).count({ n: '*' });
    expect(Number(anniConCartelle[0].n)).toBeGreaterThan(1);
  });

  test("dopo un'importazione che cambia i dati: fatti scaduti e non letti, poi ricalcolati e di nuovo uguali", async () => {
    await calcolaFatti(get(), OGGI);
    const prima = await conteggi(2025);
    expect((await importSiz(get(), tempFiles(estratto(2, 420)))).esito).toBe('ok');
    // Stale: the pages read the data (the new figures), never the old facts.
    expect(await fattiCorrenti(get())).toBeNull();
    const nuovi = await leggiSportello(get(), 2025, null);
    const nuoviAccessi = [...nuovi.aree.values()].flatMap((m) => [...m.values()]).reduce((s, x) => s + x.accessi, 0);
    const dopo = await conteggi(2025);
    expect(nuoviAccessi).toBe(dopo.accessi);
    expect(dopo.accessi).not.toBe(prima.accessi);
    await calcolaFatti(get(), OGGI);
    expect(await confronta(23)).toBe(30);
    const ricalcolati = await conteggi(2025);
    expect(ricalcolati.fatti).toBe(ricalcolati.accessi);
    expect(ricalcolati.fattiErogazioni).toBe(ricalcolati.erogazioni);
  });
});
