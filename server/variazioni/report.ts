import type { Database } from '../db';

/**
 * `cruscotto report variazioni --json` (docs/interfacce.md, "Documenti JSON dei report"): one entry
 * per variation.
 */
export interface VariazioneReport {
  tipo: string;
  codice_fiscale: string;
  codice_istat: string;
  data_precedente: string;
  data_snapshot: string;
  cartelle: string[];
  operatori: string[];
}

/** The notifications those variations produced, per operatore (and per digest e-mail). */
export interface NotificaReport {
  operatore_id: string | null;
  allarmi: number;
  presi_in_visione: number;
  /** in_attesa / email / senza_email / senza_operatore (alarms.notifica). */
  notifica: string;
  /** Outbox key and state of the digest that carried them (null when in-app only). */
  messaggio: { chiave: string; stato: string | null } | null;
}

export interface Report {
  variazioni: VariazioneReport[];
  notifiche: NotificaReport[];
}

/**
 * The variations of the latest comparison of each comune (or of one comune) and the
 * notifications they produced.
 */
export async function reportVariazioni(db: Database, opts: { comune?: string } = {}): Promise<Report> {
  const ultimi = `select distinct on (codice_istat) codice_istat, data_precedente, data_snapshot
                  from variazioni_confronti where data_precedente is not null ${opts.comune ? 'and codice_istat = ?' : ''}
                  order by codice_istat, data_snapshot desc`;
  const b = opts.comune ? [opts.comune] : [];
  const variazioni = (
    await db.knex.raw(
      `with ultimi as (${ultimi})
       select v.tipo, v.codice_fiscale, v.codice_istat, v.data_precedente, v.data_snapshot,
              coalesce(array_agg(distinct a.id_cartella) filter (where a.id_cartella is not null), '{}') as cartelle,
              coalesce(array_agg(distinct a.operatore_id) filter (where a.operatore_id is not null), '{}') as operatori
       from ultimi u
       join variazioni v on v.codice_istat = u.codice_istat and v.data_precedente = u.data_precedente and v.data_snapshot = u.data_snapshot
       left join allarmi a on a.variazione_id = v.id
       group by v.id, v.tipo, v.codice_fiscale, v.codice_istat, v.data_precedente, v.data_snapshot
       order by v.codice_istat, v.tipo, v.codice_fiscale`,
      b,
    )
  ).rows as VariazioneReport[];
  const notifiche = (
    await db.knex.raw(
      `with ultimi as (${ultimi})
       select a.operatore_id, a.notifica, a.messaggio_chiave, p.stato, count(*) as allarmi, count(a.preso_visione_il) as presi_in_visione
       from ultimi u
       join variazioni v on v.codice_istat = u.codice_istat and v.data_precedente = u.data_precedente and v.data_snapshot = u.data_snapshot
       join allarmi a on a.variazione_id = v.id
       left join posta p on p.chiave = a.messaggio_chiave
       group by a.operatore_id, a.notifica, a.messaggio_chiave, p.stato
       order by a.operatore_id nulls last, a.messaggio_chiave`,
      b,
    )
  ).rows as { operatore_id: string | null; notifica: string; messaggio_chiave: string | null; stato: string | null; allarmi: number; presi_in_visione: number }[];
  return {
    variazioni: variazioni.map((v) => ({ ...v, cartelle: [...v.cartelle].sort(), operatori: [...v.operatori].sort() })),
    notifiche: notifiche.map((n) => ({
      operatore_id: n.operatore_id,
      allarmi: Number(n.allarmi),
      presi_in_visione: Number(n.presi_in_visione),
      notifica: n.notifica,
      messaggio: n.messaggio_chiave ? { chiave: n.messaggio_chiave, stato: n.stato } : null,
    })),
  };
}
