import express from 'express';
import type { AppContext } from '../context';
import { permit } from '../auth/permessi';
import { dataOra } from '../shared/formato';
import { toCsv } from '../web/csv';
import { scelta } from '../web/parametri';
import { EsecuzioneJson, esecuzioneJson, statoJobs } from './service';
import { eseguiOra } from './esegui';
import { chi } from '../audit';
import { HttpError } from '../web/errori';
import { findJob } from '../../jobs/elenco';
import { getRun } from '../../jobs/log';
import { conteggiLeggibili } from './etichette';

const BADGE: Record<EsecuzioneJson['esito'], { classe: string; etichetta: string }> = {
  ok: { classe: 'bg-success', etichetta: 'riuscito' },
  fallito: { classe: 'bg-danger', etichetta: 'fallito' },
  in_corso: { classe: 'bg-primary', etichetta: 'in corso' },
  saltato: { classe: 'bg-secondary', etichetta: 'saltato' },
};

function durata(s: number | null): string {
  if (s == null) return '–';
  if (s < 60) return `${s.toLocaleString('it-IT')} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** /job (UdP) and its JSON twin /api/job (`?formato=csv`: the jobs table as CSV). */
export function jobsRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  const tz = ctx.config.tzScheduler;
  const view = (e: EsecuzioneJson) => {
    const [prima, ...resto] = (e.messaggio ?? '').split('\n');
    return {
      ...e,
      badge: BADGE[e.esito],
      avviato: dataOra(e.avviato_il, tz),
      durata: durata(e.durata_s),
      messaggio_breve: prima,
      messaggio_resto: resto.length ? resto.join('\n') : null,
      conteggi_testo: conteggiLeggibili(e.conteggi),
    };
  };

  const runParam = (v: unknown): number | null => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : null);

  r.get('/job', permit('job.vedere'), async (req, res) => {
    const s = await statoJobs(ctx);
    // After "Esegui ora": the run it started (in progress, or its result) at the top of the page.
    const id = runParam(req.query.esecuzione);
    const seguita = id ? await getRun(ctx.db, id) : null;
    res.render('job', {
      title: 'Stato dei job',
      fuso: s.fuso_orario,
      generato: dataOra(s.generato_il, tz),
      job: s.job.map((j) => ({ ...j, prossima: dataOra(j.prossima_esecuzione, tz), ultima: j.ultima ? view(j.ultima) : null, eseguibile: Boolean(findJob(j.job)), in_corso: j.ultima?.esito === 'in_corso' })),
      esecuzioni: s.esecuzioni.map(view),
      seguita: seguita ? view(esecuzioneJson(seguita)) : null,
      gia: typeof req.query.gia === 'string' && findJob(req.query.gia) ? req.query.gia : null,
    });
  });

  r.post('/job/:job/esegui', permit('job.eseguire'), async (req, res) => {
    const job = String(req.params.job);
    if (!findJob(job)) throw new HttpError(404, 'Job sconosciuto');
    const a = await eseguiOra(ctx, job, chi(req));
    if (a.stato === 'gia_in_corso') return res.redirect(303, `/job?gia=${encodeURIComponent(job)}${a.runId ? `&esecuzione=${a.runId}` : ''}`);
    if (a.runId == null) throw new HttpError(500, `Il job non è partito: ${'errore' in a ? a.errore : 'motivo sconosciuto'}`);
    res.redirect(303, `/job?esecuzione=${a.runId}`);
  });

  // One run, for the page that follows a run started with "Esegui ora" (static/attendi.js).
  r.get('/api/job/esecuzioni/:id', permit('job.vedere'), async (req, res) => {
    const id = runParam(req.params.id);
    const run = id ? await getRun(ctx.db, id) : null;
    if (!run) throw new HttpError(404, 'Esecuzione non trovata');
    res.json(esecuzioneJson(run));
  });

  r.get('/api/job', permit('job.vedere'), async (req, res) => {
    const formato = scelta(req.query, 'formato', ['json', 'csv']);
    const s = await statoJobs(ctx);
    if (formato === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('job.csv');
      res.send(
        toCsv(
          ['job', 'pianificazione', 'prossima_esecuzione', 'esito', 'avviato_il', 'concluso_il', 'durata_s', 'messaggio', 'errore'],
          s.job.map((j) => [j.job, j.pianificazione, j.prossima_esecuzione, j.ultima?.esito, j.ultima?.avviato_il, j.ultima?.concluso_il, j.ultima?.durata_s, j.ultima?.messaggio, j.ultima?.errore]),
        ),
      );
      return;
    }
    res.json(s);
  });

  return r;
}
