import type { Database } from '../db';
import type { EsitoPrevisione } from '../scadenze/parole';

/**
 * Per comune, from the latest successful reconciliation: its `caricamento` deadline with the
 * deadline's own target, the forecast for that target and why there is or is not one. Not part
 * of the report document (docs/interfacce.md fixes its shape); the pages and emails use it to say
 * "mancanti", "raggiunto" and "a rischio" against the target that counts (issue 14).
 */
export interface ScadenzaComune {
  scadenza: string | null;
  /** The deadline's own target, else the configured one; null without a deadline. */
  obiettivo_scadenza: number | null;
  previsione_scadenza: string | null;
  previsione_esito: EsitoPrevisione;
  a_rischio: boolean;
  digit_tot: number | null;
}

export async function scadenzeComuni(db: Database): Promise<Map<string, ScadenzaComune>> {
  const rows = (
    await db.knex.raw(
      `select codice_istat, cast(scadenza as text) as scadenza, obiettivo_scadenza, cast(previsione_scadenza as text) as previsione_scadenza,
              previsione_esito, a_rischio, digit_tot
       from riconciliazione_comuni
       where riconciliazione_id = (select max(id) from riconciliazioni where esito = 'ok')`,
    )
  ).rows as (Omit<ScadenzaComune, 'obiettivo_scadenza' | 'digit_tot'> & { codice_istat: string; obiettivo_scadenza: unknown; digit_tot: unknown })[];
  const num = (v: unknown) => (v == null ? null : Number(v));
  return new Map(rows.map((r) => [r.codice_istat, { ...r, obiettivo_scadenza: num(r.obiettivo_scadenza), digit_tot: num(r.digit_tot) }]));
}

/** The target that counts for a comune: its deadline's, else the configured one. */
export function obiettivoDi(s: ScadenzaComune | undefined, configurato: number): number {
  return s?.scadenza && s.obiettivo_scadenza != null ? s.obiettivo_scadenza : configurato;
}
