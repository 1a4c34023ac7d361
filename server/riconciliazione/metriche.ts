import { CENSUS_METRICS, CensusMetric } from '../importazione/schede';

/**
 * The eight census metrics of docs/metriche.md ("Metriche del censimento (lato SIZ)"), in its order
 * (the importer's list, one source).
 */
export const METRICHE = CENSUS_METRICS;
export type Metrica = CensusMetric;

export const STATI = ['raggiunto', 'in_corso', 'critico', 'senza_censimento'] as const;
export type Stato = (typeof STATI)[number];

/** Italian labels for tables and sheets. */
export const ETICHETTE: Record<Metrica, string> = {
  cartelle_attive: 'Cartelle attive alla data di riferimento',
  cartelle_attive_tutela: 'di cui tutela minori',
  utenti_in_carico: 'Utenti in carico alla data di riferimento',
  utenti_in_carico_tutela: 'di cui tutela minori',
  cartelle_aperte_periodo: 'Cartelle aperte nel periodo',
  utenti_nuovi_periodo: 'Utenti nuovi nel periodo',
  cartelle_chiuse_periodo: 'Cartelle chiuse nel periodo',
  utenti_senza_cartella_periodo: 'Utenti con prestazioni senza cartella nel periodo',
};

export function isMetrica(s: string): s is Metrica {
  return (METRICHE as readonly string[]).includes(s);
}
