/**
 * The breakdowns of the people taken in charge (docs/analisi.md, "Persone prese in carico"), on
 * hand-made cartelle, both engines. The people and the registry are those of
 * test/analisi/ripartizioni-dati.ts (P1 F born 2008-01-01 in Italy, registry without sesso; P2 CF
 * M but registry F, born 1960-06-15 in Morocco; P3 an invalid CF; P4 M born 2000-02-29 in
 * Romania), plus P6 (CF M, born 1990-03-01 in Italy).
 *
 * cartelle                               members (start)
 *   K1 Lodi    opened 2020-01-01          P1 (none: the opening), P6 (none; row's birth 1991-01-01)
 *   K2 Lodi    opened 2025-12-31          P1 (none), P2 (2025-12-31), P6 (row's birth 1950-01-01)
 *   K3 Lodi    opened 2026-01-01          P4 (none)
 *   K4 Brembio opened 2024-05-01          P3 (none; rows' births 1940-12-31 and none), P4 (2026-01-01)
 *
 * At 2025-12-31 (year 2025): Lodi P1, P2, P6 (K2 opened on the day counts; P1 once though in two
 * cartelle); Brembio P3 (P4's membership starts the day after). 4 people:
 *   sesso   F 2 (P1 from the CF, P2 from the registry), M 1 (P6), not known 1 (P3)
 *   band    0-17 1 (P1 is 17 the day before 18), 25-34 1 (P6: the row's birth date, 34; the other
 *           row says 75, the youngest band is kept), 65-74 1 (P2, 65), 85+ 1 (P3, 85 on the day)
 *   country IT 2, Z330 1, not known 1
 * At 2026-01-01: P4 joins in Lodi (K3) and in Brembio (K4): once per comune, 6 in all; P1 turns
 * 18 that day (18-24).
 */
import { describeDb } from '../support/db';
import { caricaContesto, Contesto } from '../../server/cruscotto/contesto';
import { TABELLE } from '../../server/analisi/ripartizioni';
import { leggiPreseInCarico, sommaComuni, TABELLE_SOCIALI, tabelleSociali, totaleSociali } from '../../server/analisi/ripartizioni-sociali';
import { parseRipartizioni } from '../../server/analisi/ripartizioni-parametri';
import { leggiSociali } from '../../server/cruscotto/sociali';
import type { Utente } from '../../server/auth/tipi';
import { buildCf } from '../../server/shared/cf';
import type { Database } from '../../server/db';
import { BREMBIO, caricaRipartizioni, LODI, P1, P2, P3, P4 } from './ripartizioni-dati';

const UDP: Utente = { id: 1, email: 'u@test.example', ruolo: 'udp', codice_istat: null, operatore_id: null };
const BREMBIO_U: Utente = { id: 2, email: 'b@test.example', ruolo: 'comune', codice_istat: BREMBIO, operatore_id: null };
const OPERATORE: Utente = { id: 3, email: 'o@test.example', ruolo: 'operatore', codice_istat: null, operatore_id: 'OP1' };
const P6 = buildCf('NER', 'GIO', '1990-03-01', 'M', 'F205');

async function carica(db: Database): Promise<void> {
  await caricaRipartizioni(db);
  let riga = 1;
  const k = (id: string, istat: string, apertura: string) => ({ id_cartella: id, codice_istat: istat, data_apertura: apertura, data_chiusura: null, area_utenza: 'adulti', riga: riga++ });
  await db.knex('cartelle').insert([k('K1', LODI, '2020-01-01'), k('K2', LODI, '2025-12-31'), k('K3', LODI, '2026-01-01'), k('K4', BREMBIO, '2024-05-01')]);
  const m = (cartella: string, cf: string, valido: boolean, inizio: string | null, nascita: string | null, nascitaCf: string | null) => ({ riga: riga++, id_cartella: cartella, codice_fiscale: cf, cf_valido: valido, data_inizio: inizio, data_nascita: nascita, data_nascita_cf: nascitaCf });
  await db.knex('membri').insert([
    m('K1', P1, true, null, null, '2008-01-01'),
    m('K1', P6, true, null, '1991-01-01', '1990-03-01'),
    m('K2', P1, true, null, null, '2008-01-01'),
    m('K2', P2, true, '2025-12-31', null, '1960-06-15'),
    m('K2', P6, true, null, '1950-01-01', '1990-03-01'),
    m('K3', P4, true, null, null, '2000-02-29'),
    m('K4', P3, false, null, '1940-12-31', null),
    m('K4', P3, false, null, null, null),
    m('K4', P4, true, '2026-01-01', null, '2000-02-29'),
  ]);
}

const righe = (t: { righe: unknown[] }) => Object.fromEntries((t.righe as { codice: string; persone: unknown }[]).map((r) => [r.codice, r.persone]));

