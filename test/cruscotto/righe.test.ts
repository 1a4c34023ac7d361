/**
 * Long tables on a page: the first RIGHE_PAGINA rows in the table's order and a link to all of
 * them (`tutte=1`); the JSON and CSV twins always carry every row.
 */
import { RIGHE_PAGINA, vistaTabella } from '../../server/cruscotto/presentazione';
import type { Tabella } from '../../server/cruscotto/tabella';
import { describeDb, truncateAll } from '../support/db';
import { seedComuni } from '../support/fixtures';
import { createUser } from '../../server/auth/utenti';
import { signedIn, startServer, testContext, TestServer } from '../auth/helpers';
import type { Utente } from '../../server/auth/tipi';

const tabella = (n: number): Tabella => ({
  id: 'comuni',
  titolo: 'Comuni',
  colonne: [
    { chiave: 'comune', etichetta: 'Comune', tipo: 'testo' },
    { chiave: 'n', etichetta: 'N', tipo: 'numero' },
  ],
  righe: Array.from({ length: n }, (_, i) => ({ comune: `Comune ${i + 1}`, n: n - i })),
  totali: [{ comune: 'Totale', n: (n * (n + 1)) / 2 }],
});

describe('righe di una tabella lunga', () => {
  test(`fino a ${RIGHE_PAGINA} righe si vedono tutte, senza avviso`, () => {
    const v = vistaTabella(tabella(RIGHE_PAGINA), () => undefined, '/api/x?formato=csv', { tutte: '/?tutte=1' });
    expect(v.righe).toHaveLength(RIGHE_PAGINA);
    expect(v.troncata).toBeUndefined();
  });

  test('oltre: le prime righe nel loro ordine, il totale intero e il link a tutte', () => {
    const v = vistaTabella(tabella(1500), () => undefined, '/api/x?formato=csv', { tutte: '/?tutte=1#sezione-comuni' });
    expect(v.righe).toHaveLength(RIGHE_PAGINA);
    expect(v.righe[0].celle.map((c) => c.testo)).toEqual(['Comune 1', '1.500']);
    expect(v.righe[RIGHE_PAGINA - 1].celle[0].testo).toBe(`Comune ${RIGHE_PAGINA}`);
    // The total is the whole table's (1 + ... + 1500), not the shown rows'.
    expect(v.totali[0].celle[1].testo).toBe('1.125.750');
    expect(v.troncata).toEqual({ mostrate: '100', totale: '1.500', tutte: '/?tutte=1#sezione-comuni' });
  });

  test('con tutte=1 (nessun limite) si vedono tutte le righe', () => {
    const v = vistaTabella(tabella(1500), () => undefined, null);
    expect(v.righe).toHaveLength(1500);
    expect(v.troncata).toBeUndefined();
  });
});

describeDb('parametro tutte', (get) => {
  let server: TestServer;
  let udp: Utente;
  let ctx: ReturnType<typeof testContext>;

  beforeAll(async () => {
    await truncateAll(get());
    await seedComuni(get());
    ctx = testContext(get());
    udp = (await createUser(get(), { email: 'udp@test.example', ruolo: 'udp', password: 'password-dei-test' })).utente;
    server = await startServer(ctx);
  });
  afterAll(async () => server?.close());

  test.each([
    ['/?tutte=1', 200],
    ['/sportello?tutte=1&anno=2025', 200],
    ['/?tutte=2', 400],
    ['/api/panoramica?tutte=1', 400],
  ])('%s → %d', async (path, stato) => {
    const { browser } = await signedIn(ctx, server.url, udp);
    const r = await browser.get(path);
    expect(r.status).toBe(stato);
    if (stato === 400) expect(path.startsWith('/api/') ? JSON.parse(r.text).errore : r.text).toContain('tutte');
  });
});
