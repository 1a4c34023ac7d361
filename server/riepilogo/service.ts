import type { AppContext } from '../context';
import { deliverPending, DeliveryResult, enqueue, NewMessage } from '../posta/outbox';
import { renderEmail } from '../posta/render';
import { verdettoCorrente } from '../qualita/service';
import { destinatari } from '../scadenze/service';
import { separaEmail } from '../shared/email';
import { addDays, dataBreve, dataLunga, meseLungo } from '../shared/calendario';
import { comuneDi } from '../promemoria/contenuto';
import { sqlText } from '../shared/sql';
import { mancantiPer } from '../scadenze/parole';
import { caricaContesto } from '../cruscotto/contesto';
import { censimentoVisibile, digitGruppi } from '../cruscotto/digitalizzazione';
import { visibilitaComune } from '../cruscotto/nodi';
import { latestReport, ultimaEsecuzione } from '../riconciliazione/service';
import { emailUdpAttivi } from '../auth/utenti';
import { dataEstrazione } from '../importazione/estrazione';

/**
 * The monthly digest (docs/promemoria.md, "Riepilogo mensile"): each comune's contacts get
 * their scorecard in short. It is held, and the office alerted instead, when the figures cannot
 * be trusted: an old SIZ extract, a failed reconciliation, an unreliable import.
 */
export const GIORNI_ESTRAZIONE_MAX = 40;

export interface EsitoRiepilogo {
  mese: string;
  trattenuto: boolean;
  motivi: string[];
  accodati: number;
  comuni: number;
  consegna: DeliveryResult;
}

/** The month reported on a given day: the previous calendar month, 'YYYY-MM'. */
export function meseRiepilogo(oggi: string): { mese: string; m1: string; m2: string; p1: string } {
  const y = Number(oggi.slice(0, 4));
  const m = Number(oggi.slice(5, 7));
  const first = (yy: number, mm: number) => `${mm < 1 ? yy - 1 : yy}-${String(mm < 1 ? mm + 12 : mm).padStart(2, '0')}-01`;
  const m2 = first(y, m);
  const m1 = first(y, m - 1);
  const p1 = first(Number(m1.slice(0, 4)), Number(m1.slice(5, 7)) - 1);
  return { mese: m1.slice(0, 7), m1, m2, p1 };
}

/** Why the digest must not go out today; empty when it can. */
export async function motiviBlocco(ctx: AppContext, oggi: string): Promise<string[]> {
  const motivi: string[] = [];
  const estrazione = await dataEstrazione(ctx.db);
  if (!estrazione) motivi.push('nessuna estrazione SIZ è stata caricata');
  else if (estrazione < addDays(oggi, -GIORNI_ESTRAZIONE_MAX)) {
    motivi.push(`l'ultima estrazione SIZ è del ${dataBreve(estrazione)}, più vecchia di ${GIORNI_ESTRAZIONE_MAX} giorni`);
  }
  const ric = await ultimaEsecuzione(ctx.db);
  if (!ric) motivi.push('la riconciliazione con il censimento non è mai stata eseguita');
  else if (ric.esito !== 'ok') motivi.push(`l'ultima riconciliazione (del ${dataBreve(ric.oggi)}) è fallita${ric.messaggio ? `: ${ric.messaggio}` : ''}`);
  const v = await verdettoCorrente(ctx.db);
  if (v.verdetto === 'non_affidabile') motivi.push(`i dati importati non sono affidabili: ${v.motivo ?? 'verdetto della qualità dei dati'}`);
  return motivi;
}

/** The office's addresses: active UdP accounts, else the sender address of MAIL_FROM. */
export async function destinatariUdp(ctx: AppContext): Promise<string[]> {
  const out = separaEmail((await emailUdpAttivi(ctx.db)).join(','));
  if (out.length) return out;
  const m = /<([^>]+)>/.exec(ctx.config.mailFrom);
  return [(m ? m[1] : ctx.config.mailFrom).trim().toLowerCase()];
}

/**
 * A count of the comune's own people or cases, in full: the digest goes only to the comune's
 * own addresses and speaks only of that comune, whose figures its account sees in full on the
 * cruscotto (docs/riservatezza.md, «Le email»), as the reminders do.
 */
export function conteggio(n: number | null): string {
  if (n == null) return '–';
  return n.toLocaleString('it-IT');
}

/** Month-over-month variation, '–' when the base is 0. */
export function variazione(m: number, p: number): string {
  if (p === 0) return '–';
  const v = Math.round((1000 * (m - p)) / p) / 10;
  return `${v > 0 ? '+' : ''}${v.toLocaleString('it-IT')}%`;
}

const pct = (v: number | 'riservato' | null) => (v == null ? null : v === 'riservato' ? v : `${v.toLocaleString('it-IT', { maximumFractionDigits: 2 })}%`);

/** A group's digitalization as the comune's account sees it: a number or `riservato`. */
export type DigitGruppo = number | 'riservato' | null;

const STATI: Record<string, string> = { raggiunto: 'obiettivo raggiunto', in_corso: 'in corso', critico: 'critico', senza_censimento: 'senza censimento' };

interface RigaRiepilogo {
  codice_istat: string;
  nome: string;
  email: string | null;
  cluster: number;
  distretto: string;
  digit_tot: number | null;
  digit_cluster: number | null;
  digit_distretto: number | null;
  mancanti_obiettivo: number | null;
  stato: string | null;
  cartelle_attive_siz: number | null;
  cartelle_attive_dich: number | null;
  previsione_obiettivo: string | null;
  scadenza: string | null;
  obiettivo_scadenza: number | string | null;
  previsione_scadenza: string | null;
  punteggio: number | null;
  accessi_mese: number;
  accessi_prima: number;
  cartelle_mese: number;
  cartelle_prima: number;
  erogazioni_mese: number;
  erogazioni_prima: number;
}

