/**
 * Synthetic residents grouped in households (famiglie anagrafiche). The same household
 * object feeds both the SIZ extract (when the household has a social case) and the
 * civil-registry snapshots, so every member of an open cartella is a resident with the
 * right id_famiglia.
 */
import { buildCf } from '../shared/cf';
import { Comune } from './comuni';
import { isoFromDay } from './date';
import { BELFIORE_ALTRI, COGNOMI, ESTERI, NOMI_F, NOMI_M, VIE, codiceCognome, codiceNome } from './nomi';
import { Rng } from './rng';

export interface Persona {
  cf: string;
  cognome: string;
  nome: string;
  sesso: 'M' | 'F';
  nascita: number;
}

export interface Famiglia {
  id: string;
  indirizzo: string;
  persone: Persona[];
  /** Country entry for households born abroad (for newcomers of the same family). */
  estero: (typeof ESTERI)[number] | null;
}

const ANNO = 365.2425;

export class GeneratoreFamiglie {
  /** CFs with the comune's own Belfiore code: collisions are only possible inside one comune. */
  private locali = new Set<string>();
  /** CFs with any other Belfiore code (born abroad or elsewhere in Italy), kept for the whole run. */
  private readonly altri = new Set<string>();
  private comune: Comune | null = null;
  private seq = 0;
  /** Latest birth date of a generated resident: keeps births out of the snapshot window. */
  readonly ultimaNascita: number;

  constructor(private readonly oggi: number) {
    this.ultimaNascita = oggi - 40;
  }

  nuovoComune(comune: Comune): void {
    this.comune = comune;
    this.locali = new Set();
    this.seq = 0;
  }

  private get c(): Comune {
    if (!this.comune) throw new Error('nuovoComune() non chiamato');
    return this.comune;
  }

  nuovoIdFamiglia(): string {
    this.seq++;
    return `F${this.c.istat}${String(this.seq).padStart(6, '0')}`;
  }

  indirizzo(rng: Rng): string {
    const civico = rng.int(1, 140);
    return `${rng.pick(VIE)} ${civico}${rng.chance(0.06) ? '/' + rng.pick(['A', 'B', 'C']) : ''}`;
  }

  /** A person with a unique CF: on a clash the birth date moves by one day (rare). */
  persona(rng: Rng, cognome: string, sesso: 'M' | 'F', nascita: number, belfiore: string, estero: Famiglia['estero']): Persona {
    const nome = estero ? rng.pick(sesso === 'M' ? estero.m : estero.f) : rng.pick(sesso === 'M' ? NOMI_M : NOMI_F);
    const set = belfiore === this.c.belfiore ? this.locali : this.altri;
    let day = Math.min(nascita, this.ultimaNascita);
    let cf = buildCf(codiceCognome(cognome), codiceNome(nome), isoFromDay(day), sesso, belfiore);
    while (set.has(cf)) {
      day -= 1;
      cf = buildCf(codiceCognome(cognome), codiceNome(nome), isoFromDay(day), sesso, belfiore);
    }
    set.add(cf);
    return { cf, cognome, nome, sesso, nascita: day };
  }

  /** Newborn: birth date fixed by the caller (inside the registry's "nascita" window). */
  neonato(rng: Rng, cognome: string, nascita: number, estero: Famiglia['estero']): Persona {
    const sesso = rng.chance(0.51) ? 'M' : 'F';
    const nome = estero ? rng.pick(sesso === 'M' ? estero.m : estero.f) : rng.pick(sesso === 'M' ? NOMI_M : NOMI_F);
    let day = nascita;
    let cf = buildCf(codiceCognome(cognome), codiceNome(nome), isoFromDay(day), sesso, this.c.belfiore);
    while (this.locali.has(cf)) {
      day -= 1;
      cf = buildCf(codiceCognome(cognome), codiceNome(nome), isoFromDay(day), sesso, this.c.belfiore);
    }
    this.locali.add(cf);
    return { cf, cognome, nome, sesso, nascita: day };
  }

