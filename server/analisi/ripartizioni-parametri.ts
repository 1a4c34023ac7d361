import { HttpError } from '../web/errori';
import type { Utente } from '../auth/tipi';
import { AccessoNegato } from '../auth/permessi';
import type { Contesto } from '../cruscotto/contesto';
import { codiceIstat, scelta } from '../web/parametri';
import { comuniDellaSelezione, data, formatoTabella, ParametriAnalisi, periodoDalAl, riferimento, soloAmmessi, tutteLeRighe } from './parametri';

/**
 * The parameters of /analisi/ripartizioni (docs/analisi.md, "Ripartizioni"): a period, either
 * `anno` (a whole calendar year) or `dal`/`al`, and one of comune / cluster / distretto.
 *
 * Who chooses what (docs/riservatezza.md, "Periodi"): the UdP any selection and any period; a
 * comune account the ambito or its own comune, with `dal`/`al` only on its own comune; an
 * operatore the ambito only. Outside the UdP an ambito figure is for whole years only: two
 * ranges one day apart would differ by the accessi of that day, a small count.
 */
export interface ParametriRipartizioni extends ParametriAnalisi {
  /** Set when the period is a whole calendar year. */
  anno: number | null;
  /** The account sees this selection in full (UdP; a comune on its own comune). */
  pieno: boolean;
  /** The page only (`tutte=1`): every row of the long tables, not the first RIGHE_PAGINA. */
  tutte: boolean;
}

const bad = (m: string) => new HttpError(400, `Parametro non valido: ${m}.`);

export function parseRipartizioni(query: unknown, contesto: Contesto, user: Utente, opts: { api: boolean; tabelle: readonly string[] }): ParametriRipartizioni {
  const q = (query ?? {}) as Record<string, unknown>;
  const ammessi = ['anno', 'dal', 'al', 'comune', 'cluster', 'distretto', ...(opts.api ? ['formato', 'tabella'] : ['tutte'])];
  soloAmmessi(q, ammessi);
  const tutte = tutteLeRighe(q);
  const annoOggi = Number(contesto.oggi.slice(0, 4));
  let anno: number | null = null;
  if (q.anno !== undefined && q.anno !== '') {
    if (!/^\d{4}$/.test(String(q.anno)) || Number(q.anno) < 2000 || Number(q.anno) > annoOggi) throw bad(`«anno» è un anno dal 2000 al ${annoOggi}`);
    anno = Number(q.anno);
  }
  const dalQ = data(q, 'dal');
  const alQ = data(q, 'al');
  if (anno !== null && (dalQ || alQ)) throw bad('si sceglie un anno oppure un periodo (dal, al), non entrambi');

  let comune = codiceIstat(q, 'comune');
  const clusterTxt = scelta(q, 'cluster', contesto.cluster.map(String));
  const distretto = scelta(q, 'distretto', contesto.distretti);
  if ([comune, clusterTxt, distretto].filter(Boolean).length > 1) throw bad('si sceglie un comune, un cluster oppure un distretto, non più di uno');
  if (comune && !contesto.perIstat.has(comune)) throw bad(`il comune ${comune} non è tra i comuni attivi dell'ambito`);
  const { formato, tabella } = formatoTabella(q, opts.tabelle);

  // Outside the UdP: the ambito, or the account's own comune (docs/riservatezza.md, "meno uscite, fisse").
  if (user.ruolo !== 'udp') {
    const proprio = user.ruolo === 'comune' ? user.codice_istat : null;
    if (user.ruolo === 'comune' && !proprio) throw new AccessoNegato('Accesso negato: il profilo non è legato a un comune.');
    if (clusterTxt || distretto || (comune && comune !== proprio)) {
      throw new AccessoNegato(proprio ? "Accesso negato: fuori dall'Ufficio di Piano si vedono le ripartizioni dell'ambito e del proprio comune." : "Accesso negato: fuori dall'Ufficio di Piano si vedono le ripartizioni dell'intero ambito.");
    }
  }
  const pieno = user.ruolo === 'udp' || (user.ruolo === 'comune' && comune !== null && comune === user.codice_istat);
  if ((dalQ || alQ) && !pieno) {
    throw bad(
      "«dal» e «al» (un periodo qualsiasi) sono riservati all'Ufficio di Piano e, per il proprio comune, al suo account: qui si sceglie un anno intero («anno»). Due periodi che differiscono di un giorno rivelerebbero gli accessi di quel giorno, un numero piccolo",
    );
  }

  let dal: string;
  let al: string;
  if (anno === null && (dalQ || alQ)) ({ dal, al } = periodoDalAl(dalQ, alQ, contesto));
  else {
    // A whole year (the default: the year of the extract), as on /sportello.
    anno = anno ?? Number(riferimento(contesto).slice(0, 4));
    dal = `${anno}-01-01`;
    al = `${anno}-12-31`;
  }
  const cluster = clusterTxt ? Number(clusterTxt) : null;
  comune = comune ?? null;
  return { dal, al, anno, comune, cluster, distretto, formato, tabella, ...comuniDellaSelezione(contesto, comune, cluster, distretto), pieno, tutte };
}
