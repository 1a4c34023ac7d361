import { renderEmail, RenderedEmail } from '../posta/render';
import { ETICHETTE_TIPO, Scadenza } from '../scadenze/service';
import { dataBreve, dataLunga, daysBetween } from '../shared/calendario';
import { frasePrevisione, scadutaIl } from '../scadenze/parole';
import { decimale } from '../shared/formato';

/**
 * What a reminder says (views/emails/promemoria.*.hbs). Only figures about the comune's case
 * load and links: never anything about an assisted person.
 */
const pct = (v: number) => `${decimale(v)}%`;

/** "il 58%", but "l'80%", "l'8%", "l'11%", "l'1%": the article as the number is read aloud. */
export function conArticolo(v: number): string {
  const whole = String(Math.trunc(Math.abs(v)));
  return `${whole === '1' || whole === '11' || whole.startsWith('8') ? "l'" : 'il '}${pct(v)}`;
}

export function comuneDi(nome: string | null, istat: string): string {
  return nome ? `Comune di ${nome}` : `Comune ${istat}`;
}

/** Subject: deterministic from the deadline and the day it is sent. */
export function oggettoPromemoria(s: Pick<Scadenza, 'data_scadenza' | 'comune' | 'codice_istat'>, oggi: string): string {
  const n = daysBetween(oggi, s.data_scadenza);
  const data = dataBreve(s.data_scadenza);
  const chi = comuneDi(s.comune, s.codice_istat);
  if (n > 1) return `Promemoria: scadenza del ${data} tra ${n} giorni – ${chi}`;
  if (n === 1) return `Promemoria: scadenza del ${data} domani – ${chi}`;
  if (n === 0) return `Promemoria: scadenza del ${data} oggi – ${chi}`;
  return `Sollecito: ${scadutaIl(s.data_scadenza, oggi)} – ${chi}`;
}

function quandoTesto(data: string, oggi: string): string {
  const n = daysBetween(oggi, data);
  if (n > 1) return `mancano ${n} giorni alla scadenza`;
  if (n === 1) return 'la scadenza è domani';
  if (n === 0) return 'la scadenza è oggi';
  return scadutaIl(data, oggi)!;
}

/** The figures of a `caricamento` deadline, as sentences. */
export function figura(s: Scadenza, oggi: string) {
  if (s.tipo !== 'caricamento') return null;
  if (s.digit_tot == null || s.dichiarato == null) {
    return { senza_dati: true, frase: `non è ancora possibile calcolare la digitalizzazione: manca il censimento delle cartelle dichiarate dal comune o la riconciliazione con SIZ.` };
  }
  const m = s.mancanti_obiettivo ?? 0;
  const passata = scadutaIl(s.data_scadenza, oggi);
  const frase =
    `${conArticolo(s.digit_tot)} delle cartelle dichiarate è in SIZ (${decimale(s.siz ?? 0)} su ${decimale(s.dichiarato)}); ` +
    (m === 1 ? 'ne manca 1' : `ne mancano ${decimale(m)}`) +
    ` per raggiungere l'obiettivo (${pct(s.obiettivo)})${passata ? `. ${passata}.` : ` entro il ${dataLunga(s.data_scadenza)}.`}`;
  let andamento: string | null = null;
  if (s.digit_mese_prima != null && s.data_mese_prima) {
    const d = Math.round((s.digit_tot - s.digit_mese_prima) * 100) / 100;
    const dal = dataLunga(s.data_mese_prima);
    andamento = d > 0 ? `in crescita di ${decimale(d)} punti dal ${dal} (era ${pct(s.digit_mese_prima)})` : d < 0 ? `in calo di ${decimale(-d)} punti dal ${dal} (era ${pct(s.digit_mese_prima)})` : `invariata dal ${dal}`;
  }
  // The forecast for this deadline's own target; a date only when there is one.
  const previsione = frasePrevisione({ esito: s.previsione_esito, previsione: s.previsione_scadenza, scadenza: s.data_scadenza });
  return {
    senza_dati: false,
    frase,
    digit: pct(s.digit_tot),
    obiettivo: pct(s.obiettivo),
    siz: decimale(s.siz ?? 0),
    dichiarato: decimale(s.dichiarato),
    mancanti: decimale(m),
    andamento,
    previsione,
    data_estrazione: s.data_estrazione ? dataLunga(s.data_estrazione) : null,
  };
}

export interface Links {
  scheda: string;
  /** The census form, for the deadline of an open online census round (docs/censimento.md). */
  modulo?: string | null;
  presa_visione: string;
  presa_visione_scade: Date;
}

export function datiPromemoria(s: Scadenza, oggi: string, links: Links): Record<string, unknown> {
  const n = daysBetween(oggi, s.data_scadenza);
  return {
    oggetto: oggettoPromemoria(s, oggi),
    comune: comuneDi(s.comune, s.codice_istat),
    codice_istat: s.codice_istat,
    tipo: ETICHETTE_TIPO[s.tipo] ?? s.tipo,
    data_scadenza: dataLunga(s.data_scadenza),
    descrizione: s.descrizione,
    quando: quandoTesto(s.data_scadenza, oggi),
    superata: n < 0,
    figura: figura(s, oggi),
    link_scheda: links.scheda,
    link_modulo: links.modulo ?? null,
    link_presa_visione: links.presa_visione,
    presa_visione_scade: dataLunga(links.presa_visione_scade.toISOString().slice(0, 10)),
    oggi: dataLunga(oggi),
  };
}

export function renderPromemoria(s: Scadenza, oggi: string, links: Links): RenderedEmail & { oggetto: string } {
  const data = datiPromemoria(s, oggi, links);
  return { oggetto: data.oggetto as string, ...renderEmail('promemoria', data) };
}
