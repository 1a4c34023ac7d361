import type { Database } from '../db';
import type { ParametriAnalisi } from './parametri';
import { sqlAnalisi } from './sql';
import type { TabellaAnalisi } from './tabella';

/**
 * Opened/closed balance of the cartelle (docs/analisi.md, "Saldo aperte/chiuse"; seed of the
 * issue: initial balance, taken in charge, closed, final balance) per comune of the selection
 * and for the selection, over [dal, al].
 */
export interface RigaSaldo {
  codice_istat: string;
  comune: string;
  aperte_inizio: number;
  aperte_periodo: number;
  chiuse_periodo: number;
  aperte_fine: number;
  date_incoerenti: number;
  escluse: number;
}

export interface DocumentoSaldo {
  pagina: 'saldo';
  dal: string;
  al: string;
  selezione: string;
  /** The balance closes on every row: aperte_inizio + aperte_periodo - chiuse_periodo = aperte_fine. */
  quadra: boolean;
  /** Cartelle left out because data_chiusura is before data_apertura, with where to see them. */
  date_incoerenti: { cartelle: number; link: string | null };
  avvisi: string[];
  tabelle: TabellaAnalisi[];
}

const CAMPI = ['aperte_inizio', 'aperte_periodo', 'chiuse_periodo', 'aperte_fine', 'date_incoerenti', 'escluse'] as const;

export async function leggiSaldo(db: Database, dal: string, al: string): Promise<Map<string, Omit<RigaSaldo, 'comune'>>> {
  const rows: Record<string, unknown>[] = (await db.knex.raw(sqlAnalisi('saldo'), { dal, al })).rows;
  return new Map(rows.map((r) => [String(r.codice_istat), { codice_istat: String(r.codice_istat), ...Object.fromEntries(CAMPI.map((k) => [k, Number(r[k])])) } as Omit<RigaSaldo, 'comune'>]));
}

export function documentoSaldo(p: ParametriAnalisi, dati: Map<string, Omit<RigaSaldo, 'comune'>>): DocumentoSaldo {
  const righe: RigaSaldo[] = p.comuni.map((c) => ({ ...(dati.get(c.codice_istat) ?? { codice_istat: c.codice_istat, aperte_inizio: 0, aperte_periodo: 0, chiuse_periodo: 0, aperte_fine: 0, date_incoerenti: 0, escluse: 0 }), comune: c.nome }));
  const totale: Record<string, number | string> = { comune: p.etichetta, codice_istat: '' };
  for (const k of CAMPI) totale[k] = righe.reduce((n, r) => n + r[k], 0);
  const quadra = righe.every((r) => r.aperte_inizio + r.aperte_periodo - r.chiuse_periodo === r.aperte_fine);
  const incoerenti = totale.date_incoerenti as number;
  const link = incoerenti > 0 ? `/qualita?${p.comune ? `comune=${p.comune}&` : ''}controllo=date_incoerenti#sezione-risultati` : null;
  const avvisi: string[] = [];
  if (incoerenti > 0) avvisi.push(`${incoerenti === 1 ? '1 cartella ha' : `${incoerenti} cartelle hanno`} la data di chiusura precedente a quella di apertura: non ${incoerenti === 1 ? 'è contata' : 'sono contate'} nel saldo, che altrimenti non potrebbe quadrare. Vanno corrette nel SIZ (controllo «Date incoerenti» della qualità dei dati).`);
  return {
    pagina: 'saldo',
    dal: p.dal,
    al: p.al,
    selezione: p.etichetta,
    quadra,
    date_incoerenti: { cartelle: incoerenti, link },
    avvisi,
    tabelle: [
      {
        id: 'comuni',
        titolo: `Saldo delle cartelle dal ${p.dal} al ${p.al}`,
        colonne: [
          { chiave: 'comune', etichetta: 'Comune' },
          { chiave: 'codice_istat', etichetta: 'Codice ISTAT' },
          { chiave: 'aperte_inizio', etichetta: 'Aperte all\'inizio', numero: true },
          { chiave: 'aperte_periodo', etichetta: 'Aperte nel periodo', numero: true },
          { chiave: 'chiuse_periodo', etichetta: 'Chiuse nel periodo', numero: true },
          { chiave: 'aperte_fine', etichetta: 'Aperte alla fine', numero: true },
          { chiave: 'date_incoerenti', etichetta: 'Non contate: date incoerenti', numero: true },
          { chiave: 'escluse', etichetta: 'Escluse: solo pasti e trasporti', numero: true },
        ],
        righe: righe as unknown as Record<string, number | string>[],
        totale,
      },
    ],
  };
}
