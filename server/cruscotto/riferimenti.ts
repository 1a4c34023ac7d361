import type { Database } from '../db';
import type { ReportDigitalizzazione } from '../riconciliazione/report';
import { sql } from './sql';
import * as fatti from '../fatti/leggi';
import { ETICHETTA_CLUSTER } from './contesto';
import type { Contesto } from './contesto';
import type { Indicatore } from './documento';
import { etichettaPeriodo } from './filtri';
import type { Filtri, Periodo } from './filtri';
import type { CensimentoVisibile } from './digitalizzazione';

/**
 * The digitalization reference boxes every family page shows (as the office's Tableau did):
 * the ambito, its tutela minori share, and the cluster or distretto of the selection. Group
 * figures only, the same the overview publishes to every account: a comune's own percentage is
 * on its scorecard, under its own rules.
 */
export function riferimentiDigitalizzazione(report: ReportDigitalizzazione | null, contesto: Contesto, f: Filtri, cens: Pick<CensimentoVisibile, 'gruppo'>): Indicatore[] {
  const tutti = contesto.comuni.map((c) => c.codice_istat);
  const di = (filtro: (c: Contesto['comuni'][number]) => boolean) => contesto.comuni.filter(filtro).map((c) => c.codice_istat);
  const out: Indicatore[] = [
    { chiave: 'rif_ambito', etichetta: "Digitalizzazione dell'ambito", valore: cens.gruppo(tutti, 'cartelle_attive', report?.ambito.digit_tot ?? null), tipo: 'percentuale' },
    { chiave: 'rif_ambito_tutela', etichetta: "Tutela minori, ambito", valore: cens.gruppo(tutti, 'cartelle_attive_tutela', report?.ambito.digit_tutela ?? null), tipo: 'percentuale' },
  ];
  const comune = f.comune ? contesto.perIstat.get(f.comune) : undefined;
  const cluster = f.cluster ?? (comune && f.vista === 'cluster' ? comune.cluster : null);
  const distretto = f.distretto ?? (comune && f.vista === 'distretto' ? comune.distretto : null);
  if (cluster != null) {
    const uno = report?.comuni.find((c) => c.cluster === cluster && c.digit_cluster != null);
    out.push({ chiave: 'rif_cluster', etichetta: `Digitalizzazione, ${ETICHETTA_CLUSTER(cluster)}`, valore: cens.gruppo(di((c) => c.cluster === cluster), 'cartelle_attive', uno?.digit_cluster ?? null), tipo: 'percentuale' });
    out.push({ chiave: 'rif_cluster_tutela', etichetta: `Tutela minori, cluster ${cluster}`, valore: cens.gruppo(di((c) => c.cluster === cluster), 'cartelle_attive_tutela', uno?.digit_cluster_tutela ?? null), tipo: 'percentuale' });
  }
  if (distretto != null) {
    const uno = report?.comuni.find((c) => c.distretto === distretto && c.digit_distretto != null);
    out.push({ chiave: 'rif_distretto', etichetta: `Digitalizzazione, distretto di ${distretto}`, valore: cens.gruppo(di((c) => c.distretto === distretto), 'cartelle_attive', uno?.digit_distretto ?? null), tipo: 'percentuale' });
  }
  return out;
}

/**
 * Rows of the year without a comune of the registry ("Null" in the office's Tableau): they are in
 * no figure, and the office is told how many, on Sociali and Economici as on Sportello.
 */
export async function avvisoNonAttribuiti(db: Database, pagina: 'sociali' | 'economici', anno: number, periodo?: Periodo): Promise<string | null> {
  const p = periodo ? { inizio: periodo.dal, fine: periodo.al } : { inizio: `${anno}-01-01`, fine: `${anno}-12-31` };
  const na = ((periodo ? null : await fatti.nonAttribuiti(db, await fatti.fattiCorrenti(db), anno)) ?? (await db.knex.raw(sql('non_attribuiti'), p)).rows[0]) as { cartelle: number | string; prestazioni: number | string };
  const n = Number(pagina === 'sociali' ? na.cartelle : na.prestazioni);
  if (!n) return null;
  const cosa = pagina === 'sociali' ? (n === 1 ? 'cartella attiva' : 'cartelle attive') : n === 1 ? 'prestazione erogata' : 'prestazioni erogate';
  return `Non attribuiti: ${n.toLocaleString('it-IT', { useGrouping: 'always' } as unknown as Intl.NumberFormatOptions)} ${cosa} ${periodo ? etichettaPeriodo(periodo) : `nel ${anno}`} non ${n === 1 ? 'ha' : 'hanno'} un comune dell'anagrafica e non ${n === 1 ? 'è conteggiata' : 'sono conteggiate'} (vedi Qualità dei dati).`;
}
