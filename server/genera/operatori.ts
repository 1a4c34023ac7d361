/**
 * Social workers (operatori.csv): about one per 8,000 residents. A large comune has its
 * own; small comuni of the same distretto share one (as when the service is run by the
 * Ufficio di Piano or a consortium). Each cartella is held by one of its comune's workers.
 */
import { Comune } from './comuni';
import { NOMI_F, NOMI_M, COGNOMI, slug } from './nomi';
import { Rng } from './rng';

export interface Operatore {
  id: string;
  nome: string;
  cognome: string;
  email: string;
  istat: string;
}

const RESIDENTI_PER_OPERATORE = 8000;

export function generaOperatori(rng: Rng, comuni: readonly Comune[], senzaEmail: number): {
  operatori: Operatore[];
  perComune: Map<string, string[]>;
} {
  type Gruppo = { istat: string; comuni: Comune[]; n: number };
  const gruppi: Gruppo[] = [];
  const piccoli = new Map<string, Comune[]>();
  for (const c of comuni) {
    const n = Math.floor(c.popolazione / RESIDENTI_PER_OPERATORE);
    if (n >= 1) gruppi.push({ istat: c.istat, comuni: [c], n });
    else {
      const l = piccoli.get(c.distretto) ?? [];
      l.push(c);
      piccoli.set(c.distretto, l);
    }
  }
  for (const l of piccoli.values()) {
    const delDistretto: Comune[][] = [];
    let g: Comune[] = [];
    let pop = 0;
    for (const c of l) {
      g.push(c);
      pop += c.popolazione;
      if (pop >= RESIDENTI_PER_OPERATORE) {
        delDistretto.push(g);
        g = [];
        pop = 0;
      }
    }
    // A small leftover tail joins the distretto's previous group instead of getting a worker of its own.
    if (g.length > 0 && pop < RESIDENTI_PER_OPERATORE / 2 && delDistretto.length > 0) delDistretto[delDistretto.length - 1].push(...g);
    else if (g.length > 0) delDistretto.push(g);
    for (const grp of delDistretto) {
      const capo = grp.reduce((a, b) => (b.popolazione > a.popolazione ? b : a));
      gruppi.push({ istat: capo.istat, comuni: grp, n: 1 });
    }
  }
  gruppi.sort((a, b) => (a.istat < b.istat ? -1 : a.istat > b.istat ? 1 : 0));
  const totale = gruppi.reduce((s, g) => s + g.n, 0);
  const width = Math.max(2, String(totale).length);
  const operatori: Operatore[] = [];
  const perComune = new Map<string, string[]>();
  for (const g of gruppi) {
    for (let i = 0; i < g.n; i++) {
      const f = rng.chance(0.8);
      const nome = rng.pick(f ? NOMI_F : NOMI_M);
      const cognome = rng.pick(COGNOMI);
      const id = `OP${String(operatori.length + 1).padStart(width, '0')}`;
      const nomeCap = (s: string) => s.toLowerCase().replace(/(^|[\s'])\p{L}/gu, (m) => m.toUpperCase());
      operatori.push({
        id,
        nome: nomeCap(nome),
        cognome: nomeCap(cognome),
        email: `${slug(nome).replace(/-/g, '')}.${slug(cognome).replace(/-/g, '')}.${id.toLowerCase()}@ufficiodipiano.example`,
        istat: g.istat,
      });
      for (const c of g.comuni) {
        const l = perComune.get(c.istat) ?? [];
        l.push(id);
        perComune.set(c.istat, l);
      }
    }
  }
  // A couple of workers without an address: their notifications cannot be emailed.
  for (const i of rng.shuffle(operatori.map((_, k) => k)).slice(0, senzaEmail)) operatori[i].email = '';
  return { operatori, perComune };
}
