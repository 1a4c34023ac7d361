/**
 * What social services look like per target group: which nomenclature codes, monthly
 * or one-off, typical cost, who pays part of it; and the desk's lists of reasons
 * (motivi di accesso) and problems found. Values are plausible orders of magnitude for
 * a Lombard district, not statistics.
 */

export interface Intervento {
  /** Ways the code is written in SIZ (a description may be glued after '-' or a space). */
  codici: readonly string[];
  mensile: boolean;
  /** Cost range in euro and number of erogazioni (months for a monthly service). */
  min: number;
  max: number;
  nMin: number;
  nMax: number;
  /** Recovery: which column (0 assistito, 1 famiglia, 2 altri enti, 3 altri), how often, what share. */
  rec?: { campo: 0 | 1 | 2 | 3; p: number; min: number; max: number };
  /** The beneficiary is a child of the household. */
  minore?: boolean;
}

type Voce = readonly [Intervento, number];

export const ANZIANI: readonly Voce[] = [
  [{ codici: ['A2.07', 'A2.07 SAD'], mensile: true, min: 180, max: 900, nMin: 3, nMax: 18, rec: { campo: 0, p: 0.4, min: 0.05, max: 0.3 } }, 30],
  [{ codici: ['A2.07.01', 'A2.07.01-PASTI A DOMICILIO'], mensile: true, min: 60, max: 260, nMin: 2, nMax: 14, rec: { campo: 0, p: 0.7, min: 0.3, max: 0.9 } }, 22],
  [{ codici: ['A1.16.01', 'A1.16.01 TRASPORTO SOCIALE'], mensile: false, min: 15, max: 140, nMin: 1, nMax: 6, rec: { campo: 0, p: 0.3, min: 0.2, max: 0.5 } }, 12],
  [{ codici: ['A1.14'], mensile: true, min: 400, max: 1600, nMin: 3, nMax: 20, rec: { campo: 1, p: 0.4, min: 0.1, max: 0.5 } }, 12],
  [{ codici: ['A1.11'], mensile: true, min: 100, max: 450, nMin: 2, nMax: 12 }, 10],
  [{ codici: ['A1.10'], mensile: false, min: 150, max: 900, nMin: 1, nMax: 2 }, 6],
  [{ codici: ['A2.08'], mensile: true, min: 150, max: 600, nMin: 2, nMax: 8, rec: { campo: 2, p: 0.5, min: 0.3, max: 0.7 } }, 5],
  [{ codici: ['A1.04'], mensile: false, min: 100, max: 600, nMin: 1, nMax: 3 }, 4],
];

/** Meals-on-wheels and transport only: such cartelle are excluded from the census counts. */
export const PASTI_TRASPORTI: readonly Voce[] = [
  [ANZIANI[1][0], 5],
  [ANZIANI[2][0], 3],
  [{ codici: ['A1.16'], mensile: false, min: 50, max: 300, nMin: 1, nMax: 3 }, 2],
];

export const MINORI: readonly Voce[] = [
  [{ codici: ['A2.02'], mensile: true, min: 250, max: 1300, nMin: 3, nMax: 15, minore: true }, 25],
  [{ codici: ['A3.02', 'A3.02 COMUNITA ALLOGGIO'], mensile: true, min: 2200, max: 4200, nMin: 2, nMax: 18, rec: { campo: 2, p: 0.3, min: 0.2, max: 0.5 }, minore: true }, 6],
  [{ codici: ['A1.07'], mensile: true, min: 120, max: 420, nMin: 3, nMax: 10, rec: { campo: 1, p: 0.5, min: 0.1, max: 0.4 }, minore: true }, 10],
  [{ codici: ['A2.11'], mensile: true, min: 200, max: 800, nMin: 3, nMax: 9, minore: true }, 10],
  [{ codici: ['A1.04', 'A1.04 - CONTRIBUTO ECONOMICO'], mensile: false, min: 100, max: 800, nMin: 1, nMax: 3 }, 20],
  [{ codici: ['A1.09'], mensile: false, min: 50, max: 400, nMin: 1, nMax: 2, minore: true }, 8],
  [{ codici: ['A2.12'], mensile: true, min: 40, max: 120, nMin: 3, nMax: 9, rec: { campo: 1, p: 0.4, min: 0.2, max: 0.6 }, minore: true }, 8],
  [{ codici: ['A3.03'], mensile: true, min: 300, max: 600, nMin: 3, nMax: 10, minore: true }, 4],
  [{ codici: ['A1.05'], mensile: false, min: 200, max: 1200, nMin: 1, nMax: 2 }, 5],
];

