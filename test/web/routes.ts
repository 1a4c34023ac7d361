/**
 * The route table of the role matrix (test/web/role-matrix.test.ts): every route and API
 * endpoint, with what each profile gets. ADDING A ROUTE = ADDING ONE LINE below.
 *
 * Profiles: anonimo (no session), udp, comune (the account of comune COMUNE), altroComune (the
 * account of ALTRO_COMUNE, looking at COMUNE's data), operatore (OPERATORE of the SIZ extract).
 * Outcomes: 'ok' = 200; 'login' = redirect to /login (pages without a session); 'redirect' =
 * any other 3xx; or an HTTP status (401 API without a session, 403 forbidden, 404, 422...).
 * POST rows get the session's CSRF token added to `form` automatically.
 * `contiene` (optional): text the body must contain for a profile (e.g. a full vs aggregate view).
 */
export const COMUNE = '098031';
export const ALTRO_COMUNE = '098010';
export const OPERATORE = 'OP01';

export const PROFILI = ['anonimo', 'udp', 'comune', 'altroComune', 'operatore'] as const;
export type Profilo = (typeof PROFILI)[number];
export type Esito = 'ok' | 'login' | 'redirect' | number;

export interface Rotta extends Record<Profilo, Esito> {
  method: 'GET' | 'POST';
  path: string;
  form?: Record<string, string>;
  contiene?: Partial<Record<Profilo, string>>;
}

type Attese = Record<Profilo, Esito>;
/** Open to everybody, also without a session. */
export const PUBBLICA: Attese = { anonimo: 'ok', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 'ok' };
/** A page every signed-in role may open. */
export const PAGINA_TUTTI: Attese = { anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 'ok' };
/** A page of the Ufficio di Piano only. */
export const PAGINA_UDP: Attese = { anonimo: 'login', udp: 'ok', comune: 403, altroComune: 403, operatore: 403 };
/** An API endpoint every signed-in role may call. */
export const API_TUTTI: Attese = { anonimo: 401, udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 'ok' };
/** An API endpoint of the Ufficio di Piano only. */
export const API_UDP: Attese = { anonimo: 401, udp: 'ok', comune: 403, altroComune: 403, operatore: 403 };
/** A page for COMUNE's own account (and the UdP). */
export const PAGINA_PROPRIO_COMUNE: Attese = { anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 403, operatore: 403 };
/** Its API twin. */
export const API_PROPRIO_COMUNE: Attese = { anonimo: 401, udp: 'ok', comune: 'ok', altroComune: 403, operatore: 403 };

