/**
 * The six registry variation types of docs/metriche.md ("Variazioni anagrafiche"), in display
 * order.
 */
export const TIPI_VARIAZIONE = ['decesso', 'nascita', 'immigrazione', 'emigrazione', 'cambio_famiglia', 'cambio_indirizzo'] as const;
export type TipoVariazione = (typeof TIPI_VARIAZIONE)[number];

export const ETICHETTE: Record<TipoVariazione, string> = {
  decesso: 'Decesso',
  nascita: 'Nascita',
  immigrazione: 'Immigrazione',
  emigrazione: 'Emigrazione',
  cambio_famiglia: 'Cambio di famiglia anagrafica',
  cambio_indirizzo: 'Cambio di indirizzo',
};

/** The task a death carries (the cartella is never closed automatically). */
export const COMPITO_DECESSO = 'chiudere la cartella e sospendere le erogazioni';

/** An alarm not acknowledged after this many days is shown to the UdP as overdue. */
export const GIORNI_ALLARME_VECCHIO = 7;

export function isTipo(v: unknown): v is TipoVariazione {
  return typeof v === 'string' && (TIPI_VARIAZIONE as readonly string[]).includes(v);
}
