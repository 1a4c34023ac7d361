import { contaPerStato, listMessaggi, MessaggioReport } from '../posta/messaggi';
import { onlyFlags, UsageError } from './args';
import type { CliCommand } from './tipi';

function riga(m: MessaggioReport): string {
  const quando = (m.inviato_il ?? m.creato_il).slice(0, 16).replace('T', ' ');
  const extra = m.stato === 'fallito' || m.stato === 'scartato' ? `  [${m.ultimo_errore ?? ''}]` : '';
  return `${String(m.id).padStart(6)}  ${m.tipo.padEnd(10)}  ${m.stato.padEnd(9)}  ${String(m.tentativi).padStart(2)}  ${quando}  ${m.destinatario}  ${m.oggetto}${extra}`;
}

export const postaCommands: CliCommand[] = [
  {
    words: ['report', 'posta'],
    usage: 'cruscotto report posta [--json]',
    description: 'la posta in uscita: ogni messaggio con il suo stato',
    booleans: ['json'],
    async run(args, io) {
      onlyFlags(args, ['json']);
      if (args.positional.length) throw new UsageError(`argomento inatteso: ${args.positional[0]}`);
      const ctx = await io.context();
      const messaggi = await listMessaggi(ctx.db);
      if (args.flags.json) {
        io.out(JSON.stringify({ messaggi }, null, 2));
        return 0;
      }
      const n = await contaPerStato(ctx.db);
      io.out(`Posta in uscita: ${messaggi.length} messaggi (in attesa ${n.in_attesa}, inviati ${n.inviato}, da ritentare ${n.fallito}, scartati ${n.scartato}).${ctx.config.smtpUrl ? '' : ' SMTP_URL non impostato: nulla viene spedito.'}`);
      if (messaggi.length) io.out(`${'id'.padStart(6)}  ${'tipo'.padEnd(10)}  ${'stato'.padEnd(9)}  nt  quando (UTC)      destinatario  oggetto`);
      for (const m of messaggi) io.out(riga(m));
      return 0;
    },
  },
];