export const ROUTES: Rotta[] = [
  // Accounts and sessions (issue 5)
  { method: 'GET', path: '/salute', ...PUBBLICA },
  { method: 'GET', path: '/login', anonimo: 'ok', udp: 'redirect', comune: 'redirect', altroComune: 'redirect', operatore: 'redirect' },
  { method: 'GET', path: '/logout', anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 'ok' },
  { method: 'POST', path: '/logout', anonimo: 'redirect', udp: 'redirect', comune: 'redirect', altroComune: 'redirect', operatore: 'redirect' },
  { method: 'GET', path: '/password', ...PAGINA_TUTTI },
  { method: 'POST', path: '/password', form: { attuale: 'non-la-password', nuova: 'nuova-password-lunga', conferma: 'nuova-password-lunga' }, anonimo: 'login', udp: 422, comune: 422, altroComune: 422, operatore: 422 },
  { method: 'GET', path: '/', ...PAGINA_TUTTI },
  // Jobs and audit (issue 5)
  { method: 'GET', path: '/job', ...PAGINA_UDP },
  { method: 'GET', path: '/api/job', ...API_UDP },
  { method: 'GET', path: '/api/job?formato=csv', ...API_UDP },
  { method: 'POST', path: '/job/inesistente/esegui', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/api/job/esecuzioni/999999', anonimo: 401, udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/job?esecuzione=999999&gia=inbox', ...PAGINA_UDP },
  { method: 'GET', path: '/audit', ...PAGINA_UDP },
  { method: 'GET', path: '/audit?azione=login&pagina=2', ...PAGINA_UDP },
  { method: 'GET', path: '/api/audit', ...API_UDP },
  { method: 'GET', path: '/api/audit?formato=csv', ...API_UDP },
  // Uploads and the import history (issue 16): the office only
  { method: 'GET', path: '/caricamenti', ...PAGINA_UDP },
  { method: 'GET', path: '/caricamenti/censimento', ...PAGINA_UDP },
  { method: 'GET', path: '/caricamenti/inesistente', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/caricamenti/censimento', anonimo: 'login', udp: 415, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/caricamento/999999', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/caricamento/abc', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/api/caricamento/999999', anonimo: 401, udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/caricamento/999999/errori.csv', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/caricamento/999999/carica', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/caricamento/999999/annulla', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/importazioni', ...PAGINA_UDP },
  { method: 'GET', path: '/importazioni?tipo=siz&esito=rifiutata&pagina=2', ...PAGINA_UDP },
  { method: 'GET', path: '/importazioni?esito=boh', ...PAGINA_UDP },
  { method: 'GET', path: '/importazioni/999999', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/importazioni/999999/errori.csv', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/api/importazioni', ...API_UDP },
  // Accounts by the office, invitations and resets, contacts (issue 16)
  { method: 'GET', path: '/utenti', ...PAGINA_UDP },
  { method: 'POST', path: '/utenti', form: { email: 'non-una-email', ruolo: 'udp' }, anonimo: 'login', udp: 422, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/utenti/999999', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/utenti/999999/disattiva', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/utenti/999999/riattiva', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/utenti/999999/invito', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/utenti/999999/ruolo', form: { ruolo: 'udp' }, anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/utenti-comuni', ...PAGINA_UDP },
  { method: 'POST', path: '/utenti-comuni', anonimo: 'login', udp: 400, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/password/dimenticata', ...PUBBLICA },
  { method: 'POST', path: '/password/dimenticata', form: { email: 'nessuno@test.example' }, anonimo: 403, udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 'ok' },
  { method: 'GET', path: '/account/imposta/link-non-valido-0123456789', anonimo: 410, udp: 410, comune: 410, altroComune: 410, operatore: 410 },
  { method: 'POST', path: '/account/imposta/link-non-valido-0123456789', form: { nuova: 'una-password-lunga', conferma: 'una-password-lunga' }, anonimo: 403, udp: 410, comune: 410, altroComune: 410, operatore: 410 },
  { method: 'GET', path: '/contatti', ...PAGINA_UDP },
  { method: 'GET', path: `/contatti/${COMUNE}`, ...PAGINA_PROPRIO_COMUNE },
  { method: 'GET', path: '/contatti/12', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: `/contatti/${COMUNE}`, form: { email: 'sindaco@comune.example' }, anonimo: 'login', udp: 'redirect', comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: `/contatti/${COMUNE}`, form: { email: 'non valido' }, anonimo: 'login', udp: 422, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: `/contatti/${COMUNE}/proposta`, form: { email: 'ufficio@comune.example' }, anonimo: 'login', udp: 403, comune: 'redirect', altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/contatti/proposte/999999/accetta', anonimo: 'login', udp: 409, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/contatti/proposte/999999/respingi', anonimo: 'login', udp: 409, comune: 403, altroComune: 403, operatore: 403 },
  // The census online (issue 19): rounds and board for the office, each comune's own form (page and API), account review
  { method: 'GET', path: '/censimento', anonimo: 'login', udp: 'ok', comune: 'redirect', altroComune: 'redirect', operatore: 403, contiene: { udp: 'Apri un censimento' } },
  { method: 'POST', path: '/censimento', form: { data_riferimento: 'boh', data_scadenza: '2027-01-15' }, anonimo: 'login', udp: 422, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/censimento/giri/999999', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/censimento/giri/abc', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/api/censimento/giri/999999', anonimo: 401, udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/api/censimento/giri/999999?formato=csv', anonimo: 401, udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/censimento/giri/999999/proroga', form: { data_scadenza: '2027-02-01' }, anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/censimento/giri/999999/chiudi', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: `/censimento/comuni/${COMUNE}`, ...PAGINA_PROPRIO_COMUNE, contiene: { comune: 'Censimento: Lodi' } },
  { method: 'GET', path: '/censimento/comuni/12', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/censimento/comuni/999999', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: `/censimento/comuni/${COMUNE}`, form: { azione: 'bozza', cartelle_attive: '1' }, anonimo: 'login', udp: 409, comune: 409, altroComune: 403, operatore: 403 },
  { method: 'GET', path: `/api/censimento/comuni/${COMUNE}`, anonimo: 401, udp: 404, comune: 404, altroComune: 403, operatore: 403 },
  { method: 'POST', path: `/api/censimento/comuni/${COMUNE}`, form: { azione: 'invia', cartelle_attive: '1' }, anonimo: 401, udp: 409, comune: 409, altroComune: 403, operatore: 403 },
  { method: 'GET', path: `/censimento/comuni/${COMUNE}/storico`, ...PAGINA_PROPRIO_COMUNE },
  { method: 'GET', path: `/credenziali/${COMUNE}`, ...PAGINA_PROPRIO_COMUNE },
  { method: 'POST', path: `/credenziali/${COMUNE}`, form: { tipo: 'aggiunta', email: 'non valida', ruolo: 'comune' }, anonimo: 'login', udp: 403, comune: 422, altroComune: 403, operatore: 403 },
  { method: 'POST', path: `/credenziali/${COMUNE}`, form: { tipo: 'aggiunta', email: 'nuova.persona@comune.example', ruolo: 'comune' }, anonimo: 'login', udp: 403, comune: 'redirect', altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/credenziali', ...PAGINA_UDP },
  { method: 'POST', path: '/credenziali/richieste/999999/approva', anonimo: 'login', udp: 409, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/credenziali/richieste/999999/respingi', anonimo: 'login', udp: 409, comune: 403, altroComune: 403, operatore: 403 },
  // Registry-variation alarms (issue 8): the operatore's own, the UdP's board; never a comune
  { method: 'GET', path: '/notifiche', anonimo: 'login', udp: 'ok', comune: 403, altroComune: 403, operatore: 'ok', contiene: { udp: 'Per comune', operatore: 'Da vedere' } },
  { method: 'GET', path: '/notifiche?tipo=decesso', anonimo: 'login', udp: 'ok', comune: 403, altroComune: 403, operatore: 'ok' },
  { method: 'GET', path: '/notifiche?tipo=sconosciuto', anonimo: 'login', udp: 400, comune: 403, altroComune: 403, operatore: 400 },
  { method: 'GET', path: '/api/notifiche', anonimo: 401, udp: 'ok', comune: 403, altroComune: 403, operatore: 'ok' },
  { method: 'GET', path: '/api/notifiche?formato=csv', anonimo: 401, udp: 'ok', comune: 403, altroComune: 403, operatore: 'ok' },
  { method: 'POST', path: '/notifiche/presa-visione', form: { id: '1' }, anonimo: 'login', udp: 403, comune: 403, altroComune: 403, operatore: 'redirect' },
  { method: 'POST', path: '/api/notifiche/presa-visione', form: { ids: '1' }, anonimo: 401, udp: 403, comune: 403, altroComune: 403, operatore: 'ok' },
  // Deadlines, reminders and the outbox (issue 7): the board for the UdP and each comune's own rows; the outbox for the UdP only
  { method: 'GET', path: '/scadenze', anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403, contiene: { udp: 'Nuova scadenza' } },
  { method: 'GET', path: '/scadenze?vista=tutte&stato=scaduta&tipo=caricamento', anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403 },
  { method: 'GET', path: '/api/scadenze', anonimo: 401, udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403 },
  { method: 'GET', path: '/api/scadenze?formato=csv', anonimo: 401, udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403 },
  { method: 'GET', path: '/scadenze/999999', anonimo: 'login', udp: 404, comune: 404, altroComune: 404, operatore: 403 },
  { method: 'POST', path: '/scadenze', form: { codice_istat: COMUNE, tipo: 'altro', data_scadenza: '2027-01-15' }, anonimo: 'login', udp: 'redirect', comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/scadenze/999999/chiudi', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/posta', ...PAGINA_UDP },
  { method: 'GET', path: '/posta?stato=scartato&tipo=allerta', ...PAGINA_UDP },
  { method: 'GET', path: '/api/posta', ...API_UDP },
  { method: 'GET', path: '/api/posta?formato=csv', ...API_UDP },
  { method: 'GET', path: '/posta/999999', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/posta/999999/anteprima', anonimo: 'login', udp: 404, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'POST', path: '/posta/999999/reinvia', anonimo: 'login', udp: 409, comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/presa-visione/link-non-valido', anonimo: 400, udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  { method: 'POST', path: '/presa-visione/link-non-valido', anonimo: 400, udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  // The cruscotto (issue 6): overview, scorecards, the three families, month over month, quality board; every page has its /api/ twin and CSV
  { method: 'GET', path: '/api/panoramica', ...API_TUTTI },
  { method: 'GET', path: '/api/', ...API_TUTTI },
  { method: 'GET', path: '/?ordina=nome&cluster=1', ...PAGINA_TUTTI, contiene: { udp: 'Panoramica dell&#x27;ambito' } },
  // Two groups at once are settled (the view's group is kept, and the page says so), not refused.
  { method: 'GET', path: '/?cluster=1&distretto=Lodi', anonimo: 'login', udp: 200, comune: 200, altroComune: 200, operatore: 200 },
  { method: 'GET', path: '/api/panoramica?formato=csv&tabella=comuni', ...API_TUTTI },
  { method: 'GET', path: `/comuni/${COMUNE}`, ...PAGINA_TUTTI, contiene: { udp: 'Comune di Lodi', comune: 'Comune di Lodi', altroComune: 'Comune di Lodi' } },
  { method: 'GET', path: `/comuni/${COMUNE}?anno=2025`, ...PAGINA_TUTTI },
  { method: 'GET', path: `/api/comuni/${COMUNE}`, ...API_TUTTI },
  { method: 'GET', path: `/api/comuni/${COMUNE}?formato=csv&tabella=metriche`, ...API_TUTTI },
  { method: 'GET', path: '/comuni/999999', anonimo: 'login', udp: 404, comune: 404, altroComune: 404, operatore: 404 },
  { method: 'GET', path: '/api/comuni/12x', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  { method: 'GET', path: `/api/comuni/${COMUNE}?anno=due`, anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  { method: 'GET', path: '/sportello', ...PAGINA_TUTTI },
  { method: 'GET', path: `/sportello?anno=2025&vista=distretto&distretto=Lodi&comune=${COMUNE}&area=adulti&motivo=LAVORO`, ...PAGINA_TUTTI },
  { method: 'GET', path: '/api/sportello', ...API_TUTTI },
  { method: 'GET', path: '/api/sportello?formato=csv&tabella=motivi', ...API_TUTTI },
  { method: 'GET', path: '/api/sportello?cluster=9', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  { method: 'GET', path: '/sportello?formato=csv', anonimo: 'login', udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  { method: 'GET', path: '/sociali', ...PAGINA_TUTTI },
  { method: 'GET', path: '/sociali?anno=2025&cluster=1&area=minori', ...PAGINA_TUTTI },
  { method: 'GET', path: '/api/sociali', ...API_TUTTI },
  { method: 'GET', path: '/api/sociali?formato=csv&tabella=fasce', ...API_TUTTI },
  { method: 'GET', path: '/economici', ...PAGINA_TUTTI },
  { method: 'GET', path: `/economici?comune=${COMUNE}&area=anziani`, ...PAGINA_TUTTI },
  { method: 'GET', path: '/api/economici', ...API_TUTTI },
  { method: 'GET', path: '/api/economici?formato=csv&tabella=prestazioni', ...API_TUTTI },
  { method: 'GET', path: '/api/economici?formato=csv&tabella=inesistente', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  { method: 'GET', path: '/mese', ...PAGINA_TUTTI },
  // A month by group or by another comune is for the office only (docs/riservatezza.md).
  { method: 'GET', path: '/mese?mese=2026-09&distretto=Lodi', ...PAGINA_UDP },
  { method: 'GET', path: `/mese?mese=2026-09&comune=${COMUNE}`, ...PAGINA_PROPRIO_COMUNE },
  { method: 'GET', path: '/api/mese', ...API_TUTTI },
  { method: 'GET', path: '/api/mese?formato=csv&tabella=confronto', ...API_TUTTI },
  // The month's top 10 lists are the office's only: another account has no such table.
  { method: 'GET', path: '/api/mese?formato=csv&tabella=top_motivi', anonimo: 401, udp: 'ok', comune: 400, altroComune: 400, operatore: 400 },
  { method: 'GET', path: '/api/mese?mese=2026-13', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 400 },
  { method: 'GET', path: '/qualita', anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403 },
  { method: 'GET', path: `/qualita?comune=${COMUNE}`, ...PAGINA_PROPRIO_COMUNE },
  { method: 'GET', path: '/api/qualita', anonimo: 401, udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403 },
  { method: 'GET', path: `/api/qualita?comune=${COMUNE}&formato=csv&tabella=risultati`, ...API_PROPRIO_COMUNE },
  { method: 'GET', path: '/api/qualita?controllo=inventato', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 403 },
  // Analyses (issue 20): the office sees every comune; a comune account its own only (another comune is 403); never an operatore
  { method: 'GET', path: '/analisi/saldo', anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403, contiene: { udp: 'Saldo delle cartelle aperte e chiuse', comune: 'Comune di Lodi' } },
  { method: 'GET', path: `/analisi/saldo?comune=${COMUNE}&dal=2025-11-01&al=2026-02-28`, ...PAGINA_PROPRIO_COMUNE },
  { method: 'GET', path: '/analisi/saldo?distretto=Lodi', anonimo: 'login', udp: 'ok', comune: 403, altroComune: 403, operatore: 403 },
  { method: 'GET', path: '/api/analisi/saldo', anonimo: 401, udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403 },
  { method: 'GET', path: `/api/analisi/saldo?comune=${COMUNE}&formato=csv&tabella=comuni`, ...API_PROPRIO_COMUNE },
  { method: 'GET', path: '/api/analisi/saldo?dal=2026-02-30', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 403 },
  { method: 'GET', path: '/api/analisi/saldo?anno=2025', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 403 },
  { method: 'GET', path: '/analisi/carico', anonimo: 'login', udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403, contiene: { udp: 'Carico di lavoro per operatore' } },
  { method: 'GET', path: `/analisi/carico?comune=${COMUNE}`, ...PAGINA_PROPRIO_COMUNE },
  { method: 'GET', path: '/api/analisi/carico', anonimo: 401, udp: 'ok', comune: 'ok', altroComune: 'ok', operatore: 403 },
  { method: 'GET', path: `/api/analisi/carico?comune=${COMUNE}&formato=csv&tabella=senza_email`, ...API_PROPRIO_COMUNE },
  { method: 'GET', path: '/api/analisi/carico?formato=csv&tabella=inesistente', anonimo: 401, udp: 400, comune: 400, altroComune: 400, operatore: 403 },
  // Unknown paths: no hint to anonymous users that a path exists or not
  { method: 'GET', path: '/non-esiste', anonimo: 'login', udp: 404, comune: 404, altroComune: 404, operatore: 404 },
  { method: 'GET', path: '/api/non-esiste', anonimo: 401, udp: 404, comune: 404, altroComune: 404, operatore: 404 },
];
