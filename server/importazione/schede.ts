/**
 * The columns of every input file (docs/formati.md), with their parsers.
 * Required columns must exist and their fields must not be empty. `id: true` marks identifiers
 * and codes, held to the shorter length limit (limiti.ts): they are indexed, and PostgreSQL
 * cannot index a value of a few thousand bytes.
 */
import type { TableSpec } from './csv';
import { parseAmount, parseArea, parseBool, parseCount, parseDate, parseEmails, parseIstat, Parsed } from './valori';
import { normalizeCf } from '../shared/cf';
import { citazione } from './limiti';

const date = parseDate;
const amount = parseAmount;
const count = parseCount;

/** CF: upper case, spaces removed; the check-character test is a quality finding, not an error. */
const cf = (raw: string): Parsed<string> => ({ ok: true, value: upperAlnum(raw) ? raw : normalizeCf(raw)! });

/** Only A-Z and 0-9 (a CF as registries write it): normalizeCf would return it as it is. */
function upperAlnum(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return s.length > 0;
}

/**
 * ISTAT code of a SIZ row: numbers are left-padded; anything else (for example the `Null` of
 * today's cruscotto) is kept as an unknown comune, which the quality checks report.
 */
const sizIstat = (raw: string): Parsed<string | null> => {
  if (/^null$/i.test(raw)) return { ok: true, value: null };
  const p = parseIstat(raw);
  return p.ok ? p : { ok: true, value: raw.toUpperCase() };
};

const ruolo = (raw: string): Parsed<string> => {
  const r = raw.toLowerCase();
  return r === 'titolare' || r === 'componente' ? { ok: true, value: r } : { ok: false, reason: `ruolo non valido ${citazione(raw)} (atteso titolare o componente)` };
};

const statoAnagrafe = (raw: string): Parsed<string> => {
  const s = raw.toLowerCase();
  return ['residente', 'deceduto', 'emigrato'].includes(s) ? { ok: true, value: s } : { ok: false, reason: `stato non valido ${citazione(raw)} (atteso residente, deceduto o emigrato)` };
};

const sesso = (raw: string): Parsed<string> => {
  const s = raw.toUpperCase();
  return s === 'M' || s === 'F' ? { ok: true, value: s } : { ok: false, reason: `sesso non valido ${citazione(raw)} (atteso M o F)` };
};

const tipoScadenza = (raw: string): Parsed<string> => {
  const s = raw.toLowerCase();
  return ['caricamento', 'censimento', 'credenziali', 'altro'].includes(s) ? { ok: true, value: s } : { ok: false, reason: `tipo non valido ${citazione(raw)} (atteso caricamento, censimento, credenziali o altro)` };
};

const percent = (raw: string): Parsed<number> => {
  const p = parseAmount(raw.replace(/%$/, ''));
  if (!p.ok) return p;
  return p.value > 0 && p.value <= 100 ? p : { ok: false, reason: `obiettivo fuori intervallo ${citazione(raw)} (atteso tra 1 e 100)` };
};

const popolazione = parseCount;

