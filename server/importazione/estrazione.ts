import type { Database } from '../db';

/** Date of the SIZ extract loaded now (the newest among its tables, `siz_tabelle`); null before any import. */
export async function dataEstrazione(db: Database): Promise<string | null> {
  const [row] = await db.knex('siz_tabelle').max('data_estrazione as d');
  return (row?.d as string | null) ?? null;
}
