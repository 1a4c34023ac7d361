/**
 * The SIZ extract: cartelle, membri, prestazioni (erogazioni) and accessi of one
 * household at a time (a "unit"), generated from the household's people, counted for
 * the census (contatori.ts) and written straight to the CSV streams.
 */
import { Comune } from './comuni';
import { CartellaRec, ErogRec, MembroRec, Unita, istatNormale } from './contatori';
import { ultimoGiorno, Contesto } from './contesto';
import { CsvWriter } from './csv-writer';
import { addMonths, ageAt, dayFromParts } from './date';
import { Famiglia, Persona } from './persone';
import { Iniezione } from './problemi';
import { Rng } from './rng';
import { ADULTI, ANZIANI, BUONI_COVID, COMUNITA_MINORI, Intervento, MINORI, MOTIVI, PASTI_TRASPORTI, PROBLEMI, PUNTI_ACCESSO, SENZA_CARTELLA } from './catalogo';
import { Nomenclatore } from './nomenclatore';

export const HEADER = {
  cartelle: ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'area_utenza', 'tutela_minori', 'operatore_id'],
  membri: ['id_cartella', 'codice_fiscale', 'ruolo', 'data_inizio', 'data_fine', 'data_nascita'],
  prestazioni: [
    'id_prestazione', 'id_cartella', 'codice_fiscale', 'codice_istat', 'codice_prestazione', 'descrizione', 'data_erogazione',
    'costo', 'quota_comune', 'recupero_assistito', 'recupero_famiglia', 'recupero_altri_enti', 'recupero_altri',
  ],
  accessi: ['id_accesso', 'codice_fiscale', 'codice_istat', 'data_accesso', 'data_nascita', 'area_utenza', 'motivo_accesso', 'problema_riscontrato', 'punto_accesso'],
  operatori: ['operatore_id', 'nome', 'cognome', 'email', 'codice_istat'],
} as const;

type Area = 'minori' | 'adulti' | 'anziani';

export interface SizWriters {
  cartelle: CsvWriter;
  membri: CsvWriter;
  prestazioni: CsvWriter;
  accessi: CsvWriter;
}

const COVID_DA = dayFromParts(2020, 4, 1);
const COVID_A = dayFromParts(2020, 6, 30);
const COVID2_DA = dayFromParts(2020, 11, 15);
const COVID2_A = dayFromParts(2021, 3, 31);

export function areaPerEta(eta: number): Area {
  return eta < 18 ? 'minori' : eta >= 65 ? 'anziani' : 'adulti';
}

/** A CF with a wrong check character (typing error): fails the check, right shape. */
function cfErrato(cf: string): string {
  const last = cf.charCodeAt(15) - 65;
  return cf.slice(0, 15) + String.fromCharCode(65 + ((last + 1 + (cf.charCodeAt(3) % 20)) % 26));
}

export class GeneratoreSiz {
  private seqC = 0;
  private seqP = 0;
  private seqA = 0;

  constructor(
    private readonly contesto: Contesto,
    private readonly w: SizWriters,
  ) {}

  private idCartella(): string {
    return `C${String(++this.seqC).padStart(this.contesto.par.idWidth.cartella, '0')}`;
  }
  private idPrestazione(): string {
    return `P${String(++this.seqP).padStart(this.contesto.par.idWidth.prestazione, '0')}`;
  }
  private idAccesso(): string {
    return `A${String(++this.seqA).padStart(this.contesto.par.idWidth.accesso, '0')}`;
  }

  private prova(k: Iniezione): boolean {
    return this.contesto.problemi.prova(k);
  }

  /** The codice_istat cell: the comune's code, rarely missing / unknown / unpadded. */
  private istatScritto(kind: 'cartella' | 'prestazione' | 'accesso', istat: string): string {
    if (this.prova(`comune_mancante:${kind}_senza_codice`)) return '';
    if (this.prova(`comune_mancante:${kind}_codice_sconosciuto`)) return this.contesto.istatSconosciuto;
    if (istat.startsWith('0') && this.contesto.fmt.chance(0.005)) return String(Number(istat));
    return istat;
  }

