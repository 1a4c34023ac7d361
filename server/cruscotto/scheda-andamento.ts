import type { AppContext } from '../context';
import { history } from '../riconciliazione/service';
import { ETICHETTE_STATO } from './digitalizzazione';
import type { Grafico } from './documento';
import type { BaseScheda } from './scheda-base';
import { col, Tabella } from './tabella';
import { dataIt } from './testi';

/** Trend over the stored runs (one point per day: the last run of the day), with the forecast and the deadline. */
export async function andamentoComune(ctx: AppContext, { istat, r, obiettivo, cens, visibile, proprioPieno }: BaseScheda): Promise<{ tabella: Tabella; grafico: Grafico }> {
  const storia = await history(ctx.db, istat);
  const perGiorno = new Map<string, (typeof storia)[number]>();
  for (const p of storia) perGiorno.set(p.oggi, p);
  const punti = [...perGiorno.values()];
  // A point built on a count of 1-2 is hidden outside the UdP and the comune itself.
  const puntoVisibile = (p: (typeof storia)[number]) => proprioPieno || !((p.cartelle_attive_siz >= 1 && p.cartelle_attive_siz <= 2) || (p.cartelle_attive_dich != null && p.cartelle_attive_dich >= 1 && p.cartelle_attive_dich <= 2));
  const tabella: Tabella = {
    id: 'andamento',
    titolo: 'Andamento nelle riconciliazioni',
    colonne: [col('data', 'Data', 'data'), col('digit_tot', 'Digitalizzazione', 'percentuale'), col('siz', 'Cartelle in SIZ'), col('dichiarato', 'Dichiarate'), col('stato', 'Stato', 'testo')],
    righe: punti.map((p, i) => {
      // The last point is today's reconciliation: exactly the figures above, hidden alike.
      if (i === punti.length - 1 && !proprioPieno && !visibile) return { data: dataIt(p.oggi), digit_tot: 'riservato', siz: cens.siz(istat, 'cartelle_attive'), dichiarato: cens.dichiarato(istat, 'cartelle_attive'), stato: 'riservato' };
      const ok = puntoVisibile(p);
      const conta = (x: number | null) => (x == null ? null : ok || proprioPieno || !(x >= 1 && x <= 2) ? x : '<3');
      return { data: dataIt(p.oggi), digit_tot: ok ? p.digit_tot : 'riservato', siz: conta(p.cartelle_attive_siz), dichiarato: conta(p.cartelle_attive_dich), stato: ok ? ETICHETTE_STATO[p.stato] : 'riservato' };
    }),
  };
  const date = [...punti.map((p) => p.oggi)];
  const serieDigit = punti.map((p, i) => (puntoVisibile(p) && (i < punti.length - 1 || proprioPieno || visibile) ? p.digit_tot : null));
  const previsione = r?.previsione_obiettivo && visibile ? r.previsione_obiettivo : null;
  const ultimo = punti.length ? punti[punti.length - 1] : null;
  const seriePrev: (number | null)[] = punti.map(() => null);
  if (previsione && ultimo && puntoVisibile(ultimo) && ultimo.digit_tot != null) {
    seriePrev[seriePrev.length - 1] = ultimo.digit_tot;
    date.push(previsione);
    serieDigit.push(null);
    seriePrev.push(obiettivo);
  }
  const scadenza = r?.scadenza ?? null;
  const grafico: Grafico = {
    id: 'grafico_andamento',
    titolo: 'Andamento, previsione e scadenza',
    tipo: 'linea',
    categorie: date.map(dataIt),
    date,
    serie: [
      { nome: 'Digitalizzazione (%)', dati: serieDigit },
      { nome: 'Previsione', dati: seriePrev },
    ],
    unita: '%',
    obiettivo,
    marcatore: scadenza ? { data: scadenza, etichetta: `Scadenza ${dataIt(scadenza)}` } : undefined,
    tabella: 'andamento',
  };
  return { tabella, grafico };
}
