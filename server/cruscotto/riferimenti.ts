import type { ReportDigitalizzazione } from '../riconciliazione/report';
import { ETICHETTA_CLUSTER } from './contesto';
import type { Contesto } from './contesto';
import type { Indicatore } from './documento';
import type { Filtri } from './filtri';

/**
 * The digitalization reference boxes every family page shows (as the office's Tableau did):
 * the ambito, its tutela minori share, and the cluster or distretto of the selection. Group
 * figures only, the same the overview publishes to every account: a comune's own percentage is
 * on its scorecard, under its own rules.
 */
export function riferimentiDigitalizzazione(report: ReportDigitalizzazione | null, ctx: Contesto, f: Filtri): Indicatore[] {
  const out: Indicatore[] = [
    { chiave: 'rif_ambito', etichetta: "Digitalizzazione dell'ambito", valore: report?.ambito.digit_tot ?? null, tipo: 'percentuale' },
    { chiave: 'rif_ambito_tutela', etichetta: "Tutela minori, ambito", valore: report?.ambito.digit_tutela ?? null, tipo: 'percentuale' },
  ];
  const comune = f.comune ? ctx.perIstat.get(f.comune) : undefined;
  const cluster = f.cluster ?? (comune && f.vista === 'cluster' ? comune.cluster : null);
  const distretto = f.distretto ?? (comune && f.vista === 'distretto' ? comune.distretto : null);
  if (cluster != null) {
    const uno = report?.comuni.find((c) => c.cluster === cluster && c.digit_cluster != null);
    out.push({ chiave: 'rif_cluster', etichetta: `Digitalizzazione, ${ETICHETTA_CLUSTER(cluster)}`, valore: uno?.digit_cluster ?? null, tipo: 'percentuale' });
    out.push({ chiave: 'rif_cluster_tutela', etichetta: `Tutela minori, cluster ${cluster}`, valore: uno?.digit_cluster_tutela ?? null, tipo: 'percentuale' });
  }
  if (distretto != null) {
    const uno = report?.comuni.find((c) => c.distretto === distretto && c.digit_distretto != null);
    out.push({ chiave: 'rif_distretto', etichetta: `Digitalizzazione, distretto di ${distretto}`, valore: uno?.digit_distretto ?? null, tipo: 'percentuale' });
  }
  return out;
}