  private nelFuturo(rng: Rng): number {
    return this.contesto.oggi + rng.int(2, 10);
  }

  /**
   * A household's social case: a cartella open today (sometimes after an older closed
   * one, possibly in another comune the household lived in) or a closed one.
   */
  storia(rng: Rng, comune: Comune, fam: Famiglia, aperta: boolean, u: Unita): void {
    const contesto = this.contesto;
    const last = ultimoGiorno(contesto, comune.istat);
    const maggiore = fam.persone.reduce((a, b) => (b.nascita < a.nascita ? b : a));
    // The case opens when someone in the household is an adult.
    const primo = Math.max(contesto.inizio, addMonths(maggiore.nascita, 18 * 12));
    if (primo > last - 40) return;
    let ap: number;
    let ch: number | null = null;
    if (aperta) {
      ap = rng.chance(0.55) ? rng.int(primo, last) : rng.int(Math.max(primo, last - 3 * 365), last);
    } else {
      ap = rng.int(primo, last - 30);
      ch = ap + 15 + Math.floor(rng.exp(420));
      if (ch > last) ch = rng.int(ap + 1, last);
    }
    const adulti = fam.persone.filter((p) => ageAt(p.nascita, ap) >= 18);
    // An eldest born on 29 February: 18 years of months end on 28 February, a day before the
    // 18th birthday (1 March, as ageAt counts), so a case opened that day has no adult. None then.
    if (adulti.length === 0) return;
    const anziani = adulti.filter((p) => ageAt(p.nascita, ap) >= 65);
    const conMinori = fam.persone.some((p) => p.nascita <= (ch ?? last) && ageAt(p.nascita, Math.max(ap, p.nascita)) < 18);
    let area: Area;
    let titolare: Persona;
    if (anziani.length > 0 && (anziani.length === adulti.length || rng.chance(0.3))) {
      area = 'anziani';
      titolare = anziani.reduce((a, b) => (b.nascita < a.nascita ? b : a));
    } else if (conMinori && rng.chance(0.75)) {
      area = 'minori';
      titolare = adulti.find((p) => p.sesso === 'F' && ageAt(p.nascita, ap) < 65) ?? adulti[0];
    } else {
      area = 'adulti';
      const giovani = adulti.filter((p) => ageAt(p.nascita, ap) < 65);
      titolare = rng.pick(giovani.length > 0 ? giovani : adulti);
    }
    // Same person in two cartelle: an older closed case, in 15% of them in another comune.
    if (aperta && ap - primo > 400 && rng.chance(0.12)) {
      const prevAp = rng.int(primo, ap - 300);
      const prevCh = rng.int(prevAp + 30, ap - 1);
      let dove = comune;
      if (rng.chance(0.15)) {
        const vicini = contesto.comuni.filter((c) => c.distretto === comune.distretto && c.istat !== comune.istat && !contesto.fermi.has(c.istat));
        if (vicini.length > 0) dove = rng.pick(vicini);
      }
      this.cartella(rng, dove, fam, titolare, area, prevAp, prevCh, prevCh, u, false);
    }
    const c = this.cartella(rng, comune, fam, titolare, area, ap, ch, ch ?? last, u, true);
    if (aperta && c && !contesto.fermi.has(comune.istat) && this.prova('date_incoerenti:chiusura_nel_futuro')) c.ch = this.nelFuturo(rng) + 5;
    // Only on a cartella that still has its holder row and its comune (other injections may
    // have removed them), so that the pair really is a duplicate for the quality check.
    const dupOk = c != null && istatNormale(c.istat) === comune.istat && u.membri.some((m) => m.idCartella === c.id && m.ruolo === 'titolare');
    if (aperta && c && dupOk && this.prova('cartelle_duplicate:stesso_titolare_due_cartelle_aperte')) {
      // The same household opened twice by mistake: the duplicate has only the holder.
      const dup: CartellaRec = { ...c, id: this.idCartella(), istat: comune.istat, ap: Math.min(last, ap + rng.int(0, 120)), ch: null, areaScritta: contesto.fmt.area(area) };
      if (dup.operatore === '') contesto.problemi.conta('campi_facoltativi_mancanti:cartella_senza_operatore');
      u.cartelle.push(dup);
      u.membri.push({ idCartella: dup.id, cf: contesto.fmt.cf(titolare.cf), ruolo: 'titolare', inizio: null, fine: null, nascita: null });
    }
    if (this.prova('membro_cartella_inesistente:membro_cartella_inesistente')) {
      // A member row left behind by a cartella deleted in SIZ: its id is never written.
      const id = this.idCartella();
      u.membri.push({ idCartella: id, cf: contesto.fmt.cf(titolare.cf), ruolo: 'titolare', inizio: ap, fine: null, nascita: null });
    }
  }

