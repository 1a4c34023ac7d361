import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { AccountError, createUser, disableUser, listUsers } from '../../server/auth/utenti';
import { verifyPassword } from '../../server/auth/password';
import { createSession } from '../../server/auth/sessioni';
import { makeUserCommands } from '../../server/cli/utenti';
import { parseArgs } from '../../server/cli/args';
import type { CliIO } from '../../server/cli/tipi';
import type { AppContext } from '../../server/context';
import { openDb } from '../../server/db';
import { testContext } from './helpers';
import { scryptLeggero } from './scrypt-leggero';

/** Runs a `user ...` command in-process with a given stdin content; returns exit code and output. */
async function runUser(ctx: AppContext, argv: string[], stdin: string | null = null): Promise<{ code: number; out: string[]; err: string[] }> {
  const cmds = makeUserCommands(async () => stdin);
  const cmd = cmds.find((c) => c.words.every((w, i) => argv[i] === w))!;
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l), progress: () => undefined, config: ctx.config, context: async () => ctx };
  try {
    return { code: await cmd.run(parseArgs(argv.slice(cmd.words.length)), io), out, err };
  } catch (e) {
    return { code: (e as Error).constructor.name === 'UsageError' ? 2 : 1, out, err: [...err, (e as Error).message] };
  }
}

describeDb('account', (get) => {
  // Here scrypt runs at a low cost; the real process below hashes with the real one, and this
  // process checks that hash with the real one too.
  scryptLeggero();
  let ctx: ReturnType<typeof testContext>;
  beforeAll(() => {
    ctx = testContext(get());
  });
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
    await get().knex('operatori').insert({ operatore_id: 'OP01', codice_istat: '098031', riga: 2 });
  });
  afterAll(() => fs.rmSync(ctx.dataDir, { recursive: true, force: true }));

  test('createUser validates role bindings and e-mails, unique ignoring case, and audits', async () => {
    const { utente, password } = await createUser(get(), { email: 'Sindaco@Lodi.Example', ruolo: 'comune', codice_istat: '098031' }, { email: 'admin' });
    expect(utente).toMatchObject({ email: 'sindaco@lodi.example', ruolo: 'comune', codice_istat: '098031', operatore_id: null });
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    const row = await get().knex('utenti').where({ id: utente.id }).first();
    expect(await verifyPassword(password!, row.password_hash)).toBe(true);
    await expect(createUser(get(), { email: 'SINDACO@lodi.example', ruolo: 'udp' })).rejects.toThrow(/esiste già/);
    await expect(createUser(get(), { email: 'x@y.example', ruolo: 'comune' })).rejects.toThrow(/--comune/);
    await expect(createUser(get(), { email: 'x@y.example', ruolo: 'comune', codice_istat: '099999' })).rejects.toThrow(/non è nell'anagrafica/);
    await expect(createUser(get(), { email: 'x@y.example', ruolo: 'operatore' })).rejects.toThrow(/--operatore/);
    await expect(createUser(get(), { email: 'x@y.example', ruolo: 'udp', codice_istat: '098031' })).rejects.toThrow(AccountError);
    await expect(createUser(get(), { email: 'non-una-email', ruolo: 'udp' })).rejects.toThrow(/e-mail non valido/);
    await expect(createUser(get(), { email: 'x@y.example', ruolo: 'admin' })).rejects.toThrow(/ruolo non valido/);
    await expect(createUser(get(), { email: 'x@y.example', ruolo: 'udp', password: 'corta' })).rejects.toThrow(/almeno 10/);
    const unknownOp = await createUser(get(), { email: 'nuovo@op.example', ruolo: 'operatore', operatore_id: 'OP99' });
    expect(unknownOp.avvisi[0]).toMatch(/OP99 non è \(ancora\) nell'estrazione/);
    // The database refuses a half-bound account even if the service were bypassed.
    await expect(get().knex('utenti').insert({ email: 'rotto@x.example', ruolo: 'comune', password_hash: 'x' })).rejects.toThrow();
    const audit = await get().knex('audit').where({ azione: 'utente_creato' }).orderBy('id');
    expect(audit.map((a) => a.dettagli.account)).toEqual(['sindaco@lodi.example', 'nuovo@op.example']);
    expect(audit[0].email).toBe('admin');
  });

  test('disableUser closes the sessions and is audited; list shows everyone', async () => {
    const { utente } = await createUser(get(), { email: 'a@b.example', ruolo: 'udp' });
    await createSession(get(), utente.id, new Date());
    await disableUser(get(), 'A@B.example');
    expect(await get().knex('sessioni').count('* as n')).toEqual([{ n: 0 }]);
    expect((await listUsers(get())).map((u) => [u.email, u.attivo])).toEqual([['a@b.example', false]]);
    expect(await get().knex('audit').where({ azione: 'utente_disattivato' }).count('* as n')).toEqual([{ n: 1 }]);
    await expect(disableUser(get(), 'nessuno@b.example')).rejects.toThrow(/nessun account/);
  });

  test('cruscotto user add: prints a one-time password, or takes the one from stdin', async () => {
    const gen = await runUser(ctx, ['user', 'add', '--email', 'udp@ambito.example', '--ruolo', 'udp']);
    expect(gen.code).toBe(0);
    const pw = gen.out.join('\n').match(/Password monouso[^:]*: (\S+)$/m)?.[1];
    expect(pw).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
    expect(await verifyPassword(pw!, (await get().knex('utenti').where({ email: 'udp@ambito.example' }).first()).password_hash)).toBe(true);
    // A one-time password: the person must choose a new one at the first login (test/account).
    expect((await get().knex('utenti').where({ email: 'udp@ambito.example' }).first()).cambio_password).toBe(true);

    const piped = await runUser(ctx, ['user', 'add', '--email', 'op@ambito.example', '--ruolo', 'operatore', '--operatore', 'OP01'], 'la mia frase segreta');
    expect(piped.code).toBe(0);
    expect(piped.out.join('\n')).toMatch(/Password impostata da stdin/);
    expect(piped.out.join('\n')).not.toMatch(/la mia frase segreta/);
    expect(await verifyPassword('la mia frase segreta', (await get().knex('utenti').where({ email: 'op@ambito.example' }).first()).password_hash)).toBe(true);
    expect((await get().knex('utenti').where({ email: 'op@ambito.example' }).first()).cambio_password).toBe(false);

    expect((await runUser(ctx, ['user', 'add', '--email', 'c@ambito.example', '--ruolo', 'comune'])).code).toBe(2);
    expect((await runUser(ctx, ['user', 'add', '--email', 'c@ambito.example', '--ruolo', 'sindaco'])).code).toBe(2);
    expect((await runUser(ctx, ['user', 'add', '--email', 'c@ambito.example', '--ruolo', 'udp', '--comune', '098031'])).code).toBe(2);
    const dup = await runUser(ctx, ['user', 'add', '--email', 'UDP@ambito.example', '--ruolo', 'udp']);
    expect(dup.code).toBe(1);
    expect(dup.err.join('\n')).toMatch(/esiste già/);
    const weak = await runUser(ctx, ['user', 'add', '--email', 'w@ambito.example', '--ruolo', 'udp'], 'corta');
    expect(weak.code).toBe(1);

    const list = await runUser(ctx, ['user', 'list']);
    expect(list.out[0]).toMatch(/^email\s+ruolo\s+comune\/operatore\s+stato\s+ultimo accesso$/);
    expect(list.out.slice(1)).toEqual([expect.stringMatching(/^op@ambito\.example\s+operatore\s+OP01\s+attivo\s+mai$/), expect.stringMatching(/^udp@ambito\.example\s+udp\s+attivo\s+mai$/)]);
    expect((await runUser(ctx, ['user', 'disable', '--email', 'op@ambito.example'])).code).toBe(0);
    expect((await runUser(ctx, ['user', 'list'])).out[1]).toMatch(/disattivato/);
    expect((await runUser(ctx, ['user', 'disable', '--email', 'nessuno@ambito.example'])).code).toBe(1);
  });
});

