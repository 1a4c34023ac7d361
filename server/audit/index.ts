import type { Request } from 'express';
import { connessioneOccupata, type Database } from '../db';
import { annota, copiaInCorso, svuota } from './attesa';

/**
 * The audit log: who did what, when and from where (docs/ruoli.md lists what is recorded).
 *
 * Other features record their events with one call, e.g. an export:
 *
 *   await audit(ctx.db, { ...chi(req), azione: 'esportazione', dettagli: { pagina: '/api/comuni/098031', formato: 'csv' } });
 *
 * `chi(req)` fills in the signed-in account and the client address; a command or a job passes
 * `{ email: 'sistema' }` or nothing.
 */
export const AZIONI_AUDIT = [
  'login',
  'login_fallito',
  'utente_bloccato',
  'logout',
  'password_cambiata',
  'utente_creato',
  'utente_disattivato',
  'esportazione',
  'importazione',
  'importazione_rifiutata',
  'importazione_sospesa',
  'job_eseguito',
] as const;
export type AzioneAudit = (typeof AZIONI_AUDIT)[number];

export interface AuditEvent {
  azione: AzioneAudit | (string & {});
  utente_id?: number | null;
  email?: string | null;
  dettagli?: Record<string, unknown> | null;
  ip?: string | null;
  /** Default: the database's now(). Tests and injected clocks pass their own. */
  quando?: Date;
}

export async function audit(db: Database, e: AuditEvent): Promise<void> {
  const riga = {
    azione: e.azione,
    utente_id: e.utente_id ?? null,
    // Attempted e-mails are user input: bounded, so the log cannot be bloated through the login form.
    email: e.email == null ? null : String(e.email).slice(0, 254),
    dettagli: e.dettagli == null ? null : JSON.stringify(e.dettagli),
    ip: e.ip ?? null,
    ...(e.quando ? { quando: e.quando } : {}),
  };
  // An export on the embedded database while an import holds its one connection: the record is
  // made durable in the journal (attesa.ts) and copied into the table when the connection is free.
  // Only exports: other events are read back at once (the failed logins by the login limit).
  if (e.azione === 'esportazione' && connessioneOccupata(db) && annota(db, riga)) {
    // A failed copy leaves the journal as it is; the next event, opening or reading copies it.
    if (!copiaInCorso(db)) void svuota(db).catch(() => undefined);
    return;
  }
  await db.knex('audit').insert(riga);
}

/** Who is acting in this request: the signed-in account (if any) and the client address. */
export function chi(req: Request): { utente_id: number | null; email: string | null; ip: string | null } {
  return { utente_id: req.user?.id ?? null, email: req.user?.email ?? null, ip: req.ip ?? null };
}

export interface AuditRow {
  id: number;
  quando: Date;
  utente_id: number | null;
  email: string | null;
  azione: string;
  dettagli: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditPage {
  righe: AuditRow[];
  totale: number;
  pagina: number;
  pagine: number;
  per_pagina: number;
}

/** Newest first, `perPagina` rows per page (1-based), optionally one action only. */
export async function listAudit(db: Database, opts: { azione?: string | null; pagina?: number; perPagina?: number } = {}): Promise<AuditPage> {
  await svuota(db);
  const perPagina = Math.min(Math.max(opts.perPagina ?? 50, 1), 100_000);
  const base = () => {
    const q = db.knex('audit');
    if (opts.azione) q.where('azione', opts.azione);
    return q;
  };
  const [{ n }] = await base().count('* as n');
  const totale = Number(n);
  const pagine = Math.max(1, Math.ceil(totale / perPagina));
  const pagina = Math.min(Math.max(opts.pagina ?? 1, 1), pagine);
  const righe = (await base()
    .select('id', 'quando', 'utente_id', 'email', 'azione', 'dettagli', 'ip')
    .orderBy([{ column: 'quando', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(perPagina)
    .offset((pagina - 1) * perPagina)) as AuditRow[];
  return { righe: righe.map((r) => ({ ...r, id: Number(r.id) })), totale, pagina, pagine, per_pagina: perPagina };
}
