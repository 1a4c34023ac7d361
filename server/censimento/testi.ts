import type { CensusMetric } from '../importazione/schede';

/**
 * The form's labels and help texts. The definitions are those of the 2020 census letter of the
 * Ufficio di Piano (the 2020 round's "cosa significa" and "esempio" columns), copied here so the
 * product never reads them from elsewhere at run time; "nel periodo" replaces the letter's fixed
 * dates, since every round has its own reference date and period start.
 */
export interface TestoFigura {
  etichetta: string;
  aiuto: string;
}

export const TESTI: Record<CensusMetric, TestoFigura> = {
  cartelle_attive: {
    etichetta: 'Cartelle attive alla data di riferimento',
    aiuto:
      'Le cartelle ancora aperte alla data di riferimento, per nucleo familiare o per beneficiario, anche se aperte prima dell\'inizio del periodo. ' +
      'Escluse le cartelle con solo pasti a domicilio e trasporti. Una cartella composta ad esempio da 4 persone/familiari conta 1 cartella; ' +
      'una cartella di un singolo beneficiario conta 1 cartella.',
  },
  cartelle_attive_tutela: {
    etichetta: 'di cui tutela minori',
    aiuto: 'Delle cartelle attive, quelle di tutela minori. Non può superare le cartelle attive.',
  },
  utenti_in_carico: {
    etichetta: 'Utenti in carico alla data di riferimento',
    aiuto:
      'I beneficiari di prestazioni a medio-lungo termine per i quali si è aperta una cartella, anche se non titolari della cartella ma appartenenti allo stesso nucleo ' +
      '(ad esempio un minore in ADM, un anziano in SAD; un genitore che beneficia di un contributo più un minore in ADM). ' +
      'Non le prestazioni singole o occasionali (ad esempio il pagamento di una bolletta). Esclusi gli utenti con solo pasti a domicilio e trasporti. ' +
      'Se non avete il numero preciso (per codice fiscale) potete stimarlo dal numero di componenti dei nuclei presenti nelle cartelle.',
  },
  utenti_in_carico_tutela: {
    etichetta: 'di cui tutela minori',
    aiuto: 'Degli utenti in carico, quelli di tutela minori. Non può superare gli utenti in carico.',
  },
  cartelle_aperte_periodo: {
    etichetta: 'Cartelle aperte nel periodo',
    aiuto: 'Le nuove cartelle che avete aperto dall\'inizio del periodo alla data di riferimento.',
  },
  utenti_nuovi_periodo: {
    etichetta: 'Utenti nuovi nel periodo',
    aiuto: 'I nuovi utenti presi in carico dall\'inizio del periodo alla data di riferimento.',
  },
  cartelle_chiuse_periodo: {
    etichetta: 'Cartelle chiuse nel periodo',
    aiuto: 'Le cartelle che avete chiuso dall\'inizio del periodo alla data di riferimento.',
  },
  utenti_senza_cartella_periodo: {
    etichetta: 'Utenti con prestazioni senza cartella nel periodo',
    aiuto:
      'Il numero di utenti a cui si eroga una prestazione agevolata soggetta a caricamento in SIUSS-Inps senza aprire una cartella sociale ' +
      '(pasti a domicilio, trasporti, aiuto bollette...), contando solo il periodo.',
  },
};

/** Validation messages (one per rule; tests assert them word for word). */
export const MSG = {
  intero: 'Inserire un numero intero maggiore o uguale a 0, oppure lasciare vuoto se il dato non è noto.',
  cartelleTutela: 'Le cartelle di tutela minori non possono superare le cartelle attive.',
  utentiTutela: 'Gli utenti di tutela minori non possono superare gli utenti in carico.',
  utentiCartelle: 'Gli utenti in carico non possono essere meno delle cartelle attive: ogni cartella ha almeno un utente.',
  nuoveAttive: 'Le cartelle aperte nel periodo non possono superare le cartelle attive.',
  cartelleObbligatorie: 'Per inviare la dichiarazione servono le cartelle attive: è il dato su cui si calcola la digitalizzazione.',
  notaLunga: 'La nota può avere al massimo 2000 caratteri.',
} as const;
