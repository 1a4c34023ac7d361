import crypto from 'node:crypto';
import type { AppContext } from '../context';
import { firma, verificaFirma } from '../shared/firma';
import { MessaggioConComune, messaggioPerChiave } from '../posta/messaggi';

/**
 * The "presa visione" link of a reminder: a token naming the message (its outbox key) and an
 * expiry, signed with HMAC-SHA256. No login is needed. Opening the link shows a confirmation
 * page; the acknowledgement is recorded when the person presses its button (a POST to the same
 * address), once: later uses say it was already recorded. The key is derived from
 * SESSION_SECRET; without it (the embedded demo) from a random secret kept in the database.
 */
export const VALIDITA_GIORNI = 60;

async function demoSecret(ctx: AppContext): Promise<string> {
  await ctx.db.knex('chiavi_firma').insert({ nome: 'presa_visione', chiave: crypto.randomBytes(32).toString('hex') }).onConflict('nome').ignore();
  const row = await ctx.db.knex('chiavi_firma').where({ nome: 'presa_visione' }).first();
  return row.chiave as string;
}

export async function signingKey(ctx: AppContext): Promise<Buffer> {
  ctx.chiavi ??= new Map();
  let k = ctx.chiavi.get('presa_visione');
  if (!k) {
    const secret = ctx.config.sessionSecret ?? (await demoSecret(ctx));
    // A key of its own: a token of this kind can never be mistaken for a session cookie.
    k = Buffer.from(crypto.hkdfSync('sha256', secret, 'cruscotto', 'presa-visione', 32));
    ctx.chiavi.set('presa_visione', k);
  }
  return k;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function firmaLink(key: Buffer, chiave: string, scadeIl: Date): string {
  return firma(b64(JSON.stringify({ k: chiave, e: Math.floor(scadeIl.getTime() / 1000) })), key);
}

export type Verifica = { ok: true; chiave: string; scade_il: Date } | { ok: false; motivo: 'non_valido' | 'scaduto' };

export function verifica(key: Buffer, token: string, now: Date): Verifica {
  const parts = token.split('.');
  if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]) || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return { ok: false, motivo: 'non_valido' };
  if (verificaFirma(token, key) === null) return { ok: false, motivo: 'non_valido' };
  let body: { k?: unknown; e?: unknown };
  try {
    body = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return { ok: false, motivo: 'non_valido' };
  }
  if (typeof body.k !== 'string' || typeof body.e !== 'number') return { ok: false, motivo: 'non_valido' };
  const scade_il = new Date(body.e * 1000);
  if (now.getTime() > scade_il.getTime()) return { ok: false, motivo: 'scaduto' };
  return { ok: true, chiave: body.k, scade_il };
}

export async function linkPresaVisione(ctx: AppContext, chiave: string, now: Date): Promise<{ url: string; scade_il: Date }> {
  const scade_il = new Date(now.getTime() + VALIDITA_GIORNI * 86_400_000);
  return { url: `${ctx.config.baseUrl}/presa-visione/${firmaLink(await signingKey(ctx), chiave, scade_il)}`, scade_il };
}

export type EsitoPresaVisione =
  | { esito: 'registrata' | 'gia_registrata'; registrata_il: Date; comune: string | null; descrizione: string; codice_istat: string | null }
  | { esito: 'da_confermare'; comune: string | null; descrizione: string; codice_istat: string | null }
  | { esito: 'non_valido' | 'scaduto' };


async function messaggio(ctx: AppContext, token: string): Promise<{ chiave: string; msg: MessaggioConComune } | { esito: 'non_valido' | 'scaduto' }> {
  const v = verifica(await signingKey(ctx), token, ctx.clock.now());
  if (!v.ok) return { esito: v.motivo };
  const msg = await messaggioPerChiave(ctx.db, v.chiave);
  // A valid signature on a message that does not exist (any more) is refused like a bad one.
  return msg ? { chiave: v.chiave, msg } : { esito: 'non_valido' };
}

/**
 * What the emailed link shows (GET): the message it acknowledges and whether that is already
 * recorded. It writes nothing: mail scanners open links before people do (issue 14), so only
 * the button of the page (registraPresaVisione, POST) records the acknowledgement.
 */
export async function leggiPresaVisione(ctx: AppContext, token: string): Promise<EsitoPresaVisione> {
  const m = await messaggio(ctx, token);
  if ('esito' in m) return m;
  const gia = await ctx.db.knex('prese_visione').where({ chiave: m.chiave }).first('registrata_il');
  const base = { comune: m.msg.comune ?? null, descrizione: m.msg.oggetto, codice_istat: m.msg.codice_istat ?? null };
  return gia ? { esito: 'gia_registrata', registrata_il: new Date(gia.registrata_il), ...base } : { esito: 'da_confermare', ...base };
}

/** Records the acknowledgement of the message the token names (POST); at most once per message. */
export async function registraPresaVisione(ctx: AppContext, token: string): Promise<EsitoPresaVisione> {
  const m = await messaggio(ctx, token);
  if ('esito' in m) return m;
  const { chiave, msg } = m;
  const knex = ctx.db.knex;
  const inserted = await knex('prese_visione')
    .insert({ chiave, posta_id: msg.id, scadenza_id: msg.scadenza_id, codice_istat: msg.codice_istat, destinatario: msg.destinatario, registrata_il: ctx.clock.now() })
    .onConflict('chiave')
    .ignore()
    .returning('registrata_il');
  const row = inserted.length ? inserted[0] : await knex('prese_visione').where({ chiave }).first('registrata_il');
  return {
    esito: inserted.length ? 'registrata' : 'gia_registrata',
    registrata_il: new Date(row.registrata_il),
    comune: msg.comune ?? null,
    descrizione: msg.oggetto,
    codice_istat: msg.codice_istat ?? null,
  };
}