export const SPEC = {
  comuni: {
    fields: [
      { name: 'codice_istat', id: true, required: true, parse: parseIstat },
      { name: 'nome', required: true },
      { name: 'popolazione', required: true, parse: popolazione },
      { name: 'distretto', required: true },
      { name: 'email', parse: parseEmails },
    ],
  },
  cartelle: {
    fields: [
      { name: 'id_cartella', id: true, required: true },
      { name: 'codice_istat', id: true, parse: sizIstat },
      { name: 'data_apertura', required: true, parse: date },
      { name: 'data_chiusura', parse: date },
      { name: 'area_utenza', parse: parseArea },
      { name: 'tutela_minori', parse: parseBool },
      { name: 'operatore_id', id: true },
    ],
  },
  membri: {
    fields: [
      { name: 'id_cartella', id: true, required: true },
      { name: 'codice_fiscale', id: true, required: true, parse: cf },
      { name: 'ruolo', parse: ruolo },
      { name: 'data_inizio', parse: date },
      { name: 'data_fine', parse: date },
      { name: 'data_nascita', parse: date },
    ],
  },
  prestazioni: {
    fields: [
      { name: 'id_prestazione', id: true, required: true },
      { name: 'id_cartella', id: true },
      { name: 'codice_fiscale', id: true, parse: cf },
      { name: 'codice_istat', id: true, parse: sizIstat },
      { name: 'codice_prestazione', required: true },
      { name: 'descrizione' },
      { name: 'data_erogazione', required: true, parse: date },
      { name: 'costo', required: true, parse: amount },
      { name: 'quota_comune', parse: amount },
      { name: 'recupero_assistito', parse: amount },
      { name: 'recupero_famiglia', parse: amount },
      { name: 'recupero_altri_enti', parse: amount },
      { name: 'recupero_altri', parse: amount },
    ],
  },
  accessi: {
    fields: [
      { name: 'id_accesso', id: true, required: true },
      { name: 'codice_fiscale', id: true, parse: cf },
      { name: 'codice_istat', id: true, parse: sizIstat },
      { name: 'data_accesso', required: true, parse: date },
      { name: 'data_nascita', parse: date },
      { name: 'area_utenza', parse: parseArea },
      { name: 'motivo_accesso' },
      { name: 'problema_riscontrato' },
      { name: 'punto_accesso' },
    ],
  },
  operatori: {
    fields: [
      { name: 'operatore_id', id: true, required: true },
      { name: 'nome' },
      { name: 'cognome' },
      { name: 'email' },
      { name: 'codice_istat', id: true, parse: sizIstat },
    ],
  },
  censimento: {
    oneOf: [['codice_istat', 'comune']],
    fields: [
      { name: 'codice_istat', id: true, parse: parseIstat },
      { name: 'comune' },
      { name: 'data_riferimento', required: true, parse: date },
      { name: 'periodo_inizio', parse: date },
      { name: 'cartelle_attive', required: true, parse: count },
      { name: 'cartelle_attive_tutela', parse: count },
      { name: 'utenti_in_carico', parse: count },
      { name: 'utenti_in_carico_tutela', parse: count },
      { name: 'cartelle_aperte_periodo', parse: count },
      { name: 'utenti_nuovi_periodo', parse: count },
      { name: 'cartelle_chiuse_periodo', parse: count },
      { name: 'utenti_senza_cartella_periodo', parse: count },
      { name: 'note' },
    ],
  },
  anagrafe: {
    fields: [
      { name: 'codice_fiscale', id: true, required: true, parse: cf },
      { name: 'cognome' },
      { name: 'nome' },
      { name: 'sesso', parse: sesso },
      { name: 'data_nascita', parse: date },
      { name: 'codice_istat', id: true, required: true, parse: parseIstat },
      { name: 'indirizzo' },
      { name: 'id_famiglia', id: true, required: true },
      { name: 'stato', parse: statoAnagrafe },
      { name: 'data_evento', parse: date },
    ],
  },
  nomenclatore: {
    fields: [
      { name: 'codice', id: true, required: true, parse: (raw: string): Parsed<string> => ({ ok: true, value: raw.toUpperCase() }) },
      { name: 'descrizione' },
      { name: 'macro_area' },
      { name: 'pasti_trasporti', parse: parseBool },
    ],
  },
  scadenze: {
    oneOf: [['codice_istat', 'comune']],
    fields: [
      { name: 'codice_istat', id: true, parse: parseIstat },
      { name: 'comune' },
      { name: 'tipo', required: true, parse: tipoScadenza },
      { name: 'data_scadenza', required: true, parse: date },
      { name: 'obiettivo', parse: percent },
      { name: 'descrizione' },
      { name: 'email', parse: parseEmails },
    ],
  },
} satisfies Record<string, TableSpec>;

/** The census metrics, in the order of docs/metriche.md ("Metriche del censimento (lato SIZ)"). */
export const CENSUS_METRICS = [
  'cartelle_attive',
  'cartelle_attive_tutela',
  'utenti_in_carico',
  'utenti_in_carico_tutela',
  'cartelle_aperte_periodo',
  'utenti_nuovi_periodo',
  'cartelle_chiuse_periodo',
  'utenti_senza_cartella_periodo',
] as const;
export type CensusMetric = (typeof CENSUS_METRICS)[number];
