/**
 * Rates of the generator per scale. The ambito scale is the demo data set (the real 61
 * comuni of Lodi); the regione scale is a load test (~10 million residents).
 * Rates are per household (mean size ~2.32), tuned so that open cartelle are ~1% of
 * residents and the volumes match the targets in the generator's brief.
 */
export interface Parametri {
  delim: ';' | ',';
  /** Chance that a household holds a cartella open today / only closed ones. */
  pStoriaAperta: number;
  pStoriaChiusa: number;
  /** Chance that a household without a case went to the social desk / got a service without cartella. */
  pAccessiFamiglia: number;
  pServiziSenzaCartella: number;
  /** Multipliers of the number of erogazioni and accessi of a cartella. */
  erogMult: number;
  accessiMult: number;
  /** Multiplier of the registry variation rates. */
  variazioniMult: number;
  idWidth: { cartella: number; prestazione: number; accesso: number };
  /** Comuni left without census / declaring less than SIZ holds / with no recent loading. */
  senzaCensimento: number;
  sopraDichiarato: number;
  fermi: number;
  operatoriSenzaEmail: number;
}

/** The regional load test (~10 million residents). */
const REGIONE: Parametri = {
  delim: ',',
  pStoriaAperta: 0.0232,
  pStoriaChiusa: 0.03,
  pAccessiFamiglia: 0.12,
  pServiziSenzaCartella: 0.015,
  erogMult: 2.35,
  accessiMult: 1.7,
  variazioniMult: 1.4,
  idWidth: { cartella: 7, prestazione: 8, accesso: 8 },
  senzaCensimento: 75,
  sopraDichiarato: 20,
  fermi: 8,
  operatoriSenzaEmail: 10,
};

/** The scales of the generator, smallest first: the demo ambito, a quarter of the region, the region. */
export const SCALE = ['ambito', 'quarto', 'regione'] as const;
export type Scala = (typeof SCALE)[number];

export const PARAMETRI: Record<Scala, Parametri> = {
  ambito: {
    delim: ';',
    pStoriaAperta: 0.0232,
    pStoriaChiusa: 0.03,
    pAccessiFamiglia: 0.055,
    pServiziSenzaCartella: 0.012,
    erogMult: 1,
    accessiMult: 1,
    variazioniMult: 1,
    idWidth: { cartella: 6, prestazione: 7, accesso: 6 },
    senzaCensimento: 5,
    sopraDichiarato: 2,
    fermi: 1,
    operatoriSenzaEmail: 2,
  },
  regione: REGIONE,
  // A quarter of the region: the same rates; the counts of special comuni divided by 4.
  quarto: { ...REGIONE, senzaCensimento: 19, sopraDichiarato: 5, fermi: 2, operatoriSenzaEmail: 3 },
};
