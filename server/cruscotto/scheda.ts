/**
 * The comune's scorecard (the mayor's page): one document built from sections, each in its own
 * file: scheda-base.ts (what all of them read), scheda-censimento.ts (headline, census against
 * SIZ, comparison), scheda-andamento.ts, scheda-scadenze.ts, scheda-qualita.ts and
 * scheda-spiegazione.ts. The year's activity comes from the family pages (scheda-anno.ts).
 */
import type { AppContext } from '../context';
import type { Utente } from '../auth/tipi';
import { METRICHE } from '../riconciliazione/metriche';
import type { Contesto, ComuneInfo } from './contesto';
import type { Documento, Indicatore } from './documento';
import { NOTA_RISERVATEZZA } from './documento';
import { filtriDoc, Filtri } from './filtri';
import type { Visibilita } from './nodi';
import { andamentoComune } from './scheda-andamento';
import { BaseScheda, caricaBaseScheda } from './scheda-base';
import { graficoDigitalizzazione, sintesiDigitalizzazione, tabellaMetriche, tabelleConfronto } from './scheda-censimento';
import { qualitaComune } from './scheda-qualita';
import { tabellaScadenze } from './scheda-scadenze';
import { Spiegazione, spiegazioneComune } from './scheda-spiegazione';
import { col, Tabella } from './tabella';

/** Figures of the year from the family pages (same suppression as there). */
export interface AttivitaAnno {
  accessi: Indicatore['valore'];
  nuovi_accessi: Indicatore['valore'];
  prese_in_carico: Indicatore['valore'];
  beneficiari_anno: Indicatore['valore'];
  n_prestazioni: Indicatore['valore'];
  quota_comune: Indicatore['valore'];
}

function tabellaAttivita(f: Filtri, attivita: AttivitaAnno): Tabella {
  return {
    id: 'attivita',
    titolo: `L'attività del ${f.anno}`,
    nota: 'Gli stessi valori delle pagine Sportello, Sociali ed Economici per questo comune.',
    colonne: [col('voce', 'Voce', 'testo'), col('valore', 'Valore')],
    righe: [
      { voce: 'Accessi allo sportello', valore: attivita.accessi },
      { voce: 'di cui nuovi accessi', valore: attivita.nuovi_accessi },
      { voce: 'Prese in carico (persone)', valore: attivita.prese_in_carico },
      { voce: "Beneficiari dell'anno", valore: attivita.beneficiari_anno },
      { voce: 'Prestazioni erogate', valore: attivita.n_prestazioni },
      { voce: 'Spesa a carico del comune (€)', valore: attivita.quota_comune },
    ],
  };
}

function avvisiComune({ report, r }: BaseScheda): string[] {
  if (!report) return ['La riconciliazione non è ancora stata eseguita: importare l\'estrazione SIZ e il censimento.'];
  if (r?.stato === 'senza_censimento') return ['Il comune non ha ancora restituito il censimento: la digitalizzazione non si può calcolare.'];
  return [];
}

export async function documentoComune(
  ctx: AppContext,
  contesto: Contesto,
  f: Filtri,
  v: Visibilita,
  user: Utente,
  comune: ComuneInfo,
  attivita: AttivitaAnno,
): Promise<Documento & { comune: Record<string, unknown>; spiegazione: Spiegazione | null }> {
  const b = await caricaBaseScheda(ctx, contesto, v, comune);
  const { istat, report, r, cens, visibile, proprioPieno } = b;
  const andamento = await andamentoComune(ctx, b);
  const scadenze = await tabellaScadenze(ctx, b, user);
  const qualita = await qualitaComune(ctx, b, v);
  const conta = cens.esito.conteggi();
  return {
    pagina: 'comune',
    titolo: `Comune di ${comune.nome}`,
    filtri: filtriDoc(f, 'comune'),
    dati_al: report?.estrazione_siz ?? contesto.dati_al,
    oggi: contesto.oggi,
    selezione: { id: `c:${istat}`, tipo: 'comune', etichetta: comune.nome, comuni: 1 },
    dettaglio: null,
    riservatezza: { attiva: !v.udp, primarie: conta.primarie, secondarie: conta.secondarie, nota: !proprioPieno && (!visibile || METRICHE.some((m) => typeof cens.siz(istat, m) === 'string')) ? NOTA_RISERVATEZZA : null },
    sintesi: [...sintesiDigitalizzazione(b), qualita.indicatore],
    tabelle: [tabellaMetriche(b), ...tabelleConfronto(contesto, b), andamento.tabella, ...(scadenze ? [scadenze] : []), ...qualita.tabelle, tabellaAttivita(f, attivita)],
    grafici: [graficoDigitalizzazione(b), andamento.grafico],
    avvisi: avvisiComune(b),
    comune: { codice_istat: istat, nome: comune.nome, popolazione: comune.popolazione, cluster: comune.cluster, distretto: comune.distretto, stato: visibile || proprioPieno ? r?.stato ?? null : null, data_riferimento: r?.data_riferimento ?? null, a_rischio: visibile || proprioPieno ? r?.a_rischio ?? false : false },
    spiegazione: spiegazioneComune(b),
  };
}
