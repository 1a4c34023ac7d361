import type { RequestHandler } from 'express';
import { rateLimit, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import type { AppContext } from '../context';
import { azzera, conta, rilascia } from './tentativi';

/**
 * The request limiter in front of the routes a stranger can use to guess something: /login and
 * /password, the password-reset routes and the acknowledgement link of a reminder. express-rate-limit
 * does the middleware's work (the key per address, IPv6 per /56, the RateLimit and Retry-After
 * headers); the hits are counted in the database (`limiti_accesso`), so the limit holds across
 * every instance on one PostgreSQL and across restarts.
 *
 * It sits in front of the login limits of service.ts (per e-mail and per address): those stop
 * password guessing, this one bounds the work one address can ask for.
 *
 * Use: `router.post('/password-dimenticata', limitaRichieste(ctx, 'accesso'), handler)`. Routes in
 * one group share one count per address.
 */
export const FINESTRA_RICHIESTE_MS = 15 * 60_000;

/** The express-rate-limit store on `limiti_accesso`, with the context's clock. */
class StoreDatabase implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = FINESTRA_RICHIESTE_MS;

  constructor(
    private readonly ctx: AppContext,
    gruppo: string,
  ) {
    this.prefix = `richieste:${gruppo}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<IncrementResponse> {
    const r = await conta(this.ctx.db.knex, this.prefix + key, this.windowMs, this.ctx.clock.now());
    return { totalHits: r.conteggio, resetTime: new Date(r.dal.getTime() + this.windowMs) };
  }

  async decrement(key: string): Promise<void> {
    await rilascia(this.ctx.db.knex, this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    await azzera(this.ctx.db.knex, this.prefix + key);
  }
}

/**
 * A limiter of at most `LIMITE_RICHIESTE` requests (config) per address in FINESTRA_RICHIESTE_MS
 * for the routes of `gruppo`. Over the limit: 429 with an Italian message (JSON under /api/)
 * and Retry-After.
 */
export function limitaRichieste(ctx: AppContext, gruppo: string, opts: { limite?: number } = {}): RequestHandler {
  const minutiRestanti = (reset: Date | undefined) => Math.max(1, Math.ceil(((reset?.getTime() ?? 0) - ctx.clock.now().getTime()) / 60_000));
  return rateLimit({
    windowMs: FINESTRA_RICHIESTE_MS,
    limit: opts.limite ?? ctx.config.limiteRichieste,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store: new StoreDatabase(ctx, gruppo),
    retryAfter: (req) => minutiRestanti((req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime) * 60,
    handler(req, res) {
      const minuti = minutiRestanti((req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime);
      const message = `Troppe richieste da questo indirizzo: riprovare tra ${minuti === 1 ? 'un minuto' : `${minuti} minuti`}.`;
      ctx.log.warn({ gruppo, ip: req.ip, url: req.originalUrl }, 'limite di richieste raggiunto');
      res.status(429);
      if (req.originalUrl.startsWith('/api/')) res.json({ errore: message });
      else res.render('errore', { title: 'Errore', status: 429, message });
    },
  });
}
