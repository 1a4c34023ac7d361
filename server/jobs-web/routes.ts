import express from 'express';
import type { AppContext } from '../context';
import { permit } from '../auth/permessi';
import { dataOra, toCsv } from '../audit/formato';
import { scelta } from '../web/parametri';
import { EsecuzioneJson, statoJobs } from './service';

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
      conteggi_testo: e.conteggi ? Object.entries(e.conteggi).map(([k, v]) => `${k}: ${v}`).join(', ') : '',
    };
  };

  r.get('/job', permit('job.vedere'), async (_req, res) => {
    const s = await statoJobs(ctx);
    res.render('job', {
      title: 'Stato dei job',
      fuso: s.fuso_orario,
      generato: dataOra(s.generato_il, tz),
      job: s.job.map((j) => ({ ...j, prossima: dataOra(j.prossima_esecuzione, tz), ultima: j.ultima ? view(j.ultima) : null })),
      esecuzioni: s.esecuzioni.map(view),
    });
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