  /** One cartella with its members, erogazioni and accessi. `wEnd`: last day of its activity. */
  private cartella(
    rng: Rng,
    comune: Comune,
    fam: Famiglia,
    titolare: Persona,
    area: Area,
    ap: number,
    ch: number | null,
    wEnd: number,
    u: Unita,
    principale: boolean,
  ): CartellaRec | null {
    const contesto = this.contesto;
    const ops = contesto.operatoriPerComune.get(comune.istat) ?? [];
    let areaScritta = contesto.fmt.area(area);
    if (rng.chance(0.02)) {
      areaScritta = '';
      contesto.problemi.conta('campi_facoltativi_mancanti:cartella_senza_area');
    }
    let operatore = ops.length > 0 ? rng.pick(ops) : '';
    if (operatore === '' || rng.chance(0.03)) {
      operatore = '';
      contesto.problemi.conta('campi_facoltativi_mancanti:cartella_senza_operatore');
    }
    const c: CartellaRec = {
      id: this.idCartella(),
      istat: this.istatScritto('cartella', comune.istat),
      ap,
      ch,
      area,
      areaScritta,
      tutela: area === 'minori' && rng.chance(0.3),
      operatore,
    };
    u.cartelle.push(c);
    const membri = this.membri(rng, c, fam, titolare, wEnd, u, principale);
    this.erogazioni(rng, comune, c, membri, Math.min(wEnd, ultimoGiorno(contesto, comune.istat)), u);
    this.accessiCartella(rng, comune, c, membri, wEnd, u);
    if (ch != null && principale && !u.membri.some((m) => m.idCartella === c.id && m.fine != null) && this.prova('date_incoerenti:chiusura_prima_di_apertura')) {
      c.ch = ap - rng.int(1, 30);
    }
    return c;
  }

