import pino from 'pino';
import { loadConfig } from '../../server/config';
import { AppContext, fixedClock } from '../../server/context';
import type { Database } from '../../server/db';
import { normalizeName } from '../../server/importazione/valori';
import { buildCf } from '../../server/shared/cf';
import { runRiconciliazione } from '../../server/riconciliazione/service';

/** A context on the test database with "today" fixed and the given target / warning level. */
export function ctxFor(db: Database, oggi: string, env: Record<string, string> = {}): AppContext {
  return { db, config: loadConfig(env), clock: fixedClock(oggi), log: pino({ level: 'silent' }) };
}

/** Valid, distinct codici fiscali: person(1), person(2), ... */
export function person(i: number): string {
  const letters = 'BCDFGHLMNPRSTVZ';
  const a = letters[i % 15] + letters[Math.floor(i / 15) % 15] + letters[Math.floor(i / 225) % 15];
  return buildCf(a, 'MRA', `1970-01-${String((i % 28) + 1).padStart(2, '0')}`, 'M', 'E648');
}

export async function comune(db: Database, istat: string, opts: { nome?: string; popolazione?: number; distretto?: string; attivo?: boolean } = {}): Promise<void> {
  const nome = opts.nome ?? `Comune ${istat}`;
  await db.knex('comuni').insert({
    codice_istat: istat,
    nome,
    nome_norm: normalizeName(nome),
    popolazione: opts.popolazione ?? 5000,
    distretto: opts.distretto ?? 'Lodi',
    attivo: opts.attivo ?? true,
  });
}

/** Nomenclature: PT = meals/transport (with a child PT.01 inheriting the flag), AX = other. */
export async function nomenclatore(db: Database): Promise<void> {
  await db.knex('nomenclatore').insert([
    { codice: 'PT', descrizione: 'Pasti a domicilio', pasti_trasporti: true },
    { codice: 'AX', descrizione: 'Assistenza domiciliare', pasti_trasporti: false },
  ]);
}

let riga = 1;

export async function cartella(db: Database, id: string, istat: string | null, apertura: string, chiusura: string | null = null, opts: { tutela?: boolean } = {}): Promise<void> {
  await db.knex('cartelle').insert({ id_cartella: id, codice_istat: istat, data_apertura: apertura, data_chiusura: chiusura, tutela_minori: opts.tutela ?? false, riga: riga++ });
}

export async function membro(db: Database, idCartella: string, cf: string, inizio: string | null = null, fine: string | null = null): Promise<void> {
  await db.knex('membri').insert({ riga: riga++, id_cartella: idCartella, codice_fiscale: cf, cf_valido: true, data_inizio: inizio, data_fine: fine });
}

let pid = 1;

export async function erogazione(db: Database, e: { cartella?: string | null; cf?: string | null; istat?: string | null; codice?: string; data: string }): Promise<void> {
  await db.knex('prestazioni').insert({
    id_prestazione: `P${pid++}`,
    id_cartella: e.cartella ?? null,
    codice_fiscale: e.cf ?? null,
    cf_valido: e.cf ? true : null,
    codice_istat: e.istat ?? null,
    codice_prestazione: e.codice ?? 'AX',
    data_erogazione: e.data,
    costo: 10,
    quota_comune: 10,
    quota_comune_indicata: false,
    riga: riga++,
  });
}

export type Dichiarato = Partial<Record<string, number | null>>;

export async function censimento(db: Database, istat: string, dataRiferimento: string, dich: Dichiarato, periodoInizio?: string): Promise<void> {
  await db.knex('censimento').insert({
    codice_istat: istat,
    data_riferimento: dataRiferimento,
    periodo_inizio: periodoInizio ?? `${dataRiferimento.slice(0, 4)}-01-01`,
    cartelle_attive: 0,
    ...dich,
  });
}

export async function scadenza(db: Database, istat: string, data: string, opts: { tipo?: string; obiettivo?: number | null; chiusa?: boolean } = {}): Promise<void> {
  await db.knex('scadenze').insert({ codice_istat: istat, tipo: opts.tipo ?? 'caricamento', data_scadenza: data, obiettivo: opts.obiettivo ?? null, chiusa: opts.chiusa ?? false });
}

/** Runs the reconciliation and returns the stored row of each comune. */
export async function run(db: Database, oggi = '2026-11-22', env: Record<string, string> = {}, opts: { dataRiferimento?: string } = {}): Promise<Record<string, Record<string, any>>> {
  const res = await runRiconciliazione(ctxFor(db, oggi, env), { oggi, ...opts });
  const rows = await db.knex('riconciliazione_comuni').where({ riconciliazione_id: res.id });
  return Object.fromEntries(rows.map((r) => [r.codice_istat, r]));
}
