/**
 * The commands, in-process on an embedded database in a temporary DATA_DIR: importing the second
 * registry snapshot runs the `variazioni` job (after-import hook), `cruscotto report variazioni`
 * prints what it found in the JSON of docs/interfacce.md, `cruscotto run variazioni` finds nothing
 * new.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/cli';
import { csv, tempFiles } from '../support/files';
import { anagrafeCsv, LODI, T0, T1 } from './helpers';
import { P, T0_RIGHE, T1_RIGHE } from './scenario';

describe('cruscotto: variazioni anagrafiche [pglite]', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cruscotto-cli-var-'));
  const files = tempFiles({
    'comuni.csv': csv([['codice_istat', 'nome', 'popolazione', 'distretto'], [LODI, 'Lodi', 45000, 'Lodi']]),
    'siz/estrazione.txt': '2026-11-21\n',
    'siz/cartelle.csv': csv([
      ['id_cartella', 'codice_istat', 'data_apertura', 'data_chiusura', 'operatore_id'],
      ['C1', LODI, '2025-01-10', null, 'OP1'],
      ['C3', LODI, '2025-01-10', null, 'OP2'],
      ['C4', LODI, '2025-01-10', null, 'OP3'],
    ]),
    'siz/membri.csv': csv([
      ['id_cartella', 'codice_fiscale'],
      ['C1', P.mario.cf],
      ['C3', P.piero.cf],
      ['C4', P.elsa.cf],
    ]),
    'siz/operatori.csv': csv([
      ['operatore_id', 'nome', 'cognome', 'email'],
      ['OP1', 'Ada', 'Uno', 'op1@servizi.example'],
      ['OP2', 'Bea', 'Due', 'op2@servizi.example'],
      ['OP3', 'Cleo', 'Tre', null],
    ]),
    't0/anagrafe.csv': anagrafeCsv(T0_RIGHE),
    't1/anagrafe.csv': anagrafeCsv(T1_RIGHE),
  });
  const prev = { DATA_DIR: process.env.DATA_DIR, SMTP_URL: process.env.SMTP_URL, DATABASE_URL: process.env.DATABASE_URL };
  beforeAll(() => {
    process.env.DATA_DIR = dataDir;
    delete process.env.SMTP_URL;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(prev)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  });

  test('importare il secondo snapshot calcola le variazioni; il report le elenca con cartelle e operatori', async () => {
    for (const args of [
      ['import', 'comuni', path.join(files, 'comuni.csv')],
      ['import', 'siz', path.join(files, 'siz')],
      ['import', 'anagrafe', path.join(files, 't0/anagrafe.csv'), '--data', T0],
    ]) {
      const r = await runCli(args);
      expect([args.join(' '), r.code, r.err]).toEqual([args.join(' '), 0, '']);
    }
    const t1 = await runCli(['import', 'anagrafe', path.join(files, 't1/anagrafe.csv'), '--data', T1]);
    expect(t1.code).toBe(0);
    expect(t1.out).toContain('Variazioni anagrafiche: 1 confronto tra snapshot (1 comune); 8 variazioni, 4 allarmi.');
    expect(t1.out).toContain('2 riepiloghi e-mail in coda (3 allarmi)');
    expect(t1.out).toContain("1 allarme di operatori senza e-mail: solo nell'applicazione");

    const r = await runCli(['report', 'variazioni', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    const per = (cf: string, tipo: string) => doc.variazioni.find((v: { codice_fiscale: string; tipo: string }) => v.codice_fiscale === cf && v.tipo === tipo);
    expect(doc.variazioni).toHaveLength(8);
    expect(per(P.elsa.cf, 'decesso')).toEqual({ tipo: 'decesso', codice_fiscale: P.elsa.cf, codice_istat: LODI, data_precedente: T0, data_snapshot: T1, cartelle: ['C4'], operatori: ['OP3'] });
    expect(per(P.bimbo.cf, 'nascita')).toMatchObject({ cartelle: ['C1'], operatori: ['OP1'] });
    expect(per(P.dario.cf, 'cambio_indirizzo')).toMatchObject({ cartelle: [], operatori: [] });
    expect(doc.notifiche.map((n: { operatore_id: string; allarmi: number; notifica: string; messaggio: { stato: string } | null }) => [n.operatore_id, n.allarmi, n.notifica, n.messaggio?.stato ?? null])).toEqual([
      ['OP1', 1, 'email', 'in_attesa'],
      ['OP2', 2, 'email', 'in_attesa'],
      ['OP3', 1, 'senza_email', null],
    ]);

    const testo = await runCli(['report', 'variazioni', '--comune', LODI]);
    expect(testo.out).toContain(`${LODI}  ${T0} → ${T1}  Decesso`);
    expect(testo.out).toContain('Operatore OP3: 1 allarme, 0 presi in visione; operatore senza e-mail');
    expect((await runCli(['report', 'variazioni', '--comune', '098010'])).out).toContain('Nessuna variazione anagrafica');
  }, 120_000);

  test('cruscotto run variazioni non trova nulla di nuovo; uso sbagliato = codice 2', async () => {
    const r = await runCli(['run', 'variazioni', '--oggi', '2026-11-23']);
    expect([r.code, r.out.trim()]).toEqual([0, 'Variazioni anagrafiche: nessuno snapshot nuovo da confrontare.']);
    expect((await runCli(['report', 'variazioni', '--comune', '98031'])).code).toBe(2);
    expect((await runCli(['report', 'variazioni', 'extra'])).code).toBe(2);
  }, 60_000);
});
