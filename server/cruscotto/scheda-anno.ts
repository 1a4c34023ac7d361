import type { AppContext } from '../context';
import type { Utente } from '../auth/tipi';
import type { ComuneInfo } from './contesto';
import type { Documento } from './documento';
import { Filtri, parseFiltri } from './filtri';
import { confrontoAnni, FIGURE_ANNI } from './anni';
import { documentiAnni, filtriAnno } from './anni-pagine';
import type { Base, Famiglie, PaginaFamiglia } from './famiglie';
import { AttivitaAnno, documentoComune } from './scheda';

/**
 * A comune's scorecard with its year: the activity is the very figures of the family pages for
 * this comune (so the scorecard and the pages never disagree, suppression included), then the
 * years side by side, read through the same functions.
 */
export async function documentoScheda(ctx: AppContext, fam: Famiglie, b: Base, f: Filtri, user: Utente, comune: ComuneInfo): Promise<Documento & Awaited<ReturnType<typeof documentoComune>>> {
  const istat = comune.codice_istat;
  const ff = (pagina: PaginaFamiglia) => parseFiltri({ anno: String(f.anno), comune: istat }, pagina, b.contesto, { api: true });
  const sp = await fam.sportello(b, ff('sportello'));
  const so = await fam.sociali(b, ff('sociali'));
  const ec = await fam.economici(b, ff('economici'));
  const val = (d: Documento, k: string) => d.sintesi.find((x) => x.chiave === k)?.valore ?? null;
  const attivita: AttivitaAnno = {
    accessi: val(sp, 'accessi'),
    nuovi_accessi: val(sp, 'nuovi_accessi'),
    prese_in_carico: val(so, 'prese_in_carico'),
    beneficiari_anno: val(so, 'beneficiari_anno'),
    n_prestazioni: val(ec, 'n_prestazioni'),
    quota_comune: val(ec, 'quota_comune'),
  };
  const doc = await documentoComune(ctx, b.contesto, f, b.v, user, comune, attivita);
  const anni = await documentiAnni(ctx.db, fam.cached, b, f.anno, ['sportello', 'sociali', 'economici'], (p, a) => filtriAnno(ff(p as PaginaFamiglia), a, fam.dettaglioFiltrabile(b, ff(p as PaginaFamiglia))));
  const { tabella, grafico } = confrontoAnni(FIGURE_ANNI.comune, anni, `Anni a confronto · ${comune.nome}`);
  return { ...doc, tabelle: [...doc.tabelle, tabella], grafici: [...doc.grafici, grafico] };
}
