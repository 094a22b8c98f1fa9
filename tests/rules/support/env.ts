/**
 * The rules test environment: our engine in this process, the project's real rules files, and the unmodified
 * @firebase/rules-unit-testing driving the unmodified Firebase SDKs against it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/server';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export interface RulesEnv {
  testEnv: RulesTestEnvironment;
  emulator: RunningEmulator;
  close(): Promise<void>;
}

/**
 * Starts an engine on a free port and a test environment with the project's firestore.rules.
 * @param projectId - a demo- project id, one per test file
 */
export async function startRulesEnv(projectId: string): Promise<RulesEnv> {
  const emulator = await startEmulator({ port: 0 });
  const testEnv = await initializeTestEnvironment({
    projectId,
    firestore: { host: emulator.host, port: emulator.port, rules: readFileSync(path.join(ROOT, 'firestore.rules'), 'utf8') },
  });
  return {
    testEnv,
    emulator,
    async close() {
      await testEnv.cleanup();
      await emulator.close();
    },
  };
}
