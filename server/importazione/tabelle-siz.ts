import { birthDateFromValidCf, isValidCf } from '../shared/cf';
import type { RowValues, TableSpec } from './csv';
import { SPEC } from './schede';
import { serviceCode } from './valori';

type Row = unknown[];

/** How each SIZ file maps to its table: columns and the row builder. */
export interface TableLoad {
  table: 'cartelle' | 'membri' | 'prestazioni' | 'accessi' | 'operatori';
  spec: TableSpec;
  columns: string[];
  /** Column(s) unique inside one file. */
  key: string[];
  /**
   * The key is the table's primary key: rebuilding it after the load proves there are no
   * duplicates, and the slower search for their lines runs only when it fails.
   */
  keyIsPrimary: boolean;
  build(v: RowValues, line: number, estrazione: string): Row;
}

const num = (v: unknown) => (v == null ? 0 : (v as number));

/**
 * Check-character test and birth date of a CF. Until 2026-12-05 a memo of 50,000 CFs kept them,
 * keyed by a copy of each CF (a slice of its chunk's text would have kept the chunk alive); since
 * the check goes by character code and the date by the calendar (server/shared/cf.ts), looking
 * the CF up cost more than computing it: node CPU of the regional SIZ import 20.1 / 20.4 s
 * without the memo against 21.3 / 22.5 s with it, back to back (docs/bench.md, "The imports of
 * the cycle against COPY", 2026-12-05).
 */
function cfInfo(cf: string, estrazione: string): [boolean, string | null] {
  const valid = isValidCf(cf);
  return [valid, valid ? birthDateFromValidCf(cf, estrazione) : null];
}

export const TABLES: TableLoad[] = [
  {
    table: 'cartelle',
    spec: SPEC.cartelle,
    columns: ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'tutela_minori', 'operatore_id', 'riga'],
    key: ['id_cartella'],
    keyIsPrimary: true,
    build: (v, line) => [v.id_cartella, v.codice_istat, v.data_apertura, v.data_chiusura, v.area_utenza, v.tutela_minori ?? false, v.operatore_id, line],
  },
  {
    table: 'membri',
    spec: SPEC.membri,
    columns: ['riga', 'id_cartella', 'codice_fiscale', 'cf_valido', 'ruolo', 'data_inizio', 'data_fine', 'data_nascita', 'data_nascita_cf'],
    key: ['id_cartella', 'codice_fiscale', 'data_inizio'],
    keyIsPrimary: false,
    build: (v, line, estrazione) => {
      const cf = v.codice_fiscale as string;
      const [valid, nascita] = cfInfo(cf, estrazione);
      return [line, v.id_cartella, cf, valid, v.ruolo, v.data_inizio, v.data_fine, v.data_nascita, nascita];
    },
  },
  {
    table: 'prestazioni',
    spec: SPEC.prestazioni,
    columns: ['id_prestazione', 'id_cartella', 'codice_fiscale', 'cf_valido', 'data_nascita_cf', 'codice_istat', 'codice_prestazione', 'descrizione', 'data_erogazione', 'costo', 'quota_comune', 'quota_comune_indicata', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri', 'riga'],
    key: ['id_prestazione'],
    keyIsPrimary: true,
    build: (v, line, estrazione) => {
      const cf = v.codice_fiscale as string | null;
      const rec = [num(v.recupero_assistito), num(v.recupero_famiglia), num(v.recupero_altri_enti), num(v.recupero_altri)];
      // Default share of the comune: cost minus recoveries (data contract), rounded to the cent.
      const quota = v.quota_comune ?? Math.round(((v.costo as number) - rec.reduce((a, b) => a + b, 0)) * 100) / 100;
      // The beneficiary's birth date from the row's own CF, for when no member row gives it (docs/metriche.md).
      const [valid, nascita] = cf ? cfInfo(cf, estrazione) : [null, null];
      return [v.id_prestazione, v.id_cartella, cf, valid, nascita, v.codice_istat, serviceCode(v.codice_prestazione as string), v.descrizione, v.data_erogazione, v.costo, quota, v.quota_comune != null, ...rec, line];
    },
  },
  {
    table: 'accessi',
    spec: SPEC.accessi,
    columns: ['id_accesso', 'codice_fiscale', 'cf_valido', 'codice_istat', 'data_accesso', 'data_nascita', 'data_nascita_cf', 'area_utenza', 'motivo_accesso', 'problema_riscontrato', 'punto_accesso', 'riga'],
    key: ['id_accesso'],
    keyIsPrimary: true,
    build: (v, line, estrazione) => {
      const cf = v.codice_fiscale as string | null;
      const [valid, nascita] = cf ? cfInfo(cf, estrazione) : [null, null];
      return [v.id_accesso, cf, valid, v.codice_istat, v.data_accesso, v.data_nascita, nascita, v.area_utenza, v.motivo_accesso, v.problema_riscontrato, v.punto_accesso, line];
    },
  },
  {
    table: 'operatori',
    spec: SPEC.operatori,
    columns: ['operatore_id', 'nome', 'cognome', 'email', 'codice_istat', 'riga'],
    key: ['operatore_id'],
    keyIsPrimary: true,
    build: (v, line) => [v.operatore_id, v.nome, v.cognome, v.email, v.codice_istat, line],
  },
];
