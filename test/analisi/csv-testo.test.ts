/**
 * The CSV of an analysis table written once per table (server/analisi/risposta.ts, testoCsv), as
 * its bytes: the same text as csvTabella, the same bytes (and ETag) for the next download of the
 * same table, its own for another table (another data version builds new tables).
 */
import { testoCsv } from '../../server/analisi/risposta';
import { csvTabella, TabellaAnalisi } from '../../server/analisi/tabella';

const tabella = (n: number): TabellaAnalisi => ({
  id: 'punti',
  titolo: 'Punti di accesso',
  colonne: [
    { chiave: 'nome', etichetta: 'Punto di accesso' },
    { chiave: 'accessi', etichetta: 'Accessi' },
  ],
  righe: Array.from({ length: n }, (_, i) => ({ nome: `Sportello "${i}", Lodi`, accessi: i % 3 ? i : '<3' })),
  totale: { nome: 'Totale', accessi: n * 7 },
});

test('lo stesso testo di csvTabella, scritto una volta per tabella', () => {
  const t = tabella(5);
  const primo = testoCsv(t);
  const testoDi = (x: TabellaAnalisi) => testoCsv(x).byte.toString('utf8');
  expect(testoDi(t)).toBe(csvTabella(t));
  expect(testoDi(t)).toContain('"Sportello ""1"", Lodi";1');
  // The next downloads of the same table give the text written the first time: a row added
  // to the table afterwards (nothing changes a kept document's tables) does not show in it.
  t.righe.push({ nome: 'aggiunta', accessi: 1 });
  expect(testoCsv(t)).toBe(primo);
  expect(testoDi(t)).not.toContain('aggiunta');
  // Another table (the next data version's document): its own text, never the old one.
  const altra = tabella(6);
  expect(testoDi(altra)).toBe(csvTabella(altra));
  expect(testoCsv(altra).etag).not.toBe(primo.etag);
});
