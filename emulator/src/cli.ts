/**
 * The engine on its own:
 *   npm run emulator -- [--port 8080] [--data .data/firestore] [--rules firestore.rules] [--project demo-project]
 *                       [--host 127.0.0.1] [--allow-non-loopback]
 *                                                                   serve (data kept in the folder across restarts;
 *                                                                   rules default to ./firestore.rules when present,
 *                                                                   for --project (default GCLOUD_PROJECT, else
 *                                                                   demo-project); other projects load their own)
 *   Loopback only: the engine trusts unsigned tokens and `owner`; another --host needs --allow-non-loopback (or
 *   TELESALUD_ALLOW_NON_LOOPBACK=1).
 *   npm run emulator -- export <dataDir> <exportDir>                write a snapshot of a data folder
 *   npm run emulator -- import <exportDir> <dataDir>                replace a data folder with an export
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NonLoopbackError } from './loopback';
import { startEmulator } from './server';
import { createEngine } from './firestore/engine';
import { importSnapshot, SNAPSHOT_FILE, writeSnapshot } from './firestore/persistence';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    'allow-non-loopback': { type: 'boolean' },
    project: { type: 'string' },
    data: { type: 'string' },
    rules: { type: 'string' },
  },
});
const [command, from, to] = positionals;

if (command === 'export') {
  if (!from || !to) throw new Error('usage: export <dataDir> <exportDir>');
  const engine = await createEngine({ dataDir: from });
  mkdirSync(to, { recursive: true });
  const docs = [...engine.documents()];
  writeSnapshot(path.join(to, SNAPSHOT_FILE), docs, BigInt(Date.now()) * 1000n);
  await engine.close();
  console.log(`exported ${docs.length} documents to ${to}`);
} else if (command === 'import') {
  if (!from || !to) throw new Error('usage: import <exportDir> <dataDir>');
  console.log(`imported ${importSnapshot(from, to)} documents into ${to}`);
} else if (command === undefined) {
  const rulesFile = values.rules ?? (existsSync('firestore.rules') ? 'firestore.rules' : undefined);
  const emu = await startEmulator({
    ...(rulesFile ? { rules: { source: readFileSync(rulesFile, 'utf8'), fileName: rulesFile } } : {}),
    port: Number(values.port),
    host: values.host,
    ...(values['allow-non-loopback'] ? { allowNonLoopback: true } : {}),
    ...(values.project ? { projectId: values.project } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    log: (event, fields) => console.log(event, JSON.stringify(fields ?? {})),
  }).catch((e: unknown) => {
    // A refused address is the user's choice to make, not a crash: say why and stop.
    if (e instanceof NonLoopbackError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  });
  console.log(`Firestore engine on http://${emu.address} (FIRESTORE_EMULATOR_HOST=${emu.address})${values.data ? `, data in ${values.data}` : ', in memory'}; rules: ${rulesFile ? `${rulesFile} for project ${emu.rules.defaultProject}` : 'none (clients denied until rules are PUT)'}`);
  const stop = () => void emu.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} else {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
