import { CONTROLLI } from './controlli';
import { dataOra, decimale, giorno as giornoIt, intero } from '../shared/formato';

const momento = (d: Date | string) => dataOra(d, 'Europe/Rome', false) ?? '—';
const giorno = (d: string | null) => giornoIt(d, '—');
import type { Risultato } from './letture';
import type { ReportComune, ReportQualita } from './report';

/** Plain-text rendering of the quality report for the terminal (`cruscotto report qualita`). */

const n = (v: number) => intero(v);
const p = (v: number | null) => (v == null ? '—' : decimale(v, 2, true));
const opt = (v: number | null) => (v == null ? '—' : n(v));

function table(head: string[], rows: string[][], right: number[]): string[] {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : right.includes(i) ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}

function header(r: ReportQualita): string[] {
  const e = r.esecuzione!;
  const out = [
    `Qualità dei dati SIZ: controlli del ${momento(r.generato_il!)} (oggi ${giorno(e.oggi)}), estrazione SIZ del ${giorno(r.estrazione_siz)}`,
    r.verdetto === 'affidabile' ? 'Verdetto: dati AFFIDABILI' : `Verdetto: dati NON AFFIDABILI — ${r.motivo}`,
  ];
  return out;
}

/** Findings per check, record-level and comune-level together. */
function counts(c: ReportComune | ReportQualita['non_attribuito']): Record<string, number> {
  return { ...c.controlli, ...('controlli_comune' in c ? c.controlli_comune : {}) };
}

function controlliText(c: ReportComune | ReportQualita['non_attribuito']): string {
  const all = counts(c);
  return CONTROLLI.filter((k) => all[k.id]).map((k) => `${k.id} ${n(all[k.id])}`).join(', ');
}

/** Summary per comune: score, counts per check, new and fixed since the previous run. */
export function summaryText(r: ReportQualita): string[] {
  if (!r.esecuzione) return ['Nessuna esecuzione dei controlli di qualità: eseguire `cruscotto run qualita`.'];
  const righe = r.comuni.map((c) => [c.codice_istat, c.nome ?? '', p(c.punteggio), n(c.record), n(c.record_con_errori), opt(c.nuovi), opt(c.risolti), controlliText(c)]);
  const na = r.non_attribuito;
  righe.push(['', 'Non attribuito', '—', n(na.record), n(na.record_con_errori), opt(na.nuovi), opt(na.risolti), controlliText(na)]);
  const all = [...r.comuni, na];
  const rec = all.reduce((s, c) => s + c.record, 0);
  const err = all.reduce((s, c) => s + c.record_con_errori, 0);
  const sum = (k: 'nuovi' | 'risolti') => (all.some((c) => c[k] == null) ? null : all.reduce((s, c) => s + (c[k] ?? 0), 0));
  const totali: Record<string, number> = {};
  for (const c of all) for (const [k, v] of Object.entries(counts(c))) totali[k] = (totali[k] ?? 0) + v;
  return [
    ...header(r),
    `Ambito: punteggio ${p(rec ? Math.round((10000 * (rec - err)) / rec) / 100 : null)} (${n(rec)} record, ${n(err)} con errori); rispetto ai controlli precedenti: ${
      r.esecuzione.precedente_id == null ? 'primo controllo, nessun confronto' : `${n(sum('nuovi')!)} segnalazioni nuove, ${n(sum('risolti')!)} risolte`
    }`,
    '',
    ...table(['Codice', 'Comune', 'Punteggio', 'Record', 'Con errori', 'Nuove', 'Risolte', 'Segnalazioni per controllo'], righe, [2, 3, 4, 5, 6]),
    '',
    'Segnalazioni per controllo:',
    ...table(
      ['Controllo', 'Gravità', 'Totale', 'Descrizione'],
      CONTROLLI.map((k) => [k.id, k.gravita, n(totali[k.id] ?? 0), k.descrizione]),
      [2],
    ).map((l) => `  ${l}`),
  ];
}

/** One comune (or the non-attributed rows): its summary line and the list of its findings. */
export function comuneText(r: ReportQualita, comune: string, risultati: Risultato[]): string[] {
  if (!r.esecuzione) return ['Nessuna esecuzione dei controlli di qualità: eseguire `cruscotto run qualita`.'];
  const c = comune === 'non_attribuito' ? { ...r.non_attribuito, nome: 'Non attribuito', punteggio: null, codice_istat: '' } : r.comuni.find((x) => x.codice_istat === comune);
  if (!c) return [...header(r), `Il comune ${comune} non è tra quelli controllati (non presente nell'anagrafica dei comuni).`];
  const confronto = r.esecuzione.precedente_id == null ? 'primo controllo' : `${opt(c.nuovi)} nuove e ${opt(c.risolti)} risolte rispetto ai controlli precedenti`;
  return [
    ...header(r),
    `${c.codice_istat ? `${c.codice_istat} ` : ''}${c.nome ?? ''}: punteggio ${p(c.punteggio)} (${n(c.record)} record, ${n(c.record_con_errori)} con errori); ${n(risultati.length)} segnalazioni, ${confronto}`,
    '',
    ...(risultati.length
      ? table(
          ['Gravità', 'Controllo', 'Tabella', 'Record', 'Nuova', 'Segnalazione'],
          risultati.map((x) => [x.gravita, x.controllo, x.tabella, x.id_record ?? '—', x.nuovo ? 'sì' : '', x.messaggio]),
          [],
        )
      : ['Nessuna segnalazione.']),
  ];
}
