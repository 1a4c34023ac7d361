import { HttpError } from '../web/errori';
import type { Documento } from './documento';
import { etichettaPeriodo, Filtri } from './filtri';
import { dataIt } from './testi';
import type { Visibilita } from './nodi';

/**
 * The period rule (docs/riservatezza.md, «Periodi dal/al»): a range of days is open to the
 * Ufficio di Piano on every selection and to a comune's account on its own comune only; everyone
 * else reads whole calendar years. Two ranges one day apart differ by the records of that day:
 * for another comune or a group they would reveal a count of 1 or 2 that no year page shows.
 */
export function controllaPeriodo(f: Filtri, v: Visibilita): void {
  if (!f.dal) return;
  if (v.udp) return;
  if (v.proprio !== null && f.comune === v.proprio) return;
  const perche = 'due periodi che differiscono di un giorno rivelerebbero i piccoli numeri (1 o 2 persone o casi) di quel giorno';
  const dove = v.proprio !== null ? 'per il proprio comune (scegliere il comune nel filtro)' : "all'Ufficio di Piano";
  throw new HttpError(400, `Parametro non valido: il periodo dal/al è disponibile solo ${dove}; per le altre selezioni si sceglie un anno intero (anno), perché ${perche}.`);
}

/**
 * A comune's account on its own comune with a range of days sees its own figures only: the
 * figures of the ambito, of the cluster or distretto and of the groups go (they would be the
 * small counts the rule protects). The digitalization reference boxes go too: they are not
 * figures of the period.
 */
export function soloProprio(doc: Documento, f: Filtri): Documento {
  const sel = doc.selezione?.etichetta;
  const via = new Set(['gruppi']);
  const tabelle = doc.tabelle
    .filter((t) => !via.has(t.id))
    // Economici «totali»: the ambito's and the group's rows beside the comune's.
    .map((t) => (t.id === 'totali' ? { ...t, righe: t.righe.filter((r) => r.livello === sel) } : t));
  return {
    ...doc,
    sintesi: doc.sintesi.filter((s) => !/_(gruppo|ambito)$/.test(s.chiave)),
    tabelle,
    grafici: doc.grafici.filter((g) => !g.tabella || !via.has(g.tabella)),
    riferimenti: undefined,
    avvisi: [...doc.avvisi, `Periodo scelto (${etichettaPeriodo(f)}): sono mostrate solo le cifre del tuo comune, senza quelle dell'ambito e dei gruppi (riservatezza).`],
  };
}

/** The words of a year's page that name the year, for a range of days. */
export function paroleDelPeriodo(doc: Documento, f: Filtri): Documento {
  const fine = f.al ? `al ${dataIt(f.al)}` : 'al 31 dicembre';
  const p = (s: string) => s.replace(/dell'anno/g, 'del periodo').replace(/nell'anno/g, 'nel periodo').replace(/al 31 dicembre/g, fine);
  return {
    ...doc,
    sintesi: doc.sintesi.map((s) => ({ ...s, etichetta: p(s.etichetta) })),
    tabelle: doc.tabelle.map((t) => ({ ...t, titolo: p(t.titolo), nota: t.nota && p(t.nota), colonne: t.colonne.map((c) => ({ ...c, etichetta: p(c.etichetta) })) })),
    grafici: doc.grafici.map((g) => ({ ...g, titolo: p(g.titolo), serie: g.serie.map((s) => ({ ...s, nome: p(s.nome) })) })),
  };
}
