import express, { Request, Response } from 'express';
import type { AppContext } from '../context';
import { chi } from '../audit';
import { dataOra } from '../shared/formato';
import { permit } from '../auth/permessi';
import { CENSUS_METRICS } from '../importazione/schede';
import { dataBreve } from '../shared/calendario';
import { HttpError } from '../web/errori';
import { idPercorso } from '../web/parametri';
import { toCsv } from '../web/csv';
import { apriGiro, chiudiGiro, elencoGiri, getGiro, Giro, GiroNonValido, prorogaGiro } from './giri';
import { DichiarazioneNonValida, InvioNonAmmesso, modulo, Modulo, righeCensimento, salva, storico } from './service';
import { getComune, listComuni } from '../comuni/service';
import { ETICHETTE_STATO, RigaTabellone, STATI_COMUNE, StatoComune, tabellone } from './tabellone';
import { TESTI } from './testi';
import type { Esame } from './regole';

/**
 * The census online (docs/censimento.md): the office's rounds and board (/censimento...), each
 * comune's form (/censimento/comuni/:istat, its JSON twin under /api/), the history of a
 * comune's declarations. Account review is in credenziali-routes.ts.
 */
const istatParam = (v: unknown): string => {
  if (typeof v !== 'string' || !/^\d{6}$/.test(v)) throw new HttpError(404, 'Comune non trovato');
  return v;
};
const idParam = (v: unknown): number => idPercorso(v, 'Censimento non trovato');
const esito = (req: Request) => (typeof req.query.esito === 'string' ? req.query.esito.slice(0, 300) : null);
const proprio = (req: Request) => ({ codice_istat: String(req.params.istat) });

