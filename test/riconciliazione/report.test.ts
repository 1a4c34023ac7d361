/**
 * The report of docs/interfacce.md validated against server/riconciliazione/report.schema.json, the
 * explanation of a figure (ids counted and excluded), the stored runs, the job and the hook.
 */
import { z } from 'zod';
import schema from '../../server/riconciliazione/report.schema.json';
import { dopoImportazioni } from '../../jobs';
import { explain, latestReport, METRICHE, runRiconciliazione } from '../../server/riconciliazione/service';
import { runJob } from '../../jobs';
import { describeDb, truncateAll } from '../support/db';
import { cartella, censimento, comune, ctxFor, erogazione, membro, nomenclatore, person, run } from './helpers';

const E = '2020-06-30';
const A = '098031';
const B = '098010';
const C = '098047';

const validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);


describeDb('riconciliazione: report JSON, spiegazione, job', (get) => {
  beforeAll(async () => {
    const db = get();
    await truncateAll(db);
    await nomenclatore(db);
    await comune(db, A, { nome: 'Lodi', popolazione: 45000, distretto: 'Lodi' });
    await comune(db, B, { nome: 'Brembio', popolazione: 2800, distretto: 'Casalpusterlengo' });
    await comune(db, C, { nome: "Sant'Angelo Lodigiano", popolazione: 13000, distretto: "Sant'Angelo Lodigiano" });
    await comune(db, '098099', { nome: 'Soppresso', attivo: false });
    await censimento(db, A, E, { cartelle_attive: 4, cartelle_attive_tutela: 1, utenti_in_carico: 6, utenti_in_carico_tutela: 0, cartelle_aperte_periodo: 2, utenti_nuovi_periodo: 3, cartelle_chiuse_periodo: 1, utenti_senza_cartella_periodo: 2 });
    await censimento(db, B, E, { cartelle_attive: 3 });
    await cartella(db, 'L1', A, '2019-01-01', null, { tutela: true });
    await cartella(db, 'L2', A, '2020-02-01');
    await cartella(db, 'L3', A, '2019-01-01', '2020-03-01');
    await cartella(db, 'L4', A, '2020-07-01');
    await cartella(db, 'L5', A, '2019-06-01'); // meals only
    await membro(db, 'L1', person(1));
    await membro(db, 'L1', person(2), null, '2020-05-01');
    await membro(db, 'L2', person(3));
    await membro(db, 'L2', person(1));
    await membro(db, 'L3', person(4));
    await membro(db, 'L5', person(5));
    await erogazione(db, { cartella: 'L5', cf: person(5), istat: A, codice: 'PT', data: '2019-07-01' });
    await erogazione(db, { cf: person(6), istat: A, data: '2020-02-01' });
    await erogazione(db, { cf: person(1), istat: A, data: '2020-02-01' });
    await cartella(db, 'B1', B, '2019-01-01');
    await cartella(db, 'B2', B, '2019-01-01');
    await cartella(db, 'B3', B, '2019-01-01');
    await cartella(db, 'B4', B, '2019-01-01');
  });

  test('the document validates against the JSON schema; every active comune, sorted, numbers as numbers', async () => {
    const db = get();
    await run(db, '2026-11-22');
    const rep = await latestReport(db);
    expect(rep).not.toBeNull();
    const parsed = validator.safeParse(JSON.parse(JSON.stringify(rep)));
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(rep!.comuni.map((c) => c.codice_istat)).toEqual([B, A, C]);
    expect(rep!.generato_il).toBe('2026-11-22T11:00:00Z'); // the injected clock
    expect(rep!.obiettivo).toBe(80);
    for (const c of rep!.comuni) {
      expect(Object.keys(c.metriche)).toEqual([...METRICHE]);
      for (const m of Object.values(c.metriche)) expect(typeof m.siz).toBe('number');
    }
    const lodi = rep!.comuni.find((c) => c.codice_istat === A)!;
    // L1, L2 active (L3 closed before E, L4 opened after, L5 excluded): 2 / 4.
    expect(lodi.metriche.cartelle_attive).toEqual({ siz: 2, dichiarato: 4, percentuale: 50 });
    expect(lodi.digit_tot).toBe(50);
    expect(lodi.mancanti_obiettivo).toBe(2); // ceil(3.2) - 2
    expect(lodi.stato).toBe('in_corso');
    const brembio = rep!.comuni.find((c) => c.codice_istat === B)!;
    expect([brembio.digit_tot, brembio.sopra_dichiarato, brembio.cluster]).toEqual([133.33, true, 5]);
    const sant = rep!.comuni.find((c) => c.codice_istat === C)!;
    expect([sant.stato, sant.data_riferimento, sant.metriche.cartelle_attive.dichiarato]).toEqual(['senza_censimento', null, null]);
    expect(rep!.ambito.digit_tot).toBe(85.71); // (2 + 4) / (4 + 3)
  });

  test('the schema rejects what docs/interfacce.md forbids', async () => {
    const rep = JSON.parse(JSON.stringify(await latestReport(get())));
    const ok = (doc: unknown) => validator.safeParse(doc).success;
    expect(ok(rep)).toBe(true);
    const mutate = (f: (d: any) => void) => {
      const d = JSON.parse(JSON.stringify(rep));
      f(d);
      return d;
    };
    expect(ok(mutate((d) => (d.comuni[0].digit_tot = '133.33')))).toBe(false); // a string
    expect(ok(mutate((d) => (d.comuni[0].digit_tot = 133.333)))).toBe(false); // 3 decimals
    expect(ok(mutate((d) => delete d.comuni[0].metriche.utenti_nuovi_periodo))).toBe(false); // a metric missing
    expect(ok(mutate((d) => (d.comuni[0].stato = 'ok')))).toBe(false);
    expect(ok(mutate((d) => (d.comuni[0].codice_istat = '98010')))).toBe(false);
    expect(ok(mutate((d) => (d.extra = 1)))).toBe(false);
  });

  test('--comune: only that comune; unknown comune: an error', async () => {
    const rep = await latestReport(get(), { comune: A });
    expect(rep!.comuni.map((c) => c.codice_istat)).toEqual([A]);
    await expect(latestReport(get(), { comune: '098099' })).rejects.toThrow(/098099/);
  });

  test('explain: the ids counted and the cartelle excluded with the reason, matching the stored figure for every metric', async () => {
    const db = get();
    const rep = (await latestReport(db, { comune: A }))!;
    for (const m of METRICHE) {
      const sp = await explain(db, { comune: A, metrica: m, oggi: '2026-11-22', obiettivo: 80 });
      expect([m, sp.siz, sp.counted.length]).toEqual([m, rep.comuni[0].metriche[m].siz, rep.comuni[0].metriche[m].siz]);
      expect(sp.percentuale).toBe(rep.comuni[0].metriche[m].percentuale);
    }
    const ca = await explain(db, { comune: A, metrica: 'cartelle_attive', oggi: '2026-11-22', obiettivo: 80 });
    expect(ca.counted).toEqual(['L1', 'L2']);
    expect(ca.excluded).toEqual([
      { id: 'L3', motivo: 'chiusa il 01/03/2020, non più aperta alla data di riferimento' },
      { id: 'L4', motivo: 'aperta il 01/07/2020, dopo la data di riferimento' },
      { id: 'L5', motivo: 'solo erogazioni di pasti a domicilio o trasporti fino al 30/06/2020' },
    ]);
    expect(ca.formula).toContain('round(100 × 2 / 4, 2) = 50,00%');
    expect(ca.formula).toContain('ne mancano 2');
    const uc = await explain(db, { comune: A, metrica: 'utenti_in_carico', oggi: '2026-11-22' });
    expect(uc.counted).toEqual([person(1), person(3)].sort());
    expect(uc.excluded).toEqual(
      [
        { id: person(2), motivo: 'nella cartella L1 fino al 01/05/2020' },
        { id: person(4), motivo: 'cartella L3 non aperta alla data di riferimento' },
        { id: person(5), motivo: 'cartella L5 con sole erogazioni di pasti a domicilio o trasporti' },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    const sc = await explain(db, { comune: A, metrica: 'utenti_senza_cartella_periodo', oggi: '2026-11-22' });
    expect(sc.counted).toEqual([person(6)]);
    expect(sc.excluded).toEqual([{ id: person(1), motivo: 'in carico nel periodo nella cartella L1, L2' }]);
    const tutela = await explain(db, { comune: B, metrica: 'cartelle_attive_tutela', oggi: '2026-11-22' });
    expect(tutela.formula).toContain('valore dichiarato assente');
  });

  test('old runs are kept; a failed run is recorded as errore', async () => {
    const db = get();
    const before = Number((await db.knex('riconciliazioni').count('* as n'))[0].n);
    const ctx = ctxFor(db, '2026-11-23');
    const res = await runRiconciliazione(ctx);
    expect(res.oggi).toBe('2026-11-23');
    expect(res.stati).toEqual({ raggiunto: 1, in_corso: 1, critico: 0, senza_censimento: 1 });
    expect(res.messaggio).toMatch(/^Riconciliazione n\. \d+ del 2026-11-23/);
    await expect(runRiconciliazione(ctx, { dataRiferimento: '2020-02-30' })).rejects.toThrow(/data non valida/);
    // A failure in the middle of the run (here: a function the SQL calls is missing).
    await db.knex.raw('alter function voce_codice(text) rename to voce_codice_x');
    try {
      await expect(runRiconciliazione(ctxFor(db, '2026-11-24'))).rejects.toThrow(/voce_codice/);
    } finally {
      await db.knex.raw('alter function voce_codice_x(text) rename to voce_codice');
    }
    const runs = await db.knex('riconciliazioni').orderBy('id');
    expect(runs.length).toBe(before + 2);
    expect(runs[runs.length - 1].esito).toBe('errore');
    expect(runs[runs.length - 1].messaggio).toBeTruthy();
    // The latest successful run is still the one reported.
    expect((await latestReport(db))!.comuni.length).toBe(3);
    expect(Number((await db.knex('riconciliazione_comuni').count('* as n'))[0].n)).toBe(3 * (before + 1));
  });

  test('the job riconciliazione and the hook after imports', async () => {
    const db = get();
    const ctx = ctxFor(db, '2026-11-25');
    const res = await runJob(ctx, 'riconciliazione', { oggi: '2026-11-25' });
    expect(res.messaggio).toMatch(/^Riconciliazione n\. \d+ del 2026-11-25/);
    expect(res.conteggi).toMatchObject({ comuni: 3, raggiunto: 1, in_corso: 1, senza_censimento: 1 });
    const count = async () => Number((await db.knex('riconciliazioni').where({ esito: 'ok' }).count('* as n'))[0].n);
    const n0 = await count();
    for (const kind of ['siz', 'censimento', 'comuni', 'scadenze']) {
      const lines = await dopoImportazioni(ctx, [kind]);
      expect(lines.some((l) => /^Riconciliazione n\. \d+/.test(l))).toBe(true);
    }
    expect(await count()).toBe(n0 + 4);
    expect((await dopoImportazioni(ctx, ['anagrafe'])).filter((l) => /^Riconciliazione/.test(l))).toEqual([]);
    // A new nomenclature changes the pages' code descriptions: only the precomputed facts follow it.
    expect((await dopoImportazioni(ctx, ['nomenclatore'])).map((l) => l.replace(/:.*/, ''))).toEqual(['Cifre del cruscotto precalcolate']);
    expect(await count()).toBe(n0 + 4);
  });
});
