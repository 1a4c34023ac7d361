/**
 * «Anni a confronto» read one year at a time (server/cruscotto/anni-pagine.ts, docs/bench.md
 * memory) against the way it was read before: every year of a family at once (leggiAnni over
 * all the years, kept in the cache) and every year's document built from it. Whatever the years
 * side by side showed, they show now, cell for cell and fate for fate: every family, three
 * classes of account, a sample of filters; on the hand-made ambito without facts, with the facts
 * of the recent years only and with the facts of another day (both engines), and on the demo
 * ambito (PGlite).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describeDb } from '../support/db';
import { Database, migrate, openDb } from '../../server/db';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { parseFiltri } from '../../server/cruscotto/filtri';
import type { Visibilita } from '../../server/cruscotto/nodi';
import { Documento, unaSorte } from '../../server/cruscotto/documento';
import { documentoSportello } from '../../server/cruscotto/sportello';
import { documentoSociali } from '../../server/cruscotto/sociali';
import { documentoEconomici } from '../../server/cruscotto/economici';
import { leggiAnni } from '../../server/cruscotto/anni-dati';
import { anniFino, documentiAnni, filtriAnno } from '../../server/cruscotto/anni-pagine';
import { calcolaFatti } from '../../server/fatti/calcola';
import { cartellaDemo, OGGI as OGGI_DEMO } from '../browser/support';
import { BREMBIO, caricaDati, LODI } from './dati';

jest.setTimeout(300_000);

type Fam = 'sportello' | 'sociali' | 'economici';
const FAMIGLIE: Fam[] = ['sportello', 'sociali', 'economici'];
const UDP: Visibilita = { udp: true, proprio: null, classe: 'udp' };
const ALTRI: Visibilita = { udp: false, proprio: null, classe: 'altri' };
const di = (istat: string): Visibilita => ({ udp: false, proprio: istat, classe: `comune:${istat}` });

/** The years side by side as they were read before: every year of the family at once. */
async function comePrima(db: Database, contesto: Contesto, v: Visibilita, anno: number, p: Fam, filtri: (a: number) => ReturnType<typeof parseFiltri>, letti: Map<string, Promise<Map<number, unknown>>>): Promise<{ anno: number; doc: Documento }[]> {
  const tutti = anniFino(contesto, Math.max(anno, Number(contesto.oggi.slice(0, 4))));
  // Every year of the family read at once and kept, as the cache kept it before: the data do not
  // change within one comparison of every account and filter (confronta).
  const leggi = <F extends Fam>(fam: F) => {
    const k = `${fam}|${tutti.join(',')}`;
    if (!letti.has(k)) letti.set(k, leggiAnni(db, fam, tutti, contesto.oggi));
    return letti.get(k)! as ReturnType<typeof leggiAnni<F>>;
  };
  const out: { anno: number; doc: Documento }[] = [];
  if (p === 'sportello') {
    const d = await leggi('sportello');
    for (const a of tutti.filter((x) => x <= anno)) out.push({ anno: a, doc: unaSorte(contesto, filtri(a), v, (g, o) => documentoSportello(contesto, g, v, d.get(a)!, o)) });
  } else if (p === 'sociali') {
    const d = await leggi('sociali');
    for (const a of tutti.filter((x) => x <= anno)) out.push({ anno: a, doc: unaSorte(contesto, filtri(a), v, (g, o) => documentoSociali(contesto, g, v, d.get(a)!, o)) });
  } else {
    const d = await leggi('economici');
    for (const a of tutti.filter((x) => x <= anno)) out.push({ anno: a, doc: unaSorte(contesto, filtri(a), v, (g, o) => documentoEconomici(contesto, g, v, d.get(a)!, o)) });
  }
  return out.map((x) => ({ anno: x.anno, doc: { ...x.doc, tabelle: [], grafici: [] } }));
}

let versioni = 0;

/**
 * Compares, for every family, account and filter, the documents of every year read now and
 * read before; returns how many headline figures were compared and how many of them hidden.
 */
