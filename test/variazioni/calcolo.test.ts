import { calcolaVariazioni } from '../../server/variazioni/calcolo';
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { BREMBIO, cleanupFiles, importa, LODI, ORA, persona, Riga, T0, T1, v, variazioni } from './helpers';

// One household of two adults that stays the same: every test starts from it, so a test that
// expects exactly one variation also proves that unchanged residents produce none.
const padre = persona('Rossi', 'Mario', '1980-01-01');
const madre = persona('Bianchi', 'Anna', '1982-05-20', 'F');
const base: Riga[] = [
  { p: padre, famiglia: 'F1' },
  { p: madre, famiglia: 'F1' },
];

describeDb('variazioni anagrafiche: i sei tipi', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });
  afterAll(cleanupFiles);

  async function confronta(t0: Riga[], t1: Riga[]) {
    await importa(get(), T0, t0);
    await importa(get(), T1, t1);
    return calcolaVariazioni(get(), { ora: ORA });
  }

  test('il primo snapshot di un comune non produce variazioni', async () => {
    const res = await (async () => {
      await importa(get(), T1, base);
      return calcolaVariazioni(get(), { ora: ORA });
    })();
    expect(res).toEqual([{ codice_istat: LODI, data_precedente: null, data_snapshot: T1, variazioni: 0, allarmi: 0 }]);
    expect(await variazioni(get())).toEqual([]);
  });

  test('nascita: assente a T0, presente a T1, nato dopo T0 - 30 giorni', async () => {
    const bimbo = persona('Rossi', 'Luca', '2026-11-18');
    const res = await confronta(base, [...base, { p: bimbo, famiglia: 'F1' }]);
    expect(await variazioni(get())).toEqual([v(LODI, bimbo, 'nascita')]);
    // Both snapshots are new to the job: the first is recorded with nothing to compare.
    expect(res).toEqual([
      { codice_istat: LODI, data_precedente: null, data_snapshot: T0, variazioni: 0, allarmi: 0 },
      { codice_istat: LODI, data_precedente: T0, data_snapshot: T1, variazioni: 1, allarmi: 0 },
    ]);
  });

  test('nascita: la data di nascita mancante è letta dal codice fiscale', async () => {
    const bimba = persona('Rossi', 'Sara', '2026-10-25', 'F');
    await confronta(base, [...base, { p: bimba, famiglia: 'F1', conNascita: false }]);
    expect(await variazioni(get())).toEqual([v(LODI, bimba, 'nascita')]);
  });

  test('quasi-nascita: nato 31 giorni prima di T0 (o esattamente 30) è un\'immigrazione, 29 giorni prima una nascita', async () => {
    // T0 = 2026-11-20: T0 - 31 = 2026-10-20, T0 - 30 = 2026-10-21, T0 - 29 = 2026-10-22.
    const a = persona('Verdi', 'Aldo', '2026-10-20');
    const b = persona('Neri', 'Bruno', '2026-10-21');
    const c = persona('Gialli', 'Carlo', '2026-10-22');
    await confronta(base, [...base, { p: a, famiglia: 'F2' }, { p: b, famiglia: 'F3' }, { p: c, famiglia: 'F4' }]);
    expect(await variazioni(get())).toEqual([v(LODI, a, 'immigrazione'), v(LODI, b, 'immigrazione'), v(LODI, c, 'nascita')].sort());
  });

  test('quasi-nascita: senza data di nascita e con un codice fiscale non valido è un\'immigrazione', async () => {
    const vero = persona('Sconosciuto', 'Neonato', '2026-11-18');
    const last = vero.cf[15] === 'A' ? 'B' : 'A';
    const invalido = { ...vero, cf: vero.cf.slice(0, 15) + last };
    await confronta(base, [...base, { p: invalido, famiglia: 'F1', conNascita: false }]);
    expect(await variazioni(get())).toEqual([v(LODI, invalido, 'immigrazione')]);
  });

  test('immigrazione: un adulto assente a T0 e residente a T1', async () => {
    const nuovo = persona('Esposito', 'Gennaro', '1990-03-03');
    await confronta(base, [...base, { p: nuovo, famiglia: 'F9', indirizzo: 'Via Milano 2' }]);
    expect(await variazioni(get())).toEqual([v(LODI, nuovo, 'immigrazione')]);
  });

  test('immigrazione: chi era registrato come emigrato a T0 e torna residente', async () => {
    const torna = persona('Ferrari', 'Paolo', '1975-04-04');
    await confronta([...base, { p: torna, famiglia: 'F5', stato: 'emigrato', evento: '2026-01-10' }], [...base, { p: torna, famiglia: 'F5' }]);
    expect(await variazioni(get())).toEqual([v(LODI, torna, 'immigrazione')]);
  });

  test('decesso: residente a T0, deceduto a T1 (con la data dell\'evento)', async () => {
    await confronta(base, [{ p: padre, famiglia: 'F1', stato: 'deceduto', evento: '2026-11-20' }, base[1]]);
    expect(await variazioni(get())).toEqual([v(LODI, padre, 'decesso')]);
    const row = await get().knex('variazioni').first();
    expect(row).toMatchObject({ data_evento: '2026-11-20', cognome: 'Rossi', nome: 'Mario', id_famiglia_precedente: 'F1', id_famiglia: 'F1' });
  });

  test('emigrazione: residente a T0 ed emigrato a T1', async () => {
    await confronta(base, [base[0], { p: madre, famiglia: 'F1', stato: 'emigrato', evento: '2026-11-21' }]);
    expect(await variazioni(get())).toEqual([v(LODI, madre, 'emigrazione')]);
  });

  test('emigrazione: residente a T0 e assente a T1 senza stato finale', async () => {
    await confronta(base, [base[0]]);
    expect(await variazioni(get())).toEqual([v(LODI, madre, 'emigrazione')]);
    expect(await get().knex('variazioni').first()).toMatchObject({ indirizzo_precedente: 'Via Roma 1', indirizzo: null, id_famiglia_precedente: 'F1', id_famiglia: null });
  });

  test('chi non era residente a T0 e non lo è a T1 non produce variazioni', async () => {
    const morto = persona('Conti', 'Elio', '1930-02-02');
    await confronta([...base, { p: morto, famiglia: 'F7', stato: 'deceduto', evento: '2026-05-01' }], [...base, { p: morto, famiglia: 'F7', stato: 'deceduto', evento: '2026-05-01' }]);
    expect(await variazioni(get())).toEqual([]);
  });

  test('cambio di indirizzo: residente in entrambi con indirizzo diverso', async () => {
    await confronta(base, [{ p: padre, famiglia: 'F1', indirizzo: 'Via Garibaldi 5' }, base[1]]);
    expect(await variazioni(get())).toEqual([v(LODI, padre, 'cambio_indirizzo')]);
    expect(await get().knex('variazioni').first()).toMatchObject({ indirizzo_precedente: 'Via Roma 1', indirizzo: 'Via Garibaldi 5' });
  });

  test('quasi-cambio di indirizzo: maiuscole e spazi diversi non sono un cambio', async () => {
    await confronta(base, [{ p: padre, famiglia: 'F1', indirizzo: '  VIA   roma 1 ' }, { p: madre, famiglia: 'F1', indirizzo: 'via ROMA  1' }]);
    expect(await variazioni(get())).toEqual([]);
  });

  test('cambio di famiglia: residente in entrambi con id_famiglia diverso', async () => {
    await confronta(base, [base[0], { p: madre, famiglia: 'F2' }]);
    expect(await variazioni(get())).toEqual([v(LODI, madre, 'cambio_famiglia')]);
  });

  test('cambio di famiglia e di indirizzo insieme sono due variazioni', async () => {
    await confronta(base, [base[0], { p: madre, famiglia: 'F2', indirizzo: 'Via Dante 3' }]);
    expect(await variazioni(get())).toEqual([v(LODI, madre, 'cambio_famiglia'), v(LODI, madre, 'cambio_indirizzo')].sort());
  });

  test('trasferimento tra due comuni dell\'ambito: emigrazione in uno, immigrazione nell\'altro', async () => {
    const altro = persona('Galli', 'Dario', '1970-06-06');
    const chi = persona('Moretti', 'Ugo', '1960-07-07');
    await confronta(
      [...base, { p: altro, istat: BREMBIO, famiglia: 'B1' }, { p: chi, famiglia: 'F8' }],
      [...base, { p: altro, istat: BREMBIO, famiglia: 'B1' }, { p: chi, istat: BREMBIO, famiglia: 'B2', indirizzo: 'Piazza Matteotti 1' }],
    );
    expect(await variazioni(get())).toEqual([v(LODI, chi, 'emigrazione'), v(BREMBIO, chi, 'immigrazione')].sort());
  });
});

