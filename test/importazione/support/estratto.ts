/**
 * A small valid SIZ extract, the same every time: 60 cartelle, 90 membri, 60 accessi and 60
 * prestazioni over the three comuni of seedComuni, every column of the contract used. Enough
 * rows for the loss check (SIZ_CALO_MIN_RIGHE, default 50), small enough to import hundreds of
 * times in a test.
 */
import { buildCf } from '../../../server/shared/cf';

const COMUNI = ['098031', '098010', '098047'];
const AREE = ['minori', 'adulti', 'anziani'];

export function estratto(opts: { cartelle?: number } = {}): Record<string, string> {
  const n = opts.cartelle ?? 60;
  const cf = (i: number) => buildCf('RSS', 'MRA', `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`, i % 2 ? 'F' : 'M', 'E648');
  const cartelle = ['id_cartella;codice_istat;data_apertura;data_chiusura;area_utenza;tutela_minori;operatore_id'];
  const membri = ['id_cartella;codice_fiscale;ruolo;data_inizio;data_fine;data_nascita'];
  const accessi = ['id_accesso;codice_fiscale;codice_istat;data_accesso;data_nascita;area_utenza;motivo_accesso;problema_riscontrato;punto_accesso'];
  const prestazioni = ['id_prestazione;id_cartella;codice_fiscale;codice_istat;codice_prestazione;descrizione;data_erogazione;costo;quota_comune;recupero_assistito;recupero_famiglia;recupero_altri_enti;recupero_altri'];
  for (let i = 1; i <= n; i++) {
    const id = `C${String(i).padStart(4, '0')}`;
    const comune = COMUNI[i % 3];
    cartelle.push([id, comune, `20${String(15 + (i % 10))}-0${1 + (i % 9)}-1${i % 10}`, i % 7 === 0 ? `2025-0${1 + (i % 9)}-2${i % 8}` : '', AREE[i % 3], i % 3 === 0 ? 'sì' : 'no', `OP${i % 5}`].join(';'));
    membri.push([id, cf(i), 'titolare', `20${String(15 + (i % 10))}-0${1 + (i % 9)}-1${i % 10}`, '', ''].join(';'));
    if (i % 2 === 0) membri.push([id, cf(i + 100), 'componente', '', '', `19${String(50 + (i % 40))}-05-20`].join(';'));
    accessi.push([`A${String(i).padStart(4, '0')}`, cf(i), comune, `2024-0${1 + (i % 9)}-1${i % 10}`, '', AREE[(i + 1) % 3], 'CONTRIBUTO ECONOMICO', "PRECARIETA' ECONOMICA", `Sportello ${i % 4}`].join(';'));
    prestazioni.push([`P${String(i).padStart(4, '0')}`, id, cf(i), comune, `A1.0${1 + (i % 5)}.01-BUONI SPESA`, 'Buoni spesa', `2024-0${1 + (i % 9)}-0${1 + (i % 9)}`, `${100 + i},50`, i % 4 === 0 ? `${50 + i},00` : '', i % 5 === 0 ? '10' : '', '', '', ''].join(';'));
  }
  const file = (lines: string[]) => lines.join('\n') + '\n';
  return { 'cartelle.csv': file(cartelle), 'membri.csv': file(membri), 'accessi.csv': file(accessi), 'prestazioni.csv': file(prestazioni), 'estrazione.txt': '2026-11-21\n' };
}

/** An md5 of every row of every table of the schema but `importazioni` (which records each attempt). */
export async function checksumTabelle(knex: import('knex').Knex): Promise<string> {
  const tables = (
    await knex.raw(`select tablename from pg_tables where schemaname = current_schema() and tablename not like 'knex_migrations%' and tablename <> 'importazioni' order by 1`)
  ).rows.map((r: { tablename: string }) => r.tablename) as string[];
  const parts = tables.map((t) => `select '${t}' as t, coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '-') as h from "${t}" x`);
  const rows = (await knex.raw(`select string_agg(t || '=' || h, ',' order by t) as all from (${parts.join(' union all ')}) q`)).rows as { all: string }[];
  return rows[0].all;
}
