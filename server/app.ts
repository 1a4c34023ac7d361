import path from 'node:path';
import express from 'express';
import helmet from 'helmet';
import compression from 'compression';
import { staticiRouter } from './web/statici';
import type { AppContext } from './context';
import { createViews, Views, VIEWS_DIR } from './web/views';
import { authMiddleware, limitaRichieste } from './auth';
import { auditRouter } from './audit/routes';
import { jobsRouter } from './jobs-web/routes';
import { conteggioNotifiche, notificheRouter } from './variazioni/routes';
import { presaVisioneRouter } from './promemoria/routes';
import { scadenzeRouter } from './scadenze/routes';
import { postaRouter } from './posta/routes';
import { cruscottoRouter } from './cruscotto/routes';
import { caricamentiRouter } from './caricamenti/routes';
import { accountPubblicoRouter, accountRouter } from './account/routes';
import { contattiRouter } from './contatti/routes';
import { censimentoRouter } from './censimento/routes';
import { credenzialiRouter } from './censimento/credenziali-routes';
import { analisiRouter } from './analisi/routes';
import { ripartizioniRouter } from './analisi/ripartizioni-routes';
import { HttpError } from './web/errori';
import { gestoreErrori } from './web/gestore-errori';

export interface AppDeps {
  ctx: AppContext;
}

/** Express app factory: no listen, no globals, everything from the context. */
export function createApp({ ctx }: AppDeps): express.Express {
  const app = express();
  const views: Views = createViews();
  app.locals.views = views;
  // res.render(page, data) renders views/pages/<page>.hbs in the layout with res.locals merged in
  // (utente, menu, csrf: set by the auth middleware), so routes need not pass them.
  app.engine('hbs', (file: string, data: object, cb: (e: unknown, html?: string) => void) => {
    try {
      cb(null, views.page(path.relative(path.join(VIEWS_DIR, 'pages'), file).replace(/\.hbs$/, ''), data as Record<string, unknown>));
    } catch (e) {
      cb(e);
    }
  });
  app.set('view engine', 'hbs');
  app.set('views', path.join(VIEWS_DIR, 'pages'));
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
          'font-src': ["'self'", 'data:'], // bootstrap-italia's CSS embeds one icon font as a data: URL
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
          // Only behind HTTPS: on a plain-http address (the demo, an intranet host) it would send
          // form posts to https:// and break the login (Safari upgrades even localhost).
          'upgrade-insecure-requests': ctx.config.baseUrl.startsWith('https:') ? [] : null,
        },
      },
    }),
  );

  // Design system, fonts and charts from the installed packages (no CDN), under versioned URLs
  // cached a year, compressed once in memory (server/web/statici.ts).
  app.use(staticiRouter());
  // Pages, JSON and CSV are compressed (gzip or brotli, as the browser accepts): a page of tables
  // is 5-10 times smaller, which is what a phone on a slow network waits for. The kept pages and
  // texts of the cruscotto and the analyses arrive already gzipped, their shared part compressed
  // once (server/web/gzip.ts), and the middleware leaves them alone; it compresses the rest.
  app.use(compression());

  // Browsers ask for it on every page, signed in or not: no icon rather than a redirect to the login.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/salute', (_req, res) => {
    res.json({ stato: 'ok' });
  });

  app.use('/presa-visione', limitaRichieste(ctx, 'presa-visione')); // a signed link: no guessing in bulk
  app.use(presaVisioneRouter(ctx)); // public: the signed link of a reminder, before the login gate
  // Sessions, login gate (every path below needs an account), CSRF, /login /logout /password.
  app.use(authMiddleware(ctx));
  app.use(conteggioNotifiche(ctx)); // the count of waiting alarms in an operatore's menu
  app.use(auditRouter(ctx));
  app.use(jobsRouter(ctx));
  app.use(caricamentiRouter(ctx)); // uploads with a dry run, import history (issue 16)
  app.use(accountPubblicoRouter(ctx)); // password forgotten, one-time links (public paths: permessi.ts)
  app.use(accountRouter(ctx)); // accounts managed by the office, invitations
  app.use(contattiRouter(ctx)); // comuni's contact addresses, proposals from the comuni
  app.use(censimentoRouter(ctx)); // census rounds, each comune's form, the board (issue 19)
  app.use(credenzialiRouter(ctx)); // account review by the comuni, approved by the office (issue 19)
  app.use(notificheRouter(ctx));
  app.use(scadenzeRouter(ctx));
  app.use(postaRouter(ctx));
  app.use(analisiRouter(ctx)); // opened/closed balance and caseload per operatore (issue 20)
  app.use(ripartizioniRouter(ctx)); // breakdowns of the sportello's accessi and people (issue 20)
  app.use(cruscottoRouter(ctx)); // overview (/), scorecards, sportello/sociali/economici/mese, quality board, /api twins (issue 6)

  app.use((_req, _res, next) => next(new HttpError(404, 'Pagina non trovata')));
  app.use(gestoreErrori(ctx));
  return app;
}
