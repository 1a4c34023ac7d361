import { reportVariazioni } from '../variazioni/report';
import { ETICHETTE, isTipo } from '../variazioni/tipi';
import { flag, ISTAT_RE, onlyFlags, UsageError } from './args';
import type { CliCommand } from './tipi';

export const variazioniCommands: CliCommand[] = [
  {
    words: ['report', 'variazioni'],
    usage: 'cruscotto report variazioni [--comune ISTAT] [--json]',
    description: "variazioni anagrafiche dell'ultimo confronto di ogni comune e notifiche prodotte",
    booleans: ['json'],
    async run(args, io) {
      onlyFlags(args, ['comune', 'json']);
      if (args.positional.length) throw new UsageError(`argomento inatteso: ${args.positional[0]}`);
      const comune = flag(args, 'comune', { pattern: ISTAT_RE, hint: 'codice ISTAT di 6 cifre' });
      const ctx = await io.context();
      const doc = await reportVariazioni(ctx.db, { comune });
      if (args.flags.json) {
        io.out(JSON.stringify(doc, null, 2));
        return 0;
      }
      if (!doc.variazioni.length) io.out(`Nessuna variazione anagrafica nell'ultimo confronto${comune ? ` del comune ${comune}` : ''}.`);
      for (const v of doc.variazioni) {
        const tipo = isTipo(v.tipo) ? ETICHETTE[v.tipo] : v.tipo;
        const casi = v.cartelle.length ? `cartelle ${v.cartelle.join(', ')} (operatori ${v.operatori.join(', ') || 'non indicati'})` : 'nessuna cartella aperta';
        io.out(`${v.codice_istat}  ${v.data_precedente} → ${v.data_snapshot}  ${tipo.padEnd(29)}  ${v.codice_fiscale}  ${casi}`);
      }
      if (doc.notifiche.length) io.out('');
      for (const n of doc.notifiche) {
        const come =
          n.notifica === 'email' ? `riepilogo e-mail ${n.messaggio?.stato ?? 'non trovato nella posta'}`
          : n.notifica === 'senza_email' ? "operatore senza e-mail: solo nell'applicazione"
          : n.notifica === 'senza_operatore' ? 'cartella senza operatore noto'
          : 'e-mail non ancora preparata';
        io.out(`Operatore ${n.operatore_id ?? '(nessuno)'}: ${n.allarmi} ${n.allarmi === 1 ? 'allarme' : 'allarmi'}, ${n.presi_in_visione} presi in visione; ${come}.`);
      }
      return 0;
    },
  },
];
