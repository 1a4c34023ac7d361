/**
 * "Come si calcola" on the scorecard: the formula with the comune's own numbers (docs/dominio.md:
 * "62% = 31 cartelle caricate su 50 dichiarate; ne servono altre 9 per l'80%").
 */
import { spiegazione } from '../../server/cruscotto/scheda-spiegazione';

describe('come si calcola', () => {
  test("l'esempio del dominio: 31 su 50, obiettivo 80%", () => {
    // 80% of 50 = 40 cartelle; 40 - 31 = 9 missing.
    const s = spiegazione({ siz: 31, dichiarato: 50, digit: 62, mancanti: 9, data_riferimento: '2020-06-30' }, 80);
    expect(s.formula).toBe('62% = 31 cartelle caricate su 50 dichiarate');
    expect(s.testo).toBe("62% = 31 cartelle caricate su 50 dichiarate (censimento al 30/06/2020); ne servono altre 9 per l'80% (40 cartelle su 50).");
  });

  test('obiettivo raggiunto, sopra il dichiarato, singolari, censimento mancante o zero', () => {
    expect(spiegazione({ siz: 45, dichiarato: 50, digit: 90, mancanti: 0, data_riferimento: null }, 80).testo).toBe("90% = 45 cartelle caricate su 50 dichiarate: l'obiettivo dell'80% (40 cartelle) è raggiunto.");
    expect(spiegazione({ siz: 12, dichiarato: 10, digit: 120, mancanti: 0, data_riferimento: null }, 80).testo).toContain('più cartelle di quelle dichiarate');
    expect(spiegazione({ siz: 0, dichiarato: 1, digit: 0, mancanti: 1, data_riferimento: null }, 80).testo).toBe("0% = 0 cartelle caricate su 1 dichiarata; ne serve ancora 1 per l'80% (1 cartella su 1).");
    expect(spiegazione({ siz: 7, dichiarato: null, digit: null, mancanti: null, data_riferimento: null }, 80).testo).toContain('non ha restituito il censimento');
    expect(spiegazione({ siz: 7, dichiarato: 0, digit: null, mancanti: null, data_riferimento: null }, 80).formula).toBe('Digitalizzazione non calcolabile');
    // A target of 75% on 7 declared: ceil(5.25) = 6 needed.
    expect(spiegazione({ siz: 5, dichiarato: 7, digit: 71.43, mancanti: 1, data_riferimento: null }, 75).testo).toBe("71,43% = 5 cartelle caricate su 7 dichiarate; ne serve ancora 1 per il 75% (6 cartelle su 7).");
  });
});
