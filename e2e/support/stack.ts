/** One local stack for the browser journeys, on ports away from `npm start`'s so both can run at once. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '../../scripts/stack';

export const E2E_PORTS = { firestore: 28080, storage: 29199, auth: 29099, functions: 25001, web: 25173, hub: 24400, logging: 24500 };

export async function startE2eStack(): Promise<Stack> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'telesalud-e2e-'));
  return startStack({ dataDir, web: true, seed: true, quiet: true, ports: E2E_PORTS });
}
