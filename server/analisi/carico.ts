import type { Database } from '../db';
import type { ParametriAnalisi } from './parametri';
import { sqlAnalisi, sqlSolo } from './sql';
import { mediana, quartileSuperiore } from './statistiche';
import type { TabellaAnalisi } from './tabella';
import { giorno } from '../shared/formato';

/**
 * Caseload per social worker (docs/analisi.md, "Carico per operatore"): per operatore_id and
 * comune, the cartelle open at `al`, opened and closed in [dal, al], the people in charge; the
 * distribution of the open cartelle across operatori (median, top quartile); the operatori with
 * no email, who cannot receive the registry-variation alarms. Names only from `operatori`.
 */
export interface RigaCarico {
  operatore_id: string | null;
  codice_istat: string;
  aperte: number;
  aperte_periodo: number;
  chiuse_periodo: number;
  persone: number;
  in_anagrafica: boolean;
  nome: string | null;
  cognome: string | null;
  email: string | null;
}

export interface SenzaEmail {
  operatore_id: string;
  nome: string | null;
  cognome: string | null;
  codice_istat: string | null;
  comuni_cartelle: string[];
  aperte: number;
}

export interface DatiCarico {
  righe: RigaCarico[];
  senzaEmail: SenzaEmail[];
}

export interface DocumentoCarico {
  pagina: 'carico';
  dal: string;
  al: string;
  selezione: string;
  distribuzione: { operatori: number; mediana: number | null; quartile_superiore: number | null; massimo: number | null; nel_quartile_superiore: number };
  /** accessi.csv carries no operatore: the accessi handled cannot be attributed. */
  accessi_gestiti: null;
  avvisi: string[];
  tabelle: TabellaAnalisi[];
}

export async function leggiCarico(db: Database, dal: string, al: string): Promise<DatiCarico> {
  const righe: Record<string, unknown>[] = (await db.knex.raw(sqlAnalisi('carico'), { dal, al })).rows;
  const senza: Record<string, unknown>[] = (await db.knex.raw(sqlSolo('senza_email'), { al })).rows;
  const s = (v: unknown) => (v === null || v === undefined || v === '' ? null : String(v));
  return {
    righe: righe.map((r) => ({
      operatore_id: s(r.operatore_id),
      codice_istat: String(r.codice_istat),
      aperte: Number(r.aperte),
      aperte_periodo: Number(r.aperte_periodo),
      chiuse_periodo: Number(r.chiuse_periodo),
      persone: Number(r.persone),
      in_anagrafica: Boolean(r.in_anagrafica),
      nome: s(r.nome),
      cognome: s(r.cognome),
      email: s(r.email)?.trim() || null,
    })),
    senzaEmail: senza.map((r) => ({ operatore_id: String(r.operatore_id), nome: s(r.nome), cognome: s(r.cognome), codice_istat: s(r.codice_istat), comuni_cartelle: String(r.comuni_cartelle ?? '').split(',').filter(Boolean), aperte: Number(r.aperte) })),
  };
}

const NON_INDICATO = 'Operatore non indicato nella cartella';
const NON_PRESENTE = 'non presente in operatori.csv';
const nomeDi = (r: { operatore_id: string | null; nome: string | null; cognome: string | null; in_anagrafica?: boolean; codice_istat?: string | null }) =>
  r.operatore_id === null ? NON_INDICATO : r.in_anagrafica === false ? NON_PRESENTE : [r.nome, r.cognome].filter(Boolean).join(' ') || '(senza nome in operatori.csv)';

