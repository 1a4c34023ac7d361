/** Messages between the orchestrator (bench/index.ts) and the app child (bench/app.ts). */
export interface Passo {
  passo: string;
  secondi: number;
  righe?: number;
  /** Floor of the same work, same run, same data (PostgreSQL COPY, sequential scan), seconds. */
  pavimento_s?: number;
  nota?: string;
  loadavg_1m: number;
  /** Peak RSS of the app process so far, at the end of the step (MB): what the step may have added. */
  rss_mb?: number;
}

export interface Pavimento {
  nome: string;
  secondi: number;
  righe?: number;
  nota?: string;
}

export type Comando =
  | { tipo: 'avvia'; engine: 'pglite' | 'postgres'; dir: string; schema: string; pgliteDir: string | null; oggi: string; databaseUrl: string; soloCiclo?: boolean }
  | { tipo: 'ciclo-sotto-carico' }
  | { tipo: 'basta' }
  | { tipo: 'memoria' };

export type Messaggio =
  | { tipo: 'ciclo'; passi: Passo[]; pavimenti: Pavimento[]; righe: Record<string, number>; mb: number; rss_picco_mb: number }
  | { tipo: 'pronto'; url: string; cookie: string; istat: string }
  | { tipo: 'ciclo-sotto-carico'; passi: Passo[]; ripetizioni: number }
  | { tipo: 'fine'; rss_picco_mb: number }
  | { tipo: 'memoria'; rss_mb: number; rss_picco_mb: number; heap_mb: number };
