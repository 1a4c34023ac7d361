/**
 * Shared state of one generation run: dates, comuni, reference tables, counters.
 */
import { Comune } from './comuni';
import { Contatori } from './contatori';
import { Formato } from './formato';
import { Nomenclatore } from './nomenclatore';
import { Parametri, Scala } from './parametri';
import { Problemi } from './problemi';

export interface Contesto {
  seme: number;
  scala: Scala;
  par: Parametri;
  /** 'Today' of the data set and the SIZ extraction date (the day before). */
  oggi: number;
  estrazione: number;
  /** First day of the SIZ history. */
  inizio: number;
  /** Census round: reference date E and period start Ps. */
  E: number;
  Ps: number;
  comuni: Comune[];
  perIstat: Map<string, Comune>;
  nom: Nomenclatore;
  problemi: Problemi;
  contatori: Contatori;
  fmt: Formato;
  operatoriPerComune: Map<string, string[]>;
  /** Comuni with no loading in the last 60 days: istat -> last day with activity. */
  fermi: Map<string, number>;
  /** Latest activity day per comune (cartella, member, accesso or erogazione), for the caricamento_fermo guard. */
  ultimaAttivita: Map<string, number>;
  /** Registry snapshots: days between them, and the multiplier of the rates outside open cases (GeneraOptions.anagrafe). */
  anagrafe: { giorni: number; tasso: number };
  /** Code used for "unknown comune" rows: a well-formed code of no comune of the data set. */
  istatSconosciuto: string;
}

/** Last day on which the comune's SIZ has data. */
export function ultimoGiorno(contesto: Contesto, istat: string): number {
  return contesto.fermi.get(istat) ?? contesto.estrazione;
}
