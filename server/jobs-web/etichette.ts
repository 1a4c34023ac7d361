/** The counts a job run records, by their Italian labels on /job (the JSON and CSV keep the keys). */
const CONTEGGI: Record<string, string> = {
  importati: 'importati',
  invariati: 'invariati',
  scartati: 'scartati',
  sospesi: 'sospesi',
  errori: 'errori',
  in_attesa: 'in attesa',
  catena: 'job eseguiti dopo',
  comuni: 'comuni',
  raggiunto: 'obiettivo raggiunto',
  in_corso: 'in corso',
  a_rischio: 'a rischio',
  senza_censimento: 'senza censimento',
  segnalazioni: 'segnalazioni',
  avvisi: 'avvisi',
  nuove: 'nuove',
  risolte: 'risolte',
  accodati: 'messaggi accodati',
  inviati: 'inviati',
  ritirati: 'ritirati',
  trattenuto: 'trattenuti',
  senza_destinatari: 'senza destinatari',
  senza_email: 'senza e-mail',
  senza_operatore: 'senza operatore',
  primi_snapshot: 'primi snapshot',
  confronti: 'confronti',
  primarie: 'primarie',
  secondarie: 'secondarie',
  scadenze_aperte: 'scadenze aperte',
  raggiunte: 'raggiunte',
  durata_ms: 'durata (ms)',
};

export function conteggiLeggibili(c: Record<string, number> | null | undefined): string {
  if (!c) return '';
  return Object.entries(c)
    .map(([k, v]) => `${CONTEGGI[k] ?? k.replace(/_/g, ' ')}: ${v.toLocaleString('it-IT')}`)
    .join(', ');
}
