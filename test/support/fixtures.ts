import { buildCf } from '../../server/shared/cf';
import type { Database } from '../../server/db';

/** Valid synthetic codici fiscali for tests. */
export const CF = {
  mario: buildCf('RSS', 'MRA', '1980-01-01', 'M', 'E648'),
  anna: buildCf('BNC', 'NNA', '1985-05-20', 'F', 'E648'),
  luca: buildCf('VRD', 'LCU', '2015-03-10', 'M', 'E648'),
  nonna: buildCf('GLL', 'RSO', '1940-07-07', 'F', 'E648'),
};

/** A small registry: three comuni with hand-picked populations. */
export async function seedComuni(db: Database, rows: [string, string, number, string][] = [
  ['098031', 'Lodi', 45000, 'Lodi'],
  ['098010', 'Brembio', 2800, 'Casalpusterlengo'],
  ['098047', "Sant'Angelo Lodigiano", 13000, "Sant'Angelo Lodigiano"],
]): Promise<void> {
  const { normalizeName } = await import('../../server/importazione/valori');
  await db.knex('comuni').insert(rows.map(([codice_istat, nome, popolazione, distretto]) => ({ codice_istat, nome, nome_norm: normalizeName(nome), popolazione, distretto })));
}
