import type { Knex } from 'knex';
import type { AppContext } from '../context';
import type { ImportOutcome } from '../importazione/registro';
import { digitalizzazioneAttuale, DigitComune } from '../riconciliazione/anteprima';
import type { TipoCaricamento } from './tipi';

/**
 * What an upload would change, shown by "Verifica" before anything is saved: the state before
 * (read before the dry run) against the state inside the dry run's transaction, which holds the
 * new content and is then rolled back (importazione/registro.ts, Verifica).
 */
export interface RigaTabella {
  tabella: string;
  prima: number;
  dopo: number;
}

export interface RigaDigit {
  codice_istat: string;
  nome: string;
  prima: number | null;
  dopo: number | null;
  dichiarate_prima: number | null;
  dichiarate_dopo: number | null;
  cambia: boolean;
}

export interface Anteprima {
  messaggio: string;
  data_estrazione: string | null;
  avvisi: string[];
  nessuna_modifica: boolean;
  tabelle: RigaTabella[];
  comuni_nuovi: { codice_istat: string; nome: string }[];
  comuni_rimossi: { codice_istat: string; nome: string }[];
  /** Census only: every active comune, before and after. */
  digitalizzazione: RigaDigit[] | null;
  /** Registry snapshot only: residents per comune in the file. */
  residenti: { codice_istat: string; nome: string | null; residenti: number }[] | null;
  codici_nuovi: string[];
  codici_rimossi: string[];
  /** SIZ only: tables that would lose too many rows; loading then needs an explicit confirmation. */
  calo: string[];
}

const SIZ_TABELLE = ['cartelle', 'membri', 'prestazioni', 'accessi', 'operatori'];
const TABELLE: Record<TipoCaricamento, string[]> = {
  siz: SIZ_TABELLE,
  censimento: ['censimento'],
  anagrafe: ['anagrafe'],
  scadenze: ['scadenze'],
  comuni: ['comuni'],
  nomenclatore: ['nomenclatore'],
};

interface Stato {
  conteggi: Record<string, number>;
  comuni: Map<string, { nome: string; attivo: boolean }>;
  digit: DigitComune[] | null;
  codici: Set<string> | null;
}

async function conteggi(knex: Knex | Knex.Transaction, tabelle: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tabelle) out[t] = Number((await knex(t).count('* as n'))[0].n);
  return out;
}

async function stato(ctx: AppContext, knex: Knex | Knex.Transaction, tipo: TipoCaricamento): Promise<Stato> {
  const comuni = new Map<string, { nome: string; attivo: boolean }>();
  if (tipo === 'comuni') for (const c of await knex('comuni').select('codice_istat', 'nome', 'attivo')) comuni.set(c.codice_istat, { nome: c.nome, attivo: c.attivo });
  return {
    // SIZ tables are not swapped in a dry run (siz.ts): their "after" comes from the rows read.
    conteggi: tipo === 'siz' ? {} : await conteggi(knex, TABELLE[tipo]),
    comuni,
    digit: tipo === 'censimento' ? await digitalizzazioneAttuale(knex, ctx.config, ctx.clock.today()) : null,
    codici: tipo === 'nomenclatore' ? new Set((await knex('nomenclatore').pluck('codice')) as string[]) : null,
  };
}

/** The state before the upload: read outside any transaction, before the dry run starts. */
export async function statoPrima(ctx: AppContext, tipo: TipoCaricamento): Promise<Stato> {
  const s = await stato(ctx, ctx.db.knex, tipo);
  if (tipo === 'siz') s.conteggi = await conteggi(ctx.db.knex, SIZ_TABELLE);
  return s;
}

/** Called inside the dry run's transaction: compares with the state before. */
export async function confronta(ctx: AppContext, tipo: TipoCaricamento, prima: Stato, trx: Knex.Transaction, esito: ImportOutcome): Promise<Anteprima> {
  const dopo = await stato(ctx, trx, tipo);
  const tabelle: RigaTabella[] =
    tipo === 'siz'
      ? SIZ_TABELLE.filter((t) => t in esito.righe || esito.esito === 'nessuna_modifica').map((t) => ({ tabella: t, prima: prima.conteggi[t], dopo: esito.righe[t] ?? prima.conteggi[t] }))
      : TABELLE[tipo].map((t) => ({ tabella: t, prima: prima.conteggi[t], dopo: dopo.conteggi[t] }));
  const attivi = (m: Map<string, { nome: string; attivo: boolean }>) => new Set([...m].filter(([, v]) => v.attivo).map(([k]) => k));
  const primaAttivi = attivi(prima.comuni);
  const dopoAttivi = attivi(dopo.comuni);
  let digitalizzazione: RigaDigit[] | null = null;
  if (prima.digit && dopo.digit) {
    const before = new Map(prima.digit.map((d) => [d.codice_istat, d]));
    digitalizzazione = dopo.digit.map((d) => {
      const p = before.get(d.codice_istat);
      const r = { codice_istat: d.codice_istat, nome: d.nome, prima: p?.digit_tot ?? null, dopo: d.digit_tot, dichiarate_prima: p?.cartelle_attive_dich ?? null, dichiarate_dopo: d.cartelle_attive_dich };
      return { ...r, cambia: r.prima !== r.dopo || r.dichiarate_prima !== r.dichiarate_dopo };
    });
  }
  let residenti: Anteprima['residenti'] = null;
  if (tipo === 'anagrafe') {
    residenti = (
      await trx.raw('select s.codice_istat, c.nome, count(*) as residenti from stg_anagrafe s left join comuni c on c.codice_istat = s.codice_istat group by s.codice_istat, c.nome order by c.nome nulls last, s.codice_istat')
    ).rows.map((r: { codice_istat: string; nome: string | null; residenti: number }) => ({ ...r, residenti: Number(r.residenti) }));
  }
  return {
    messaggio: esito.messaggio,
    data_estrazione: esito.data_estrazione ?? null,
    avvisi: esito.avvisi,
    nessuna_modifica: esito.esito === 'nessuna_modifica',
    tabelle,
    comuni_nuovi: [...dopoAttivi].filter((c) => !primaAttivi.has(c)).sort().map((c) => ({ codice_istat: c, nome: dopo.comuni.get(c)!.nome })),
    comuni_rimossi: [...primaAttivi].filter((c) => !dopoAttivi.has(c)).sort().map((c) => ({ codice_istat: c, nome: prima.comuni.get(c)!.nome })),
    digitalizzazione,
    residenti,
    codici_nuovi: prima.codici && dopo.codici ? [...dopo.codici].filter((c) => !prima.codici!.has(c)).sort() : [],
    codici_rimossi: prima.codici && dopo.codici ? [...prima.codici].filter((c) => !dopo.codici!.has(c)).sort() : [],
    calo: esito.calo ?? [],
  };
}
