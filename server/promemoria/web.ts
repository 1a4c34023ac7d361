import express from 'express';
import type { AppContext } from '../context';
import { postaRouter } from '../posta/routes';
import { scadenzeRouter } from '../scadenze/routes';

export { presaVisioneRouter } from './routes';

/** The signed-in pages of this feature: /scadenze, /posta and their /api/ twins. */
export function promemoriaRouter(ctx: AppContext): express.Router {
  const r = express.Router();
  r.use(scadenzeRouter(ctx));
  r.use(postaRouter(ctx));
  return r;
}
