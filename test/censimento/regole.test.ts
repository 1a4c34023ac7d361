/**
 * The census form's rules without a database: one test per validation rule and per warning,
 * with the exact Italian message.
 */
import { avvisi, esamina, Figure, leggiIntero } from '../../server/censimento/regole';
import { MSG } from '../../server/censimento/testi';

const vuote = (): Figure => ({ cartelle_attive: null, cartelle_attive_tutela: null, utenti_in_carico: null, utenti_in_carico_tutela: null, cartelle_aperte_periodo: null, utenti_nuovi_periodo: null, cartelle_chiuse_periodo: null, utenti_senza_cartella_periodo: null });
const nessunRif = { siz: {}, precedente: null, intervallo: null };

describe('validazione del modulo del censimento', () => {
  test('integers >= 0: a negative number, a decimal, a word are refused with the same message', () => {
    const e = esamina({ cartelle_attive: '-3', utenti_in_carico: '2,5', cartelle_chiuse_periodo: 'tanti' }, false);
    expect(e.errori).toEqual({ cartelle_attive: MSG.intero, utenti_in_carico: MSG.intero, cartelle_chiuse_periodo: MSG.intero });
    expect(MSG.intero).toBe('Inserire un numero intero maggiore o uguale a 0, oppure lasciare vuoto se il dato non è noto.');
  });

  test('"1.234" is one thousand two hundred thirty-four (the contract\'s thousands dot); spaces around are ignored', () => {
    expect(leggiIntero('1.234')).toBe(1234);
    expect(leggiIntero(' 7 ')).toBe(7);
    expect(leggiIntero('0')).toBe(0);
    expect(leggiIntero('12.34')).toBeNaN();
  });

  test('an empty figure is "not known": null, no error', () => {
    const e = esamina({ cartelle_attive: '12', utenti_in_carico: '', cartelle_attive_tutela: '   ' }, true);
    expect(e.errori).toEqual({});
    expect(e.valori.utenti_in_carico).toBeNull();
    expect(e.valori.cartelle_attive_tutela).toBeNull();
    expect(e.valori.cartelle_attive).toBe(12);
  });

  test('di cui tutela (cartelle) not above the active cartelle', () => {
    expect(esamina({ cartelle_attive: '5', cartelle_attive_tutela: '6' }, false).errori).toEqual({ cartelle_attive_tutela: 'Le cartelle di tutela minori non possono superare le cartelle attive.' });
    expect(esamina({ cartelle_attive: '5', cartelle_attive_tutela: '5' }, false).errori).toEqual({});
  });

  test('di cui tutela (utenti) not above the utenti in carico', () => {
    expect(esamina({ cartelle_attive: '5', utenti_in_carico: '8', utenti_in_carico_tutela: '9' }, false).errori).toEqual({ utenti_in_carico_tutela: 'Gli utenti di tutela minori non possono superare gli utenti in carico.' });
  });

  test('utenti in carico not fewer than the active cartelle', () => {
    expect(esamina({ cartelle_attive: '10', utenti_in_carico: '9' }, false).errori).toEqual({ utenti_in_carico: 'Gli utenti in carico non possono essere meno delle cartelle attive: ogni cartella ha almeno un utente.' });
    expect(esamina({ cartelle_attive: '10', utenti_in_carico: '10' }, false).errori).toEqual({});
  });

  test('new cartelle of the period not above the active ones', () => {
    expect(esamina({ cartelle_attive: '10', cartelle_aperte_periodo: '11' }, false).errori).toEqual({ cartelle_aperte_periodo: 'Le cartelle aperte nel periodo non possono superare le cartelle attive.' });
  });

  test('a submission needs the active cartelle (a draft does not)', () => {
    expect(esamina({ utenti_in_carico: '4' }, false).errori).toEqual({});
    expect(esamina({ utenti_in_carico: '4' }, true).errori).toEqual({ cartelle_attive: 'Per inviare la dichiarazione servono le cartelle attive: è il dato su cui si calcola la digitalizzazione.' });
  });

  test('a note longer than 2000 characters is refused', () => {
    expect(esamina({ cartelle_attive: '1', note: 'x'.repeat(2001) }, true).errori).toEqual({ note: 'La nota può avere al massimo 2000 caratteri.' });
  });
});

describe('avvisi di plausibilità (non bloccano)', () => {
  test('below the SIZ count: digitalization would exceed 100%', () => {
    const v = { ...vuote(), cartelle_attive: 5 };
    expect(avvisi(v, { ...nessunRif, siz: { cartelle_attive: 6 } })).toEqual([
      { campo: 'cartelle_attive', messaggio: 'Cartelle attive alla data di riferimento: il valore dichiarato (5) è inferiore a quanto risulta in SIZ alla data di riferimento (6): la digitalizzazione supererebbe il 100%.' },
    ]);
    expect(avvisi({ ...v, cartelle_attive: 6 }, { ...nessunRif, siz: { cartelle_attive: 6 } })).toEqual([]);
  });

  test('a change of more than 50% from the previous round (exactly 50% is not)', () => {
    const rif = { ...nessunRif, precedente: { cartelle_attive: 10 } };
    expect(avvisi({ ...vuote(), cartelle_attive: 16 }, rif)).toEqual([
      { campo: 'cartelle_attive', messaggio: 'Cartelle attive alla data di riferimento: variazione di più del 50% rispetto al censimento precedente (da 10 a 16).' },
    ]);
    expect(avvisi({ ...vuote(), cartelle_attive: 4 }, rif)[0].messaggio).toBe('Cartelle attive alla data di riferimento: variazione di più del 50% rispetto al censimento precedente (da 10 a 4).');
    expect(avvisi({ ...vuote(), cartelle_attive: 15 }, rif)).toEqual([]);
    expect(avvisi({ ...vuote(), cartelle_attive: 5 }, rif)).toEqual([]);
  });

  test("utenti/cartelle outside the range of the ambito's other comuni", () => {
    const rif = { ...nessunRif, intervallo: { min: 1.5, max: 3 } };
    expect(avvisi({ ...vuote(), cartelle_attive: 10, utenti_in_carico: 40 }, rif)).toEqual([
      { campo: 'utenti_in_carico', messaggio: "Il rapporto tra utenti in carico e cartelle attive (4) è fuori dall'intervallo osservato negli altri comuni dell'ambito (da 1,5 a 3)." },
    ]);
    expect(avvisi({ ...vuote(), cartelle_attive: 10, utenti_in_carico: 12 }, rif)[0].messaggio).toBe("Il rapporto tra utenti in carico e cartelle attive (1,2) è fuori dall'intervallo osservato negli altri comuni dell'ambito (da 1,5 a 3).");
    expect(avvisi({ ...vuote(), cartelle_attive: 10, utenti_in_carico: 30 }, rif)).toEqual([]);
    expect(avvisi({ ...vuote(), cartelle_attive: 10, utenti_in_carico: 30 }, nessunRif)).toEqual([]);
  });
});
