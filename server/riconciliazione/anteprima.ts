import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Database } from '../db';
import { defaultRiferimento } from './riferimento';
import { sql } from './sql';

export interface DigitComune {
  codice_istat: string;
  nome: string;
  digit_tot: number | null;
  cartelle_attive_siz: number | null;
  cartelle_attive_dich: number | null;
}

/**
 * The digitalization of every active comune as the reconciliation would compute it now, with
 * the same SQL (contesto.sql + metriche.sql), on `knex`: the database, or the transaction of a
 * dry-run import, which sees the new content (the census upload's before/after preview).
 * Nothing is stored.
 */
export async function digitalizzazioneAttuale(knex: Knex | Knex.Transaction, config: Pick<Config, 'obiettivo' | 'sogliaCritica'>, oggi: string): Promise<DigitComune[]> {
  const eDefault = await defaultRiferimento({ knex } as Database, { oggi });
  const rows = (
    await knex.raw(`${sql('contesto')}${sql('metriche')} select codice_istat, nome, digit_tot, cartelle_attive_siz, cartelle_attive_dich from risultato order by nome`, {
      data_rif: null,
      e_default: eDefault,
      comune: null,
      obiettivo: String(config.obiettivo),
      soglia: String(config.sogliaCritica),
      oggi,
    })
  ).rows as DigitComune[];
  return rows.map((r) => ({ ...r, digit_tot: r.digit_tot == null ? null : Number(r.digit_tot) }));
}
