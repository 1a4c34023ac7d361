import type { NextFunction, Request, Response } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../shared/errori';
import { databaseAssente, guastoDatabase } from '../shared/guasti';

/**
 * The last handler of the web app: every error becomes a page (or, under /api/, a JSON
 * `{ errore }`) with the right status and a message a person can read. Never a stack trace, never
 * the text of an error that was not written for the user.
 */
export function gestoreErrori(ctx: AppContext) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // Our own errors (AppError: HttpError, AccessoNegato, a rejected import...) carry their status and
    // say whether their message is written for the user; a library's client error (a malformed
    // body) is marked `expose` and gets a generic message.
    const e = err as { status?: unknown; expose?: unknown };
    const exposed = !(err instanceof AppError) && typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true;
    // The database away (restart, network): 503, and the pool reconnects by itself when it is back.
    const away = !(err instanceof AppError && err.mostrabile) && databaseAssente(err);
    const status = away ? 503 : err instanceof AppError ? err.status : exposed ? (e.status as number) : 500;
    const generic: Record<number, string> = { 400: 'Richiesta non valida.', 413: 'Richiesta troppo grande.', 415: 'Formato della richiesta non supportato.' };
    const message =
      err instanceof AppError && err.mostrabile
        ? err.message + (err.aiuto ? ` ${err.aiuto}` : '')
        : exposed
          ? generic[status] ?? 'Richiesta non valida.'
          : away
            ? 'Il database non è raggiungibile in questo momento (riavvio o manutenzione): riprovare tra qualche minuto.'
            : 'Errore interno: il problema è stato registrato.';
    if (away) {
      res.set('Retry-After', '60');
      ctx.log.warn({ url: req.originalUrl, err: guastoDatabase(err) }, 'database non raggiungibile');
    } else if (status >= 500) ctx.log.error({ err, url: req.originalUrl }, 'errore nella richiesta');
    if (req.path.startsWith('/api/')) {
      res.status(status).json({ errore: message });
      return;
    }
    res.status(status).render('errore', { title: 'Errore', status, message });
  };
}