describeDb('variazioni anagrafiche: ripetizioni e conservazione degli snapshot', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });
  afterAll(cleanupFiles);

  const figlio = persona('Rossi', 'Luca', '2026-11-18');
  const t1: Riga[] = [...base, { p: figlio, famiglia: 'F1' }];

  test('rieseguire il calcolo o reimportare lo stesso snapshot non crea nulla di nuovo', async () => {
    await importa(get(), T0, base);
    await importa(get(), T1, t1);
    await calcolaVariazioni(get(), { ora: ORA });
    expect(await variazioni(get())).toEqual([v(LODI, figlio, 'nascita')]);

    expect(await calcolaVariazioni(get(), { ora: ORA })).toEqual([]);
    await importa(get(), T1, t1);
    expect(await calcolaVariazioni(get(), { ora: ORA })).toEqual([]);
    expect(await get().knex('variazioni').count('* as n')).toEqual([{ n: 1 }]);
  });

  test('più snapshot importati prima del calcolo: ogni coppia è confrontata, poi i vecchi sono rimossi', async () => {
    const nuovo = persona('Esposito', 'Gennaro', '1990-03-03');
    await importa(get(), '2026-11-19', base);
    await importa(get(), T0, base.slice(0, 1));
    await importa(get(), T1, [base[0], { p: nuovo, famiglia: 'F9' }]);
    // Not compared yet: the import keeps all three.
    expect(await get().knex('anagrafe_snapshot').count('* as n')).toEqual([{ n: 3 }]);
    const res = await calcolaVariazioni(get(), { ora: ORA });
    expect(res.map((r) => `${r.data_precedente}>${r.data_snapshot}:${r.variazioni}`)).toEqual(['null>2026-11-19:0', `2026-11-19>${T0}:1`, `${T0}>${T1}:1`]);
    expect(await variazioni(get())).toEqual([v(LODI, madre, 'emigrazione', '2026-11-19', T0), v(LODI, nuovo, 'immigrazione')].sort());

    await importa(get(), '2026-11-22', [base[0], { p: nuovo, famiglia: 'F9' }]);
    const kept = await get().knex('anagrafe_snapshot').orderBy('data_snapshot').pluck('data_snapshot');
    expect(kept).toEqual([T1, '2026-11-22']);
  });

  test('uno snapshot più vecchio dell\'ultimo confrontato non viene confrontato', async () => {
    await importa(get(), T0, base);
    await importa(get(), '2026-11-22', base.slice(0, 1));
    await calcolaVariazioni(get(), { ora: ORA });
    expect(await variazioni(get())).toEqual([v(LODI, madre, 'emigrazione', T0, '2026-11-22')]);
    // A late snapshot dated between the two would otherwise report the same emigration twice.
    await importa(get(), T1, base.slice(0, 1));
    expect(await calcolaVariazioni(get(), { ora: ORA })).toEqual([]);
    expect(await get().knex('variazioni').count('* as n')).toEqual([{ n: 1 }]);
  });
});
