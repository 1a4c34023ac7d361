/**
 * Wires the features together at start: after-import hooks and jobs. Called once by the CLI,
 * the server and the tests that need the whole product.
 */
import { registerRiconciliazione } from './riconciliazione/hook';
import { registerQualita } from './qualita/registra';
import { registerAuth } from './auth/registra';
import { registerVariazioni } from './variazioni/registra';

let done = false;

export function registerFeatures(): void {
  if (done) return;
  done = true;
  registerRiconciliazione(); // before the quality checks: `sopra_dichiarato` reads the latest run
  registerQualita();
  registerAuth(); // demo accounts; audit of every import
  registerVariazioni();
}