/**
 * `gruppi`: the cluster's and distretto's digitalization as the comune's own account reads them
 * on its scorecard (server/cruscotto/digitalizzazione.ts, `digitGruppi`): a group ratio that
 * would give back another comune's hidden count reads `riservato` there, and so here.
 */
export function datiRiepilogo(ctx: AppContext, r: RigaRiepilogo, mese: string, gruppi: { cluster: DigitGruppo; distretto: DigitGruppo }): Record<string, unknown> {
  // The comune's own percentage, like its counts, is shown in full.
  const digitNascosto = false;
  const prec = meseRiepilogo(`${mese}-15`).mese;
  const target = r.scadenza && r.obiettivo_scadenza != null ? Number(r.obiettivo_scadenza) : ctx.config.obiettivo;
  const diScadenza = target !== ctx.config.obiettivo;
  const mancanti = diScadenza ? mancantiPer(r.cartelle_attive_siz, r.cartelle_attive_dich, target) : r.mancanti_obiettivo;
  const riga = (etichetta: string, m: number, p: number) => ({ etichetta, mese: conteggio(m), prima: conteggio(p), variazione: variazione(m, p) });
  return {
    oggetto: `Riepilogo mensile di ${meseLungo(mese)} – ${comuneDi(r.nome, r.codice_istat)}`,
    comune: comuneDi(r.nome, r.codice_istat),
    mese: meseLungo(mese),
    mese_prima: meseLungo(prec),
    cluster: r.cluster,
    digit: digitNascosto ? null : pct(r.digit_tot),
    digit_nascosto: digitNascosto,
    obiettivo: pct(ctx.config.obiettivo),
    digit_cluster: pct(gruppi.cluster),
    digit_distretto: pct(gruppi.distretto),
    gruppo_riservato: gruppi.cluster === 'riservato' || gruppi.distretto === 'riservato',
    distretto: r.distretto,
    stato: r.stato ? STATI[r.stato] ?? r.stato : 'senza censimento',
    // Against the deadline's own target when the comune's deadline sets one, as the reminder
    // and the scorecard say it (server/riconciliazione/rischio.ts).
    obiettivo_scadenza: diScadenza ? pct(target) : null,
    mancanti: mancanti == null ? null : conteggio(mancanti),
    previsione: diScadenza ? (r.previsione_scadenza ? dataLunga(r.previsione_scadenza) : null) : r.previsione_obiettivo ? dataLunga(r.previsione_obiettivo) : null,
    punteggio: r.punteggio == null ? null : r.punteggio.toLocaleString('it-IT', { maximumFractionDigits: 1 }),
    righe: [riga('Accessi allo sportello', r.accessi_mese, r.accessi_prima), riga('Nuove cartelle aperte', r.cartelle_mese, r.cartelle_prima), riga('Erogazioni', r.erogazioni_mese, r.erogazioni_prima)],
    link_scheda: `${ctx.config.baseUrl}/comuni/${r.codice_istat}`,
  };
}

export async function runRiepilogo(ctx: AppContext, opts: { oggi?: string } = {}): Promise<EsitoRiepilogo> {
  const oggi = opts.oggi ?? ctx.clock.today();
  const { mese, m1, m2, p1 } = meseRiepilogo(oggi);
  const motivi = await motiviBlocco(ctx, oggi);
  const msgs: NewMessage[] = [];
  let comuni = 0;
  if (motivi.length) {
    const data = {
      oggetto: `Riepilogo mensile di ${meseLungo(mese)} trattenuto: dati da verificare`,
      mese: meseLungo(mese),
      oggi: dataLunga(oggi),
      motivi,
      link_qualita: `${ctx.config.baseUrl}/qualita`,
      link_job: `${ctx.config.baseUrl}/job`,
    };
    const email = renderEmail('allerta', data);
    for (const to of await destinatariUdp(ctx)) {
      msgs.push({ tipo: 'allerta', chiave: `allerta:riepilogo:${mese}:${to}`, destinatario: to, oggetto: data.oggetto, ...email, riferimento: `riepilogo ${mese} trattenuto` });
    }
  } else {
    const rows = (await ctx.db.knex.raw(sqlText('riepilogo', 'riepilogo'), { m1, m2, p1 })).rows as RigaRiepilogo[];
    const contesto = await caricaContesto(ctx.db, oggi);
    const report = await latestReport(ctx.db);
    for (const r of rows) {
      const to = destinatari({ email: r.email, email_comune: null });
      if (!to.length) continue;
      comuni++;
      const comune = contesto.perIstat.get(r.codice_istat);
      // The same rule and code as the comune's scorecard: what its account sees of its groups.
      const g = comune ? digitGruppi(contesto, censimentoVisibile(contesto, visibilitaComune(r.codice_istat), report), report, comune) : { cluster: null, distretto: null };
      const data = datiRiepilogo(ctx, r, mese, g);
      const email = renderEmail('riepilogo', data);
      for (const d of to) {
        msgs.push({ tipo: 'riepilogo', chiave: `riepilogo:${mese}:${r.codice_istat}:${d}`, destinatario: d, oggetto: data.oggetto as string, ...email, codice_istat: r.codice_istat, riferimento: `riepilogo ${mese}` });
      }
    }
  }
  const accodati = await enqueue(ctx.db.knex, msgs);
  const consegna = await deliverPending(ctx);
  return { mese, trattenuto: motivi.length > 0, motivi, accodati, comuni, consegna };
}