  private membri(rng: Rng, c: CartellaRec, fam: Famiglia, titolare: Persona, wEnd: number, u: Unita, principale: boolean): Persona[] {
    const contesto = this.contesto;
    const persone: Persona[] = [titolare];
    if (principale && this.prova('cartella_senza_membri:cartella_senza_membri')) return persone;
    const righe: MembroRec[] = [];
    const nascita = (p: Persona) => (rng.chance(0.7) ? p.nascita : null);
    righe.push({ idCartella: c.id, cf: contesto.fmt.cf(titolare.cf), ruolo: 'titolare', inizio: rng.chance(0.08) ? c.ap : null, fine: null, nascita: nascita(titolare) });
    for (const p of fam.persone) {
      if (p === titolare || persone.length >= 4) continue;
      if (p.nascita > wEnd || !rng.chance(principale ? 0.85 : 0.5)) continue;
      // A child born while the case is open joins at birth; a few members join later or leave.
      let inizio: number | null = p.nascita > c.ap ? p.nascita : null;
      if (inizio == null && wEnd - c.ap > 150 && rng.chance(0.05)) inizio = c.ap + rng.int(30, wEnd - c.ap - 60);
      const s = inizio ?? c.ap;
      const fine = wEnd - s > 150 && rng.chance(0.06) ? s + rng.int(30, wEnd - s - 30) : null;
      persone.push(p);
      righe.push({ idCartella: c.id, cf: contesto.fmt.cf(p.cf), ruolo: rng.chance(0.97) ? 'componente' : '', inizio, fine, nascita: nascita(p) });
    }
    // Deliberate problems on component rows (the holder row stays clean).
    const comp = righe.slice(1);
    if (comp.length > 0) {
      const r = rng.pick(comp);
      if (this.prova('cf_non_valido:membro_carattere_controllo')) r.cf = cfErrato(r.cf.replace(/\s+/g, '').toUpperCase());
      else if (this.prova('cf_non_valido:membro_provvisorio_numerico')) r.cf = String(rng.int(10000, 99999)) + String(rng.int(100000, 999999));
      else if (r.fine == null && wEnd - c.ap > 150 && this.prova('date_incoerenti:membro_fine_prima_di_inizio')) {
        r.inizio = c.ap + rng.int(60, wEnd - c.ap - 10);
        r.fine = r.inizio - rng.int(1, r.inizio - c.ap);
      } else if (r.inizio == null && r.fine == null && this.prova('date_incoerenti:membro_fuori_date_cartella')) {
        r.inizio = c.ap - rng.int(10, 90);
      }
    }
    u.membri.push(...righe);
    return persone;
  }

  private erogazioni(rng: Rng, comune: Comune, c: CartellaRec, membri: Persona[], fine: number, u: Unita): void {
    const r = rng.next();
    let catalogo: typeof ANZIANI;
    if (c.area === 'anziani') {
      if (r < 0.15) return;
      catalogo = r < 0.37 ? PASTI_TRASPORTI : ANZIANI;
    } else if (c.area === 'adulti') {
      if (r < 0.15) return;
      catalogo = r < 0.19 ? PASTI_TRASPORTI.slice(1) : ADULTI;
    } else {
      if (r < 0.2) return;
      catalogo = MINORI;
    }
    const minori = membri.filter((p) => ageAt(p.nascita, Math.max(c.ap, p.nascita)) < 18);
    const n = 1 + rng.poisson(0.9);
    for (let i = 0; i < n; i++) {
      const iv = c.tutela && i === 0 && rng.chance(0.6) ? COMUNITA_MINORI : rng.weighted(catalogo);
      const benef = iv.minore && minori.length > 0 ? rng.pick(minori) : membri[0];
      this.intervento(rng, comune, c.id, iv, benef, Math.max(c.ap, benef.nascita), fine, u);
    }
    // Buoni spesa COVID-19 (spring 2020) to households already in charge.
    if (catalogo !== PASTI_TRASPORTI && c.ap <= COVID_A && fine >= COVID_DA && rng.chance(0.35)) {
      this.intervento(rng, comune, c.id, BUONI_COVID, membri[0], Math.max(c.ap, COVID_DA), Math.min(fine, COVID_A), u);
    }
  }