export function documentoCarico(p: ParametriAnalisi, dati: DatiCarico, tuttoAmbito: boolean): DocumentoCarico {
  const nomi = new Map(p.comuni.map((c) => [c.codice_istat, c.nome]));
  const righe = dati.righe
    .filter((r) => nomi.has(r.codice_istat))
    .sort((a, b) => (a.operatore_id === null ? 1 : 0) - (b.operatore_id === null ? 1 : 0) || b.aperte - a.aperte || String(a.operatore_id).localeCompare(String(b.operatore_id)) || nomi.get(a.codice_istat)!.localeCompare(nomi.get(b.codice_istat)!, 'it'));
  // The distribution: each operatore's open cartelle summed over the comuni of the selection,
  // only operatori with at least one; the cartelle without an operatore are left out.
  const perOperatore = new Map<string, { riga: RigaCarico; aperte: number; comuni: number }>();
  for (const r of righe) {
    if (r.operatore_id === null || r.aperte === 0) continue;
    const x = perOperatore.get(r.operatore_id) ?? { riga: r, aperte: 0, comuni: 0 };
    x.aperte += r.aperte;
    x.comuni += 1;
    perOperatore.set(r.operatore_id, x);
  }
  const carichi = [...perOperatore.values()].map((x) => x.aperte);
  const q3 = quartileSuperiore(carichi);
  const distribuzione = {
    operatori: carichi.length,
    mediana: mediana(carichi),
    quartile_superiore: q3,
    massimo: carichi.length ? Math.max(...carichi) : null,
    nel_quartile_superiore: q3 === null ? 0 : carichi.filter((n) => n >= q3).length,
  };
  const selezionati = new Set(p.comuni.map((c) => c.codice_istat));
  const senzaEmail = dati.senzaEmail.filter((o) => tuttoAmbito || (o.codice_istat !== null && selezionati.has(o.codice_istat)) || o.comuni_cartelle.some((c) => selezionati.has(c)));
  // An operatore_id of the cartelle missing from operatori.csv has no address either.
  const ignoti = [...new Set(righe.filter((r) => r.operatore_id !== null && !r.in_anagrafica).map((r) => r.operatore_id!))].sort();
  for (const id of ignoti) senzaEmail.push({ operatore_id: id, nome: null, cognome: null, codice_istat: null, comuni_cartelle: [], aperte: 0 });
  const senzaCartella = righe.filter((r) => r.operatore_id === null).reduce((n, r) => n + r.aperte, 0);
  const avvisi = ["L'estrazione degli accessi (accessi.csv) non indica l'operatore: gli accessi gestiti da ciascun operatore non si possono contare."];
  if (senzaCartella > 0) avvisi.push(`${senzaCartella === 1 ? '1 cartella aperta non indica' : `${senzaCartella} cartelle aperte non indicano`} l'operatore: ${senzaCartella === 1 ? 'è nella riga' : 'sono nella riga'} «${NON_INDICATO}» e fuori dalla distribuzione.`);
  if (senzaEmail.length > 0) avvisi.push(`${senzaEmail.length === 1 ? "1 operatore non ha" : `${senzaEmail.length} operatori non hanno`} un indirizzo email in operatori.csv (o non vi compaiono): non ${senzaEmail.length === 1 ? 'riceve' : 'ricevono'} gli avvisi delle variazioni anagrafiche.`);
  const distribuite = [...perOperatore.entries()].sort((a, b) => b[1].aperte - a[1].aperte || a[0].localeCompare(b[0]));
  return {
    pagina: 'carico',
    dal: p.dal,
    al: p.al,
    selezione: p.etichetta,
    distribuzione,
    accessi_gestiti: null,
    avvisi,
    tabelle: [
      {
        id: 'operatori',
        titolo: `Carico per operatore e comune al ${p.al} (periodo dal ${p.dal})`,
        colonne: [
          { chiave: 'operatore_id', etichetta: 'Operatore (id)' },
          { chiave: 'operatore', etichetta: 'Nome' },
          { chiave: 'comune', etichetta: 'Comune' },
          { chiave: 'aperte', etichetta: `Cartelle aperte al ${giorno(p.al)}`, numero: true },
          { chiave: 'aperte_periodo', etichetta: 'Aperte nel periodo', numero: true },
          { chiave: 'chiuse_periodo', etichetta: 'Chiuse nel periodo', numero: true },
          { chiave: 'persone', etichetta: 'Persone in carico', numero: true },
          { chiave: 'email', etichetta: 'Ha un indirizzo email' },
        ],
        righe: righe.map((r) => ({ operatore_id: r.operatore_id, operatore: nomeDi(r), comune: nomi.get(r.codice_istat)!, codice_istat: r.codice_istat, aperte: r.aperte, aperte_periodo: r.aperte_periodo, chiuse_periodo: r.chiuse_periodo, persone: r.persone, email: r.operatore_id === null ? null : r.email !== null })),
      },
      {
        id: 'distribuzione',
        titolo: 'Cartelle aperte per operatore (tutti i comuni della selezione)',
        colonne: [
          { chiave: 'operatore_id', etichetta: 'Operatore (id)' },
          { chiave: 'operatore', etichetta: 'Nome' },
          { chiave: 'comuni', etichetta: 'Comuni', numero: true },
          { chiave: 'aperte', etichetta: `Cartelle aperte al ${giorno(p.al)}`, numero: true },
          { chiave: 'quartile_superiore', etichetta: 'Nel quartile superiore' },
        ],
        righe: distribuite.map(([id, x]) => ({ operatore_id: id, operatore: nomeDi(x.riga), comuni: x.comuni, aperte: x.aperte, quartile_superiore: q3 !== null && x.aperte >= q3 })),
      },
      {
        id: 'senza_email',
        titolo: 'Operatori senza indirizzo email (non ricevono gli avvisi)',
        colonne: [
          { chiave: 'operatore_id', etichetta: 'Operatore (id)' },
          { chiave: 'operatore', etichetta: 'Nome' },
          { chiave: 'comune_operatore', etichetta: 'Comune in operatori.csv' },
          { chiave: 'aperte', etichetta: `Cartelle aperte al ${giorno(p.al)}`, numero: true },
        ],
        // Open cartelle counted in the selection only: a comune never learns another comune's load.
        righe: senzaEmail.map((o) => ({ operatore_id: o.operatore_id, operatore: ignoti.includes(o.operatore_id) ? NON_PRESENTE : nomeDi(o), comune_operatore: o.codice_istat, aperte: perOperatore.get(o.operatore_id)?.aperte ?? 0 })),
      },
    ],
  };
}
