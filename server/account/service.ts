import type { AppContext } from '../context';
import { audit } from '../audit';
import { AccountError, Autore, createUser, normalizeEmail } from '../auth/utenti';
import { RUOLI, Ruolo } from '../auth/tipi';
import { emailValida, separaEmail } from '../shared/email';
import { azzera, chiaveAccount } from '../auth/tentativi';
import { mandaLink } from './inviti';

/**
 * Accounts managed by the office in the browser (/utenti): list, create with an invitation,
 * disable, enable, change role or comune, bulk-create the comuni's accounts from the addresses
 * of the comuni registry. Every change is audited. Passwords are never chosen here: a new
 * account gets an invitation (inviti.ts).
 */
export interface RigaUtente {
  id: number;
  email: string;
  ruolo: Ruolo;
  codice_istat: string | null;
  comune: string | null;
  operatore_id: string | null;
  attivo: boolean;
  creato_il: Date;
  ultimo_accesso: Date | null;
  bloccato_fino: Date | null;
  cambio_password: boolean;
  /** An invitation sent and not used yet (still valid). */
  invito_in_attesa: boolean;
  /** Has the person ever chosen a password (an invitation accepted, a login)? */
  mai_entrato: boolean;
}

export async function elencoUtenti(ctx: AppContext): Promise<RigaUtente[]> {
  const now = ctx.clock.now();
  const rows = await ctx.db.knex('utenti as u')
    .leftJoin('comuni as c', 'c.codice_istat', 'u.codice_istat')
    // The lock-out after wrong passwords lives in limiti_accesso (auth/tentativi.ts).
    .leftJoin('limiti_accesso as l', (j) => j.on(ctx.db.knex.raw(`l.chiave = 'account:' || lower(u.email)`)))
    .select('u.id', 'u.email', 'u.ruolo', 'u.codice_istat', 'c.nome as comune', 'u.operatore_id', 'u.attivo', 'u.creato_il', 'u.ultimo_accesso', 'l.bloccato_fino', 'u.cambio_password')
    .select(
      ctx.db.knex.raw(
        `exists (select 1 from utenti_token t where t.utente_id = u.id and t.scopo = 'invito' and t.usato_il is null and t.scade_il > ?) as invito_in_attesa`,
        [now],
      ),
    )
    .orderBy([{ column: 'u.ruolo' }, { column: 'c.nome' }, { column: 'u.email' }]);
  return rows.map((r) => ({ ...r, id: Number(r.id), mai_entrato: r.ultimo_accesso == null }));
}

export async function getUtente(ctx: AppContext, id: number): Promise<RigaUtente | null> {
  return (await elencoUtenti(ctx)).find((u) => u.id === id) ?? null;
}

/** A new account and its invitation. */
export async function creaConInvito(ctx: AppContext, a: { email: string; ruolo: string; codice_istat?: string | null; operatore_id?: string | null }, autore: Autore): Promise<{ id: number; avvisi: string[] }> {
  // No password at all: the person chooses it through the invitation's link.
  const out = await createUser(ctx.db, { email: a.email, ruolo: a.ruolo, codice_istat: a.codice_istat || null, operatore_id: a.operatore_id || null, password: null }, autore);
  await mandaLink(ctx, out.utente, 'invito', autore);
  return { id: out.utente.id, avvisi: out.avvisi };
}

export async function reinviaInvito(ctx: AppContext, id: number, autore: Autore): Promise<void> {
  const u = await ctx.db.knex('utenti').where({ id }).first('id', 'email', 'ruolo', 'codice_istat', 'attivo');
  if (!u) throw new AccountError('account inesistente');
  if (!u.attivo) throw new AccountError("l'account è disattivato: riattivarlo prima di mandare l'invito");
  await mandaLink(ctx, { ...u, id: Number(u.id) }, 'invito', autore);
}

export async function impostaAttivo(ctx: AppContext, id: number, attivo: boolean, autore: Autore): Promise<void> {
  const u = await ctx.db.knex('utenti').where({ id }).first('id', 'email', 'attivo');
  if (!u) throw new AccountError('account inesistente');
  if (!attivo && autore.utente_id === Number(u.id)) throw new AccountError('non puoi disattivare il tuo stesso account');
  await ctx.db.knex('utenti').where({ id }).update({ attivo });
  if (attivo) await azzera(ctx.db.knex, chiaveAccount(normalizeEmail(u.email))); // a fresh start: no lock-out left
  if (!attivo) await ctx.db.knex('sessioni').where({ utente_id: id }).del();
  await audit(ctx.db, { ...autore, azione: attivo ? 'utente_riattivato' : 'utente_disattivato', dettagli: { account: u.email, era_attivo: u.attivo } });
}

