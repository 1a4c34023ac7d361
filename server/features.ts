/**
 * Wires the features together at start: after-import hooks and jobs. Called once by the CLI,
 * the server and the tests that need the whole product.
 */
let done = false;

export function registerFeatures(): void {
  if (done) return;
  done = true;
}
