import { AccountError, createUser, disableUser, listUsers } from '../auth/utenti';
import { dataOra } from '../shared/formato';
import { flag, ISTAT_RE, onlyFlags, UsageError } from './args';
import type { CliCommand } from './tipi';
import { cliAutore } from './autore';

/**
 * `cruscotto user add|disable|list`. A new account gets a random one-time password, printed
 * once, unless one is piped on stdin (first line), e.g. `printf '%s\n' "$PW" | cruscotto user add ...`.
 */
type StdinReader = () => Promise<string | null>;

/** The first line of stdin when it is a pipe or a file and not empty; null on a terminal. */
export const readStdinPassword: StdinReader = async () => {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  const line = Buffer.concat(chunks).toString('utf8').replace(/^\ufeff/, '').split(/\r?\n/)[0] ?? '';
  return line.length ? line : null;
};

const cliAuthor = () => ({ email: cliAutore() });

export function makeUserCommands(readStdin: StdinReader = readStdinPassword): CliCommand[] {
  return [
    {
      words: ['user', 'add'],
      usage: 'cruscotto user add --email E --ruolo udp|comune|operatore [--comune ISTAT] [--operatore ID]',
      description: 'crea un account; stampa una password monouso o la legge da stdin',
      async run(args, io) {
        onlyFlags(args, ['email', 'ruolo', 'comune', 'operatore']);
        if (args.positional.length) throw new UsageError(`argomento inatteso: ${args.positional[0]}`);
        const email = flag(args, 'email', { required: true, hint: 'indirizzo e-mail' })!;
        const ruolo = flag(args, 'ruolo', { required: true, pattern: /^(udp|comune|operatore)$/, hint: 'udp, comune o operatore' })!;
        const comune = flag(args, 'comune', { pattern: ISTAT_RE, hint: 'codice ISTAT di 6 cifre' });
        const operatore = flag(args, 'operatore');
        if (ruolo === 'comune' && !comune) throw new UsageError('un account "comune" richiede --comune ISTAT');
        if (ruolo === 'operatore' && !operatore) throw new UsageError('un account "operatore" richiede --operatore ID');
        if (ruolo !== 'comune' && comune) throw new UsageError('--comune vale solo con --ruolo comune');
        if (ruolo !== 'operatore' && operatore) throw new UsageError('--operatore vale solo con --ruolo operatore');
        const given = await readStdin();
        const ctx = await io.context();
        try {
          const out = await createUser(ctx.db, { email, ruolo, codice_istat: comune ?? null, operatore_id: operatore ?? null, password: given ?? undefined, cambioPassword: !given }, cliAuthor());
          for (const w of out.avvisi) io.err(`avviso: ${w}`);
          const u = out.utente;
          io.out(`Account creato: ${u.email} (${u.ruolo}${u.codice_istat ? ` del comune ${u.codice_istat}` : ''}${u.operatore_id ? `, operatore ${u.operatore_id}` : ''}).`);
          if (given) io.out('Password impostata da stdin.');
          else io.out(`Password monouso (mostrata solo ora; al primo accesso il sito chiederà di sceglierne una nuova): ${out.password}`);
          return 0;
        } catch (e) {
          if (e instanceof AccountError) {
            io.err(`Errore: ${e.message}`);
            return 1;
          }
          throw e;
        }
      },
    },
    {
      words: ['user', 'disable'],
      usage: 'cruscotto user disable --email E',
      description: "disattiva un account e ne chiude le sessioni",
      async run(args, io) {
        onlyFlags(args, ['email']);
        const email = flag(args, 'email', { required: true, hint: 'indirizzo e-mail' })!;
        const ctx = await io.context();
        try {
          await disableUser(ctx.db, email, cliAuthor());
        } catch (e) {
          if (e instanceof AccountError) {
            io.err(`Errore: ${e.message}`);
            return 1;
          }
          throw e;
        }
        io.out(`Account disattivato: ${email.trim().toLowerCase()}. Le sue sessioni sono state chiuse.`);
        return 0;
      },
    },
    {
      words: ['user', 'list'],
      usage: 'cruscotto user list',
      description: 'elenca gli account',
      async run(args, io) {
        onlyFlags(args, []);
        const ctx = await io.context();
        const rows = await listUsers(ctx.db);
        if (!rows.length) {
          io.out('Nessun account.');
          return 0;
        }
        const tz = ctx.config.tzScheduler;
        const now = ctx.clock.now().getTime();
        const table = rows.map((u) => [
          u.email,
          u.ruolo,
          u.codice_istat ?? u.operatore_id ?? '',
          u.attivo ? (u.bloccato_fino && new Date(u.bloccato_fino).getTime() > now ? `bloccato fino alle ${dataOra(u.bloccato_fino, tz)}` : 'attivo') : 'disattivato',
          u.ultimo_accesso ? dataOra(u.ultimo_accesso, tz)! : 'mai',
        ]);
        const head = ['email', 'ruolo', 'comune/operatore', 'stato', 'ultimo accesso'];
        const w = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
        for (const r of [head, ...table]) io.out(r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd());
        return 0;
      },
    },
  ];
}

export const userCommands = makeUserCommands();
