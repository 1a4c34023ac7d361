import { authorize, canSeeComune, canSeeSelezione, comuniInPieno, operatoreVisibile, REGOLE, Azione } from '../../server/auth/permessi';
import type { Utente } from '../../server/auth/tipi';
import { menuFor } from '../../server/auth/menu';

const udp: Utente = { id: 1, email: 'udp@x.it', ruolo: 'udp', codice_istat: null, operatore_id: null };
const lodi: Utente = { id: 2, email: 'lodi@x.it', ruolo: 'comune', codice_istat: '098031', operatore_id: null };
const op: Utente = { id: 3, email: 'op@x.it', ruolo: 'operatore', codice_istat: null, operatore_id: 'OP01' };

describe('permessi: the one rules table', () => {
  test('udp may do every action except acknowledging someone else\'s alarms, proposing a comune\'s contacts (it sets them) and asking account changes (it decides them)', () => {
    for (const a of Object.keys(REGOLE) as Azione[]) expect([a, authorize(udp, a)]).toEqual([a, a !== 'notifiche.confermare' && a !== 'contatti.proporre' && a !== 'credenziali.richiedere']);
  });

  test('comune: own comune in full, others in aggregate; no administration', () => {
    expect(canSeeComune(lodi, '098031')).toBe('pieno');
    expect(canSeeComune(lodi, '098010')).toBe('aggregato');
    expect(canSeeComune(lodi, null)).toBe('aggregato');
    expect(canSeeSelezione(lodi, ['098031'])).toBe('pieno');
    expect(canSeeSelezione(lodi, ['098031', '098010'])).toBe('aggregato');
    expect(canSeeSelezione(lodi, [])).toBe('aggregato');
    expect(authorize(lodi, 'qualita.vedere')).toBe(true);
    expect(authorize(lodi, 'qualita.vedere', { codice_istat: '098031' })).toBe(true);
    expect(authorize(lodi, 'qualita.vedere', { codice_istat: '098010' })).toBe(false);
    expect(authorize(lodi, 'scadenze.vedere', { codice_istat: '098010' })).toBe(false);
    for (const a of ['job.vedere', 'job.eseguire', 'audit.vedere', 'posta.vedere', 'utenti.gestire', 'scadenze.gestire', 'notifiche.vedere', 'importazioni.eseguire', 'importazioni.vedere', 'contatti.gestire'] as Azione[]) expect([a, authorize(lodi, a)]).toEqual([a, false]);
    expect(authorize(lodi, 'contatti.proporre', { codice_istat: '098031' })).toBe(true);
    expect(authorize(lodi, 'contatti.proporre', { codice_istat: '098010' })).toBe(false);
    expect(comuniInPieno(lodi)).toEqual(['098031']);
    expect(operatoreVisibile(lodi)).toBeNull();
  });

  test('operatore: own notifications only, everything else aggregate', () => {
    expect(authorize(op, 'notifiche.vedere', { operatore_id: 'OP01' })).toBe(true);
    expect(authorize(op, 'notifiche.vedere', { operatore_id: 'OP02' })).toBe(false);
    expect(authorize(op, 'notifiche.confermare', { operatore_id: 'OP01' })).toBe(true);
    expect(authorize(op, 'qualita.vedere')).toBe(false);
    expect(authorize(op, 'ambito.vedere')).toBe(true);
    expect(canSeeComune(op, '098031')).toBe('aggregato');
    expect(comuniInPieno(op)).toEqual([]);
    expect(operatoreVisibile(op)).toBe('OP01');
    expect(operatoreVisibile(udp)).toBe('tutti');
    expect(comuniInPieno(udp)).toBe('tutti');
  });

  test('no account, no permission', () => {
    expect(authorize(undefined, 'ambito.vedere')).toBe(false);
    expect(authorize(null, 'password.cambiare')).toBe(false);
  });

  test('the menu shows each role only what it may open', () => {
    const hrefs = (u: Utente) => menuFor(u, '/').map((v) => v.href);
    expect(hrefs(udp)).toEqual(expect.arrayContaining(['/', '/job', '/audit', '/posta', '/qualita', '/notifiche']));
    expect(hrefs(lodi)).toEqual(expect.arrayContaining(['/', '/comuni/098031', '/qualita', '/scadenze']));
    expect(hrefs(lodi)).not.toEqual(expect.arrayContaining(['/job']));
    expect(hrefs(op)).toContain('/notifiche');
    for (const h of ['/job', '/audit', '/posta', '/qualita', '/scadenze']) expect(hrefs(op)).not.toContain(h);
    expect(menuFor(udp, '/job').find((v) => v.href === '/job')?.attivo).toBe(true);
    expect(menuFor(undefined, '/')).toEqual([]);
  });
});
