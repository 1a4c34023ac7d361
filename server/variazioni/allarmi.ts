import type { Database } from '../db';
import { GIORNI_ALLARME_VECCHIO, TipoVariazione } from './tipi';

/** A member of the person's registry household, at one of the two dates. */
export interface Familiare {
  codice_fiscale: string;
  cognome: string | null;
  nome: string | null;
  data_nascita: string | null;
  stato: string;
}

/** An alarm as its operatore sees it: they hold the case, so the person's details are shown. */
export interface AllarmeOperatore {
  id: number;
  tipo: TipoVariazione;
  id_cartella: string;
  compito: string | null;
  creato_il: Date;
  preso_visione_il: Date | null;
  preso_visione_email: string | null;
  codice_istat: string;
  comune: string | null;
  data_precedente: string;
  data_snapshot: string;
  persona: {
    codice_fiscale: string;
    cognome: string | null;
    nome: string | null;
    data_nascita: string | null;
    data_evento: string | null;
    indirizzo_precedente: string | null;
    indirizzo: string | null;
    id_famiglia_precedente: string | null;
    id_famiglia: string | null;
  };
  /** The household at T1 and at T0, from the snapshots while they are kept (else empty). */
  famiglia: Familiare[];
  famiglia_precedente: Familiare[];
}

/** How many alarms of one operatore wait to be acknowledged (the count in the menu). */
export async function contaAperti(db: Database, operatoreId: string): Promise<number> {
  const [{ n }] = await db.knex('allarmi').where({ operatore_id: operatoreId }).whereNull('preso_visione_il').count('* as n');
  return Number(n);
}

/** Most alarms one page shows; the unacknowledged ones come first. */
export const MAX_ALLARMI = 500;

/**
 * The alarms of ONE operatore (the only ones they may see: the route passes the account's own
 * operatore_id), unacknowledged first, newest first; optionally of one type.
 */
export async function elencoAllarmi(db: Database, operatoreId: string, opts: { tipo?: TipoVariazione | null } = {}): Promise<AllarmeOperatore[]> {
  const q = db
    .knex('allarmi as a')
    .join('variazioni as v', 'v.id', 'a.variazione_id')
    .leftJoin('comuni as c', 'c.codice_istat', 'v.codice_istat')
    .where('a.operatore_id', operatoreId)
    .select(
      'a.id', 'v.tipo', 'a.id_cartella', 'a.compito', 'a.creato_il', 'a.preso_visione_il', 'a.preso_visione_email', 'v.codice_istat', 'c.nome as comune',
      'v.data_precedente', 'v.data_snapshot', 'v.codice_fiscale', 'v.cognome', 'v.nome', 'v.data_nascita', 'v.data_evento',
      'v.indirizzo_precedente', 'v.indirizzo', 'v.id_famiglia_precedente', 'v.id_famiglia',
    )
    // Deaths first: they are the ones that ask for an action (close the case, stop the services).
    .orderByRaw("a.preso_visione_il is not null, (v.tipo = 'decesso') desc, v.data_snapshot desc, a.id desc")
    .limit(MAX_ALLARMI);
  if (opts.tipo) q.where('v.tipo', opts.tipo);
  const rows = (await q) as Record<string, unknown>[];
  const famiglie = await famiglieDi(db, rows.map((r) => Number(r.id)));
  return rows.map((r) => ({
    id: Number(r.id),
    tipo: r.tipo as TipoVariazione,
    id_cartella: r.id_cartella as string,
    compito: r.compito as string | null,
    creato_il: r.creato_il as Date,
    preso_visione_il: r.preso_visione_il as Date | null,
    preso_visione_email: r.preso_visione_email as string | null,
    codice_istat: r.codice_istat as string,
    comune: r.comune as string | null,
    data_precedente: r.data_precedente as string,
    data_snapshot: r.data_snapshot as string,
    persona: {
      codice_fiscale: r.codice_fiscale as string,
      cognome: r.cognome as string | null,
      nome: r.nome as string | null,
      data_nascita: r.data_nascita as string | null,
      data_evento: r.data_evento as string | null,
      indirizzo_precedente: r.indirizzo_precedente as string | null,
      indirizzo: r.indirizzo as string | null,
      id_famiglia_precedente: r.id_famiglia_precedente as string | null,
      id_famiglia: r.id_famiglia as string | null,
    },
    famiglia: famiglie.get(`${r.id}:1`) ?? [],
    famiglia_precedente: famiglie.get(`${r.id}:0`) ?? [],
  }));
}

