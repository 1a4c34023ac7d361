/**
 * A server instance that dies in the middle of a job: started by test/jobs/esecuzioni.test.ts,
 * it runs the job `lungo` (which never ends) and prints "avviato"; the test then SIGKILLs it.
 * Usage: node -r tsx/cjs crash-child.ts SCHEMA
 */
import pino from 'pino';
import { loadConfig } from '../../../server/config';
import { openDb } from '../../../server/db';
import { systemClock } from '../../../server/context';
import { JOBS } from '../../../jobs/elenco';
import { runJob } from '../../../jobs';

async function main(): Promise<void> {
  const db = await openDb({ databaseUrl: process.env.TEST_DATABASE_URL!, schema: process.argv[2], poolMax: 3 });
  JOBS.push({
    name: 'lungo',
    async run() {
      process.stdout.write('avviato\n');
      setInterval(() => undefined, 60_000); // stays alive until killed
      await new Promise(() => undefined);
      return { messaggio: 'mai' };
    },
  });
  await runJob({ config: loadConfig({}), db, log: pino({ level: 'silent' }), clock: systemClock() }, 'lungo', { origine: 'figlio' });
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e));
  process.exit(1);
});
