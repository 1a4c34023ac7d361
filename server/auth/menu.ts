import { authorize, Azione } from './permessi';
import type { Utente } from './tipi';

/**
 * The main menu, filtered by what the account may see (permessi.ts). A feature adding a page
 * adds one line here.
 */
export interface VoceMenu {
  href: string;
  etichetta: string;
  azione: Azione;
}

export const MENU: VoceMenu[] = [
  { href: '/', etichetta: 'Panoramica', azione: 'ambito.vedere' },
  { href: '/sportello', etichetta: 'Sportello', azione: 'ambito.vedere' },
  { href: '/analisi/ripartizioni', etichetta: 'Ripartizioni', azione: 'ambito.vedere' },
  { href: '/sociali', etichetta: 'Sociali', azione: 'ambito.vedere' },
  { href: '/economici', etichetta: 'Economici', azione: 'ambito.vedere' },
  { href: '/mese', etichetta: 'Mese', azione: 'ambito.vedere' },
  { href: '/analisi/saldo', etichetta: 'Saldo cartelle', azione: 'analisi.vedere' },
  { href: '/analisi/carico', etichetta: 'Carico operatori', azione: 'analisi.vedere' },
  { href: '/qualita', etichetta: 'Qualità dei dati', azione: 'qualita.vedere' },
  { href: '/scadenze', etichetta: 'Scadenze', azione: 'scadenze.vedere' },
  { href: '/notifiche', etichetta: 'Notifiche', azione: 'notifiche.vedere' },
  { href: '/posta', etichetta: 'Posta', azione: 'posta.vedere' },
  { href: '/caricamenti', etichetta: 'Carica dati', azione: 'importazioni.eseguire' },
  { href: '/importazioni', etichetta: 'Importazioni', azione: 'importazioni.vedere' },
  { href: '/utenti', etichetta: 'Account', azione: 'utenti.gestire' },
  { href: '/contatti', etichetta: 'Contatti', azione: 'contatti.gestire' },
  { href: '/censimento', etichetta: 'Censimento', azione: 'censimento.gestire' },
  { href: '/job', etichetta: 'Job', azione: 'job.vedere' },
  { href: '/audit', etichetta: 'Registro accessi', azione: 'audit.vedere' },
];

/** Where an account lands after signing in when it asked for no page. */
export function paginaIniziale(user: Utente): string {
  return user.ruolo === 'operatore' ? '/notifiche' : '/';
}

export function menuFor(user: Utente | undefined, path: string): { href: string; etichetta: string; attivo: boolean }[] {
  if (!user) return [];
  const voci: { href: string; etichetta: string }[] = MENU.filter((v) => authorize(user, v.azione));
  // A comune's staff and mayor land on their own scorecard: it gets its own entry.
  if (user.ruolo === 'comune' && user.codice_istat) {
    voci.splice(1, 0, { href: `/comuni/${user.codice_istat}`, etichetta: 'Il mio comune' });
    voci.push({ href: `/contatti/${user.codice_istat}`, etichetta: 'Contatti' });
    voci.push({ href: `/censimento/comuni/${user.codice_istat}`, etichetta: 'Censimento' });
    voci.push({ href: `/credenziali/${user.codice_istat}`, etichetta: 'Account del comune' });
  }
  return voci.map((v) => ({
    href: v.href,
    etichetta: v.etichetta,
    attivo: v.href === '/' ? path === '/' : path === v.href || path.startsWith(`${v.href}/`),
  }));
}