describe('cruscotto user add, as a real process', () => {
  test('a password piped on stdin is set; with an empty stdin a one-time password is printed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-cli-'));
    const bin = path.resolve(__dirname, '..', '..', 'bin', 'cruscotto.js');
    const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    try {
      // An empty DATA_DIR, as on a bare machine: the real process makes and migrates its database
      // (the one test of a child process doing so; the others start on a migrated copy).
      const a = spawnSync(process.execPath, [bin, 'user', 'add', '--email', 'capo@udp.example', '--ruolo', 'udp'], { env, input: 'frase scelta da me\n', encoding: 'utf8' });
      expect([a.status, a.stderr]).toEqual([0, '']);
      expect(a.stdout).toMatch(/Password impostata da stdin/);
      const b = spawnSync(process.execPath, [bin, 'user', 'add', '--email', 'vice@udp.example', '--ruolo', 'udp'], { env, input: '', encoding: 'utf8' });
      expect(b.status).toBe(0);
      expect(b.stdout).toMatch(/Password monouso .*: [a-km-zA-HJ-NP-Z2-9]{16}\n/);
      const db = await openDb({ pgliteDir: path.join(dataDir, 'db') });
      try {
        const row = await db.knex('utenti').where({ email: 'capo@udp.example' }).first();
        expect(await verifyPassword('frase scelta da me', row.password_hash)).toBe(true);
      } finally {
        await db.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
