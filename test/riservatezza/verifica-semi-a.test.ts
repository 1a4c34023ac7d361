/**
 * The disclosure audit on randomized ambiti of small comuni, seeds 7, 3 and 8 (test/riservatezza/verifica.ts:
 * what each seed holds and what the audit reads). Seed 10 is in verifica-semi-b.test.ts: with the
 * demo's file, the two jest workers get about the same minutes.
 */
import { ambitiCasuali } from './verifica';

jest.setTimeout(600_000);

ambitiCasuali([7, 3, 8]);
