import type { AppContext } from '../context';
import { audit } from '../audit';
import type { Autore } from '../auth/utenti';
import { enqueue, NewMessage } from '../posta/outbox';
import { renderEmail } from '../posta/render';
import { dataLunga } from '../shared/calendario';
import { emailValida, separaEmail } from '../shared/email';
import { consegnaSubito } from '../account/inviti';
import { AppError } from '../shared/errori';

/**
 * Census rounds (docs/censimento.md): the office opens one (reference date E, period start,
 * deadline, message, comuni), which creates a `censimento` deadline for each comune (the
 * reminder job chases it like any other) and queues an invitation to each comune's contacts;
 * it can extend the deadline or close the round.
 */
export interface Giro {
  id: number;
  data_riferimento: string;
  periodo_inizio: string;
  data_scadenza: string;
  messaggio: string | null;
  stato: 'aperto' | 'chiuso';
  aperto_da: string | null;
  aperto_il: Date;
  chiuso_il: Date | null;
}

export class GiroNonValido extends AppError {
  constructor(readonly errori: Record<string, string>) {
    super(Object.values(errori).join(' '), { status: 400 });
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

export function dataVera(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

export interface ApriGiro {
  data_riferimento?: unknown;
  periodo_inizio?: unknown;
  data_scadenza?: unknown;
  messaggio?: unknown;
  /** Codici ISTAT; empty or absent = every active comune. */
  comuni?: unknown;
}

export async function getGiro(ctx: AppContext, id: number): Promise<Giro | null> {
  return ((await ctx.db.knex('censimento_giri').where({ id }).first()) as Giro | undefined) ?? null;
}

/** The deadlines of the open rounds (one per comune of a round): the reminder links the comune's form for these. */
export async function scadenzeGiriAperti(ctx: AppContext): Promise<Set<number>> {
  const ids = await ctx.db.knex('censimento_giri_comuni as gc').join('censimento_giri as g', 'g.id', 'gc.giro_id').where('g.stato', 'aperto').whereNotNull('gc.scadenza_id').pluck('gc.scadenza_id');
  return new Set<number>(ids.map(Number));
}

export async function elencoGiri(ctx: AppContext): Promise<(Giro & { comuni: number; inviati: number })[]> {
  const rows = await ctx.db.knex('censimento_giri as g')
    .select('g.*')
    .select(ctx.db.knex.raw('(select count(*) from censimento_giri_comuni gc where gc.giro_id = g.id) as comuni'))
    .select(ctx.db.knex.raw(`(select count(*) from censimento_dichiarazioni d where d.giro_id = g.id and d.stato = 'inviata') as inviati`))
    .orderBy('g.id', 'desc');
  return rows.map((r) => ({ ...r, id: Number(r.id), comuni: Number(r.comuni), inviati: Number(r.inviati) }));
}

/** The open round a comune is asked to answer: the newest one that includes it. */
export async function giroApertoPer(ctx: AppContext, istat: string): Promise<Giro | null> {
  const g = await ctx.db.knex('censimento_giri as g')
    .join('censimento_giri_comuni as gc', 'gc.giro_id', 'g.id')
    .where({ 'gc.codice_istat': istat, 'g.stato': 'aperto' })
    .orderBy('g.id', 'desc')
    .first('g.*');
  return g ? { ...g, id: Number(g.id) } : null;
}

/** Opens a round; returns its id and how many invitations were queued. */
export async function apriGiro(ctx: AppContext, input: ApriGiro, autore: Autore): Promise<{ id: number; inviti: number; senza_indirizzo: string[] }> {
  const errori: Record<string, string> = {};
  const E = str(input.data_riferimento);
  const scadenza = str(input.data_scadenza);
  let ps = str(input.periodo_inizio);
  const messaggio = str(input.messaggio);
  const oggi = ctx.clock.today();
  if (!dataVera(E)) errori.data_riferimento = 'Data di riferimento non valida: usare il formato AAAA-MM-GG.';
  if (!ps && dataVera(E)) ps = `${E.slice(0, 4)}-01-01`;
  if (ps && !dataVera(ps)) errori.periodo_inizio = 'Inizio del periodo non valido: usare il formato AAAA-MM-GG.';
  else if (dataVera(E) && ps > E) errori.periodo_inizio = "L'inizio del periodo non può essere successivo alla data di riferimento.";
  if (!dataVera(scadenza)) errori.data_scadenza = 'Scadenza non valida: usare il formato AAAA-MM-GG.';
  else if (scadenza < oggi) errori.data_scadenza = 'La scadenza non può essere già passata.';
  if (messaggio.length > 2000) errori.messaggio = 'Il messaggio può avere al massimo 2000 caratteri.';
  const scelti = (Array.isArray(input.comuni) ? input.comuni : typeof input.comuni === 'string' && input.comuni ? [input.comuni] : []).map(String);
  const attivi = await ctx.db.knex('comuni').where({ attivo: true }).orderBy('nome').select('codice_istat', 'nome', 'email', 'email_ufficio');
  const perIstat = new Map(attivi.map((c) => [c.codice_istat as string, c]));
  const ignoti = scelti.filter((s) => !perIstat.has(s));
  if (ignoti.length) errori.comuni = `Comuni non attivi o sconosciuti: ${ignoti.slice(0, 10).join(', ')}.`;
  const comuni = scelti.length ? [...new Set(scelti)].map((s) => perIstat.get(s)).filter(Boolean) : attivi;
  if (!comuni.length) errori.comuni = 'Nessun comune attivo da includere.';
  if (dataVera(E) && (await ctx.db.knex('censimento_giri').where({ data_riferimento: E, stato: 'aperto' }).first())) errori.data_riferimento = 'È già aperto un censimento con questa data di riferimento.';
  if (Object.keys(errori).length) throw new GiroNonValido(errori);

  const now = ctx.clock.now();
  const descrizione = `Censimento delle cartelle sociali al ${dataLunga(E)}`;
  const link = (istat: string) => `${ctx.config.baseUrl}/censimento/comuni/${istat}`;
  const senza: string[] = [];
  const out = await ctx.db.knex.transaction(async (trx) => {
    const [g] = await trx('censimento_giri').insert({ data_riferimento: E, periodo_inizio: ps, data_scadenza: scadenza, messaggio: messaggio || null, stato: 'aperto', aperto_da: autore.email ?? null, aperto_il: now }).returning('id');
    const id = Number(typeof g === 'object' ? g.id : g);
    const msgs: NewMessage[] = [];
    for (const c of comuni) {
      // A deadline of the same comune, type and date may exist already (a plan imported earlier): reuse it.
      let s = await trx('scadenze').where({ codice_istat: c.codice_istat, tipo: 'censimento', data_scadenza: scadenza }).first('id');
      // creata_il is the database's now(), as import times are (stato.sql compares them).
      if (!s) [s] = await trx('scadenze').insert({ codice_istat: c.codice_istat, tipo: 'censimento', data_scadenza: scadenza, descrizione }).returning('id');
      else await trx('scadenze').where({ id: s.id }).update({ chiusa: false, completata_il: null, aggiornata_il: now });
      await trx('censimento_giri_comuni').insert({ giro_id: id, codice_istat: c.codice_istat, scadenza_id: Number(typeof s === 'object' ? s.id : s) });
      const indirizzi = separaEmail(c.email_ufficio ?? c.email).filter(emailValida);
      if (!indirizzi.length) senza.push(c.nome);
      // Nothing about assisted people: the comune, the dates, the office's message and the link.
      const oggetto = `Censimento delle cartelle sociali al ${dataLunga(E)}: rispondere entro il ${dataLunga(scadenza)}`;
      const email = renderEmail('censimento', { oggetto, comune: c.nome, riferimento: dataLunga(E), periodo: dataLunga(ps), scadenza: dataLunga(scadenza), messaggio: messaggio || null, link: link(c.codice_istat) });
      for (const to of indirizzi) msgs.push({ tipo: 'censimento', chiave: `censimento:${id}:${c.codice_istat}:${to}`, destinatario: to, oggetto, testo: email.testo, html: email.html, codice_istat: c.codice_istat, riferimento: `censimento ${id}` });
    }
    const inviti = await enqueue(trx, msgs);
    return { id, inviti };
  });
  await audit(ctx.db, { ...autore, azione: 'censimento_aperto', dettagli: { giro: out.id, data_riferimento: E, scadenza, comuni: comuni.length, inviti: out.inviti } });
  consegnaSubito(ctx);
  return { ...out, senza_indirizzo: senza };
}

/** A later deadline for every comune of the round (their `censimento` deadlines move with it). */
export async function prorogaGiro(ctx: AppContext, id: number, nuova: unknown, autore: Autore): Promise<void> {
  const g = await getGiro(ctx, id);
  if (!g) throw new GiroNonValido({ giro: 'Censimento inesistente.' });
  if (g.stato !== 'aperto') throw new GiroNonValido({ giro: 'Il censimento è chiuso: non si può prorogare.' });
  const d = str(nuova);
  if (!dataVera(d)) throw new GiroNonValido({ data_scadenza: 'Scadenza non valida: usare il formato AAAA-MM-GG.' });
  if (d <= g.data_scadenza) throw new GiroNonValido({ data_scadenza: 'La proroga deve essere successiva alla scadenza attuale.' });
  const now = ctx.clock.now();
  await ctx.db.knex.transaction(async (trx) => {
    await trx('censimento_giri').where({ id }).update({ data_scadenza: d });
    const ids = (await trx('censimento_giri_comuni').where({ giro_id: id }).whereNotNull('scadenza_id').pluck('scadenza_id')).map(Number);
    if (ids.length) await trx('scadenze').whereIn('id', ids).update({ data_scadenza: d, aggiornata_il: now });
  });
  await audit(ctx.db, { ...autore, azione: 'censimento_prorogato', dettagli: { giro: id, da: g.data_scadenza, a: d } });
}

/** Closes the round: no more submissions; the deadlines not met are closed (reminders stop). */
export async function chiudiGiro(ctx: AppContext, id: number, autore: Autore): Promise<void> {
  const g = await getGiro(ctx, id);
  if (!g) throw new GiroNonValido({ giro: 'Censimento inesistente.' });
  if (g.stato !== 'aperto') throw new GiroNonValido({ giro: 'Il censimento è già chiuso.' });
  const now = ctx.clock.now();
  await ctx.db.knex.transaction(async (trx) => {
    await trx('censimento_giri').where({ id }).update({ stato: 'chiuso', chiuso_il: now });
    const ids = (await trx('censimento_giri_comuni').where({ giro_id: id }).whereNotNull('scadenza_id').pluck('scadenza_id')).map(Number);
    if (ids.length) await trx('scadenze').whereIn('id', ids).whereNull('completata_il').update({ chiusa: true, aggiornata_il: now });
  });
  await audit(ctx.db, { ...autore, azione: 'censimento_chiuso', dettagli: { giro: id } });
}
