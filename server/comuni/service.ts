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
