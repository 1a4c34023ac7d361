import { calcolaVariazioni } from '../../server/variazioni/calcolo';
import { elencoAllarmi, prendiVisione, riepilogoUdp } from '../../server/variazioni/allarmi';
import { eseguiVariazioni, reportVariazioni, sintesi } from '../../server/variazioni/service';
import { COMPITO_DECESSO } from '../../server/variazioni/tipi';
import { fixedClock } from '../../server/context';
import { testContext } from '../auth/helpers';
import { describeDb, truncateAll } from '../support/db';
import { allarmi, cartella, cleanupFiles, importa, LODI, ORA, T0, T1, v, variazioni } from './helpers';
import { DATI_PERSONALI, P, seedScenario, T0_RIGHE, T1_RIGHE } from './scenario';

const DAY = 86_400_000;

describeDb('variazioni: allarmi agli operatori', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedScenario(get());
  });
  afterAll(cleanupFiles);

  test('ogni coppia (variazione, cartella aperta a T1) è un allarme per l\'operatore della cartella', async () => {
    const res = await calcolaVariazioni(get(), { ora: ORA });
    expect(res.find((r) => r.data_precedente === T0)).toMatchObject({ variazioni: 8, allarmi: 6 });
    expect(await variazioni(get())).toEqual(
      [
        v(LODI, P.bimbo, 'nascita'),
        v(LODI, P.giulia, 'decesso'),
        v(LODI, P.marco, 'cambio_famiglia'),
        v(LODI, P.marco, 'cambio_indirizzo'),
        v(LODI, P.elsa, 'decesso'),
        v(LODI, P.bruno, 'emigrazione'),
        v(LODI, P.carla, 'cambio_indirizzo'),
        v(LODI, P.dario, 'cambio_indirizzo'),
      ].sort(),
    );
    expect(await allarmi(get())).toEqual(
      [
        `nascita ${P.bimbo.cf} -> C1 OP1`,
        `nascita ${P.bimbo.cf} -> C6 OP1`,
        `cambio_famiglia ${P.marco.cf} -> C3 OP2`,
        `cambio_indirizzo ${P.marco.cf} -> C3 OP2`,
        `decesso ${P.elsa.cf} -> C4 OP3`,
        `emigrazione ${P.bruno.cf} -> C5 null`,
      ].sort(),
    );
  });

  test('un neonato nella famiglia del titolare fa scattare l\'allarme anche se non è in nessuna cartella', async () => {
    await calcolaVariazioni(get(), { ora: ORA });
    expect(await get().knex('membri').where('codice_fiscale', P.bimbo.cf).count('* as n')).toEqual([{ n: 0 }]);
    const [a] = await elencoAllarmi(get(), 'OP1', { tipo: 'nascita' }).then((l) => l.filter((x) => x.id_cartella === 'C1'));
    expect(a).toMatchObject({ tipo: 'nascita', id_cartella: 'C1', compito: null, persona: { codice_fiscale: P.bimbo.cf, cognome: 'Rossi', nome: 'Luca', id_famiglia: 'F1' } });
    // The household the operatore sees: the three members of F1 at T1 (the baby had none at T0).
    expect(a.famiglia.map((f) => f.codice_fiscale).sort()).toEqual([P.mario.cf, P.anna.cf, P.bimbo.cf].sort());
    expect(a.famiglia_precedente).toEqual([]);
  });

  test('la cartella chiusa prima di T1 non riceve allarmi (nemmeno per un decesso)', async () => {
    await calcolaVariazioni(get(), { ora: ORA });
    expect((await allarmi(get())).filter((a) => a.includes(P.giulia.cf))).toEqual([]);
    expect(await get().knex('allarmi').where('id_cartella', 'C2').count('* as n')).toEqual([{ n: 0 }]);
  });

  test('chiusa esattamente a T1 non è aperta a T1; chiusa il giorno dopo sì', async () => {
    await truncateAll(get());
    await seedScenario(get(), { importa: false });
    await get().knex('cartelle').where('id_cartella', 'C4').update({ data_chiusura: T1 });
    await cartella(get(), { id: 'C9', operatore: 'OP2', chiusura: '2026-11-22', membri: [{ p: P.elsa }] });
    await importa(get(), T0, T0_RIGHE);
    await importa(get(), T1, T1_RIGHE);
    await calcolaVariazioni(get(), { ora: ORA });
    expect((await allarmi(get())).filter((a) => a.includes(P.elsa.cf))).toEqual([`decesso ${P.elsa.cf} -> C9 OP2`]);
  });

  test('un componente uscito dalla cartella prima di T0 non la fa allarmare', async () => {
    await calcolaVariazioni(get(), { ora: ORA });
    expect((await allarmi(get())).filter((a) => a.includes(P.carla.cf))).toEqual([]);
  });

  test('un decesso porta il compito "chiudere la cartella e sospendere le erogazioni" e la cartella resta aperta', async () => {
    await calcolaVariazioni(get(), { ora: ORA });
    const [a] = await elencoAllarmi(get(), 'OP3');
    expect(a).toMatchObject({ tipo: 'decesso', id_cartella: 'C4', compito: COMPITO_DECESSO, persona: { data_evento: '2026-11-21' } });
    expect(COMPITO_DECESSO).toBe('chiudere la cartella e sospendere le erogazioni');
    expect(await get().knex('cartelle').where('id_cartella', 'C4').first('data_chiusura')).toEqual({ data_chiusura: null });
  });

  test('un operatore vede solo i propri allarmi e può prendere visione solo dei propri', async () => {
    await calcolaVariazioni(get(), { ora: ORA });
    const op1 = await elencoAllarmi(get(), 'OP1');
    const op2 = await elencoAllarmi(get(), 'OP2');
    expect(op1.map((a) => a.id_cartella).sort()).toEqual(['C1', 'C6']);
    expect(op2.map((a) => `${a.tipo} ${a.id_cartella}`).sort()).toEqual(['cambio_famiglia C3', 'cambio_indirizzo C3']);
    expect(await elencoAllarmi(get(), 'OP9')).toEqual([]);

    const chi = { utente_id: 7, email: 'op1@servizi.example', operatore_id: 'OP1' };
    const quando = new Date(ORA.getTime() + 3600_000);
    expect(await prendiVisione(get(), chi, op2.map((a) => a.id), quando)).toBe(0);
    expect(await get().knex('allarmi').whereNotNull('preso_visione_il').count('* as n')).toEqual([{ n: 0 }]);

    expect(await prendiVisione(get(), chi, [op1[0].id, op1[1].id, op2[0].id], quando)).toBe(2);
    const visti = await get().knex('allarmi').whereNotNull('preso_visione_il').orderBy('id').select('id_cartella', 'preso_visione_da', 'preso_visione_email', 'preso_visione_il');
    expect(visti).toEqual([
      { id_cartella: 'C1', preso_visione_da: 7, preso_visione_email: 'op1@servizi.example', preso_visione_il: quando },
      { id_cartella: 'C6', preso_visione_da: 7, preso_visione_email: 'op1@servizi.example', preso_visione_il: quando },
    ]);
    // A second acknowledgement keeps the first who and when.
    expect(await prendiVisione(get(), { ...chi, utente_id: 8 }, [op1[0].id], new Date(quando.getTime() + DAY))).toBe(0);
    expect(await get().knex('allarmi').where('id', op1[0].id).first('preso_visione_da')).toEqual({ preso_visione_da: 7 });
  });

  test('gli allarmi non visti vengono prima, poi i visti; il filtro per tipo', async () => {
    await calcolaVariazioni(get(), { ora: ORA });
    const [c3famiglia, c3indirizzo] = (await elencoAllarmi(get(), 'OP2')).sort((a, b) => a.tipo.localeCompare(b.tipo));
    await prendiVisione(get(), { utente_id: 1, email: 'op2@servizi.example', operatore_id: 'OP2' }, [c3famiglia.id], ORA);
    expect((await elencoAllarmi(get(), 'OP2')).map((a) => [a.tipo, a.preso_visione_il != null])).toEqual([
      ['cambio_indirizzo', false],
      ['cambio_famiglia', true],
    ]);
    expect((await elencoAllarmi(get(), 'OP2', { tipo: 'cambio_indirizzo' })).map((a) => a.id)).toEqual([c3indirizzo.id]);
    expect(await elencoAllarmi(get(), 'OP2', { tipo: 'decesso' })).toEqual([]);
  });
});

