/**
 * `npm start`: the whole app on the local stack, data kept in .data/ across restarts, seeded on first start.
 * Ctrl-C stops every part and flushes the engine's data.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startStack } from './stack';
import { DEMO_LOGINS } from './seed';
import { backfillSearchListings } from './backfill-search-listings';

const dataDir = path.join(ROOT, '.data');
const firstStart = !existsSync(path.join(dataDir, 'firestore'));

console.log('Starting Telesalud on the local stack…');
const stack = await startStack({ dataDir, web: true, seed: firstStart });
// Data kept from an older checkout may predate search listings (the seed writes them on a first start).
if (!firstStart) {
  Object.assign(process.env, stack.env);
  const t = await backfillSearchListings(stack.env.GCLOUD_PROJECT ?? 'demo-telesalud');
  if (t.written + t.deleted > 0) console.log(`  search listings brought up to date: ${t.written} written, ${t.deleted} removed`);
}

console.log(`
  ✔ Telesalud is running
    App (abre esto)      ${stack.urls.web}
    Firestore engine     ${stack.urls.firestore}
    Auth emulator        ${stack.urls.auth}
    Functions emulator   ${stack.urls.functions}
    Data folder          ${dataDir}${firstStart ? ' (seeded now)' : ''}

  Demo logins:
${DEMO_LOGINS.map((l) => `    ${l.role.padEnd(44)} ${l.email} / ${l.password}`).join('\n')}

  Ctrl-C to stop.
`);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  stack.stop().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
