/**
 * The comuni of the data set: at the ambito scale the 61 real comuni of the Ambito di
 * Lodi from fixtures/, at the regione scale a synthetic region (see regione.ts).
 */
import path from 'node:path';
import { fixturesDir, readSmallCsv } from './fixtures';
import { Rng } from './rng';
import { slug } from './nomi';

export interface Comune {
  istat: string;
  nome: string;
  /** Cadastral (Belfiore) code: the place-of-birth part of the CF of people born there. */
  belfiore: string;
  popolazione: number;
  distretto: string;
  /** The `email` cell of comuni.csv ('' = no contact). */
  email: string;
}

export function emailComune(nome: string): string {
  return `servizisociali@comune-${slug(nome)}.example`;
}

/**
 * Contact cell: most comuni one address, a few none (they cannot get reminders: the
 * board must show it), a few two addresses in one quoted cell (the contract allows it).
 */
export function assegnaEmail(rng: Rng, comuni: Comune[], senza: number, doppie: number): void {
  const order = rng.shuffle(comuni.map((_, i) => i));
  order.forEach((idx, k) => {
    const c = comuni[idx];
    if (k < senza) c.email = '';
    else if (k < senza + doppie) c.email = `${emailComune(c.nome)}; sindaco@comune-${slug(c.nome)}.example`;
    else c.email = emailComune(c.nome);
  });
}

export function comuniAmbito(seme: number): Comune[] {
  const rows = readSmallCsv(path.join(fixturesDir(), 'riferimento', 'comuni-ambito-lodi.csv'));
  const comuni = rows
    .map((r) => ({
      istat: r.codice_istat.padStart(6, '0'),
      nome: r.nome,
      belfiore: r.codice_catastale.toUpperCase(),
      popolazione: Number(r.popolazione),
      distretto: r.distretto,
      email: '',
    }))
    .sort((a, b) => (a.istat < b.istat ? -1 : a.istat > b.istat ? 1 : 0));
  assegnaEmail(new Rng(seme, 'email-comuni'), comuni, 3, 2);
  return comuni;
}
