import type { Knex } from 'knex';
import type { AppContext } from '../context';
import { enqueue, NewMessage } from '../posta/outbox';
import { createViews, Views } from '../web/views';
import { ETICHETTE, TIPI_VARIAZIONE, TipoVariazione } from './tipi';

/** What one digest pass did: e-mails queued, and alarms that stay in-app only (and why). */
export interface EsitoDigest {
  email: number;
  allarmi_in_email: number;
  senza_email: number;
  senza_operatore: number;
}

interface AllarmeDaNotificare {
  id: number;
  operatore_id: string | null;
  id_cartella: string;
  compito: string | null;
  tipo: TipoVariazione;
  data_snapshot: string;
  email: string | null;
  operatore_noto: boolean;
  operatore_istat: string | null;
}

let views: Views | null = null;
function emailViews(): Views {
  views ??= createViews();
  return views;
}

/**
 * The digest of one operatore: type, date and cartella id of each alarm, and the link to the
 * alarms page. Nothing else: no name, no codice fiscale, no address (docs/dominio.md, "Su che cosa
 * sarà giudicato").
 */
export function componiDigest(baseUrl: string, allarmi: { tipo: TipoVariazione; data_snapshot: string; id_cartella: string; compito: string | null }[]): { oggetto: string; testo: string; html: string } {
  const ordinati = [...allarmi].sort(
    (a, b) => TIPI_VARIAZIONE.indexOf(a.tipo) - TIPI_VARIAZIONE.indexOf(b.tipo) || (a.data_snapshot < b.data_snapshot ? -1 : a.data_snapshot > b.data_snapshot ? 1 : 0) || (a.id_cartella < b.id_cartella ? -1 : a.id_cartella > b.id_cartella ? 1 : 0),
  );
  const decessi = ordinati.filter((a) => a.tipo === 'decesso').length;
  const n = ordinati.length;
  const oggetto = `Variazioni anagrafiche: ${n} ${n === 1 ? 'notifica' : 'notifiche'} sui casi in carico${decessi ? ` (${decessi} ${decessi === 1 ? 'decesso' : 'decessi'}: azione richiesta)` : ''}`;
  const data = {
    n,
    decessi,
    link: `${baseUrl}/notifiche`,
    righe: ordinati.map((a) => ({ etichetta: ETICHETTE[a.tipo], data: a.data_snapshot, id_cartella: a.id_cartella, compito: a.compito })),
  };
  return { oggetto, testo: emailViews().render('emails/variazioni-testo', data), html: emailViews().render('emails/variazioni', data) };
}

/**
 * Puts every alarm not yet notified into one digest per operatore, through the outbox, in one
 * transaction with marking the alarms: a digest is queued exactly once (its key is made of the
 * alarm ids, disjoint from every other digest's) and an alarm is never lost (a failed pass
 * leaves it `in_attesa` for the next run). Alarms of an operatore without an e-mail, or of a
 * cartella without a known operatore, stay in-app only and are listed to the UdP.
 */
export async function inviaDigest(ctx: AppContext, opts: { ora: Date }): Promise<EsitoDigest> {
  return ctx.db.knex.transaction(async (trx) => {
    const rows = (
      await trx.raw(
        `select a.id, a.operatore_id, a.id_cartella, a.compito, v.tipo, v.data_snapshot,
                nullif(trim(o.email), '') as email, o.operatore_id is not null as operatore_noto, o.codice_istat as operatore_istat
         from allarmi a
         join variazioni v on v.id = a.variazione_id
         left join operatori o on o.operatore_id = a.operatore_id
         where a.notifica = 'in_attesa'
         order by a.operatore_id, a.id
         for update of a skip locked`,
      )
    ).rows as AllarmeDaNotificare[];
    const esito: EsitoDigest = { email: 0, allarmi_in_email: 0, senza_email: 0, senza_operatore: 0 };
    const perOperatore = new Map<string | null, AllarmeDaNotificare[]>();
    for (const r of rows) {
      const k = r.operatore_noto ? r.operatore_id : null;
      const list = perOperatore.get(k) ?? [];
      list.push(r);
      perOperatore.set(k, list);
    }
    const segna = (ids: number[], fields: Record<string, unknown>) => trx('allarmi').whereIn('id', ids).update({ ...fields, notificato_il: opts.ora });
    const messaggi: NewMessage[] = [];
    const assegnazioni: { ids: number[]; chiave: string }[] = [];
    for (const [operatore, allarmi] of perOperatore) {
      const ids = allarmi.map((a) => Number(a.id)).sort((a, b) => a - b);
      if (operatore == null) {
        await segna(ids, { notifica: 'senza_operatore' });
        esito.senza_operatore += ids.length;
        continue;
      }
      const email = allarmi[0].email;
      if (!email) {
        await segna(ids, { notifica: 'senza_email' });
        esito.senza_email += ids.length;
        continue;
      }
      const chiave = `variazioni:${operatore}:${ids[0]}-${ids[ids.length - 1]}:${ids.length}`;
      messaggi.push({
        tipo: 'variazioni',
        chiave,
        destinatario: email,
        ...componiDigest(ctx.config.baseUrl, allarmi),
        codice_istat: allarmi[0].operatore_istat,
        riferimento: `operatore ${operatore}, ${ids.length} ${ids.length === 1 ? 'allarme' : 'allarmi'} (${ids[0]}–${ids[ids.length - 1]})`,
      });
      assegnazioni.push({ ids, chiave });
      esito.allarmi_in_email += ids.length;
    }
    if (messaggi.length) esito.email = await enqueue(trx as Knex.Transaction, messaggi);
    for (const a of assegnazioni) await segna(a.ids, { notifica: 'email', messaggio_chiave: a.chiave });
    return esito;
  });
}