  /** The erogazioni of one service between `da` and `a`. */
  private intervento(rng: Rng, comune: Comune, idCartella: string, iv: Intervento, benef: Persona, da: number, a: number, u: Unita): void {
    if (a < da) return;
    const contesto = this.contesto;
    const mult = contesto.par.erogMult;
    const giorni: number[] = [];
    if (iv.mensile) {
      const len = Math.max(1, Math.round(rng.int(iv.nMin, iv.nMax) * mult));
      const first = rng.int(da, da + Math.floor((a - da) / 2));
      for (let k = 0; k < len; k++) {
        const d = addMonths(first, k);
        if (d > a) break;
        giorni.push(d);
      }
    } else {
      const cnt = Math.max(1, Math.round(rng.int(iv.nMin, iv.nMax) * (mult > 1 ? 1 + (mult - 1) / 2 : 1)));
      for (let k = 0; k < cnt; k++) giorni.push(rng.int(da, a));
      giorni.sort((x, y) => x - y);
    }
    const base = rng.int(iv.min, iv.max) * 100;
    const conRec = iv.rec != null && rng.chance(iv.rec.p);
    const share = iv.rec ? iv.rec.min + rng.next() * (iv.rec.max - iv.rec.min) : 0;
    const codice = rng.chance(0.8) ? iv.codici[0] : rng.pick(iv.codici);
    const canon = Nomenclatore.codice(codice);
    const descr = codice.includes('COVID') ? 'BUONI SPESA COVID-19' : contesto.nom.descrizione(canon);
    for (const giorno of giorni) {
      const costo = Math.round(base * (0.9 + 0.2 * rng.next()));
      const recuperi: [number, number, number, number] = [0, 0, 0, 0];
      if (conRec && iv.rec) recuperi[iv.rec.campo] = Math.round(costo * share);
      const e: ErogRec = {
        id: this.idPrestazione(),
        idCartella,
        cf: contesto.fmt.cf(benef.cf),
        istat: comune.istat,
        codice,
        descrizione: rng.chance(0.7) ? descr : '',
        giorno,
        costo,
        quota: rng.chance(0.7) ? costo - recuperi[0] - recuperi[1] - recuperi[2] - recuperi[3] : null,
        recuperi,
      };
      this.problemiErogazione(rng, comune, e);
      u.erog.push(e);
    }
  }

  private problemiErogazione(rng: Rng, comune: Comune, e: ErogRec): void {
    if (this.prova('cf_mancante:prestazione_senza_cf')) e.cf = '';
    else if (this.prova('cf_non_valido:prestazione_carattere_controllo')) e.cf = cfErrato(e.cf.replace(/\s+/g, '').toUpperCase());
    e.istat = this.istatScritto('prestazione', e.istat);
    if (this.prova('importi_incoerenti:importo_negativo')) {
      // A reversal (storno) entered as a negative cost.
      e.costo = -e.costo;
      e.recuperi = [0, 0, 0, 0];
      e.quota = e.costo;
    } else if (this.prova('importi_incoerenti:recuperi_oltre_costo')) {
      e.recuperi = [e.costo + rng.int(100, 5000), 0, 0, 0];
      e.quota = null;
    } else if (this.prova('importi_incoerenti:quota_piu_recuperi_diversa_da_costo')) {
      e.quota = e.costo - e.recuperi[0] - e.recuperi[1] - e.recuperi[2] - e.recuperi[3] + rng.int(500, 5000);
    }
    if (this.prova('codice_sconosciuto:codice_non_in_nomenclatore')) {
      e.codice = rng.chance(0.7) ? 'Q9.99' : 'X4.01';
      e.descrizione = '';
    }
    if (!this.contesto.fermi.has(comune.istat) && this.prova('date_incoerenti:prestazione_nel_futuro')) e.giorno = this.nelFuturo(rng);
  }

  private accessiCartella(rng: Rng, comune: Comune, c: CartellaRec, membri: Persona[], wEnd: number, u: Unita): void {
    const contesto = this.contesto;
    const last = ultimoGiorno(contesto, comune.istat);
    const m = contesto.par.accessiMult;
    const prima = 1 + (rng.chance(0.45) ? 1 : 0);
    const dopo = rng.poisson(0.7 * m);
    const adulti = membri.filter((p) => ageAt(p.nascita, c.ap) >= 18);
    const chi = () => (adulti.length > 1 && rng.chance(0.15) ? rng.pick(adulti) : membri[0]);
    for (let k = 0; k < prima; k++) {
      const g = rng.int(Math.max(contesto.inizio, c.ap - 60), c.ap);
      this.accesso(rng, comune, chi(), g, c.area, 0.03, u);
    }
    const fine = Math.min(wEnd, last);
    for (let k = 0; k < dopo && fine > c.ap; k++) this.accesso(rng, comune, chi(), rng.int(c.ap + 1, fine), c.area, 0.03, u);
  }

