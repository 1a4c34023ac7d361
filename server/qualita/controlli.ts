/**
 * The data-quality checks of docs/metriche.md ("Controlli di qualità dei dati"), as data: id,
 * severity, level and a description for people. The SQL of each check is
 * `sql/queries/qualita/<id>.sql`; its severity comes from here (bound as :gravita), so this list is
 * the single place where it is decided.
 */
export type Gravita = 'errore' | 'avviso';

export interface Controllo {
  id: string;
  /** The short name people read (pages, e-mails): the id is for machines (JSON, CSV, URLs). */
  nome: string;
  gravita: Gravita;
  /** `record`: one finding per record, lowers the score; `comune`: one finding per comune. */
  livello: 'record' | 'comune';
  descrizione: string;
}

export const CONTROLLI: readonly Controllo[] = [
  { id: 'comune_mancante', nome: 'Righe senza comune', gravita: 'errore', livello: 'record', descrizione: 'Riga di cartelle, prestazioni o accessi senza codice ISTAT o con un codice non presente nell\'anagrafica dei comuni' },
  { id: 'cf_non_valido', nome: 'Codice fiscale non valido', gravita: 'errore', livello: 'record', descrizione: 'Codice fiscale non di 16 caratteri nella forma corretta o con carattere di controllo errato' },
  { id: 'cf_mancante', nome: 'Erogazione senza codice fiscale', gravita: 'avviso', livello: 'record', descrizione: 'Erogazione senza codice fiscale del beneficiario' },
  { id: 'date_incoerenti', nome: 'Date incoerenti', gravita: 'errore', livello: 'record', descrizione: 'Chiusura prima dell\'apertura, fine prima dell\'inizio, data nel futuro o componente fuori dalle date della cartella' },
  { id: 'cartella_senza_membri', nome: 'Cartella senza componenti', gravita: 'errore', livello: 'record', descrizione: 'Cartella senza alcuna riga di componenti' },
  { id: 'membro_cartella_inesistente', nome: 'Componente di cartella inesistente', gravita: 'errore', livello: 'record', descrizione: 'Riga di componente di una cartella che non esiste' },
  { id: 'cartelle_duplicate', nome: 'Cartelle duplicate', gravita: 'errore', livello: 'record', descrizione: 'Cartella aperta nello stesso periodo di un\'altra cartella del comune con lo stesso titolare' },
  { id: 'importi_incoerenti', nome: 'Importi incoerenti', gravita: 'errore', livello: 'record', descrizione: 'Importi negativi, recuperi superiori al costo o quota del comune più recuperi diversa dal costo' },
  { id: 'codice_sconosciuto', nome: 'Codice prestazione sconosciuto', gravita: 'avviso', livello: 'record', descrizione: 'Codice prestazione assente dal nomenclatore (anche risalendo ai codici padre)' },
  { id: 'deceduto_con_cartella_aperta', nome: 'Deceduto con cartella aperta', gravita: 'errore', livello: 'record', descrizione: 'Componente di una cartella aperta risultato deceduto nell\'ultima estrazione dell\'anagrafe' },
  { id: 'campi_facoltativi_mancanti', nome: 'Campi facoltativi mancanti', gravita: 'avviso', livello: 'comune', descrizione: 'Quota di accessi senza motivo o problema, di cartelle senza area utenza o operatore, oltre il 5%' },
  { id: 'caricamento_fermo', nome: 'Caricamento fermo', gravita: 'avviso', livello: 'comune', descrizione: 'Nessuna nuova cartella, componente, accesso o erogazione negli ultimi 60 giorni' },
  { id: 'sopra_dichiarato', nome: 'Più cartelle del dichiarato', gravita: 'avviso', livello: 'comune', descrizione: 'Cartelle attive in SIZ più di quelle dichiarate nel censimento (digitalizzazione oltre il 100%)' },
];

export const CONTROLLI_RECORD = CONTROLLI.filter((c) => c.livello === 'record').map((c) => c.id);
export const CONTROLLI_COMUNE = CONTROLLI.filter((c) => c.livello === 'comune').map((c) => c.id);

export function controllo(id: string): Controllo | undefined {
  return CONTROLLI.find((c) => c.id === id);
}

/** The check's name for people; an unknown id still reads as words. */
export function nomeControllo(id: string): string {
  return controllo(id)?.nome ?? id.replace(/_/g, ' ');
}

/** Thresholds, named once (docs/qualita.md explains each). */
export const SOGLIE = {
  /** Share of non-attributed rows above which the SIZ extract is not reliable (strictly above). */
  righeSenzaComune: 5,
  /** Share of missing optional fields above which a comune gets a warning (strictly above). */
  campiFacoltativi: 5,
  /** caricamento_fermo: activity dated in [oggi - giorni, oggi] counts. */
  giorniFermo: 60,
  /** Findings of older runs are pruned; run summaries are kept forever. */
  esecuzioniConDettaglio: 30,
} as const;