/** Residential placement of a child: frequent in tutela minori cases. */
export const COMUNITA_MINORI = MINORI[1][0];

export const ADULTI: readonly Voce[] = [
  [{ codici: ['A1.04', 'A1.04 - CONTRIBUTO ECONOMICO'], mensile: false, min: 150, max: 700, nMin: 1, nMax: 6 }, 30],
  [{ codici: ['A1.05'], mensile: false, min: 200, max: 1500, nMin: 1, nMax: 4, rec: { campo: 3, p: 0.1, min: 0.1, max: 0.3 } }, 15],
  [{ codici: ['A1.06'], mensile: false, min: 50, max: 300, nMin: 1, nMax: 3 }, 12],
  [{ codici: ['A2.09'], mensile: true, min: 200, max: 550, nMin: 2, nMax: 10 }, 10],
  [{ codici: ['A1.18'], mensile: false, min: 300, max: 1500, nMin: 1, nMax: 2 }, 5],
  [{ codici: ['A2.05'], mensile: false, min: 80, max: 400, nMin: 1, nMax: 2 }, 6],
  [{ codici: ['A3.01'], mensile: true, min: 700, max: 2000, nMin: 3, nMax: 18, rec: { campo: 0, p: 0.3, min: 0.05, max: 0.2 } }, 6],
  [{ codici: ['A1.17'], mensile: false, min: 500, max: 2000, nMin: 1, nMax: 1 }, 2],
  [{ codici: ['A2.01'], mensile: true, min: 50, max: 200, nMin: 2, nMax: 8 }, 4],
  [{ codici: ['Z9.99'], mensile: false, min: 50, max: 500, nMin: 1, nMax: 1 }, 2],
];

/** The SIZ local sub-code shown in today's cruscotto, with its description glued on. */
export const BUONI_COVID: Intervento = { codici: ['A1.05.01-BUONI SPESA COVID-19'], mensile: false, min: 100, max: 400, nMin: 1, nMax: 2 };

/** Services given without a cartella (one-off benefits, tariff reductions). */
export const SENZA_CARTELLA: readonly Voce[] = [
  [{ codici: ['A1.06'], mensile: false, min: 50, max: 300, nMin: 1, nMax: 2 }, 20],
  [{ codici: ['A2.06'], mensile: false, min: 40, max: 250, nMin: 1, nMax: 1 }, 10],
  [{ codici: ['A2.05'], mensile: false, min: 60, max: 300, nMin: 1, nMax: 2 }, 10],
  [{ codici: ['A1.19'], mensile: false, min: 200, max: 800, nMin: 1, nMax: 1 }, 5],
  [{ codici: ['A1.20'], mensile: false, min: 100, max: 400, nMin: 1, nMax: 1 }, 5],
  [{ codici: ['A1.09'], mensile: false, min: 50, max: 300, nMin: 1, nMax: 1 }, 8],
  [{ codici: ['A1.02'], mensile: false, min: 300, max: 1800, nMin: 1, nMax: 1 }, 5],
  [{ codici: ['A1.01'], mensile: false, min: 150, max: 900, nMin: 1, nMax: 2 }, 5],
];

type Lista = readonly (readonly [string, number])[];

/*
 * Motivi and problemi are the SIZ's own labels, as the cruscotto of the Ufficio di Piano lists them
 * (the ambito's 2021 figures, in the project's source document kept outside the repository; its
 * columns cut two labels, completed here: "NON AUTOSUFFICIENZA/PROBLEMI DI SALUTE",
 * "APPROFONDIMENTO PRELIMINARE SULLA SITUAZIONE"). `generale` (anonymous accessi) follows that
 * document's shares; the lists by age band move the same labels towards their usual public.
 */