  private nascitaPerEta(rng: Rng, eta: number): number {
    return this.oggi - Math.floor((eta + rng.next()) * ANNO);
  }

  private belfioreAdulto(rng: Rng, estero: Famiglia['estero']): string {
    if (estero) return estero.belfiore;
    return rng.chance(0.12) ? rng.pick(BELFIORE_ALTRI) : this.c.belfiore;
  }

  private adulto(rng: Rng, f: Famiglia, cognome: string, sesso: 'M' | 'F', eta: number): Persona {
    return this.persona(rng, cognome, sesso, this.nascitaPerEta(rng, eta), this.belfioreAdulto(rng, f.estero), f.estero);
  }

  private figlio(rng: Rng, f: Famiglia, cognome: string, eta: number): Persona {
    // Children under 12 of families from abroad are mostly born here.
    const belfiore = f.estero && eta >= 12 ? f.estero.belfiore : this.c.belfiore;
    return this.persona(rng, cognome, rng.chance(0.51) ? 'M' : 'F', this.nascitaPerEta(rng, eta), belfiore, f.estero);
  }

  cognome(rng: Rng, estero: Famiglia['estero']): string {
    return estero ? rng.pick(estero.cognomi) : rng.pick(COGNOMI);
  }

  /** Household size, Italian distribution (mean ~2.3). */
  static dimensione(rng: Rng): number {
    return rng.weighted([
      [1, 33],
      [2, 27],
      [3, 19],
      [4, 15],
      [5, 5],
      [6, 1],
    ] as const);
  }

  famiglia(rng: Rng, size: number, esteraP = 0.09): Famiglia {
    const estero = rng.chance(esteraP) ? rng.pick(ESTERI) : null;
    const f: Famiglia = { id: this.nuovoIdFamiglia(), indirizzo: this.indirizzo(rng), persone: [], estero };
    const cog = this.cognome(rng, estero);
    if (size === 1) {
      const anziano = rng.chance(0.55);
      f.persone.push(this.adulto(rng, f, cog, rng.chance(anziano ? 0.35 : 0.5) ? 'M' : 'F', anziano ? rng.int(65, 97) : rng.int(20, 64)));
      return f;
    }
    if (size === 2) {
      const tipo = rng.weighted([
        ['anziani', 45],
        ['coppia', 40],
        ['monogenitore', 15],
      ] as const);
      if (tipo === 'anziani') {
        const eta = rng.int(66, 92);
        f.persone.push(this.adulto(rng, f, cog, 'M', eta));
        f.persone.push(this.adulto(rng, f, this.cognome(rng, estero), 'F', Math.max(65, eta + rng.int(-6, 3))));
      } else if (tipo === 'coppia') {
        const eta = rng.int(24, 64);
        f.persone.push(this.adulto(rng, f, cog, 'M', eta));
        f.persone.push(this.adulto(rng, f, this.cognome(rng, estero), 'F', Math.max(20, eta + rng.int(-6, 3))));
      } else {
        const sesso = rng.chance(0.75) ? 'F' : 'M';
        const eta = rng.int(24, 56);
        f.persone.push(this.adulto(rng, f, cog, sesso, eta));
        f.persone.push(this.figlio(rng, f, cog, rng.int(0, Math.min(eta - 19, 24))));
      }
      return f;
    }
    // Couple with children, sometimes a grandparent living with them.
    const padre = rng.int(28, 58);
    const madre = Math.max(22, padre + rng.int(-6, 3));
    f.persone.push(this.adulto(rng, f, cog, 'M', padre));
    f.persone.push(this.adulto(rng, f, this.cognome(rng, estero), 'F', madre));
    let figli = size - 2;
    if (size >= 5 && rng.chance(0.4)) {
      f.persone.push(this.adulto(rng, f, cog, rng.chance(0.7) ? 'F' : 'M', Math.max(66, madre + rng.int(22, 32))));
      figli--;
    }
    for (let i = 0; i < figli; i++) f.persone.push(this.figlio(rng, f, cog, rng.int(0, Math.min(madre - 19, 26))));
    return f;
  }
}