/** The households of the given alarms' people at T1 (":1") and T0 (":0"), in one query. */
async function famiglieDi(db: Database, ids: number[]): Promise<Map<string, Familiare[]>> {
  const out = new Map<string, Familiare[]>();
  if (!ids.length) return out;
  const rows = (
    await db.knex.raw(
      `select a.id, q.quando, r.codice_fiscale, r.cognome, r.nome, coalesce(r.data_nascita, r.data_nascita_cf) as data_nascita, r.stato
       from allarmi a
       join variazioni v on v.id = a.variazione_id
       cross join lateral (values (1, v.data_snapshot, v.id_famiglia), (0, v.data_precedente, v.id_famiglia_precedente)) q(quando, giorno, famiglia)
       join anagrafe_snapshot s on s.codice_istat = v.codice_istat and s.data_snapshot = q.giorno
       join anagrafe r on r.snapshot_id = s.id and r.id_famiglia = q.famiglia
       where a.id in (${ids.map(() => '?').join(', ')})
       order by a.id, q.quando, r.cognome, r.nome, r.codice_fiscale`,
      ids,
    )
  ).rows as (Familiare & { id: number; quando: number })[];
  for (const { id, quando, ...f } of rows) {
    const k = `${id}:${quando}`;
    const list = out.get(k) ?? [];
    list.push(f);
    out.set(k, list);
  }
  return out;
}

/** Who acknowledges: the signed-in operatore account. */
export interface Chi {
  utente_id: number;
  email: string;
  operatore_id: string;
}

/**
 * Acknowledges the given alarms of this operatore (others' ids are ignored, already
 * acknowledged ones keep their first who and when). Returns how many changed.
 */
export async function prendiVisione(db: Database, chi: Chi, ids: number[], ora: Date): Promise<number> {
  const validi = ids.filter((i) => Number.isSafeInteger(i) && i > 0);
  if (!validi.length) return 0;
  return db
    .knex('allarmi')
    .whereIn('id', validi)
    .where('operatore_id', chi.operatore_id)
    .whereNull('preso_visione_il')
    .update({ preso_visione_il: ora, preso_visione_da: chi.utente_id, preso_visione_email: chi.email });
}

/** The UdP's board: open alarms per comune of the case, the overdue ones, the in-app-only ones. */
export interface RiepilogoUdp {
  giorni_soglia: number;
  comuni: { codice_istat: string | null; comune: string | null; aperti: number; oltre_soglia: number; visti: number }[];
  oltre_soglia: AllarmeUdp[];
  senza_email: (AllarmeUdp & { motivo: 'senza_email' | 'senza_operatore' })[];
}

/** No personal data: the UdP oversees, the operatore holding the case acts. */
export interface AllarmeUdp {
  id: number;
  tipo: TipoVariazione;
  data_snapshot: string;
  id_cartella: string;
  operatore_id: string | null;
  codice_istat: string | null;
  comune: string | null;
  creato_il: Date;
  giorni: number;
}

export async function riepilogoUdp(db: Database, opts: { ora: Date }): Promise<RiepilogoUdp> {
  const soglia = new Date(opts.ora.getTime() - GIORNI_ALLARME_VECCHIO * 86_400_000);
  const comuni = (
    await db.knex.raw(
      `select a.codice_istat, c.nome as comune,
              count(*) filter (where a.preso_visione_il is null) as aperti,
              count(*) filter (where a.preso_visione_il is null and a.creato_il < ?) as oltre_soglia,
              count(*) filter (where a.preso_visione_il is not null) as visti
       from allarmi a left join comuni c on c.codice_istat = a.codice_istat
       group by a.codice_istat, c.nome
       order by count(*) filter (where a.preso_visione_il is null and a.creato_il < ?) desc, a.codice_istat nulls last`,
      [soglia, soglia],
    )
  ).rows as RiepilogoUdp['comuni'];
  const base = () =>
    db
      .knex('allarmi as a')
      .join('variazioni as v', 'v.id', 'a.variazione_id')
      .leftJoin('comuni as c', 'c.codice_istat', 'a.codice_istat')
      .whereNull('a.preso_visione_il')
      .select('a.id', 'v.tipo', 'v.data_snapshot', 'a.id_cartella', 'a.operatore_id', 'a.codice_istat', 'c.nome as comune', 'a.creato_il', 'a.notifica as motivo')
      .orderBy([{ column: 'a.creato_il' }, { column: 'a.id' }])
      .limit(MAX_ALLARMI);
  const eta = (r: { creato_il: Date }) => Math.floor((opts.ora.getTime() - new Date(r.creato_il).getTime()) / 86_400_000);
  const oltre = (await base().where('a.creato_il', '<', soglia)) as (AllarmeUdp & { motivo?: string })[];
  const senza = (await base().whereIn('a.notifica', ['senza_email', 'senza_operatore'])) as RiepilogoUdp['senza_email'];
  return {
    giorni_soglia: GIORNI_ALLARME_VECCHIO,
    comuni: comuni.map((c) => ({ ...c, aperti: Number(c.aperti), oltre_soglia: Number(c.oltre_soglia), visti: Number(c.visti) })),
    oltre_soglia: oltre.map(({ motivo: _m, ...r }) => ({ ...r, id: Number(r.id), giorni: eta(r) })),
    senza_email: senza.map((r) => ({ ...r, id: Number(r.id), giorni: eta(r) })),
  };
}
