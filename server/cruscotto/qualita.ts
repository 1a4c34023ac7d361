import type { AppContext } from '../context';
import { AccessoNegato } from '../auth/permessi';
import { CONTROLLI, controllo, nomeControllo } from '../qualita/controlli';
import { findings, reportJson } from '../qualita/service';
import { punto } from '../web/suppression';
import type { Contesto } from './contesto';
import type { Documento, Grafico, Indicatore } from './documento';
import { filtriDoc, Filtri } from './filtri';
import type { Visibilita } from './nodi';
import { col, Tabella } from './tabella';
import { dataIt } from './testi';

const RECORD = CONTROLLI.filter((c) => c.livello === 'record');
const COMUNE = CONTROLLI.filter((c) => c.livello === 'comune');

/**
 * The data-quality board (docs/metriche.md, "Controlli di qualità dei dati", the quality issue's
 * figures): per comune score, records, findings per check, new and fixed since the previous run,
 * drill-down to the findings of one comune. The UdP sees every comune; a comune account its own
 * only (in full: nothing to suppress).
 */
export async function documentoQualita(ctx: AppContext, contesto: Contesto, f: Filtri, v: Visibilita): Promise<Documento> {
  if (!v.udp && f.comune && f.comune !== v.proprio) throw new AccessoNegato('Accesso negato: puoi vedere solo la qualità dei dati del tuo comune.');
  const comune = v.udp ? f.comune : v.proprio;
  const rep = await reportJson(ctx.db);
  const righeComuni = rep.comuni.filter((c) => v.udp || c.codice_istat === v.proprio);

  const sintesi: Indicatore[] = [
    { chiave: 'verdetto', etichetta: 'Estrazione SIZ', valore: rep.verdetto === 'affidabile' ? 'affidabile' : 'non affidabile', tipo: 'testo', nota: rep.motivo ?? undefined },
    { chiave: 'controlli_del', etichetta: 'Controlli eseguiti il', valore: rep.esecuzione ? dataIt(rep.esecuzione.oggi) : null, tipo: 'data' },
  ];
  if (v.udp) {
    const rec = rep.comuni.reduce((a, c) => a + c.record, 0);
    const err = rep.comuni.reduce((a, c) => a + c.record_con_errori, 0);
    sintesi.push(
      { chiave: 'punteggio_ambito', etichetta: 'Record senza errori nell\'ambito', valore: rec ? Math.round((10000 * (rec - err)) / rec) / 100 : null, tipo: 'percentuale' },
      { chiave: 'non_attribuiti', etichetta: 'Record senza comune (non attribuiti)', valore: rep.non_attribuito.record, tipo: 'numero' },
      { chiave: 'nuove', etichetta: 'Segnalazioni nuove dall\'ultimo controllo', valore: rep.comuni.reduce((a, c) => a + (c.nuovi ?? 0), 0) + (rep.non_attribuito.nuovi ?? 0), tipo: 'numero' },
      { chiave: 'risolte', etichetta: 'Segnalazioni risolte', valore: rep.comuni.reduce((a, c) => a + (c.risolti ?? 0), 0) + (rep.non_attribuito.risolti ?? 0), tipo: 'numero' },
    );
  }

  const colonneControlli = RECORD.map((c) => col(c.id, c.id.replace(/_/g, ' ')));
  const tabComuni: Tabella = {
    id: 'comuni',
    titolo: v.udp ? 'Qualità dei dati per comune' : 'Qualità dei dati del tuo comune',
    nota: 'Punteggio = record senza errori / record, per 100. Nuove e risolte: rispetto al controllo precedente. Clic sul comune per l\'elenco delle segnalazioni.',
    colonne: [col('comune', 'Comune', 'testo'), col('punteggio', 'Punteggio', 'percentuale'), col('record', 'Record'), col('record_con_errori', 'Con errori'), col('nuovi', 'Nuove'), col('risolti', 'Risolte'), ...colonneControlli, col('avvisi_comune', 'Avvisi del comune', 'testo')],
    righe: righeComuni
      .sort((a, b) => (a.punteggio ?? 101) - (b.punteggio ?? 101) || (a.nome ?? '').localeCompare(b.nome ?? '', 'it'))
      .map((c) => ({
        codice_istat: c.codice_istat,
        comune: c.nome ?? c.codice_istat,
        punteggio: c.punteggio,
        record: c.record,
        record_con_errori: c.record_con_errori,
        nuovi: c.nuovi,
        risolti: c.risolti,
        ...Object.fromEntries(RECORD.map((k) => [k.id, c.controlli[k.id] ?? 0])),
        avvisi_comune: Object.keys(c.controlli_comune).map(nomeControllo).join(', ') || null,
      })),
    totali: v.udp
      ? [{ comune: 'Non attribuito (senza comune)', punteggio: null, record: rep.non_attribuito.record, record_con_errori: rep.non_attribuito.record_con_errori, nuovi: rep.non_attribuito.nuovi, risolti: rep.non_attribuito.risolti, ...Object.fromEntries(RECORD.map((k) => [k.id, rep.non_attribuito.controlli[k.id] ?? 0])), avvisi_comune: null }]
      : undefined,
  };
  const tabelle: Tabella[] = [tabComuni];

  const tabControlli: Tabella = {
    id: 'controlli',
    titolo: 'I controlli',
    colonne: [col('controllo', 'Controllo', 'testo'), col('gravita', 'Gravità', 'testo'), col('livello', 'Livello', 'testo'), col('descrizione', 'Cosa segnala', 'testo'), col('segnalazioni', 'Segnalazioni')],
    righe: [...RECORD, ...COMUNE].map((c) => ({
      codice_controllo: c.id,
      controllo: c.nome,
      gravita: c.gravita,
      livello: c.livello === 'record' ? 'per record' : 'per comune',
      descrizione: c.descrizione,
      segnalazioni: righeComuni.reduce((a, x) => a + ((c.livello === 'record' ? x.controlli[c.id] : x.controlli_comune[c.id]) ?? 0), 0) + (v.udp && c.livello === 'record' ? rep.non_attribuito.controlli[c.id] ?? 0 : 0),
    })),
  };
  tabelle.push(tabControlli);

  if (comune) {
    if (comune !== 'non_attribuito' && !contesto.perIstat.has(comune)) throw new AccessoNegato('Comune non presente nell\'anagrafica.');
    const lista = await findings(ctx.db, { comune, controllo: f.controllo ?? undefined });
    const nome = contesto.perIstat.get(comune)?.nome ?? comune;
    tabelle.push({
      id: 'risultati',
      titolo: `Segnalazioni · ${nome}${f.controllo ? ` · ${nomeControllo(f.controllo)}` : ''}`,
      nota: 'Solo l\'identificativo del record in SIZ: nessun dato personale.',
      colonne: [col('controllo', 'Controllo', 'testo'), col('gravita', 'Gravità', 'testo'), col('tabella', 'Tabella SIZ', 'testo'), col('id_record', 'Record', 'testo'), col('messaggio', 'Segnalazione', 'testo'), col('valore', 'Valore'), col('nuovo', 'Nuova', 'testo')],
      righe: lista.map((x) => ({ codice_controllo: x.controllo, controllo: nomeControllo(x.controllo), gravita: x.gravita, tabella: x.tabella, id_record: x.id_record, messaggio: x.messaggio, valore: x.valore, nuovo: x.nuovo ? 'sì' : 'no' })),
    });
  }

  const ordinati = [...tabComuni.righe].sort((a, b) => String(a.comune).localeCompare(String(b.comune), 'it'));
  const grafici: Grafico[] = v.udp
    ? [{ id: 'grafico_punteggi', titolo: 'Punteggio di qualità per comune', tipo: 'barre', categorie: ordinati.map((r) => String(r.comune)), serie: [{ nome: 'Record senza errori (%)', dati: ordinati.map((r) => punto(r.punteggio as number | null)) }], unita: '%', tabella: 'comuni' }]
    : [];

  const avvisi: string[] = [];
  if (!rep.esecuzione) avvisi.push('I controlli di qualità non sono ancora stati eseguiti.');
  if (controllo(f.controllo ?? '') === undefined && f.controllo) avvisi.push(`Il controllo «${f.controllo}» non esiste.`);
  return {
    pagina: 'qualita',
    titolo: 'Qualità dei dati SIZ',
    filtri: filtriDoc({ ...f, comune }, 'qualita'),
    dati_al: rep.estrazione_siz ?? contesto.dati_al,
    oggi: contesto.oggi,
    selezione: comune ? { id: `c:${comune}`, tipo: 'comune', etichetta: contesto.perIstat.get(comune)?.nome ?? comune, comuni: 1 } : null,
    dettaglio: null,
    riservatezza: { attiva: false, primarie: 0, secondarie: 0, nota: null },
    sintesi,
    tabelle,
    grafici,
    avvisi,
  };
}
