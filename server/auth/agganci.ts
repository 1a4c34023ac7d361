import { onDemo } from '../demo';
import { registerImportAudit } from '../audit/importazioni';
import { createDemoAccounts } from './demo';

/** Called once by registerFeatures(): demo accounts with the demo data, and the audit of imports. */
export function registerAuth(): void {
  onDemo(createDemoAccounts);
  registerImportAudit();
}
