import type { AppContext } from '../context';
import { deliverPending } from '../posta/outbox';
import { calcolaVariazioni, Confronto } from './calcolo';
import { EsitoDigest, inviaDigest } from './notifica';

export { calcolaVariazioni } from './calcolo';
export { inviaDigest, componiDigest } from './notifica';
export { elencoAllarmi, prendiVisione, riepilogoUdp } from './allarmi';
export { reportVariazioni } from './report';

export interface EsecuzioneVariazioni {
  confronti: Confronto[];
  digest: EsitoDigest;
  inviati: number;
}

/**
 * The `variazioni` job: compare the new registry snapshots, raise the alarms, queue one digest
 * per operatore, then hand the outbox to the mail server (a server that is down delays the
 * digest, the outbox keeps it).
 */
export async function eseguiVariazioni(ctx: AppContext): Promise<EsecuzioneVariazioni> {
  const ora = ctx.clock.now();
  const confronti = await calcolaVariazioni(ctx.db, { ora });
  const digest = await inviaDigest(ctx, { ora });
  // Also retries earlier digests the mail server refused (deliverPending sends what is due).
  const consegna = await deliverPending(ctx);
  return { confronti, digest, inviati: consegna.inviati };
}

const n = (k: number, uno: string, molti: string) => `${k} ${k === 1 ? uno : molti}`;

/** One line for people (job log, CLI), and the counts for the run log. */
export function sintesi(e: EsecuzioneVariazioni): { messaggio: string; conteggi: Record<string, number> } {
  const confrontati = e.confronti.filter((c) => c.data_precedente != null);
  const primi = e.confronti.length - confrontati.length;
  const comuni = new Set(confrontati.map((c) => c.codice_istat)).size;
  const variazioni = confrontati.reduce((s, c) => s + c.variazioni, 0);
  const allarmi = confrontati.reduce((s, c) => s + c.allarmi, 0);
  const parti = [
    e.confronti.length === 0
      ? 'Variazioni anagrafiche: nessuno snapshot nuovo da confrontare.'
      : confrontati.length === 0
        ? `Variazioni anagrafiche: ${n(primi, 'primo snapshot registrato', 'primi snapshot registrati')}, nulla da confrontare.`
        : `Variazioni anagrafiche: ${n(confrontati.length, 'confronto', 'confronti')} tra snapshot (${n(comuni, 'comune', 'comuni')})${primi ? `, ${n(primi, 'primo snapshot', 'primi snapshot')} senza confronto` : ''}; ${n(variazioni, 'variazione', 'variazioni')}, ${n(allarmi, 'allarme', 'allarmi')}.`,
  ];
  const d = e.digest;
  if (d.email || d.allarmi_in_email) parti.push(`${n(d.email, 'riepilogo e-mail', 'riepiloghi e-mail')} in coda (${n(d.allarmi_in_email, 'allarme', 'allarmi')}), ${e.inviati} ${e.inviati === 1 ? 'inviato' : 'inviati'} ora.`);
  if (d.senza_email) parti.push(`${n(d.senza_email, 'allarme', 'allarmi')} di operatori senza e-mail: solo nell'applicazione (elencati all'Ufficio di Piano).`);
  if (d.senza_operatore) parti.push(`${n(d.senza_operatore, 'allarme', 'allarmi')} di cartelle senza operatore noto: elencati all'Ufficio di Piano.`);
  return {
    messaggio: parti.join(' '),
    conteggi: { confronti: confrontati.length, primi_snapshot: primi, variazioni, allarmi, email: d.email, senza_email: d.senza_email, senza_operatore: d.senza_operatore, inviati: e.inviati },
  };
}
