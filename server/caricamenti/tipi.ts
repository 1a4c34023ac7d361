/**
 * The inputs of the data contract (docs/formati.md) that the office can upload from the browser,
 * and what each upload accepts. The import itself is the one of `cruscotto import` (service.ts).
 */
export const TIPI_CARICAMENTO = ['siz', 'censimento', 'anagrafe', 'scadenze', 'comuni', 'nomenclatore'] as const;
export type TipoCaricamento = (typeof TIPI_CARICAMENTO)[number];

export interface DescrizioneTipo {
  tipo: TipoCaricamento;
  titolo: string;
  descrizione: string;
  /** Extensions accepted, lower case with the dot. */
  estensioni: string[];
  /** Several files in one upload (the SIZ extract). */
  multipli: boolean;
  /** The date asked on the form: required (registry snapshot) or optional (SIZ, when estrazione.txt is not among the files). */
  data: 'obbligatoria' | 'facoltativa' | null;
  etichettaData?: string;
}

export const TIPI: Record<TipoCaricamento, DescrizioneTipo> = {
  siz: {
    tipo: 'siz',
    titolo: 'Estrazione SIZ',
    descrizione: "I file CSV dell'estrazione (cartelle.csv e membri.csv obbligatori; prestazioni.csv, accessi.csv, operatori.csv, estrazione.txt facoltativi), scelti tutti insieme, oppure un unico file ZIP della cartella.",
    estensioni: ['.csv', '.txt', '.zip'],
    multipli: true,
    data: 'facoltativa',
    etichettaData: "Data dell'estrazione (se manca estrazione.txt)",
  },
  censimento: {
    tipo: 'censimento',
    titolo: 'Censimento',
    descrizione: 'Le risposte dei comuni al censimento: un file CSV o un foglio Excel (.xlsx), una riga per comune.',
    estensioni: ['.csv', '.xlsx'],
    multipli: false,
    data: null,
  },
  anagrafe: {
    tipo: 'anagrafe',
    titolo: 'Anagrafe',
    descrizione: "L'estrazione dei residenti di uno o più comuni a una data (anagrafe.csv).",
    estensioni: ['.csv'],
    multipli: false,
    data: 'obbligatoria',
    etichettaData: 'Data dello snapshot',
  },
  scadenze: {
    tipo: 'scadenze',
    titolo: 'Piano delle scadenze',
    descrizione: 'Le scadenze dei comuni (scadenze.csv): nuove scadenze e modifiche a quelle già presenti.',
    estensioni: ['.csv'],
    multipli: false,
    data: null,
  },
  comuni: {
    tipo: 'comuni',
    titolo: 'Anagrafica dei comuni',
    descrizione: "L'elenco dei comuni dell'ambito (comuni.csv) con popolazione, distretto e indirizzi e-mail; i comuni che non sono nel file restano nello storico come non attivi.",
    estensioni: ['.csv'],
    multipli: false,
    data: null,
  },
  nomenclatore: {
    tipo: 'nomenclatore',
    titolo: 'Nomenclatore delle prestazioni',
    descrizione: 'I codici delle prestazioni (nomenclatore.csv): sostituisce per intero quello in uso.',
    estensioni: ['.csv'],
    multipli: false,
    data: null,
  },
};

export function isTipo(v: unknown): v is TipoCaricamento {
  return typeof v === 'string' && (TIPI_CARICAMENTO as readonly string[]).includes(v);
}