export const MOTIVI: Record<'minori' | 'adulti' | 'anziani' | 'generale', Lista> = {
  minori: [
    ['COLLOQUIO ASSISTENTE SOCIALE', 35], ['CONTRIBUTO ECONOMICO', 18], ['INFORMAZIONE E ORIENTAMENTO', 14],
    ['APPROFONDIMENTO PRELIMINARE SULLA SITUAZIONE', 10], ['ORIENTAMENTO AI SERVIZI', 8], ['PRESTAZIONI AGEVOLATE', 7],
    ['SUPPORTO ABITATIVO', 5], ['TRASPORTO', 3],
  ],
  adulti: [
    ['COLLOQUIO ASSISTENTE SOCIALE', 28], ['CONTRIBUTO ECONOMICO', 22], ['INFORMAZIONE E ORIENTAMENTO', 14], ['RDC', 12],
    ['SOSTEGNO RICERCA LAVORATIVA', 9], ['SUPPORTO ABITATIVO', 4], ['PRESTAZIONI AGEVOLATE', 3], ['ORIENTAMENTO AI SERVIZI', 3],
    ['APPROFONDIMENTO PRELIMINARE SULLA SITUAZIONE', 3], ['ASSISTENZA DOMICILIARE', 2],
  ],
  anziani: [
    ['ASSISTENZA DOMICILIARE', 30], ['COLLOQUIO ASSISTENTE SOCIALE', 18], ['PASTI A DOMICILIO', 12], ['INFORMAZIONE E ORIENTAMENTO', 10],
    ['INSERIMENTO IN STRUTTURA', 9], ['TRASPORTO', 7], ['CONTRIBUTO ECONOMICO', 7], ['PRESTAZIONI AGEVOLATE', 4], ['ORIENTAMENTO AI SERVIZI', 3],
  ],
  generale: [
    ['COLLOQUIO ASSISTENTE SOCIALE', 2732], ['CONTRIBUTO ECONOMICO', 1746], ['INFORMAZIONE E ORIENTAMENTO', 1662],
    ['ASSISTENZA DOMICILIARE', 1099], ['RDC', 620], ['SOSTEGNO RICERCA LAVORATIVA', 479], ['PASTI A DOMICILIO', 310],
    ['ORIENTAMENTO AI SERVIZI', 225], ['PRESTAZIONI AGEVOLATE', 197], ['INSERIMENTO IN STRUTTURA', 197],
    ['APPROFONDIMENTO PRELIMINARE SULLA SITUAZIONE', 169], ['TRASPORTO', 169], ['SUPPORTO ABITATIVO', 113],
  ],
};

export const PROBLEMI: Record<'minori' | 'adulti' | 'anziani' | 'generale', Lista> = {
  minori: [
    ["CONFLITTUALITA' FAMILIARE", 30], ["PRECARIETA' ECONOMICA", 20], ['INFORMAZIONE E ORIENTAMENTO', 12], ['DISAGIO PSICHICO', 10],
    ["PRECARIETA' ALLOGGIATIVA", 8], ['RICHIESTA DI INFORMAZIONI', 8], ['IMMIGRAZIONE', 7], ['SITUAZIONE A RISCHIO DEBITORIO', 5],
  ],
  adulti: [
    ["PRECARIETA' ECONOMICA", 25], ["PRECARIETA' LAVORATIVA", 18], ['RDC', 10], ["PRECARIETA' ALLOGGIATIVA", 9],
    ['SITUAZIONE A RISCHIO DEBITORIO', 8], ['GRAVE SITUAZIONE DEBITORIA', 6], ['DISAGIO PSICHICO', 7], ['SUPPORTO ABITATIVO', 6],
    ['INFORMAZIONE E ORIENTAMENTO', 5], ['IMMIGRAZIONE', 4], ["CONFLITTUALITA' FAMILIARE", 2],
  ],
  anziani: [
    ['NON AUTOSUFFICIENZA/PROBLEMI DI SALUTE', 50], ["PRECARIETA' ECONOMICA", 12], ['RICHIESTA DI INFORMAZIONI', 12],
    ['INFORMAZIONE E ORIENTAMENTO', 10], ['SUPPORTO ABITATIVO', 6], ['DISAGIO PSICHICO', 5], ["CONFLITTUALITA' FAMILIARE", 5],
  ],
  generale: [
    ['NON AUTOSUFFICIENZA/PROBLEMI DI SALUTE', 2732], ["PRECARIETA' ECONOMICA", 1746], ['INFORMAZIONE E ORIENTAMENTO', 1662],
    ['RICHIESTA DI INFORMAZIONI', 1099], ["PRECARIETA' LAVORATIVA", 620], ['RDC', 479], ['SUPPORTO ABITATIVO', 310],
    ['DISAGIO PSICHICO', 225], ['SITUAZIONE A RISCHIO DEBITORIO', 197], ["PRECARIETA' ALLOGGIATIVA", 197],
    ['GRAVE SITUAZIONE DEBITORIA', 169], ["CONFLITTUALITA' FAMILIARE", 169], ['IMMIGRAZIONE', 113],
  ],
};

export const PUNTI_ACCESSO: Lista = [
  ['Segretariato sociale', 55], ['Sportello sociale comunale', 20], ['PUA - Punto Unico di Accesso', 10],
  ['Sportello stranieri', 5], ['Sportello casa', 5], ['Servizio tutela minori', 5],
];