  /** One contact at the desk. `anonimo`: chance of an anonymous information request. */
  private accesso(rng: Rng, comune: Comune, p: Persona | null, giorno: number, area: Area | 'generale', anonimo: number, u: Unita): void {
    const contesto = this.contesto;
    const anon = p == null || rng.chance(anonimo);
    let cf = '';
    let nascita: number | null = null;
    let areaScritta = '';
    if (!anon && p) {
      cf = contesto.fmt.cf(p.cf);
      if (this.prova('cf_non_valido:accesso_carattere_controllo')) cf = cfErrato(p.cf);
      if (rng.chance(0.3)) nascita = p.nascita;
      if (rng.chance(0.2)) areaScritta = contesto.fmt.area(areaPerEta(ageAt(p.nascita, giorno)));
    } else if (rng.chance(0.5)) areaScritta = contesto.fmt.area(rng.pick(['adulti', 'anziani', 'adulti', 'minori'] as const));
    const lista = anon ? 'generale' : area;
    let motivo = rng.weighted(MOTIVI[lista]);
    if (rng.chance(0.04)) {
      motivo = '';
      contesto.problemi.conta('campi_facoltativi_mancanti:accesso_senza_motivo');
    }
    let problema = rng.weighted(PROBLEMI[lista]);
    if (rng.chance(0.12)) {
      problema = '';
      contesto.problemi.conta('campi_facoltativi_mancanti:accesso_senza_problema');
    }
    let punto = rng.weighted(PUNTI_ACCESSO);
    if (punto === 'Sportello sociale comunale') punto = `Sportello sociale ${comune.nome}`;
    if (!contesto.fermi.has(comune.istat) && this.prova('date_incoerenti:accesso_nel_futuro')) giorno = this.nelFuturo(rng);
    u.accessi.push({
      id: this.idAccesso(),
      cf,
      istat: this.istatScritto('accesso', comune.istat),
      giorno,
      nascita,
      area: areaScritta,
      motivo,
      problema,
      punto,
    });
  }

  /** Desk contacts of a household without a case (information, one-off requests). */
  accessiFamiglia(rng: Rng, comune: Comune, fam: Famiglia, u: Unita): void {
    const contesto = this.contesto;
    const last = ultimoGiorno(contesto, comune.istat);
    const adulti = fam.persone.filter((p) => ageAt(p.nascita, contesto.oggi) >= 18);
    const n = 1 + rng.poisson(0.35 * contesto.par.accessiMult);
    for (let k = 0; k < n; k++) {
      const p = rng.pick(adulti.length > 0 ? adulti : fam.persone);
      const da = Math.max(contesto.inizio, p.nascita + 18 * 365);
      if (da > last) continue;
      const giorno = rng.int(da, last);
      this.accesso(rng, comune, p, giorno, rng.chance(0.5) ? 'generale' : areaPerEta(ageAt(p.nascita, giorno)), 0.09, u);
    }
  }

  /** Services without a cartella: one-off benefits, buoni spesa COVID-19 in 2020. */
  serviziSenzaCartella(rng: Rng, comune: Comune, fam: Famiglia, u: Unita): void {
    const contesto = this.contesto;
    const last = ultimoGiorno(contesto, comune.istat);
    const adulti = fam.persone.filter((p) => ageAt(p.nascita, contesto.inizio) >= 18);
    if (adulti.length === 0) return;
    const p = rng.pick(adulti);
    if (rng.chance(0.45)) {
      const [da, a] = rng.chance(0.7) ? [COVID_DA, COVID_A] : [COVID2_DA, COVID2_A];
      if (a <= last) this.intervento(rng, comune, '', BUONI_COVID, p, da, a, u);
    } else {
      this.intervento(rng, comune, '', rng.weighted(SENZA_CARTELLA), p, contesto.inizio, last, u);
    }
  }

