/**
 * The disclosure audit on randomized ambiti of small comuni, seed 10 (test/riservatezza/verifica.ts:
 * what each seed holds and what the audit reads).
 */
import { ambitiCasuali } from './verifica';

jest.setTimeout(600_000);

ambitiCasuali([10]);
