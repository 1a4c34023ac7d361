/**
 * Cluster by resident population (docs/metriche.md, "Cluster"). The SQL twin is
 * cluster_popolazione().
 */
export function clusterOf(popolazione: number): number {
  if (popolazione >= 20000) return 1;
  if (popolazione >= 10000) return 2;
  if (popolazione >= 5000) return 3;
  if (popolazione >= 3000) return 4;
  if (popolazione >= 1000) return 5;
  return 6;
}

export const CLUSTER_LABELS: Record<number, string> = {
  1: '20.000 abitanti e oltre',
  2: '10.000 - 19.999 abitanti',
  3: '5.000 - 9.999 abitanti',
  4: '3.000 - 4.999 abitanti',
  5: '1.000 - 2.999 abitanti',
  6: 'meno di 1.000 abitanti',
};