/** Role and comune (or operatore) of an account; its sessions end, so the new rights apply at once. */
export async function cambiaRuolo(ctx: AppContext, id: number, a: { ruolo: string; codice_istat?: string | null; operatore_id?: string | null }, autore: Autore): Promise<void> {
  const u = await ctx.db.knex('utenti').where({ id }).first('id', 'email', 'ruolo', 'codice_istat', 'operatore_id');
  if (!u) throw new AccountError('account inesistente');
  if (!(RUOLI as readonly string[]).includes(a.ruolo)) throw new AccountError(`ruolo non valido: "${a.ruolo}"`);
  if (autore.utente_id === Number(u.id) && a.ruolo !== 'udp') throw new AccountError("non puoi togliere a te stesso il profilo dell'Ufficio di Piano");
  const codice_istat = a.ruolo === 'comune' ? a.codice_istat || null : null;
  const operatore_id = a.ruolo === 'operatore' ? a.operatore_id?.trim() || null : null;
  if (a.ruolo === 'comune') {
    if (!codice_istat) throw new AccountError('un account di un comune richiede il comune');
    if (!(await ctx.db.knex('comuni').where({ codice_istat }).first())) throw new AccountError(`il comune ${codice_istat} non è nell'anagrafica dei comuni`);
  }
  if (a.ruolo === 'operatore' && !operatore_id) throw new AccountError("un account di un'assistente sociale richiede il codice operatore del SIZ");
  await ctx.db.knex('utenti').where({ id }).update({ ruolo: a.ruolo, codice_istat, operatore_id });
  await ctx.db.knex('sessioni').where({ utente_id: id }).del();
  await audit(ctx.db, { ...autore, azione: 'utente_modificato', dettagli: { account: u.email, prima: { ruolo: u.ruolo, codice_istat: u.codice_istat, operatore_id: u.operatore_id }, dopo: { ruolo: a.ruolo, codice_istat, operatore_id } } });
}

// ---------------------------------------------------------------- comuni's accounts in bulk


export interface PropostaAccount {
  codice_istat: string;
  comune: string;
  email: string;
  esito: 'da_creare' | 'esiste' | 'non_valido';
  nota: string | null;
}

/**
 * One account per address of each active comune's contacts (the office's address when set,
 * else the registry's: comuni.email_ufficio, comuni.email), with what would happen to it.
 */
export async function anteprimaComuni(ctx: AppContext): Promise<{ proposte: PropostaAccount[]; senza_indirizzo: { codice_istat: string; comune: string }[] }> {
  const comuni = await ctx.db.knex('comuni').where({ attivo: true }).orderBy('nome').select('codice_istat', 'nome', 'email', 'email_ufficio');
  const esistenti = new Map<string, { ruolo: string; codice_istat: string | null }>(
    (await ctx.db.knex('utenti').select('email', 'ruolo', 'codice_istat')).map((u) => [normalizeEmail(u.email), { ruolo: u.ruolo, codice_istat: u.codice_istat }]),
  );
  const proposte: PropostaAccount[] = [];
  const senza: { codice_istat: string; comune: string }[] = [];
  const viste = new Set<string>();
  for (const c of comuni) {
    const indirizzi = separaEmail(c.email_ufficio ?? c.email);
    if (!indirizzi.length) senza.push({ codice_istat: c.codice_istat, comune: c.nome });
    for (const email of indirizzi) {
      const e = esistenti.get(email);
      let esito: PropostaAccount['esito'] = 'da_creare';
      let nota: string | null = null;
      if (!emailValida(email)) [esito, nota] = ['non_valido', 'indirizzo non valido: correggerlo nei contatti del comune'];
      else if (e) [esito, nota] = ['esiste', e.ruolo === 'comune' && e.codice_istat === c.codice_istat ? 'account già presente' : `esiste già un account con questo indirizzo (${e.ruolo}${e.codice_istat ? ` ${e.codice_istat}` : ''})`];
      else if (viste.has(email)) [esito, nota] = ['esiste', 'indirizzo di più comuni: un account per un solo comune'];
      viste.add(email);
      proposte.push({ codice_istat: c.codice_istat, comune: c.nome, email, esito, nota });
    }
  }
  return { proposte, senza_indirizzo: senza };
}

/**
 * Creates the accounts chosen from the preview (`scelti`: "istat|email"), each with its
 * invitation. Only what the preview still proposes is created: a choice that is no longer
 * proposed (created meanwhile, address changed) is skipped and counted.
 */
export async function creaAccountComuni(ctx: AppContext, scelti: string[], autore: Autore): Promise<{ creati: string[]; saltati: string[] }> {
  const { proposte } = await anteprimaComuni(ctx);
  const valide = new Map(proposte.filter((p) => p.esito === 'da_creare').map((p) => [`${p.codice_istat}|${p.email}`, p]));
  const creati: string[] = [];
  const saltati: string[] = [];
  for (const s of new Set(scelti)) {
    const p = valide.get(s);
    if (!p) {
      saltati.push(s.split('|')[1] ?? s);
      continue;
    }
    try {
      await creaConInvito(ctx, { email: p.email, ruolo: 'comune', codice_istat: p.codice_istat }, autore);
      creati.push(p.email);
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      saltati.push(p.email);
    }
  }
  await audit(ctx.db, { ...autore, azione: 'account_comuni_creati', dettagli: { creati: creati.length, saltati: saltati.length } });
  return { creati, saltati };
}