async function confronta(db: Database, contesto: Contesto, lettori: Visibilita[], campioni: Record<string, string>[]): Promise<{ cifre: number; nascoste: number }> {
  let cifre = 0;
  let nascoste = 0;
  // One data version per comparison of every account and filter: the raw figures of a year are
  // then read once from the facts and kept (riservaAnni), as the pages keep them between readers;
  // each comparison still builds its own documents (a memo of its own, below).
  const versione = `v${++versioni}`;
  const letti = new Map<string, Promise<Map<number, unknown>>>();
  for (const v of lettori) {
    for (const q of campioni) {
      for (const p of FAMIGLIE) {
        const f = parseFiltri(q, p, contesto, { api: true });
        const dettaglio = v.udp || (v.proprio !== null && f.comune === v.proprio);
        const filtri = (a: number) => filtriAnno(f, a, dettaglio);
        // A memo of its own: no document built for another comparison is reused.
        const memo = new Map<string, Promise<unknown>>();
        const cached = <T>(k: string, fn: () => Promise<T>) => (memo.get(k) ?? memo.set(k, fn()).get(k)!) as Promise<T>;
        const ora = await documentiAnni(db, cached, { versione, contesto, v }, f.anno, [p], (_p, a) => filtri(a));
        const prima = await comePrima(db, contesto, v, f.anno, p, filtri, letti);
        expect(ora.map((x) => x.anno)).toEqual(prima.map((x) => x.anno));
        ora.forEach((x, i) => {
          expect({ classe: v.classe, q, p, anno: x.anno, doc: x.docs[p] }).toEqual({ classe: v.classe, q, p, anno: prima[i].anno, doc: prima[i].doc });
          for (const s of prima[i].doc.sintesi) {
            cifre++;
            if (s.valore === '<3' || s.valore === 'riservato') nascoste++;
          }
        });
      }
    }
  }
  return { cifre, nascoste };
}

describeDb('anni a confronto, un anno alla volta: come prima (ambito di prova)', (get) => {
  let contesto: Contesto;
  beforeAll(async () => {
    await caricaDati(get());
    contesto = await caricaContesto(get(), '2026-11-22');
  });
  const lettori = [UDP, ALTRI, di(LODI)];
  const campioni: Record<string, string>[] = [{ anno: '2025' }, { anno: '2026' }, { anno: '2024', comune: BREMBIO }, { anno: '2025', comune: LODI }, { anno: '2025', cluster: '6' }, { anno: '2025', distretto: 'Lodi', vista: 'distretto' }, { anno: '2025', area: 'adulti' }, { anno: '2025', comune: LODI, area: 'minori' }];

  test('senza fatti precalcolati (ogni anno dai dati, una sola lettura per anno)', async () => {
    const r = await confronta(get(), contesto, lettori, campioni);
    expect(r.nascoste).toBeGreaterThan(10);
  });

  test('con i fatti degli ultimi anni (gli altri dai dati), e con i fatti di un altro giorno', async () => {
    await calcolaFatti(get(), '2026-11-22', new Date(), 2);
    const r = await confronta(get(), contesto, lettori, campioni);
    expect(r.nascoste).toBeGreaterThan(10);
    // Facts of another day: sociali's current year is read from the data (its `aperte` day differs).
    await calcolaFatti(get(), '2026-11-20');
    await confronta(get(), contesto, lettori, campioni);
    await get().knex('fatti_stato').del();
  });
});

describe('anni a confronto, un anno alla volta: come prima (ambito dimostrativo)', () => {
  let db: Database;
  let dir: string;
  let contesto: Contesto;
  beforeAll(async () => {
    dir = await cartellaDemo();
    db = await openDb({ pgliteDir: path.join(dir, 'db') });
    await migrate(db);
    contesto = await caricaContesto(db, OGGI_DEMO);
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('ogni famiglia, tre lettori, un campione di filtri: stessi documenti, cifra per cifra', async () => {
    if (!(await db.knex('fatti_stato').first())) await calcolaFatti(db, OGGI_DEMO);
    const comuni = [...contesto.perIstat.keys()].sort();
    const piccolo = '098033';
    expect(comuni).toContain(piccolo);
    const campioni: Record<string, string>[] = [
      { anno: '2025' },
      { anno: '2026' },
      { anno: '2025', comune: piccolo },
      { anno: '2024', comune: comuni[0] },
      { anno: '2025', cluster: String(contesto.cluster[0]) },
      { anno: '2025', distretto: contesto.distretti[0], vista: 'distretto' },
      { anno: '2025', area: 'anziani' },
      { anno: '2025', comune: piccolo, area: 'minori' },
    ];
    const r = await confronta(db, contesto, [UDP, ALTRI, di(piccolo)], campioni);
    expect(r.cifre).toBeGreaterThan(1000);
    expect(r.nascoste).toBeGreaterThan(0);
  });
});
