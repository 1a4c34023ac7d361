/**
 * Wires the features together at start: the per-import audit and the demo accounts. (What runs
 * after imports is data, in jobs/catena.ts.) Called once by the CLI, the server and the tests
 * that need the whole product.
 */
import { registerAuth } from './auth/agganci';
import { registerCensimento } from './censimento/importate';

let done = false;

export function registerFeatures(): void {
  if (done) return;
  done = true;
  registerAuth(); // demo accounts; audit of every import
  registerCensimento(); // a census sheet imported during an open round answers it
}
