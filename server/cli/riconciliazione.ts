import { DATE_RE, flag, ISTAT_RE, onlyFlags, UsageError } from './args';
import type { CliCommand, CliIO } from './tipi';
import {
  ComuneNonTrovato,
  ComuneReport,
  explain,
  exportCensimento,
  isMetrica,
  latestReport,
  METRICHE,
  ReportDigitalizzazione,
} from '../riconciliazione/service';
import { giorno, percento } from '../shared/formato';

const it = (d: string | null) => giorno(d, '-');
const pct = (v: number | null) => percento(v, 2, '-');
const n = (v: number | null) => (v == null ? '-' : v.toLocaleString('it-IT'));

const STATO_IT: Record<string, string> = { raggiunto: 'raggiunto', in_corso: 'in corso', critico: 'critico', senza_censimento: 'senza censimento' };

/**
 * Distance to the target: the furthest behind first, then the comuni that reached it (least
 * above first), the comuni without a census last; ties by name.
 */
export function byDistance(obiettivo: number) {
  return (a: ComuneReport, b: ComuneReport): number => {
    const ka = a.digit_tot == null ? Infinity : a.digit_tot - obiettivo;
    const kb = b.digit_tot == null ? Infinity : b.digit_tot - obiettivo;
    return ka !== kb ? (ka < kb ? -1 : 1) : a.nome.localeCompare(b.nome, 'it');
  };
}

/** The report as a terminal table in Italian, one line per comune. */
export function formatTable(rep: ReportDigitalizzazione): string[] {
  const cols = ['Comune', 'ISTAT', 'Cl.', 'Distretto', 'SIZ', 'Dich.', 'Digit tot', 'Tutela', 'Cluster', 'Distretto %', 'Mancanti', 'Stato', 'Previsione', 'Scadenza', 'Rischio'];
  const right = new Set([4, 5, 6, 7, 8, 9, 10]);
  const rows = [...rep.comuni].sort(byDistance(rep.obiettivo)).map((c) => [
    c.nome,
    c.codice_istat,
    String(c.cluster),
    c.distretto,
    n(c.metriche.cartelle_attive.siz),
    n(c.metriche.cartelle_attive.dichiarato),
    pct(c.digit_tot),
    pct(c.digit_tutela),
    pct(c.digit_cluster),
    pct(c.digit_distretto),
    n(c.mancanti_obiettivo),
    STATO_IT[c.stato] + (c.sopra_dichiarato ? ' (sopra il dichiarato)' : ''),
    it(c.previsione_obiettivo),
    it(c.scadenza),
    c.a_rischio ? 'SÌ' : '',
  ]);
  const width = cols.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (right.has(i) ? v.padStart(width[i]) : v.padEnd(width[i]))).join('  ').trimEnd();
  return [
    `Digitalizzazione dei comuni: riconciliazione del ${rep.generato_il.replace('T', ' ').replace('Z', ' UTC')}, estrazione SIZ del ${it(rep.estrazione_siz)}`,
    `Obiettivo ${pct(rep.obiettivo)}. Ambito: cartelle attive ${pct(rep.ambito.digit_tot)}, tutela minori ${pct(rep.ambito.digit_tutela)}.`,
    'Ordinati per distanza dall\'obiettivo: prima i più lontani; in fondo quelli senza censimento.',
    '',
    line(cols),
    line(width.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
}

async function reportCommand(args: import('./args').ParsedArgs, io: CliIO): Promise<number> {
  onlyFlags(args, ['comune', 'json', 'dettaglio']);
  if (args.positional.length) throw new UsageError(`argomento inatteso: ${args.positional[0]}`);
  const comune = flag(args, 'comune', { pattern: ISTAT_RE, hint: 'codice ISTAT di 6 cifre' });
  const dettaglio = flag(args, 'dettaglio');
  if (dettaglio !== undefined && !isMetrica(dettaglio)) throw new UsageError(`metrica sconosciuta "${dettaglio}" (una di: ${METRICHE.join(', ')})`);
  if (dettaglio !== undefined && !comune) throw new UsageError('--dettaglio richiede --comune');
  const ctx = await io.context();
  try {
    if (dettaglio && comune && isMetrica(dettaglio)) {
      const sp = await explain(ctx.db, { comune, metrica: dettaglio, oggi: ctx.clock.today(), obiettivo: ctx.config.obiettivo });
      if (args.flags.json) {
        io.out(JSON.stringify(sp, null, 2));
        return 0;
      }
      io.out(`${sp.nome} (${sp.codice_istat}), ${sp.metrica}: ${sp.siz} nel SIZ${sp.dichiarato == null ? '' : ` su ${sp.dichiarato} dichiarati`}${sp.percentuale == null ? '' : ` = ${pct(sp.percentuale)}`}`);
      io.out(sp.formula);
      io.out('');
      io.out(`Conteggiati (${sp.counted.length}):`);
      for (const id of sp.counted) io.out(`  ${id}`);
      io.out('');
      io.out(`Non conteggiati, con il motivo (${sp.excluded.length}):`);
      const w = Math.max(0, ...sp.excluded.map((e) => e.id.length));
      for (const e of sp.excluded) io.out(`  ${e.id.padEnd(w)}  ${e.motivo}`);
      return 0;
    }
    const rep = await latestReport(ctx.db, { comune });
    if (!rep) {
      io.err('Nessuna riconciliazione eseguita: lanciare "cruscotto run riconciliazione".');
      return 1;
    }
    if (args.flags.json) io.out(JSON.stringify(rep, null, 2));
    else for (const l of formatTable(rep)) io.out(l);
    return 0;
  } catch (e) {
    if (e instanceof ComuneNonTrovato) {
      io.err(`Errore: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

export const riconciliazioneCommands: CliCommand[] = [
  {
    words: ['report', 'digitalizzazione'],
    usage: 'cruscotto report digitalizzazione [--comune ISTAT] [--json] [--dettaglio METRICA]',
    description: 'digitalizzazione dei comuni dall\'ultima riconciliazione (tabella o JSON); --dettaglio elenca i record contati ed esclusi',
    booleans: ['json'],
    run: reportCommand,
  },
  {
    words: ['export', 'censimento'],
    usage: 'cruscotto export censimento DIR [--comune ISTAT] [--data AAAA-MM-GG]',
    description: 'schede di censimento precompilate con i conteggi SIZ (un XLSX per comune)',
    async run(args, io) {
      onlyFlags(args, ['comune', 'data']);
      if (args.positional.length !== 1) throw new UsageError('indicare la cartella di destinazione');
      const comune = flag(args, 'comune', { pattern: ISTAT_RE, hint: 'codice ISTAT di 6 cifre' });
      const data = flag(args, 'data', { pattern: DATE_RE, hint: 'AAAA-MM-GG' });
      const ctx = await io.context();
      const res = await exportCensimento(ctx, args.positional[0], { comune, data });
      if (comune && res.files.length === 0) {
        io.err(`Errore: il comune ${comune} non è tra i comuni attivi dell'anagrafica`);
        return 1;
      }
      io.out(`Schede di censimento al ${it(res.data_riferimento)} (periodo dal ${it(res.periodo_inizio)}): ${res.files.length} file in ${args.positional[0]}`);
      for (const f of res.files) io.out(`  ${f}`);
      return 0;
    },
  },
];
