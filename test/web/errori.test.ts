/**
 * One error base (server/shared/errori.ts): every error class of server/ and jobs/ extends
 * AppError, and the web handler (server/web/gestore-errori.ts) answers by `instanceof`: the
 * status of the error, its message when it is written for the user, a generic one otherwise.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import express from 'express';
import pino from 'pino';
import { AppError } from '../../server/shared/errori';
import { HttpError } from '../../server/web/errori';
import { AccessoNegato } from '../../server/auth/permessi';
import { ImportRejected } from '../../server/importazione/problemi';
import { ContattoNonValido } from '../../server/contatti/service';
import { gestoreErrori } from '../../server/web/gestore-errori';
import type { AppContext } from '../../server/context';

const ROOT = path.resolve(__dirname, '..', '..');

function sorgenti(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sorgenti(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

test('no error class of server/ and jobs/ extends Error directly: only the base does', () => {
  const dirette = sorgenti(path.join(ROOT, 'server'))
    .concat(sorgenti(path.join(ROOT, 'jobs')))
    .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/class (\w+) extends Error\b/g)].map((m) => `${path.relative(ROOT, f)}: ${m[1]}`));
  expect(dirette).toEqual(['server/shared/errori.ts: AppError']);
});

test('the base: status, whether the message can be shown, the name of the subclass', () => {
  const e = new ImportRejected([], 0);
  expect(e).toBeInstanceOf(AppError);
  expect([e.status, e.mostrabile, e.name]).toEqual([400, true, 'ImportRejected']);
  expect([new AccessoNegato().status, new HttpError(409, 'x').status]).toEqual([403, 409]);
  const interno = new AppError('dettaglio tecnico');
  expect([interno.status, interno.mostrabile]).toEqual([500, false]);
  expect(new AppError('x', { status: 503, mostrabile: true }).mostrabile).toBe(true);
});

describe('the web handler answers by instanceof', () => {
  let url = '';
  let server: http.Server;
  const errori: Record<string, () => unknown> = {
    contatto: () => new ContattoNonValido('Indirizzo non valido: x@'),
    negato: () => new AccessoNegato(),
    aiuto: () => new AppError('Il file è troppo grande.', { status: 413, aiuto: 'Dividerlo in due parti.' }),
    interno: () => new AppError('SELECT segreto FROM tabella'),
    estraneo: () => new TypeError('Cannot read properties of undefined'),
    corpo: () => Object.assign(new Error('Unexpected token } in JSON at position 7'), { status: 400, expose: true }),
  };
  beforeAll(async () => {
    const app = express();
    app.get('/api/:nome', (req, _res, next) => next(errori[req.params.nome]()));
    app.use(gestoreErrori({ log: pino({ level: 'silent' }) } as unknown as AppContext));
    server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test.each([
    ['contatto', 400, 'Indirizzo non valido: x@'],
    ['negato', 403, 'Accesso negato: il tuo profilo non può vedere questa pagina.'],
    ['aiuto', 413, 'Il file è troppo grande. Dividerlo in due parti.'],
    ['interno', 500, 'Errore interno: il problema è stato registrato.'],
    ['estraneo', 500, 'Errore interno: il problema è stato registrato.'],
    ['corpo', 400, 'Richiesta non valida.'],
  ])('%s: %i «%s»', async (nome, status, messaggio) => {
    const r = await fetch(`${url}/api/${nome}`);
    expect(r.status).toBe(status);
    expect(await r.json()).toEqual({ errore: messaggio });
  });
});
