/**
 * Two civil-registry snapshots (data contract section 4) of a few comuni: T1 = oggi - 1 and
 * T0 = T1 - contesto.anagrafe.giorni (default the day before). Households are the same objects the SIZ cases were made from, so
 * members of open cartelle are residents with their id_famiglia; between T0 and T1 a
 * few households and people change, with every variation type of docs/metriche.md ("Variazioni
 * anagrafiche"), more often in households with an open case (deaths of case members feed the
 * `deceduto_con_cartella_aperta` check and the alarms to social workers).
 */
import { Comune } from './comuni';
import { Contesto } from './contesto';
import { CsvWriter } from './csv-writer';
import { ageAt } from './date';
import { Famiglia, GeneratoreFamiglie, Persona } from './persone';
import { Rng } from './rng';

export const HEADER_ANAGRAFE = ['codice_fiscale', 'cognome', 'nome', 'sesso', 'data_nascita', 'codice_istat', 'indirizzo', 'id_famiglia', 'stato', 'data_evento'];

export const TIPI_VARIAZIONE = ['nascita', 'immigrazione', 'decesso', 'emigrazione', 'cambio_indirizzo', 'cambio_famiglia'] as const;

function normIndirizzo(s: string): string {
  return s.trim().toUpperCase().replace(/\s+/g, ' ');
}

export class GeneratoreAnagrafe {
  /** Variations T0 -> T1 by type, plus a few facts about them (for the manifest and tests). */
  readonly conteggi = new Map<string, number>();
  readonly T0: number;
  readonly T1: number;

  constructor(
    private readonly contesto: Contesto,
    private readonly w0: CsvWriter,
    private readonly w1: CsvWriter,
    private readonly fams: GeneratoreFamiglie,
  ) {
    this.T0 = contesto.oggi - 1 - contesto.anagrafe.giorni;
    this.T1 = contesto.oggi - 1;
    for (const t of TIPI_VARIAZIONE) this.conteggi.set(t, 0);
  }

  private conta(k: string, n = 1): void {
    this.conteggi.set(k, (this.conteggi.get(k) ?? 0) + n);
  }

  private riga(rng: Rng, w: CsvWriter, c: Comune, p: Persona, indirizzo: string, idFam: string, stato: string, evento: number | null): void {
    const f = this.contesto.fmt;
    w.row([
      p.cf,
      p.cognome,
      p.nome,
      rng.chance(0.97) ? p.sesso : '',
      rng.chance(0.96) ? f.data(p.nascita) : '',
      c.istat,
      indirizzo,
      idFam,
      stato,
      f.data(evento),
    ]);
  }

  private nuovoIndirizzo(rng: Rng, vecchio: string): string {
    let s = this.fams.indirizzo(rng);
    while (normIndirizzo(s) === normIndirizzo(vecchio)) s = this.fams.indirizzo(rng);
    return s;
  }

  /** The same address spelled differently (case, spaces): NOT a change of address. */
  private soloFormato(s: string): string {
    const t = s.toLowerCase().replace(/(^|\s)\S/g, (m) => m.toUpperCase());
    return ` ${t.replace(' ', '  ')}`;
  }

