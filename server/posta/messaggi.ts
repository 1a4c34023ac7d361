import type { AppContext } from '../context';
import type { Database } from '../db';
import { DeliveryResult, nascondiLink, StatoMessaggio, TipoMessaggio } from './outbox';

/** Reading the outbox: the /posta page, /api/posta and `cruscotto report posta`. */

/**
 * States shown outside: a row being sent right now is still "waiting" (docs/interfacce.md,
 * "Documenti JSON dei report").
 */
export type StatoReport = 'in_attesa' | 'inviato' | 'fallito' | 'scartato';

export function statoReport(s: StatoMessaggio): StatoReport {
  return s === 'invio' ? 'in_attesa' : s;
}

export interface MessaggioReport {
  id: number;
  tipo: TipoMessaggio;
  codice_istat: string | null;
  destinatario: string;
  oggetto: string;
  stato: StatoReport;
  tentativi: number;
  creato_il: string;
  inviato_il: string | null;
  riferimento: string | null;
  prossimo_tentativo: string | null;
  ultimo_errore: string | null;
}

export interface FiltroPosta {
  stato?: StatoReport | null;
  tipo?: TipoMessaggio | null;
  /** Newest first, at most this many (default: all). */
  limite?: number;
}

const iso = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

export async function listMessaggi(db: Database, f: FiltroPosta = {}): Promise<MessaggioReport[]> {
  const q = db.knex('posta').select('id', 'tipo', 'codice_istat', 'destinatario', 'oggetto', 'stato', 'tentativi', 'creato_il', 'inviato_il', 'riferimento', 'prossimo_tentativo', 'ultimo_errore');
  if (f.stato === 'in_attesa') q.whereIn('stato', ['in_attesa', 'invio']);
  else if (f.stato) q.where('stato', f.stato);
  if (f.tipo) q.where('tipo', f.tipo);
  q.orderBy('id', f.limite ? 'desc' : 'asc');
  if (f.limite) q.limit(f.limite);
  return (await q).map(report);
}

/** A row of `posta` as docs/interfacce.md reports it (no body). */
function report(r: Record<string, any>): MessaggioReport {
  return {
    id: Number(r.id),
    tipo: r.tipo,
    codice_istat: r.codice_istat,
    destinatario: r.destinatario,
    oggetto: r.oggetto,
    stato: statoReport(r.stato),
    tentativi: Number(r.tentativi),
    creato_il: iso(r.creato_il)!,
    inviato_il: iso(r.inviato_il),
    riferimento: r.riferimento,
    prossimo_tentativo: iso(r.prossimo_tentativo),
    ultimo_errore: r.ultimo_errore,
  };
}

export async function contaPerStato(db: Database): Promise<Record<StatoReport, number>> {
  const out: Record<StatoReport, number> = { in_attesa: 0, inviato: 0, fallito: 0, scartato: 0 };
  for (const r of await db.knex('posta').select('stato').count('* as n').groupBy('stato')) out[statoReport(r.stato as StatoMessaggio)] += Number(r.n);
  return out;
}

export interface MessaggioCompleto extends MessaggioReport {
  testo: string;
  html: string;
  chiave: string;
  scadenza_id: number | null;
}

export async function getMessaggio(db: Database, id: number): Promise<MessaggioCompleto | null> {
  const r = await db.knex('posta').where({ id }).first();
  if (!r) return null;
  return {
    ...report(r),
    testo: nascondiLink(r.tipo, r.testo),
    html: nascondiLink(r.tipo, r.html),
    chiave: r.chiave,
    scadenza_id: r.scadenza_id == null ? null : Number(r.scadenza_id),
  };
}

export interface MessaggioConComune {
  id: number;
  scadenza_id: number | null;
  codice_istat: string | null;
  destinatario: string;
  oggetto: string;
  comune: string | null;
}

/** The message with this outbox key and its comune's name, for the acknowledgement link of a reminder (server/promemoria/presa-visione.ts). */
export async function messaggioPerChiave(db: Database, chiave: string): Promise<MessaggioConComune | undefined> {
  return db
    .knex('posta as p')
    .leftJoin('comuni as c', 'c.codice_istat', 'p.codice_istat')
    .where('p.chiave', chiave)
    .first('p.id', 'p.scadenza_id', 'p.codice_istat', 'p.destinatario', 'p.oggetto', 'c.nome as comune');
}

/** One line on what a delivery pass did, or why nothing was sent. */
export function riepilogoConsegna(ctx: AppContext, r: DeliveryResult): string {
  if (!ctx.config.smtpUrl) return 'SMTP_URL non impostato: i messaggi restano nella posta in uscita (pagina Posta).';
  return `Invio: ${r.inviati} inviati, ${r.falliti} non riusciti (saranno ritentati), ${r.scartati} scartati.`;
}

/** The latest messages about one deadline (reminders, digest), newest first: the deadline's page. */
export async function messaggiDellaScadenza(db: Database, scadenzaId: number, limite = 200): Promise<{ id: number; destinatario: string; oggetto: string; stato: StatoMessaggio; inviato_il: Date | null; creato_il: Date; riferimento: string | null }[]> {
  return db.knex('posta').where({ scadenza_id: scadenzaId }).orderBy('id', 'desc').limit(limite).select('id', 'destinatario', 'oggetto', 'stato', 'inviato_il', 'creato_il', 'riferimento');
}
