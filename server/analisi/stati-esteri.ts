import path from 'node:path';
import { fixturesDir, readSmallCsv } from '../genera/fixtures';

/**
 * Names of the foreign countries by cadastral code (the "Z" codes of a codice fiscale's place of
 * birth): fixtures/riferimento/stati-esteri.csv, the ANPR table 2 "Stati esteri" (sources in
 * fixtures/riferimento/FONTI.md). Read once.
 */
let tabella: Map<string, string> | null = null;

export function nomeStatoEstero(codice: string): string {
  if (!tabella) tabella = new Map(readSmallCsv(path.join(fixturesDir(), 'riferimento', 'stati-esteri.csv')).map((r) => [r.codice_catastale, r.denominazione]));
  return tabella.get(codice) ?? `Estero, codice ${codice} non in tabella`;
}