  /**
   * Writes one household in both snapshots. `aperti`: CFs of members of cartelle open at T1.
   */
  famiglia(rng: Rng, c: Comune, fam: Famiglia, aperti: Set<string>): void {
    const { T0, T1 } = this;
    // Rates of households with an open case stay as they are (they feed the alarms); the others'
    // are scaled by contesto.anagrafe.tasso.
    const caso = fam.persone.some((p) => aperti.has(p.cf));
    const vmCaso = this.contesto.par.variazioniMult;
    const vm = caso ? vmCaso : vmCaso * this.contesto.anagrafe.tasso;
    for (const p of fam.persone) this.riga(rng, this.w0, c, p, fam.indirizzo, fam.id, '', null);
    // A record already in its end state at T0, gone at T1: not a variation.
    if (rng.chance(0.0004)) {
      const p = this.fams.persona(rng, fam.persone[0].cognome, rng.chance(0.5) ? 'M' : 'F', this.contesto.oggi - rng.int(75, 95) * 365, c.belfiore, fam.estero);
      this.riga(rng, this.w0, c, p, fam.indirizzo, fam.id, 'deceduto', T0 - rng.int(1, 20));
      this.conta('fine_stato_solo_t0');
    }
    let indirizzo = fam.indirizzo;
    let cambioIndirizzo = false;
    if (rng.chance(0.0012 * vm * (caso ? 4 : 1))) {
      indirizzo = this.nuovoIndirizzo(rng, fam.indirizzo);
      cambioIndirizzo = true;
    } else if (rng.chance(0.002)) {
      indirizzo = this.soloFormato(fam.indirizzo);
      this.conta('indirizzo_solo_formato');
    }
    const emigraTutti = rng.chance(0.0015 * vm);
    for (const p of fam.persone) {
      const eta = ageAt(p.nascita, T1);
      const aperto = aperti.has(p.cf);
      if (emigraTutti) {
        // Members of open cases stay in the extract with their end state.
        if (aperto || rng.chance(0.5)) this.riga(rng, this.w1, c, p, fam.indirizzo, fam.id, 'emigrato', T1 - rng.int(0, 5));
        else this.conta('emigrazione_assente_t1');
        this.conta('emigrazione');
        continue;
      }
      let pMorte = eta >= 85 ? 0.006 : eta >= 65 ? 0.002 : 0.0001;
      if (aperto) pMorte = eta >= 65 ? 0.07 : 0.005;
      if (rng.chance(pMorte * (aperto ? vmCaso : vmCaso * this.contesto.anagrafe.tasso))) {
        this.riga(rng, this.w1, c, p, fam.indirizzo, fam.id, 'deceduto', T1 - rng.int(0, Math.max(6, Math.min(25, T1 - T0 - 1))));
        this.conta('decesso');
        if (aperto) this.conta('decesso_membro_cartella_aperta');
        continue;
      }
      if (eta >= 18 && rng.chance(0.0005 * vm)) {
        if (aperto || rng.chance(0.5)) this.riga(rng, this.w1, c, p, fam.indirizzo, fam.id, 'emigrato', T1 - rng.int(0, 5));
        else this.conta('emigrazione_assente_t1');
        this.conta('emigrazione');
        continue;
      }
      if (eta >= 18 && eta <= 45 && fam.persone.length > 1 && rng.chance(0.004 * vm * (caso ? 3 : 1))) {
        // Leaves the household: new famiglia anagrafica, often at a new address.
        const nuovo = rng.chance(0.5) ? this.nuovoIndirizzo(rng, indirizzo) : indirizzo;
        this.riga(rng, this.w1, c, p, nuovo, this.fams.nuovoIdFamiglia(), '', null);
        this.conta('cambio_famiglia');
        if (normIndirizzo(nuovo) !== normIndirizzo(fam.indirizzo)) this.conta('cambio_indirizzo');
        continue;
      }
      this.riga(rng, this.w1, c, p, indirizzo, fam.id, '', null);
      if (cambioIndirizzo) this.conta('cambio_indirizzo');
    }
    if (emigraTutti) return;
    const madre = fam.persone.find((p) => p.sesso === 'F' && ageAt(p.nascita, T1) >= 18 && ageAt(p.nascita, T1) <= 45);
    if (madre && rng.chance((caso ? 0.07 : 0.006) * vm)) {
      const bimbo = this.fams.neonato(rng, fam.persone[0].cognome, rng.int(T0 - 25, T1), fam.estero);
      this.riga(rng, this.w1, c, bimbo, indirizzo, fam.id, '', null);
      this.conta('nascita');
      if (caso) this.conta('nascita_in_famiglia_con_cartella');
    }
    if (rng.chance((caso ? 0.02 : 0.0008) * vm)) {
      // A relative from abroad joins the household (more often one with an open case: every
      // alarm type then shows up in a small data set such as the demo's).
      const estero = fam.estero;
      const p = this.fams.persona(rng, fam.persone[0].cognome, rng.chance(0.5) ? 'M' : 'F', this.contesto.oggi - rng.int(20, 70) * 365, estero ? estero.belfiore : 'Z129', estero);
      this.riga(rng, this.w1, c, p, indirizzo, fam.id, '', null);
      this.conta('immigrazione');
    }
    if (rng.chance(0.0012 * vm)) {
      // A new household moves into the comune.
      const nuova = this.fams.famiglia(rng, rng.int(1, 4), 0.6);
      for (const p of nuova.persone) this.riga(rng, this.w1, c, p, nuova.indirizzo, nuova.id, '', null);
      this.conta('immigrazione', nuova.persone.length);
    }
  }
}
