/**
 * Time and peak memory of a SIZ extract uploaded and imported through the upload pages (HTTP),
 * on PostgreSQL: the real server (`cruscotto serve`) in its own process, the files sent as the
 * browser sends them (multipart, streamed from disk), the dry run, then "Carica".
 *
 *   node --require ./bin/tsx-register.js bench/caricamento-web.ts SIZ_DIR [DATABASE_URL]
 *
 * SIZ_DIR: a folder made by `cruscotto genera DIR --scala ambito|regione` (its siz/ subfolder).
 * DATABASE_URL: a database of its own (default postgres://postgres@127.0.0.1:5432/i16_caricamento,
 * created when missing); its public schema is emptied first. Peak RSS is the server process's
 * VmHWM (Linux), read after each step.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const BIN = path.resolve(__dirname, '..', 'bin', 'cruscotto.js');
const PW = 'una frase lunga per la misura';

function hwm(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

async function preparaDb(url: string): Promise<void> {
  const u = new URL(url);
  const nome = u.pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const c = await admin.query('select 1 from pg_database where datname = $1', [nome]);
  if (!c.rowCount) await admin.query(`create database "${nome.replace(/"/g, '')}"`);
  await admin.end();
  const db = new Client({ connectionString: url });
  await db.connect();
  await db.query('drop schema if exists public cascade; create schema public');
  await db.end();
}

async function main(): Promise<void> {
  const [dir, url = 'postgres://postgres@127.0.0.1:5432/i16_caricamento'] = process.argv.slice(2);
  const siz = fs.existsSync(path.join(dir, 'siz')) ? path.join(dir, 'siz') : dir;
  const files = ['cartelle.csv', 'membri.csv', 'prestazioni.csv', 'accessi.csv', 'operatori.csv', 'estrazione.txt'].filter((f) => fs.existsSync(path.join(siz, f)));
  const byte = files.reduce((n, f) => n + fs.statSync(path.join(siz, f)).size, 0);
  await preparaDb(url);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-caricamento-'));
  const env = { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, SESSION_SECRET: 'segreto-del-benchmark', PORT: '0', LOG_LEVEL: 'warn', CARICAMENTI_MAX_MB: '8192' };
  const migr = spawnSync(process.execPath, [BIN, 'migrate'], { env, encoding: 'utf8' });
  if (migr.status !== 0) throw new Error(migr.stderr);
  // The comuni first (an import of the CLI): the census and the checks want them; not measured.
  spawnSync(process.execPath, [BIN, 'import', 'comuni', path.join(dir, 'comuni.csv')], { env, encoding: 'utf8' });
  const add = spawnSync(process.execPath, [BIN, 'user', 'add', '--email', 'bench@udp.example', '--ruolo', 'udp'], { env, input: `${PW}\n`, encoding: 'utf8' });
  if (add.status !== 0) throw new Error(add.stderr);

  const server = spawn(process.execPath, [BIN, 'serve', '--no-scheduler'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d) => {
      out += d;
      const m = /in ascolto su (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.once('exit', (c) => reject(new Error(`server uscito (${c})`)));
  });
  const pid = server.pid!;
  const riposo = hwm(pid);
  try {
    // Login as a browser does.
    const l = await fetch(`${base}/login`);
    const cookiePre = l.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrfPre = /name="_csrf" value="([0-9a-f]+)"/.exec(await l.text())![1];
    const login = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: cookiePre, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrfPre, email: 'bench@udp.example', password: PW }) });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => c.startsWith('cruscotto_sessione=')).join('; ');
    const csrf = /name="_csrf" value="([0-9a-f]+)"/.exec(await (await fetch(`${base}/caricamenti/siz`, { headers: { cookie } })).text())![1];

    const form = new FormData();
    for (const f of files) form.append('file', await fs.openAsBlob(path.join(siz, f)), f);
    const t0 = Date.now();
    const up = await fetch(`${base}/caricamenti/siz`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie, 'x-csrf-token': csrf } });
    const invio_s = (Date.now() - t0) / 1000;
    if (up.status !== 303) throw new Error(`invio: ${up.status} ${(await up.text()).slice(0, 500)}`);
    const dopoInvio = hwm(pid);
    const id = /\/caricamento\/(\d+)/.exec(up.headers.get('location')!)![1];
    const attendi = async (stato: string) => {
      for (;;) {
        const j = (await (await fetch(`${base}/api/caricamento/${id}`, { headers: { cookie } })).json()) as { stato: string; messaggio: string | null; errori: string[] | null };
        if (j.stato !== stato) return j;
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    const v = await attendi('verifica');
    const verifica_s = (Date.now() - t0) / 1000 - invio_s;
    const dopoVerifica = hwm(pid);
    if (v.stato !== 'verificato') throw new Error(`verifica: ${v.stato} ${v.messaggio} ${JSON.stringify(v.errori?.slice(0, 5))}`);
    const t1 = Date.now();
    const c = await fetch(`${base}/caricamento/${id}/carica`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }) });
    if (c.status !== 303) throw new Error(`carica: ${c.status}`);
    const fine = await attendi('caricamento');
    const carica_s = (Date.now() - t1) / 1000;
    if (fine.stato !== 'caricato') throw new Error(`carica: ${fine.stato} ${fine.messaggio}`);
    const risultato = {
      file: files,
      mb: Math.round(byte / 1024 / 1024),
      invio_s,
      verifica_s: Math.round(verifica_s * 10) / 10,
      carica_s: Math.round(carica_s * 10) / 10,
      totale_s: Math.round((invio_s + verifica_s + carica_s) * 10) / 10,
      rss_picco_mb: { avvio: riposo, dopo_invio: dopoInvio, dopo_verifica: dopoVerifica, dopo_caricamento: hwm(pid) },
      messaggio: fine.messaggio,
      loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
    console.log(JSON.stringify(risultato, null, 2));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
