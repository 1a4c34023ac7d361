/**
 * The beneficiary of an erogazione (docs/metriche.md "Area utenza"; issue 14): the birth date of the
 * person's member rows, else the one decoded from the row's own valid CF, else the area of the
 * linked cartella, else non_indicata. Before, a service given without a cartella to someone with
 * no member row landed in non_indicata even with a valid CF.
 *
 * The extract (imported as the office would):
 *   P1 nonno, valid CF born 1950-03-15, no cartella, no member row       -> anziani (by the CF)
 *   P2 bimbo, valid CF born 2015-06-01, cartella C1 (adulti), no member  -> minori (the CF wins
 *      over the cartella's area)
 *   P3 an invalid CF, no cartella                                        -> non_indicata
 *   P4 mario, member of C1 with data_nascita 1990-01-01 (his CF says 1980-01-01) -> adulti,
 *      from the member row (both give adulti; the member row is read first)
 */
import { describeDb } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { CF, seedComuni } from '../support/fixtures';
import { buildCf } from '../../server/shared/cf';
import { importSiz } from '../../server/importazione/siz';
import { leggiEconomici } from '../../server/cruscotto/economici';
import { leggiMese } from '../../server/cruscotto/mese';
import * as migrazione from '../../sql/migrations/20261203001410_nascita_erogazioni';

const NONNO = buildCf('VRD', 'GNN', '1950-03-15', 'M', 'E648');
const BIMBO = buildCf('VRD', 'BMB', '2015-06-01', 'M', 'E648');

describeDb("cruscotto: il beneficiario di un'erogazione senza cartella né appartenenza", (get) => {
  beforeAll(async () => {
    await seedComuni(get());
    const dir = tempFiles({
      'cartelle.csv': csv([
        ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'tutela_minori', 'operatore_id'],
        ['C1', '098031', '2020-01-15', '', 'adulti', 'no', 'OP1'],
      ]),
      'membri.csv': csv([
        ['id_cartella', 'codice_fiscale', 'ruolo', 'data_inizio', 'data_fine', 'data_nascita'],
        ['C1', CF.mario, 'titolare', '', '', '1990-01-01'],
      ]),
      'prestazioni.csv': csv([
        ['id_prestazione', 'id_cartella', 'codice_fiscale', 'codice_istat', 'codice_prestazione', 'data_erogazione', 'costo'],
        ['P1', '', NONNO, '098031', 'A1.04', '2020-05-10', '100'],
        ['P2', 'C1', BIMBO, '098031', 'A1.04', '2020-05-11', '50'],
        ['P3', '', 'XXXXXX00X00X000X', '098031', 'A1.04', '2020-05-12', '20'],
        ['P4', 'C1', CF.mario, '098031', 'A1.04', '2020-05-13', '7'],
      ]),
      'estrazione.txt': '2026-11-21\n',
    });
    expect((await importSiz(get(), dir)).esito).toBe('ok');
  });

  test("l'importazione ricava la data di nascita dal CF valido della riga", async () => {
    const righe = await get().knex('prestazioni').orderBy('id_prestazione').select('id_prestazione', 'cf_valido', 'data_nascita_cf');
    expect(righe).toEqual([
      { id_prestazione: 'P1', cf_valido: true, data_nascita_cf: '1950-03-15' },
      { id_prestazione: 'P2', cf_valido: true, data_nascita_cf: '2015-06-01' },
      { id_prestazione: 'P3', cf_valido: false, data_nascita_cf: null },
      { id_prestazione: 'P4', cf_valido: true, data_nascita_cf: '1980-01-01' },
    ]);
  });

  test('economici 2020: la fascia viene dal CF della riga quando nessuna appartenenza la dà', async () => {
    const aree = (await leggiEconomici(get(), 2020)).righe.get('098031')!.get('A1.04')!;
    expect(Object.fromEntries([...aree].map(([a, s]) => [a, [s.n, s.costo]]))).toEqual({
      anziani: [1, 100],
      minori: [1, 50],
      non_indicata: [1, 20],
      adulti: [1, 7],
    });
  });

  test('mese maggio 2020: erogazioni e prestazioni più frequenti con la stessa fascia', async () => {
    const m = await leggiMese(get(), '2020-05');
    expect(Object.fromEntries(m.misure.get('erogazioni_mese')!.get('098031')!)).toEqual({ anziani: 1, minori: 1, non_indicata: 1, adulti: 1 });
    expect(Object.fromEntries(m.liste.get('prestazioni')!.get('098031')!.get('A1.04')!)).toEqual({ anziani: 1, minori: 1, non_indicata: 1, adulti: 1 });
  });

  test('la migrazione ricava la data anche per le righe già caricate (con la data di estrazione del file)', async () => {
    await migrazione.down(get().knex);
    await migrazione.up(get().knex);
    const righe = await get().knex('prestazioni').orderBy('id_prestazione').pluck('data_nascita_cf');
    expect(righe).toEqual(['1950-03-15', '2015-06-01', null, '1980-01-01']);
  });
});