describeDb('ripartizioni delle persone prese in carico', (get) => {
  let ctx: Contesto;
  beforeAll(async () => {
    await carica(get());
    ctx = await caricaContesto(get(), '2026-11-22');
  });
  const parametri = (q: Record<string, string>, user: Utente = UDP) => parseRipartizioni(q, ctx, user, { api: true, tabelle: [...TABELLE, ...TABELLE_SOCIALI] });
  const tutti = () => ctx.comuni.map((c) => c.codice_istat);

  test("anno 2025, l'ambito: sesso, fasce d'età alla fine dell'anno e paese di nascita come calcolati a mano", async () => {
    const p = parametri({ anno: '2025' });
    const per = await leggiPreseInCarico(get(), p.al, tutti());
    const t = tabelleSociali(p, sommaComuni(per, tutti()), { proprio: null, totalePagina: undefined });
    expect(t.totale).toBe(4);
    const [sesso, eta, nascita] = t.tabelle;
    expect(t.tabelle.map((x) => x.id)).toEqual(['prese_sesso', 'prese_eta', 'prese_nascita']);
    expect(righe(sesso)).toEqual({ F: 2, M: 1, '': 1 });
    expect(righe(eta)).toEqual({ '0-17': 1, '18-24': 0, '25-34': 1, '35-44': 0, '45-54': 0, '55-64': 0, '65-74': 1, '75-84': 0, '85+': 1, '': 0 });
    expect(righe(nascita)).toEqual({ IT: 2, Z330: 1, '': 1 });
    for (const x of t.tabelle) expect(x.totale).toEqual({ categoria: 'Totale', persone: 4 });
    expect(t.grafici[0]).toMatchObject({ id: 'grafico_prese_sesso', categorie: ['Femmine', 'Maschi', 'Non indicato'], serie: [{ dati: [2, 1, 1] }] });
    // Per comune: Lodi 3, Brembio 1.
    expect([totaleSociali(sommaComuni(per, [LODI])), totaleSociali(sommaComuni(per, [BREMBIO]))]).toEqual([3, 1]);
  });

  test('il totale è la cifra «prese in carico» della pagina Dati sociali, comune per comune', async () => {
    for (const anno of [2025, 2026]) {
      const per = await leggiPreseInCarico(get(), `${anno}-12-31`, tutti());
      const sociali = await leggiSociali(get(), anno, '2026-11-22');
      for (const c of tutti()) {
        const pagina = [...(sociali.misure.get('prese_in_carico')?.get(c)?.values() ?? [])].reduce((a, n) => a + n, 0);
        expect([anno, c, totaleSociali(sommaComuni(per, [c]))]).toEqual([anno, c, pagina]);
      }
    }
  });

  test("dal/al al 2026-01-01: chi entra quel giorno conta in ogni suo comune; il compleanno dei 18 anni sposta la fascia il giorno stesso", async () => {
    const p = parametri({ dal: '2025-06-01', al: '2026-01-01' });
    const per = await leggiPreseInCarico(get(), p.al, tutti());
    expect([totaleSociali(sommaComuni(per, [LODI])), totaleSociali(sommaComuni(per, [BREMBIO]))]).toEqual([4, 2]);
    const t = tabelleSociali(p, sommaComuni(per, tutti()), { proprio: null, totalePagina: undefined });
    expect(righe(t.tabelle[1])).toMatchObject({ '0-17': 0, '18-24': 1, '25-34': 2, '35-44': 1, '65-74': 1, '85+': 1 });
    expect(righe(t.tabelle[2])).toEqual({ IT: 2, Z129: 2, Z330: 1, '': 1 });
  });

  test("fuori dall'UdP: il proprio comune per intero; l'ambito con la sorte della pagina Dati sociali, nessun 1 o 2 visibile se non tutto del proprio comune", async () => {
    const proprio = parametri({ anno: '2025', comune: BREMBIO }, BREMBIO_U);
    const per = await leggiPreseInCarico(get(), proprio.al, tutti());
    expect(righe(tabelleSociali(proprio, sommaComuni(per, [BREMBIO]), { proprio: null, totalePagina: undefined }).tabelle[0])).toEqual({ F: 0, M: 0, '': 1 });
    for (const [user, own] of [[OPERATORE, null], [BREMBIO_U, BREMBIO]] as const) {
      const p = parametri({ anno: '2025' }, user);
      expect(p.pieno).toBe(false);
      const mio = own ? sommaComuni(per, [own]) : null;
      const t = tabelleSociali(p, sommaComuni(per, tutti()), { proprio: mio, totalePagina: 4 });
      expect(t.totale).toBe(4);
      for (const x of t.tabelle) {
        for (const r of x.righe as { codice: string; persone: unknown }[]) {
          if (r.persone === 1 || r.persone === 2) {
            const dim = ({ prese_sesso: 'sesso', prese_eta: 'fascia', prese_nascita: 'nascita' } as const)[x.id as 'prese_sesso'];
            expect([user.ruolo, x.id, r.codice, mio?.get(dim)!.get(r.codice)]).toEqual([user.ruolo, x.id, r.codice, r.persone]);
          }
        }
      }
      // Hidden on /sociali: hidden here too, and no breakdown.
      const nascosto = tabelleSociali(p, sommaComuni(per, tutti()), { proprio: mio, totalePagina: 'riservato' });
      expect(nascosto.totale).toBe('riservato');
      expect(nascosto.tabelle.every((x) => x.righe.length === 0)).toBe(true);
      expect(nascosto.avvisi[0]).toContain('riservate anche nella pagina Dati sociali');
    }
  });
});