  /**
   * Guarantees some recent activity (an accesso in the last 45 days) in a comune that
   * is not meant to be `caricamento_fermo`, so that exactly the chosen comuni are.
   */
  guardia(rng: Rng, comune: Comune, fam: Famiglia | null, u: Unita): void {
    const contesto = this.contesto;
    if (contesto.fermi.has(comune.istat)) return;
    if ((contesto.ultimaAttivita.get(comune.istat) ?? 0) >= contesto.oggi - 45) return;
    // Written directly (not through accesso()) so that no deliberate problem lands on it.
    const p = fam ? rng.pick(fam.persone) : null;
    u.accessi.push({
      id: this.idAccesso(),
      cf: p ? p.cf : '',
      istat: comune.istat,
      giorno: contesto.oggi - rng.int(2, 40),
      nascita: null,
      area: '',
      motivo: rng.weighted(MOTIVI.generale),
      problema: rng.weighted(PROBLEMI.generale),
      punto: 'Segretariato sociale',
    });
  }

  /**
   * CFs (normalized) of people whose membership of a cartella is open at `day` (a member
   * who left the case no longer counts): for registry events on open cases.
   */
  static membriAperti(u: Unita, day: number): Set<string> {
    const aperte = new Map(u.cartelle.filter((c) => c.ap <= day && (c.ch == null || c.ch > day)).map((c) => [c.id, c]));
    const out = new Set<string>();
    for (const m of u.membri) {
      const c = aperte.get(m.idCartella);
      if (c && (m.inizio ?? c.ap) <= day && (m.fine == null || m.fine > day)) out.add(m.cf.replace(/\s+/g, '').toUpperCase());
    }
    return out;
  }

  /** Counts the unit for the census, writes its rows, records the comuni's latest activity. */
  scrivi(u: Unita): void {
    const contesto = this.contesto;
    contesto.contatori.aggiungi(u);
    const f = contesto.fmt;
    const attivita = (istat: string, day: number) => {
      const k = istatNormale(istat);
      if (k == null || day > contesto.oggi) return;
      if ((contesto.ultimaAttivita.get(k) ?? 0) < day) contesto.ultimaAttivita.set(k, day);
    };
    const istatDi = new Map<string, CartellaRec>();
    for (const c of u.cartelle) {
      istatDi.set(c.id, c);
      attivita(c.istat, c.ap);
      this.w.cartelle.row([c.id, c.istat, f.data(c.ap), f.data(c.ch), c.areaScritta, f.bool(c.tutela), c.operatore]);
    }
    for (const m of u.membri) {
      const c = istatDi.get(m.idCartella);
      if (c) attivita(c.istat, m.inizio ?? c.ap);
      this.w.membri.row([m.idCartella, m.cf, m.ruolo, f.data(m.inizio), f.data(m.fine), f.data(m.nascita)]);
    }
    for (const e of u.erog) {
      attivita(e.istat, e.giorno);
      this.w.prestazioni.row([
        e.id, e.idCartella, e.cf, e.istat, e.codice, e.descrizione, f.data(e.giorno), f.importo(e.costo), f.importo(e.quota),
        f.recupero(e.recuperi[0]), f.recupero(e.recuperi[1]), f.recupero(e.recuperi[2]), f.recupero(e.recuperi[3]),
      ]);
    }
    for (const a of u.accessi) {
      attivita(a.istat, a.giorno);
      this.w.accessi.row([a.id, a.cf, a.istat, f.data(a.giorno), f.data(a.nascita), a.area, a.motivo, a.problema, a.punto]);
    }
  }
}
