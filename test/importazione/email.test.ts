/**
 * One e-mail address check for imports and forms (server/shared/email.ts): the same address
 * is refused by comuni.csv, scadenze.csv, the account form and the comune's contacts.
 */
import { describeDb, truncateAll } from '../support/db';
import { csv, tempFiles } from '../support/files';
import { seedComuni } from '../support/fixtures';
import { emailValida, emailNonValide, separaEmail } from '../../server/shared/email';
import { importComuni } from '../../server/importazione/comuni';
import { importScadenze } from '../../server/importazione/scadenze';
import { ImportRejected } from '../../server/importazione/problemi';
import { createUser } from '../../server/auth/utenti';
import { validaIndirizzi } from '../../server/contatti/service';

const FORMULA = '=HYPERLINK("http://x")@x.test';

describe('the address check', () => {
  test.each(['mario.rossi@comune.lodi.lo.it', 'protocollo@pec.comune.brembio.lo.it', 'a+b@x.it', "o'brien@x.it", 'ufficio_piano@ambito-lodi.it'])('valid: %s', (a) => {
    expect(emailValida(a)).toBe(true);
  });
  test.each([FORMULA, '+cmd@x.it', '-x@x.it', '@x.it', 'a@b', 'a b@x.it', '"a"@x.it', 'a..b@x.it', '.a@x.it', 'a.@x.it', 'a@-x.it', 'a@x-.it', 'a@x.123', 'a@x..it', 'a@@x.it', 'a(b)@x.it', 'a:b@x.it', `${'a'.repeat(65)}@x.it`, `a@${'b'.repeat(250)}.it`])('refused: %s', (a) => {
    expect(emailValida(a)).toBe(false);
  });
  test('a field: split on , and ;, lower case, no repeats; the bad ones listed', () => {
    expect(separaEmail(' A@x.it; b@y.it,a@x.it ,, ')).toEqual(['a@x.it', 'b@y.it']);
    expect(emailNonValide(`a@x.it; ${FORMULA}`)).toEqual([FORMULA.toLowerCase()]);
  });
});

describeDb('the same check on every way in', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedComuni(get());
  });

  test('comuni.csv: a formula as an address is a format error at its line and column; nothing changes', async () => {
    const prima = await get().knex('comuni').orderBy('codice_istat').select('codice_istat', 'email');
    const dir = tempFiles({
      'comuni.csv': csv([
        ['codice_istat', 'nome', 'popolazione', 'distretto', 'email'],
        ['098031', 'Lodi', 45000, 'Lodi', 'Protocollo@Comune.Lodi.it, sociali@comune.lodi.it'],
        ['098010', 'Brembio', 2800, 'Lodi', FORMULA],
      ]),
    });
    const err = await importComuni(get(), `${dir}/comuni.csv`).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ImportRejected);
    expect((err as ImportRejected).problemLines()).toEqual([`comuni.csv:3:5: email: indirizzo e-mail non valido "${FORMULA.toLowerCase()}" (separare più indirizzi con ; o ,)`]);
    expect(await get().knex('comuni').orderBy('codice_istat').select('codice_istat', 'email')).toEqual(prima);
  });

  test('comuni.csv: good addresses are stored lower case, "; "-joined', async () => {
    const dir = tempFiles({ 'comuni.csv': csv([['codice_istat', 'nome', 'popolazione', 'distretto', 'email'], ['098031', 'Lodi', 45000, 'Lodi', 'Protocollo@Comune.Lodi.it, sociali@comune.lodi.it']]) });
    await importComuni(get(), `${dir}/comuni.csv`);
    expect(await get().knex('comuni').where({ codice_istat: '098031' }).first('email')).toEqual({ email: 'protocollo@comune.lodi.it; sociali@comune.lodi.it' });
  });

  test('scadenze.csv: the same refusal', async () => {
    const dir = tempFiles({ 'scadenze.csv': csv([['codice_istat', 'tipo', 'data_scadenza', 'email'], ['098031', 'censimento', '2027-03-31', FORMULA]]) });
    const err = await importScadenze(get(), `${dir}/scadenze.csv`).then(() => null, (e: unknown) => e);
    expect((err as ImportRejected).problemLines()).toEqual([expect.stringMatching(/^scadenze\.csv:2:4: email: indirizzo e-mail non valido/)]);
  });

  test('forms: an account and a comune\'s contacts refuse it too', async () => {
    await expect(createUser(get(), { email: FORMULA, ruolo: 'udp', password: 'password-dei-test' })).rejects.toThrow('indirizzo e-mail non valido');
    expect(() => validaIndirizzi(`a@x.it; ${FORMULA}`)).toThrow('Indirizzo non valido');
  });
});
