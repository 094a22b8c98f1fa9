/**
 * `npm start`: the whole app on the local stack, data kept in .data/ across restarts, seeded on first start.
 * Ctrl-C stops every part and flushes the engine's data.
 *   npm start -- [--host 127.0.0.1] [--allow-non-loopback]
 * The stack listens on loopback only: it trusts unsigned ID tokens and `owner`, as the official emulators do. Another
 * --host needs --allow-non-loopback (or TELESALUD_ALLOW_NON_LOOPBACK=1).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT, startStack } from './stack';
import { DEMO_LOGINS } from './seed';
import { backfillSearchListings } from './backfill-search-listings';
import { LOCAL_SERVICE_PORTS } from './local-services';

const dataDir = path.join(ROOT, '.data');
const firstStart = !existsSync(path.join(dataDir, 'firestore'));

console.log('Starting Telesalud on the local stack…');
const { values: flags } = parseArgs({
  options: { host: { type: 'string' }, 'allow-non-loopback': { type: 'boolean' } },
});
const stack = await startStack({
  dataDir,
  web: true,
  seed: firstStart,
  // Fixed for people: the inbox keeps its address across restarts.
  localServicePorts: LOCAL_SERVICE_PORTS,
  ...(flags.host !== undefined ? { host: flags.host } : {}),
  ...(flags['allow-non-loopback'] ? { allowNonLoopback: true } : {}),
});
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
    Mail inbox (MailDev) ${stack.services.urls.mailInbox}   (e-mails the app sends; SMTP ${stack.services.urls.smtp})
    SMS (Twilio test)    ${stack.services.urls.sms}   (SMS the app sends, as JSON)
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
