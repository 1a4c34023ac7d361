import type { AppContext } from '../context';
import { latestReport } from '../riconciliazione/service';
import type { ComuneReport, ReportDigitalizzazione } from '../riconciliazione/service';
import { obiettivoDi, scadenzeComuni, ScadenzaComune } from '../riconciliazione/rischio';
import type { ComuneInfo, Contesto } from './contesto';
import { censimentoVisibile, CensimentoVisibile } from './digitalizzazione';
import { nodoComune, pieno, Visibilita } from './nodi';

/**
 * What every section of the comune's scorecard reads (scheda-*.ts): the last reconciliation,
 * the comune's row in it, the target that counts for it and what the account may see.
 */
export interface BaseScheda {
  comune: ComuneInfo;
  istat: string;
  oggi: string;
  report: ReportDigitalizzazione | null;
  /** The comune's row of the last reconciliation. */
  r: ComuneReport | null;
  /** The ambito's target. */
  obiettivo: number;
  /** The target that counts for this comune: its deadline's own when it sets one (issue 14). */
  target: number;
  scad: ScadenzaComune | undefined;
  cens: CensimentoVisibile;
  /** The headline cells of the comune are shown to this account. */
  visibile: boolean;
  /** The account sees the comune's own figures in full (the UdP or the comune itself). */
  proprioPieno: boolean;
}

export async function caricaBaseScheda(ctx: AppContext, contesto: Contesto, v: Visibilita, comune: ComuneInfo): Promise<BaseScheda> {
  const istat = comune.codice_istat;
  const report = await latestReport(ctx.db);
  const obiettivo = report?.obiettivo ?? ctx.config.obiettivo;
  const r = report?.comuni.find((c) => c.codice_istat === istat) ?? null;
  const scad = (await scadenzeComuni(ctx.db)).get(istat);
  const target = obiettivoDi(scad, obiettivo);
  const cens = censimentoVisibile(contesto, v, report, new Map([[istat, target]]));
  return { comune, istat, oggi: contesto.oggi, report, r, obiettivo, target, scad, cens, visibile: cens.visibile(istat), proprioPieno: pieno(v, nodoComune(comune)) };
}
