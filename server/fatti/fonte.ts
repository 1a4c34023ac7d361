import type { Knex } from 'knex';

/**
 * The version of the data the family figures come from: the SIZ and comuni imports (one row in
 * `importazioni` each; the census and the deadlines feed none of these figures, the registry
 * only the breakdowns' sesso, versioned on its own below),
 * the active comuni (the office can change them from the
 * browser without an import) and the schema (a migration may rewrite derived columns). Facts
 * computed from another version are stale and are not read (server/fatti/leggi.ts).
 */
export async function fonteDati(k: Knex | Knex.Transaction): Promise<string> {
  const r = (
    await k.raw(
      `select (select max(id) from importazioni where esito = 'ok' and tipo in ('siz', 'comuni', 'nomenclatore')) as i,
              (select max(id) from knex_migrations) as m,
              (select md5(coalesce(string_agg(codice_istat || ':' || cast(attivo as text), ',' order by codice_istat), '')) from comuni) as c`,
    )
  ).rows[0] as { i: number | null; m: number | null; c: string };
  return `${r.i ?? 0}/${r.m ?? 0}/${r.c}`;
}

/**
 * The version of the registry (the last registry import): the breakdowns of
 * /analisi/ripartizioni take a person's sesso from it, no other fact does. Kept with the facts
 * (`Chiavi.anagrafe`), so a registry import makes the breakdowns' facts stale and no other.
 */
export async function versioneAnagrafe(k: Knex | Knex.Transaction): Promise<number> {
  const r = (await k.raw(`select max(id) as i from importazioni where esito = 'ok' and tipo = 'anagrafe'`)).rows[0] as { i: number | null };
  return Number(r.i ?? 0);
}
