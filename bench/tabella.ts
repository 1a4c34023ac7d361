/** The printed table (and the shape of the JSON file): see docs/bench.md, "How to read the table". */
import type { MisuraPagina } from './carico';
import type { Passo, Pavimento } from './protocollo';

export interface Risultati {
  scala: string;
  db: string;
  seme: number;
  oggi: string;
  avviato_il: string;
  durata_carico_s: number;
  connessioni: number;
  macchina: { cpu: number; memoria_gb: number; node: string; loadavg_inizio: number[]; loadavg_fine: number[] };
  dataset: { dir: string; generazione_s: number | null; righe: Record<string, number>; mb: number };
  ciclo: Passo[];
  pavimenti: Pavimento[];
  pagine: { riposo: MisuraPagina[]; durante_il_ciclo: MisuraPagina[] };
  ciclo_sotto_carico: { passi: Passo[]; ripetizioni: number };
  rss_picco_mb: number;
  rss_picco_dopo_il_primo_ciclo_mb: number;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
const fmt = (x: number | undefined, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const int = (x: number | undefined) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US'));

function righe(cols: [string, number, boolean][], rows: (string | number | undefined)[][]): string {
  const out = [cols.map(([h, w, left]) => (left ? pad(h, w) : lpad(h, w))).join('  ')];
  out.push(cols.map(([, w]) => '-'.repeat(w)).join('  '));
  for (const r of rows) out.push(r.map((v, i) => (cols[i][2] ? pad(String(v ?? '-'), cols[i][1]) : lpad(String(v ?? '-'), cols[i][1]))).join('  '));
  return out.join('\n');
}

function passi(ps: Passo[]): string {
  return righe(
    [['passo', 26, true], ['secondi', 9, false], ['righe', 12, false], ['righe/s', 10, false], ['pavimento s', 11, false], ['rapporto', 8, false], ['load 1m', 7, false]],
    ps.map((p) => [p.passo, fmt(p.secondi), int(p.righe), p.righe ? int(p.righe / Math.max(p.secondi, 1e-3)) : '-', fmt(p.pavimento_s, 3), p.pavimento_s ? `${fmt(p.secondi / p.pavimento_s, 1)}x` : '-', fmt(p.loadavg_1m)]),
  );
}

export function stampaTabella(r: Risultati): void {
  const o: string[] = [];
  o.push(`\nBENCHMARK  scala=${r.scala}  db=${r.db}  seme=${r.seme}  oggi=${r.oggi}  ${r.avviato_il}`);
  o.push(`macchina: ${r.macchina.cpu} CPU, ${r.macchina.memoria_gb} GB, node ${r.macchina.node}; load average (1/5/15 min) all'inizio ${r.macchina.loadavg_inizio.join(' / ')}, alla fine ${r.macchina.loadavg_fine.join(' / ')}`);
  o.push(`data set: ${r.dataset.mb} MB di file${r.dataset.generazione_s !== null ? `, generato in ${fmt(r.dataset.generazione_s, 1)} s` : ' (in cache)'}\n`);
  o.push('CICLO NOTTURNO (a riposo)  rapporto = secondi / pavimento');
  o.push(passi(r.ciclo));
  o.push('\nPAVIMENTI (stessi dati, stessa esecuzione)');
  o.push(righe([['pavimento', 60, true], ['secondi', 9, false], ['righe', 12, false], ['righe/s', 10, false]], r.pavimenti.map((p) => [p.nome + (p.nota ? ` [${p.nota.slice(0, 40)}]` : ''), fmt(p.secondi, 3), int(p.righe), p.righe ? int(p.righe / Math.max(p.secondi, 1e-3)) : '-'])));
  o.push(`\nPAGINE  ${r.connessioni} connessioni per ${r.durata_carico_s} s ciascuna, 127.0.0.1; rapporto = p95 / p95 di /salute nella stessa fase`);
  for (const [fase, ms] of [['a riposo', r.pagine.riposo], ['durante il ciclo', r.pagine.durante_il_ciclo]] as const) {
    const floor = ms.find((m) => m.percorso === '/salute');
    o.push(`-- ${fase}`);
    o.push(
      righe(
        [['pagina', 24, true], ['percorso', 22, true], ['richieste', 9, false], ['errori', 6, false], ['req/s', 7, false], ['mediana ms', 10, false], ['p95 ms', 8, false], ['p99 ms', 8, false], ['max ms', 8, false], ['rapporto', 8, false], ['load 1m', 7, false], ['primo ms', 9, false]],
        ms.map((m) => [m.pagina, m.percorso, m.richieste, m.errori, m.richieste_al_secondo, fmt(m.mediana_ms, 1), fmt(m.p95_ms, 1), fmt(m.p99_ms, 1), fmt(m.max_ms, 1), floor && floor.p95_ms > 0 ? `${fmt(m.p95_ms / floor.p95_ms, 1)}x` : '-', fmt(m.loadavg_1m), m.primo_ms === undefined ? '-' : fmt(m.primo_ms, 1)]),
      ),
    );
  }
  o.push(`\nCICLO NOTTURNO SOTTO CARICO (prima ripetizione; ripetizioni: ${r.ciclo_sotto_carico.ripetizioni})`);
  o.push(passi(r.ciclo_sotto_carico.passi));
  o.push(`\nRSS di picco del processo dell'applicazione: ${r.rss_picco_mb} MB (dopo il primo ciclo: ${r.rss_picco_dopo_il_primo_ciclo_mb} MB)`);
  const tot = r.ciclo.find((p) => p.passo === 'ciclo notturno (totale)')?.secondi;
  const imp = r.ciclo.find((p) => p.passo === 'import (totale)');
  const ric = r.ciclo.find((p) => p.passo === 'riconciliazione');
  o.push('\nOBIETTIVI');
  const ob = (nome: string, ok: boolean | undefined, val: string) => o.push(`  ${ok === undefined ? ' n/d ' : ok ? '  ok ' : 'MANCA'}  ${pad(nome, 52)} ${val}`);
  ob('ciclo notturno <= 60 s', tot !== undefined ? tot <= 60 : undefined, `${fmt(tot)} s`);
  ob('tutte le importazioni <= 2x il COPY', imp?.pavimento_s ? imp.secondi / imp.pavimento_s <= 2 : undefined, imp?.pavimento_s ? `${fmt(imp.secondi / imp.pavimento_s, 1)}x` : 'solo PostgreSQL');
  ob('riconciliazione <= 10x una scansione sequenziale', ric?.pavimento_s ? ric.secondi / ric.pavimento_s <= 10 : undefined, ric?.pavimento_s ? `${fmt(ric.secondi / ric.pavimento_s, 1)}x (${fmt(ric.secondi)} s)` : '-');
  for (const [fase, ms, soglia] of [['a riposo', r.pagine.riposo, 100], ['durante il ciclo', r.pagine.durante_il_ciclo, 300]] as const) {
    for (const m of ms.filter((x) => x.percorso !== '/salute')) ob(`${m.pagina} p95 <= ${soglia} ms ${fase}`, m.p95_ms <= soglia, `${fmt(m.p95_ms, 1)} ms`);
  }
  ob('RSS di picco <= 500 MB', r.rss_picco_mb <= 500, `${r.rss_picco_mb} MB`);
  console.log(o.join('\n'));
}
