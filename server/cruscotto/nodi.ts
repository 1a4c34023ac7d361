import type { Utente } from '../auth/tipi';
import { ComuneInfo, Contesto, ETICHETTA_CLUSTER } from './contesto';
import type { Filtri, Vista } from './filtri';

/**
 * The units figures are summed over (docs/metriche.md, "Cifre del cruscotto": "figures of a
 * selection of several comuni are sums"): each comune, each cluster, each distretto, the ambito.
 * Every selection a filter can make is one of them, and suppression is decided once over all of
 * them, so no combination of filters shows more than the full table does.
 */
export type TipoNodo = 'comune' | 'cluster' | 'distretto' | 'ambito';

export interface Nodo {
  id: string;
  tipo: TipoNodo;
  etichetta: string;
  comuni: ComuneInfo[];
}

export const idComune = (istat: string) => `c:${istat}`;
export const idCluster = (k: number) => `cl:${k}`;
export const idDistretto = (d: string) => `d:${d}`;
export const AMBITO = 'amb';

export function nodoComune(c: ComuneInfo): Nodo {
  return { id: idComune(c.codice_istat), tipo: 'comune', etichetta: c.nome, comuni: [c] };
}

export function nodiGruppo(contesto: Contesto, vista: Vista): Nodo[] {
  return vista === 'cluster'
    ? contesto.cluster.map((k) => ({ id: idCluster(k), tipo: 'cluster' as const, etichetta: ETICHETTA_CLUSTER(k), comuni: contesto.comuni.filter((c) => c.cluster === k) }))
    : contesto.distretti.map((d) => ({ id: idDistretto(d), tipo: 'distretto' as const, etichetta: `Distretto di ${d}`, comuni: contesto.comuni.filter((c) => c.distretto === d) }));
}

export function nodoAmbito(contesto: Contesto): Nodo {
  return { id: AMBITO, tipo: 'ambito', etichetta: 'Ambito', comuni: contesto.comuni };
}

/** The selection of the filters: a comune, a cluster, a distretto or the ambito. */
export function selezione(contesto: Contesto, f: Pick<Filtri, 'comune' | 'cluster' | 'distretto'>): Nodo {
  if (f.comune) return nodoComune(contesto.perIstat.get(f.comune)!);
  if (f.cluster != null) return nodiGruppo(contesto, 'cluster').find((n) => n.id === idCluster(f.cluster!))!;
  if (f.distretto != null) return nodiGruppo(contesto, 'distretto').find((n) => n.id === idDistretto(f.distretto!))!;
  return nodoAmbito(contesto);
}

/** The group (per vista) a comune belongs to. */
export function gruppoDi(contesto: Contesto, c: ComuneInfo, vista: Vista): Nodo {
  return nodiGruppo(contesto, vista).find((n) => n.comuni.some((x) => x.codice_istat === c.codice_istat))!;
}

/** Who is looking: the UdP sees everything; a comune account its own comune in full. */
export interface Visibilita {
  udp: boolean;
  /** The account's own comune (comune role), else null. */
  proprio: string | null;
  /** Cache class: 'udp', 'comune:ISTAT' or 'altri'. */
  classe: string;
}

export function visibilita(user: Utente): Visibilita {
  if (user.ruolo === 'udp') return { udp: true, proprio: null, classe: 'udp' };
  if (user.ruolo === 'comune' && user.codice_istat) return visibilitaComune(user.codice_istat);
  return { udp: false, proprio: null, classe: 'altri' };
}

/** What the account of a comune sees (also the monthly digest, sent to that comune only). */
export function visibilitaComune(istat: string): Visibilita {
  return { udp: false, proprio: istat, classe: `comune:${istat}` };
}

/** Does the account see this node in full (UdP; a comune account for its own comune)? */
export function pieno(v: Visibilita, n: Nodo): boolean {
  return v.udp || (v.proprio !== null && n.comuni.length > 0 && n.comuni.every((c) => c.codice_istat === v.proprio));
}

/** Sums a per-comune map over the comuni of a node. */
export function somma(valori: Map<string, number>, n: Nodo): number {
  return n.comuni.reduce((a, c) => a + (valori.get(c.codice_istat) ?? 0), 0);
}