export function censimentoRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;

  const comune = async (istat: string) => {
    const c = await getComune(ctx.db, istat);
    if (!c) throw new HttpError(404, 'Comune non trovato');
    return c;
  };

  // ------------------------------------------------------------------ rounds (the office)
  const elenco = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const giri = await elencoGiri(ctx);
    const comuni = (await listComuni(ctx.db)).map(({ codice_istat, nome }) => ({ codice_istat, nome }));
    const oggi = ctx.clock.today();
    res.status(status).render('censimento', {
      title: 'Censimento',
      giri: giri.map((g) => ({ ...g, aperto: g.stato === 'aperto', aperto_il_it: dataOra(g.aperto_il, tz) })),
      comuni,
      valori: { periodo_inizio: '', data_riferimento: `${Number(oggi.slice(0, 4)) - (oggi.slice(5) < '07-01' ? 1 : 0)}-06-30`, ...((extra.valori as object) ?? {}) },
      esito: esito(req),
      ...extra,
    });
  };

  r.get('/censimento', async (req, res, next) => {
    // A comune's users land on their own form.
    if (req.user?.ruolo === 'comune' && req.user.codice_istat) return res.redirect(303, `/censimento/comuni/${req.user.codice_istat}`);
    permit('censimento.gestire')(req, res, (e?: unknown) => (e ? next(e) : elenco(req, res).catch(next)));
  });

  r.post('/censimento', permit('censimento.gestire'), async (req, res) => {
    const b = req.body ?? {};
    try {
      const out = await apriGiro(ctx, { data_riferimento: b.data_riferimento, periodo_inizio: b.periodo_inizio, data_scadenza: b.data_scadenza, messaggio: b.messaggio, comuni: b.comuni }, chi(req));
      const senza = out.senza_indirizzo.length ? ` Senza indirizzo (nessun invito): ${out.senza_indirizzo.join(', ')}.` : '';
      res.redirect(303, `/censimento/giri/${out.id}?esito=${encodeURIComponent(`Censimento aperto: ${out.inviti} inviti in uscita.${senza}`)}`);
    } catch (e) {
      if (!(e instanceof GiroNonValido)) throw e;
      await elenco(req, res, { errori: e.errori, errore: e.message, valori: { data_riferimento: String(b.data_riferimento ?? ''), periodo_inizio: String(b.periodo_inizio ?? ''), data_scadenza: String(b.data_scadenza ?? ''), messaggio: String(b.messaggio ?? '').slice(0, 2000) } }, 422);
    }
  });

  const giroDa = async (req: Request): Promise<Giro> => {
    const g = await getGiro(ctx, idParam(req.params.id));
    if (!g) throw new HttpError(404, 'Censimento non trovato');
    return g;
  };
  const filtri = (req: Request) => {
    const s = typeof req.query.stato === 'string' && req.query.stato ? req.query.stato : null;
    if (s && !(STATI_COMUNE as readonly string[]).includes(s)) throw new HttpError(400, `Stato non valido: scegliere tra ${STATI_COMUNE.join(', ')}.`);
    return { stato: s as StatoComune | null, conAvvisi: req.query.avvisi === '1', q: typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : null };
  };
  const vistaRiga = (x: RigaTabellone) => ({ ...x, stato_etichetta: ETICHETTE_STATO[x.stato], inviato_il_it: dataOra(x.inviato_il, tz), badge: { inviato: 'bg-success', bozza: 'bg-warning text-dark', in_ritardo: 'bg-danger', non_aperto: 'bg-secondary' }[x.stato] });

  r.get('/censimento/giri/:id', permit('censimento.gestire'), async (req, res) => {
    const g = await giroDa(req);
    const f = filtri(req);
    const righe = await tabellone(ctx, g, f);
    const tutte = f.stato || f.conAvvisi || f.q ? await tabellone(ctx, g) : righe;
    res.render('censimento-giro', {
      title: `Censimento al ${dataBreve(g.data_riferimento)}`,
      g: { ...g, aperto: g.stato === 'aperto' },
      righe: righe.map(vistaRiga),
      conteggi: STATI_COMUNE.map((s) => ({ etichetta: ETICHETTE_STATO[s], n: tutte.filter((x) => x.stato === s).length })),
      stati: STATI_COMUNE.map((s) => ({ valore: s, etichetta: ETICHETTE_STATO[s], scelto: s === f.stato })),
      f,
      csv: `/api/censimento/giri/${g.id}?formato=csv${f.stato ? `&stato=${f.stato}` : ''}${f.conAvvisi ? '&avvisi=1' : ''}${f.q ? `&q=${encodeURIComponent(f.q)}` : ''}`,
      esito: esito(req),
    });
  });

  r.get('/api/censimento/giri/:id', permit('censimento.gestire'), async (req, res) => {
    const g = await giroDa(req);
    const righe = await tabellone(ctx, g, filtri(req));
    if (req.query.formato === 'csv') {
      const csv = toCsv(
        ['codice_istat', 'comune', 'stato', 'inviato_il', 'inviato_da', 'origine', 'invii', 'avvisi', 'cartelle_siz', 'cartelle_dichiarate', 'cartelle_precedenti', 'digit_nuova', 'digit_precedente'],
        righe.map((x) => [x.codice_istat, x.comune, ETICHETTE_STATO[x.stato], dataOra(x.inviato_il, tz), x.inviato_da, x.origine, x.invii, x.avvisi.map((a) => a.messaggio).join(' | '), x.siz, x.dichiarato, x.precedente, x.digit_nuova, x.digit_precedente]),
      );
      res.type('text/csv; charset=utf-8').attachment(`censimento-${g.data_riferimento}.csv`).send(csv);
      return;
    }
    res.json({ giro: g, comuni: righe });
  });

  const azioneGiro = (fn: (g: Giro, req: Request) => Promise<string>) => async (req: Request, res: Response) => {
    const g = await giroDa(req);
    try {
      res.redirect(303, `/censimento/giri/${g.id}?esito=${encodeURIComponent(await fn(g, req))}`);
    } catch (e) {
      if (!(e instanceof GiroNonValido)) throw e;
      throw new HttpError(409, e.message);
    }
  };
  r.post('/censimento/giri/:id/proroga', permit('censimento.gestire'), azioneGiro(async (g, req) => {
    await prorogaGiro(ctx, g.id, req.body?.data_scadenza, chi(req));
    return `Scadenza prorogata al ${dataBreve(String(req.body.data_scadenza))} per tutti i comuni del censimento.`;
  }));
  r.post('/censimento/giri/:id/chiudi', permit('censimento.gestire'), azioneGiro(async (g, req) => {
    await chiudiGiro(ctx, g.id, chi(req));
    return 'Censimento chiuso: i comuni non possono più inviare e i promemoria si fermano.';
  }));

  // ------------------------------------------------------------------ the form of a comune
  const vistaModulo = (m: Modulo, input: Record<string, unknown> | null, esame: Esame | null) => {
    const d = m.dichiarazione;
    return CENSUS_METRICS.map((k) => ({
      nome: k,
      ...TESTI[k],
      tutela: k.endsWith('_tutela'),
      valore: input ? String(input[k] ?? '').slice(0, 20) : d?.[k] ?? '',
      siz: m.rif.siz[k] ?? null,
      precedente: m.rif.precedente?.[k] ?? null,
      errore: esame?.errori[k] ?? null,
    }));
  };

  const pagina = async (req: Request, res: Response, istat: string, extra: { input?: Record<string, unknown>; esame?: Esame; errore?: string; avvisi?: { messaggio: string }[] } = {}, status = 200) => {
    const c = await comune(istat);
    const m = await modulo(ctx, istat, req.user!);
    res.status(status).render('censimento-modulo', {
      title: `Censimento: ${c.nome}`,
      c,
      m: m && {
        ...m,
        riferimento: dataBreve(m.giro.data_riferimento),
        periodo: dataBreve(m.giro.periodo_inizio),
        scadenza: dataBreve(m.giro.data_scadenza),
        precedente: m.rif.data_precedente && dataBreve(m.rif.data_precedente),
        inviata: m.dichiarazione?.stato === 'inviata',
        aggiornata: m.dichiarazione && dataOra(m.dichiarazione.aggiornata_il, tz),
        invii: m.invii.map((i) => ({ ...i, quando: dataOra(i.inviato_il, tz), per_ufficio: i.origine === 'ufficio', da_file: i.origine === 'importazione' })),
      },
      figure: m ? vistaModulo(m, extra.input ?? null, extra.esame ?? null) : [],
      note: extra.input ? String(extra.input.note ?? '').slice(0, 2000) : m?.dichiarazione?.note ?? '',
      errore_note: extra.esame?.errori.note ?? null,
      ufficio: req.user!.ruolo === 'udp',
      errore: extra.errore ?? null,
      // After a submission with warnings (redirected here, so a refresh never submits again): its warnings.
      avvisi: extra.avvisi ?? (req.query.avvisi === '1' && m?.invii[0]?.avvisi.length ? m.invii[0].avvisi : null),
      esito: esito(req),
    });
  };

  r.get('/censimento/comuni/:istat', permit('censimento.compilare', proprio), async (req, res) => pagina(req, res, istatParam(req.params.istat)));

  r.post('/censimento/comuni/:istat', permit('censimento.compilare', proprio), async (req, res) => {
    const istat = istatParam(req.params.istat);
    await comune(istat);
    const input = (req.body ?? {}) as Record<string, unknown>;
    const invia = input.azione === 'invia';
    try {
      const out = await salva(ctx, istat, input, { invia, utente: req.user!, ip: req.ip ?? null });
      // Submitted with warnings: the page that follows shows them (read back from the submission).
      if (invia && out.avvisi.length) return res.redirect(303, `/censimento/comuni/${istat}?avvisi=1`);
      res.redirect(303, `/censimento/comuni/${istat}?esito=${encodeURIComponent(invia ? 'Dichiarazione inviata: grazie. Potete correggerla fino alla scadenza.' : 'Bozza salvata: non è ancora inviata.')}`);
    } catch (e) {
      if (e instanceof DichiarazioneNonValida) return pagina(req, res, istat, { input, esame: e.esame, errore: 'La dichiarazione non è stata salvata: correggere i campi segnalati.' }, 422);
      if (e instanceof InvioNonAmmesso) return pagina(req, res, istat, { input, errore: e.message }, 409);
      throw e;
    }
  });

  r.get('/api/censimento/comuni/:istat', permit('censimento.compilare', proprio), async (req, res) => {
    const istat = istatParam(req.params.istat);
    await comune(istat);
    const m = await modulo(ctx, istat, req.user!);
    if (!m) throw new HttpError(404, 'Nessun censimento aperto per questo comune.');
    res.json({ codice_istat: istat, giro: m.giro, dichiarazione: m.dichiarazione, siz: m.rif.siz, precedente: m.rif.precedente, intervallo_ambito: m.rif.intervallo, modificabile: m.modificabile, motivo: m.motivo, invii: m.invii });
  });

  r.post('/api/censimento/comuni/:istat', permit('censimento.compilare', proprio), async (req, res) => {
    const istat = istatParam(req.params.istat);
    await comune(istat);
    const input = (req.body ?? {}) as Record<string, unknown>;
    try {
      const out = await salva(ctx, istat, input, { invia: input.invia === true || input.invia === 'true' || input.azione === 'invia', utente: req.user!, ip: req.ip ?? null });
      res.json(out);
    } catch (e) {
      if (e instanceof DichiarazioneNonValida) return void res.status(422).json({ errore: 'Dichiarazione non valida.', errori: e.esame.errori });
      if (e instanceof InvioNonAmmesso) throw new HttpError(409, e.message);
      throw e;
    }
  });

  r.get('/censimento/comuni/:istat/storico', permit('censimento.compilare', proprio), async (req, res) => {
    const istat = istatParam(req.params.istat);
    const c = await comune(istat);
    const righe = await righeCensimento(ctx.db, istat);
    const invii = await storico(ctx, istat);
    res.render('censimento-storico', {
      title: `Dichiarazioni del censimento: ${c.nome}`,
      c,
      intestazione: CENSUS_METRICS.map((k) => TESTI[k].etichetta),
      righe: righe.map((x) => ({ data: dataBreve(x.data_riferimento), cifre: CENSUS_METRICS.map((k) => x[k]), note: x.note, importato: dataOra(x.importato_il, tz), da_file: x.importazione_id != null })),
      invii: invii.map((i) => ({ ...i, data: dataBreve(i.data_riferimento), quando: dataOra(i.inviato_il, tz), cifre: CENSUS_METRICS.map((k) => i[k]), origine_it: { modulo: 'dal comune', ufficio: "dall'Ufficio di Piano per conto del comune", importazione: 'dal foglio Excel importato' }[i.origine] })),
      ufficio: req.user!.ruolo === 'udp',
    });
  });

  return r;
}
