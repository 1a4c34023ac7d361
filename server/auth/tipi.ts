/** The three roles (docs/ruoli.md). */
export const RUOLI = ['udp', 'comune', 'operatore'] as const;
export type Ruolo = (typeof RUOLI)[number];

/** The signed-in account, as routes and services see it (`req.user`). */
export interface Utente {
  id: number;
  email: string;
  ruolo: Ruolo;
  /** Set for (and only for) the `comune` role. */
  codice_istat: string | null;
  /** Set for (and only for) the `operatore` role: an operatore_id of the SIZ extract. */
  operatore_id: string | null;
  /** Signed in with a one-time password: must choose a new one before anything else. */
  cambio_password?: boolean;
}

/** The server side of the session cookie (table `sessioni`). */
export interface Sessione {
  id: string;
  utente_id: number;
  creata_il: Date;
  ultima_attivita: Date;
  scade_il: Date;
  /** The per-session CSRF token every form and every mutating API call must carry. */
  csrf: string;
  dati: Record<string, unknown>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The signed-in account; undefined for an anonymous request. */
      user?: Utente;
      /** The session of `user`; undefined for an anonymous request. */
      sessione?: Sessione;
    }
  }
}