describeDb('variazioni: riepiloghi e-mail e quadro dell\'Ufficio di Piano', (get) => {
  beforeEach(async () => {
    await truncateAll(get());
    await seedScenario(get());
  });
  afterAll(cleanupFiles);

  const ctxAt = (day = '2026-11-22') => testContext(get(), { clock: fixedClock(day), env: { BASE_URL: 'https://cruscotto.example' } });

  test('un riepilogo per operatore con e-mail; senza e-mail o senza operatore solo nell\'applicazione', async () => {
    const e = await eseguiVariazioni(ctxAt());
    expect(e.digest).toEqual({ email: 2, allarmi_in_email: 4, senza_email: 1, senza_operatore: 1 });
    const posta = await get().knex('posta').orderBy('destinatario').select('tipo', 'destinatario', 'chiave', 'oggetto', 'testo', 'codice_istat');
    expect(posta.map((m) => [m.tipo, m.destinatario, m.codice_istat])).toEqual([
      ['variazioni', 'op1@servizi.example', LODI],
      ['variazioni', 'op2@servizi.example', LODI],
    ]);
    expect(posta[0].chiave).toMatch(/^variazioni:OP1:\d+-\d+:2$/);
    expect(posta[0].oggetto).toBe('Variazioni anagrafiche: 2 notifiche sui casi in carico');
    expect(posta[0].testo).toContain('- Nascita, anagrafe del 21/11/2026, cartella C1');
    expect(posta[0].testo).toContain('- Nascita, anagrafe del 21/11/2026, cartella C6');
    expect(posta[0].testo).toContain('https://cruscotto.example/notifiche');
    const stati = await get().knex('allarmi').orderBy('id_cartella').orderBy('id').select('id_cartella', 'notifica');
    expect(stati.map((s) => `${s.id_cartella}:${s.notifica}`)).toEqual(['C1:email', 'C3:email', 'C3:email', 'C4:senza_email', 'C5:senza_operatore', 'C6:email']);
    expect(sintesi(e).conteggi).toMatchObject({ confronti: 1, primi_snapshot: 1, variazioni: 8, allarmi: 6, email: 2, senza_email: 1, senza_operatore: 1 });
  });

  test('un decesso: l\'oggetto lo dice e il testo porta il compito, senza dati della persona', async () => {
    await get().knex('operatori').where('operatore_id', 'OP3').update({ email: 'op3@servizi.example' });
    await eseguiVariazioni(ctxAt());
    const m = await get().knex('posta').where('destinatario', 'op3@servizi.example').first();
    expect(m.oggetto).toBe('Variazioni anagrafiche: 1 notifica sui casi in carico (1 decesso: azione richiesta)');
    expect(m.testo).toContain('- Decesso, anagrafe del 21/11/2026, cartella C4: chiudere la cartella e sospendere le erogazioni');
    expect(m.html).toContain('<td>Decesso</td><td>21/11/2026</td><td>C4</td><td>chiudere la cartella e sospendere le erogazioni</td>');
    for (const msg of await get().knex('posta').select('oggetto', 'testo', 'html')) {
      const all = `${msg.oggetto}\n${msg.testo}\n${msg.html}`.toLowerCase();
      expect(DATI_PERSONALI.filter((d) => all.includes(d.toLowerCase()))).toEqual([]);
    }
  });

  test('rieseguire il job o reimportare lo stesso snapshot: nessun nuovo allarme, nessuna nuova e-mail', async () => {
    await eseguiVariazioni(ctxAt());
    const prima = { allarmi: await get().knex('allarmi').count('* as n'), posta: await get().knex('posta').count('* as n') };
    expect(prima).toEqual({ allarmi: [{ n: 6 }], posta: [{ n: 2 }] });

    const again = await eseguiVariazioni(ctxAt('2026-11-23'));
    expect(again.confronti).toEqual([]);
    expect(again.digest).toEqual({ email: 0, allarmi_in_email: 0, senza_email: 0, senza_operatore: 0 });
    await importa(get(), T1, T1_RIGHE);
    await eseguiVariazioni(ctxAt('2026-11-23'));
    expect({ allarmi: await get().knex('allarmi').count('* as n'), posta: await get().knex('posta').count('* as n') }).toEqual(prima);
  });

  test('gli allarmi della prossima esecuzione vanno in un nuovo riepilogo con una nuova chiave', async () => {
    await eseguiVariazioni(ctxAt());
    await importa(get(), '2026-11-22', T1_RIGHE.filter((r) => r.p !== P.anna));
    const e = await eseguiVariazioni(ctxAt('2026-11-23'));
    // Anna (no cartella) leaves household F1, where Mario holds C1 and C6.
    expect(e.digest).toEqual({ email: 1, allarmi_in_email: 2, senza_email: 0, senza_operatore: 0 });
    const chiavi = await get().knex('posta').where('destinatario', 'op1@servizi.example').orderBy('id').pluck('chiave');
    expect(chiavi).toHaveLength(2);
    expect(new Set(chiavi).size).toBe(2);
  });

  test('il report elenca le variazioni dell\'ultimo confronto con cartelle, operatori e notifiche', async () => {
    await eseguiVariazioni(ctxAt());
    const r = await reportVariazioni(get());
    expect(r.variazioni).toHaveLength(8);
    expect(r.variazioni.find((x) => x.codice_fiscale === P.bimbo.cf)).toEqual({ tipo: 'nascita', codice_fiscale: P.bimbo.cf, codice_istat: LODI, data_precedente: T0, data_snapshot: T1, cartelle: ['C1', 'C6'], operatori: ['OP1'] });
    expect(r.variazioni.find((x) => x.codice_fiscale === P.giulia.cf)).toMatchObject({ tipo: 'decesso', cartelle: [], operatori: [] });
    expect(r.notifiche.map((n) => [n.operatore_id, n.allarmi, n.notifica, n.messaggio?.stato ?? null])).toEqual([
      ['OP1', 2, 'email', 'in_attesa'],
      ['OP2', 2, 'email', 'in_attesa'],
      ['OP3', 1, 'senza_email', null],
      [null, 1, 'senza_operatore', null],
    ]);
    expect((await reportVariazioni(get(), { comune: '098010' })).variazioni).toEqual([]);
  });

  test('l\'UdP vede per comune gli allarmi aperti e quelli aperti da più di 7 giorni, e quelli senza e-mail', async () => {
    await eseguiVariazioni(ctxAt());
    const creati = fixedClock('2026-11-22').now();
    const [uno] = await elencoAllarmi(get(), 'OP2', { tipo: 'cambio_famiglia' });
    await prendiVisione(get(), { utente_id: 1, email: 'op2@servizi.example', operatore_id: 'OP2' }, [uno.id], creati);

    const dopo6 = await riepilogoUdp(get(), { ora: new Date(creati.getTime() + 6 * DAY) });
    expect(dopo6.comuni).toEqual([{ codice_istat: LODI, comune: 'Lodi', aperti: 5, oltre_soglia: 0, visti: 1 }]);
    expect(dopo6.oltre_soglia).toEqual([]);
    expect(dopo6.senza_email.map((a) => [a.id_cartella, a.operatore_id, a.motivo, a.giorni]).sort()).toEqual([
      ['C4', 'OP3', 'senza_email', 6],
      ['C5', null, 'senza_operatore', 6],
    ]);

    // Exactly 7 days is not "older than 7 days".
    expect((await riepilogoUdp(get(), { ora: new Date(creati.getTime() + 7 * DAY) })).oltre_soglia).toEqual([]);
    const dopo8 = await riepilogoUdp(get(), { ora: new Date(creati.getTime() + 8 * DAY) });
    expect(dopo8.comuni).toEqual([{ codice_istat: LODI, comune: 'Lodi', aperti: 5, oltre_soglia: 5, visti: 1 }]);
    expect(dopo8.oltre_soglia.map((a) => `${a.tipo} ${a.id_cartella} ${a.giorni}`).sort()).toEqual(['cambio_indirizzo C3 8', 'decesso C4 8', 'emigrazione C5 8', 'nascita C1 8', 'nascita C6 8']);
    // No personal data on the UdP's board.
    expect(JSON.stringify(dopo8)).not.toContain(P.elsa.cf);
    expect(JSON.stringify(dopo8)).not.toContain('Galli');
  });
});
