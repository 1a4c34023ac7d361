import type { Documento } from './documento';
import { svgAndamento, svgBarraObiettivo } from './svg';
import { formatta, Tabella } from './tabella';
import { dataIt, numIt } from './testi';

/**
 * The council handout: what `/comuni/:istat` prints, on ONE A4 page, readable in black and
 * white. It is built only from the scorecard's document (the same figures as the page and its
 * JSON twin, suppression included), and its two charts are drawn here as plain SVG: they print
 * without JavaScript, at the size the sheet has, with the target line always in view.
 */

export interface CellaStampa {
  testo: string;
  num: boolean;
}
export interface TabellaStampa {
  titolo: string;
  intestazioni: { etichetta: string; num: boolean }[];
  righe: CellaStampa[][];
}
export interface VistaStampa {
  titolo: string;
  sottotitolo: string;
  dati_al: string;
  censimento_al: string | null;
  stampato_il: string;
  filtri: string;
  digit: { testo: string; nota: string; stato: string | null; mancanti: string | null; svg: string };
  metriche: TabellaStampa | null;
  confronto: TabellaStampa | null;
  andamento: { svg: string; righe: string[] };
  attivita: TabellaStampa | null;
  riservatezza: string | null;
}

function tabella(t: Tabella | undefined, colonne?: string[]): TabellaStampa | null {
  if (!t) return null;
  const cols = colonne ? t.colonne.filter((c) => colonne.includes(c.chiave)) : t.colonne;
  const NUM = new Set(['numero', 'importo', 'percentuale']);
  return {
    titolo: t.titolo,
    intestazioni: cols.map((c) => ({ etichetta: c.etichetta, num: NUM.has(c.tipo) })),
    righe: t.righe.map((r) => cols.map((c) => ({ testo: formatta(r[c.chiave] ?? null, c.tipo), num: NUM.has(c.tipo) }))),
  };
}

/** The print view of a comune's scorecard, from its document. */
export function vistaStampaComune(doc: Documento, info: { censimento_al: string | null; cluster: number | string; distretto: string }, filtri: string): VistaStampa {
  const s = (k: string) => doc.sintesi.find((x) => x.chiave === k);
  const t = (id: string) => doc.tabelle.find((x) => x.id === id);
  const gDigit = doc.grafici.find((g) => g.id === 'grafico_digit');
  const gAnd = doc.grafici.find((g) => g.id === 'grafico_andamento');
  const obiettivo = gDigit?.obiettivo ?? gAnd?.obiettivo ?? 80;
  const digit = s('digit_tot')?.valore ?? null;
  const testoDigit = formatta(digit, 'percentuale');
  const mancanti = s('mancanti_obiettivo');
  const righeAndamento: string[] = [];
  const scad = s('scadenza')?.valore;
  const giorni = s('giorni_scadenza');
  const prev = s('previsione_obiettivo')?.valore;
  // "tra 12 giorni", or "Scaduta il 01/11/2026 (da 28 giorni)" (server/scadenze/parole.ts).
  if (typeof scad === 'string' && scad !== '–') {
    const quando = typeof giorni?.valore === 'string' ? giorni.valore : null;
    righeAndamento.push(quando?.startsWith('Scaduta') ? `Scadenza per l'obiettivo: ${quando}.` : `Scadenza per l'obiettivo: ${scad}${quando ? ` (${quando})` : ''}.`);
  }
  if (typeof prev === 'string') righeAndamento.push(`Al ritmo attuale l'obiettivo è previsto il ${prev}.`);
  if (giorni?.nota) righeAndamento.push(`${giorni.nota}.`);
  return {
    titolo: doc.titolo,
    sottotitolo: `Cluster ${info.cluster} · Distretto di ${info.distretto}`,
    dati_al: doc.dati_al ? dataIt(doc.dati_al) : 'nessuna estrazione SIZ importata',
    censimento_al: info.censimento_al ? dataIt(info.censimento_al) : null,
    stampato_il: dataIt(doc.oggi),
    filtri,
    digit: {
      testo: testoDigit,
      nota: `obiettivo ${numIt(obiettivo)}%`,
      stato: typeof s('stato')?.valore === 'string' ? (s('stato')!.valore as string) : null,
      mancanti: mancanti && mancanti.valore != null ? `${mancanti.etichetta}: ${formatta(mancanti.valore, 'numero')}` : null,
      svg: svgBarraObiettivo(digit, obiettivo, `Digitalizzazione ${testoDigit} rispetto all'obiettivo del ${numIt(obiettivo)}%`),
    },
    metriche: tabella(t('metriche'), ['metrica', 'siz', 'dichiarato', 'percentuale']),
    confronto: tabella(t('confronto')),
    andamento: { svg: svgAndamento(gAnd, obiettivo, `Andamento della digitalizzazione rispetto all'obiettivo del ${numIt(obiettivo)}%`), righe: righeAndamento },
    attivita: tabella(t('attivita')),
    riservatezza: doc.riservatezza?.nota ?? null,
  };
}
