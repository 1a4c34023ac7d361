import type { Database } from '../db';
import { CLUSTER_LABELS } from '../shared/cluster';
import { dataEstrazione } from '../importazione/estrazione';

export interface ComuneInfo {
  codice_istat: string;
  nome: string;
  popolazione: number;
  cluster: number;
  distretto: string;
}

/** What every page needs about the ambito: its comuni, groups, years with data, data date. */
export interface Contesto {
  comuni: ComuneInfo[];
  perIstat: Map<string, ComuneInfo>;
  distretti: string[];
  /** Clusters with at least one comune, ascending. */
  cluster: number[];
  /** Years with accessi, cartelle or erogazioni, descending. */
  anni: number[];
  /** Date of the SIZ extract the figures come from (null before any import). */
  dati_al: string | null;
  /** Today (the injected clock). */
  oggi: string;
}

export const ETICHETTA_CLUSTER = (k: number) => `Cluster ${k} (${CLUSTER_LABELS[k]})`;

export async function caricaContesto(db: Database, oggi: string): Promise<Contesto> {
  const comuni: ComuneInfo[] = (
    await db.knex.raw(
      `select codice_istat, nome, popolazione, cluster_popolazione(popolazione) as cluster, distretto
       from comuni where attivo order by nome, codice_istat`,
    )
  ).rows;
  const anniRows: { anno: number }[] = (
    await db.knex.raw(
      `select distinct anno from (
         select cast(extract(year from min(data_accesso)) as int) as da, cast(extract(year from max(data_accesso)) as int) as a from accessi
         union all select cast(extract(year from min(data_apertura)) as int), cast(extract(year from max(data_apertura)) as int) from cartelle
         union all select cast(extract(year from min(data_erogazione)) as int), cast(extract(year from max(data_erogazione)) as int) from prestazioni
       ) r, generate_series(r.da, r.a) as anno
       where r.da is not null order by anno desc`,
    )
  ).rows;
  const annoOggi = Number(oggi.slice(0, 4));
  // Years in the future (a date typed wrong in SIZ) are not offered.
  const anni = anniRows.map((r) => r.anno).filter((a) => a <= annoOggi);
  const dati_al = await dataEstrazione(db);
  return {
    comuni,
    perIstat: new Map(comuni.map((c) => [c.codice_istat, c])),
    distretti: [...new Set(comuni.map((c) => c.distretto))].sort((a, b) => a.localeCompare(b, 'it')),
    cluster: [...new Set(comuni.map((c) => c.cluster))].sort((a, b) => a - b),
    anni: anni.length ? anni : [annoOggi],
    dati_al,
    oggi,
  };
}
