/**
 * What the audit page shows for the codes it stores: each action and each detail by its Italian
 * label, never the code itself (the CSV and the JSON keep the codes, for machines).
 */
const AZIONI: Record<string, string> = {
  login: 'Accesso',
  login_fallito: 'Accesso non riuscito',
  utente_bloccato: 'Account bloccato (troppi tentativi)',
  logout: 'Uscita',
  password_cambiata: 'Password cambiata',
  utente_creato: 'Account creato',
  utente_disattivato: 'Account disattivato',
  utente_modificato: 'Account modificato',
  esportazione: 'Esportazione',
  importazione: 'Importazione',
  importazione_rifiutata: 'Importazione rifiutata',
  importazione_sospesa: 'Importazione sospesa',
  job_eseguito: 'Job avviato a mano',
  account_comuni_creati: 'Account dei comuni creati',
  caricamento: 'File caricati',
  caricamento_annullato: 'Caricamento annullato',
  caricamento_confermato: 'Caricamento confermato',
  caricamento_rifiutato: 'Caricamento rifiutato',
  contatti_modificati: 'Contatti del comune modificati',
  contatti_proposti: 'Contatti del comune proposti',
  notifiche_presa_visione: 'Notifiche prese in visione',
  presa_visione: 'Promemoria preso in visione',
  posta_reinvio: 'Messaggio inviato di nuovo',
  reimpostazione_richiesta: 'Reimpostazione della password richiesta',
  scadenza_creata: 'Scadenza creata',
  scadenza_modificata: 'Scadenza modificata',
};

const DETTAGLI: Record<string, string> = {
  tipo: 'tipo',
  importazione_id: 'importazione n.',
  caricamento: 'caricamento n.',
  origine: 'origine',
  righe: 'righe',
  data_estrazione: 'data dei dati',
  codice_istat: 'comune (ISTAT)',
  operatore_id: 'operatore',
  ruolo: 'ruolo',
  pagina: 'pagina',
  formato: 'formato',
  azione: 'azione',
  job: 'job',
  calo_confermato: 'calo di righe confermato',
  account_disattivato: 'account disattivato',
  account_sconosciuto: 'account sconosciuto',
  data_scadenza: 'data della scadenza',
  email_ufficio: "e-mail per l'ufficio",
  era_attivo: 'era attivo',
  presi_in_visione: 'presi in visione',
  proposta_da: 'proposta da',
};

/** A code without a label of its own still reads as words (never as snake_case). */
const parole = (codice: string) => codice.replace(/_/g, ' ');

export function etichettaAzione(azione: string): string {
  return AZIONI[azione] ?? parole(azione);
}

function valore(chiave: string, v: unknown): string {
  if (v == null) return '–';
  if (typeof v === 'boolean') return v ? 'sì' : 'no';
  if (Array.isArray(v)) return v.map((x) => valore(chiave, x)).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  const s = String(v);
  if (chiave === 'azione') return etichettaAzione(s);
  return /^[a-z]+(_[a-z0-9]+)+$/.test(s) ? parole(s) : s;
}

/** `{ tipo: 'siz', importazione_id: 5 }` -> `tipo: siz · importazione n.: 5`. */
export function dettagliLeggibili(d: Record<string, unknown> | null | undefined): string {
  if (!d) return '';
  return Object.entries(d)
    .map(([k, v]) => `${DETTAGLI[k] ?? parole(k)}: ${valore(k, v)}`)
    .join(' · ');
}
