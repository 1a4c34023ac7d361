import type { AppContext } from '../context';
import { authorize } from '../auth/permessi';
import type { Utente } from '../auth/tipi';
import { listScadenze, ETICHETTE_TIPO, ETICHETTE_STATO as STATI_SCADENZA } from '../scadenze/service';
import { quandoScade } from '../scadenze/parole';
import type { BaseScheda } from './scheda-base';
import { col, Tabella } from './tabella';
import { dataIt } from './testi';

/** Deadlines with reminders and acknowledgements: for the UdP and the comune itself, null for the others. */
export async function tabellaScadenze(ctx: AppContext, { istat, oggi }: BaseScheda, user: Utente): Promise<Tabella | null> {
  if (!authorize(user, 'scadenze.vedere', { codice_istat: istat })) return null;
  const sc = await listScadenze(ctx, { oggi, comuni: [istat] });
  return {
    id: 'scadenze',
    titolo: 'Scadenze, promemoria e prese visione',
    colonne: [col('tipo', 'Tipo', 'testo'), col('data_scadenza', 'Scadenza', 'data'), col('quando', 'Quando scade', 'testo'), col('stato', 'Stato', 'testo'), col('promemoria_inviati', 'Promemoria inviati'), col('ultimo_promemoria', 'Ultimo promemoria', 'data'), col('prese_visione', 'Prese visione'), col('prossimo_promemoria', 'Prossimo promemoria', 'data')],
    righe: sc.map((s) => ({
      id_scadenza: s.id,
      tipo: ETICHETTE_TIPO[s.tipo],
      data_scadenza: dataIt(s.data_scadenza),
      quando: quandoScade(s.data_scadenza, oggi),
      stato: STATI_SCADENZA[s.stato],
      promemoria_inviati: s.promemoria_inviati,
      ultimo_promemoria: s.ultimo_promemoria ? dataIt(new Date(s.ultimo_promemoria).toISOString()) : null,
      prese_visione: s.prese_visione,
      prossimo_promemoria: s.prossimo_promemoria ? dataIt(s.prossimo_promemoria) : null,
    })),
  };
}
