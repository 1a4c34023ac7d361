import type { Database } from '../db';
import { CONTROLLI_COMUNE, CONTROLLI_RECORD } from './controlli';
import { Esecuzione, findings, latestSummary, RiepilogoComune, Risultato } from './letture';
import { Verdetto, verdettoCorrente } from './verdetto';

/** One comune in `report qualita --json` (docs/qualita.md). */
export interface ReportComune {
  codice_istat: string;
  nome: string | null;
  punteggio: number | null;
  record: number;
  record_con_errori: number;
  /** Record-level checks only: { check id: findings }, checks without findings omitted. */
  controlli: Record<string, number>;
  /** Comune-level checks (caricamento_fermo, campi_facoltativi_mancanti, sopra_dichiarato). */
  controlli_comune: Record<string, number>;
  nuovi: number | null;
  risolti: number | null;
}

export interface ReportQualita {
  generato_il: string | null;
  estrazione_siz: string | null;
  verdetto: Verdetto;
  motivo: string | null;
  comuni: ReportComune[];
  non_attribuito: { record: number; record_con_errori: number; controlli: Record<string, number>; nuovi: number | null; risolti: number | null };
  esecuzione: (Pick<Esecuzione, 'id' | 'oggi' | 'precedente_id' | 'durata_ms'> & { data_estrazione: string | null; verdetto: Verdetto }) | null;
  /** Only with a comune: its findings (the `--comune` list). */
  risultati?: Risultato[];
}

function pick(c: Record<string, number>, ids: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of ids) if (c[id]) out[id] = c[id];
  return out;
}

function comune(r: RiepilogoComune): ReportComune {
  return {
    codice_istat: r.codice_istat!,
    nome: r.nome,
    punteggio: r.punteggio,
    record: r.record,
    record_con_errori: r.record_con_errori,
    controlli: pick(r.controlli, CONTROLLI_RECORD),
    controlli_comune: pick(r.controlli, CONTROLLI_COMUNE),
    nuovi: r.nuovi,
    risolti: r.risolti,
  };
}

/**
 * The document of `cruscotto report qualita --json` (docs/interfacce.md, "Documenti JSON dei
 * report"). `generato_il` is the time of the latest run of the checks; `verdetto` and `motivo` are
 * computed now, so an import rejected after that run already shows (the run's own verdict is in
 * `esecuzione`).
 */
export async function reportJson(db: Database, opts: { comune?: string } = {}): Promise<ReportQualita> {
  const [s, v] = [await latestSummary(db), await verdettoCorrente(db)];
  const na = s?.non_attribuito;
  let comuni = (s?.comuni ?? []).map(comune);
  if (opts.comune) comuni = comuni.filter((c) => c.codice_istat === opts.comune);
  return {
    generato_il: s?.esecuzione.eseguita_il ?? null,
    estrazione_siz: v.data_estrazione,
    verdetto: v.verdetto,
    motivo: v.motivo,
    comuni,
    non_attribuito: {
      record: na?.record ?? 0,
      record_con_errori: na?.record_con_errori ?? 0,
      controlli: pick(na?.controlli ?? {}, CONTROLLI_RECORD),
      nuovi: na?.nuovi ?? null,
      risolti: na?.risolti ?? null,
    },
    esecuzione: s
      ? { id: s.esecuzione.id, oggi: s.esecuzione.oggi, data_estrazione: s.esecuzione.data_estrazione, verdetto: s.esecuzione.verdetto, precedente_id: s.esecuzione.precedente_id, durata_ms: s.esecuzione.durata_ms }
      : null,
    ...(opts.comune ? { risultati: await findings(db, { comune: opts.comune }) } : {}),
  };
}
