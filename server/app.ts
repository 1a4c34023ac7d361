import path from 'node:path';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppContext } from './context';
import { createViews, Views, VIEWS_DIR } from './web/views';
import { listComuni } from './comuni/service';

export interface AppDeps {
  ctx: AppContext;
}

/** An error whose message is safe to show: a bad parameter (400), forbidden (403), not found (404). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Express app factory: no listen, no globals, everything from the context. */
export function createApp({ ctx }: AppDeps): express.Express {
  const app = express();
  const views: Views = createViews();
  app.locals.views = views;
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'font-src': ["'self'"],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
        },
      },
    }),
  );

  // Design system and charts served from the installed packages: no CDN.
  const nm = (p: string) => path.resolve(__dirname, '..', 'node_modules', p);
  app.use('/static/bootstrap-italia', express.static(nm('bootstrap-italia/dist'), { maxAge: '7d' }));
  app.use('/static/apexcharts', express.static(nm('apexcharts/dist'), { maxAge: '7d' }));
  app.use('/static', express.static(path.join(VIEWS_DIR, 'public'), { maxAge: '1h' }));

  app.get('/salute', (_req, res) => {
    res.json({ stato: 'ok' });
  });

  app.get('/', async (_req, res, next) => {
    try {
      const comuni = await listComuni(ctx.db);
      const popolazione = comuni.reduce((a, c) => a + c.popolazione, 0);
      res.send(views.page('home', { title: 'Comuni', comuni, popolazione }));
    } catch (e) {
      next(e);
    }
  });

  app.use((_req, _res, next) => next(new HttpError(404, 'Pagina non trovata')));
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof HttpError ? err.status : 500;
    const message = err instanceof HttpError ? err.message : 'Errore interno: il problema è stato registrato.';
    if (status >= 500) ctx.log.error({ err, url: req.originalUrl }, 'errore nella richiesta');
    if (req.path.startsWith('/api/')) {
      res.status(status).json({ errore: message });
      return;
    }
    res.status(status).send(views.page('errore', { title: 'Errore', status, message }));
  });
  return app;
}
