import type { Database } from '../db';

export interface ComuneRow {
  codice_istat: string;
  nome: string;
  popolazione: number;
  distretto: string;
  cluster: number;
  email: string | null;
}

/** Active comuni of the registry with their cluster, sorted by name. */
export async function listComuni(db: Database): Promise<ComuneRow[]> {
  return (
    await db.knex.raw(
      `select codice_istat, nome, popolazione, distretto, cluster_popolazione(popolazione) as cluster, email
       from comuni where attivo order by nome`,
    )
  ).rows;
}

/** One comune of the registry (active or not) by its ISTAT code, or null. */
export async function getComune(db: Database, istat: string): Promise<{ codice_istat: string; nome: string } | null> {
  return (await db.knex('comuni').where({ codice_istat: istat }).first('codice_istat', 'nome')) ?? null;
}
