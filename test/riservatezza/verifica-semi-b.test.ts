/**
 * The disclosure audit on randomized ambiti of small comuni, seeds 8 and 10 (test/riservatezza/verifica.ts:
 * what each seed holds and what the audit reads).
 */
import { ambitiCasuali } from './verifica';

jest.setTimeout(600_000);

ambitiCasuali([8, 10]);
