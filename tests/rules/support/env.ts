/**
 * The rules test environment: our engine (Firestore and Storage) in this process, the project's real rules files,
 * and the unmodified @firebase/rules-unit-testing driving the unmodified Firebase SDKs against it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
} from '@firebase/rules-unit-testing';
import { setLogLevel, type Firestore } from 'firebase/firestore';
import type { FirebaseStorage } from 'firebase/storage';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/server';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

// Denials are the point of these suites: the SDK's warning per refused stream would bury the real failures.
setLogLevel('error');

export interface RulesEnv {
  testEnv: RulesTestEnvironment;
  emulator: RunningEmulator;
  /** A signed-in user's Firestore, with custom claims (roles, clinicIds…). */
  as(uid: string, claims?: Record<string, unknown>): Firestore;
  /** Nobody signed in. */
  anon(): Firestore;
  /** A signed-in user's Storage. */
  storageAs(uid: string, claims?: Record<string, unknown>): FirebaseStorage;
  anonStorage(): FirebaseStorage;
  /** Seeds or inspects data with rules off (the admin view). */
  admin(fn: (db: Firestore, storage: FirebaseStorage) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/**
 * rules-unit-testing types its contexts with the compat SDK, but what it hands out are compat wrappers that the
 * modular API accepts (it unwraps `_delegate`), as its own docs show: `getDoc(doc(alice.firestore(), …))`.
 */
const modularDb = (ctx: RulesTestContext): Firestore => ctx.firestore() as unknown as Firestore;
const modularStorage = (ctx: RulesTestContext): FirebaseStorage => ctx.storage() as unknown as FirebaseStorage;

/**
 * Starts an engine with Storage on free ports and a test environment with the project's firestore.rules and
 * storage.rules.
 * @param projectId - a demo- project id, one per test file
 */
export async function startRulesEnv(projectId: string): Promise<RulesEnv> {
  const emulator = await startEmulator({ port: 0, storage: { port: 0, projectId } });
  const storage = emulator.storage;
  if (!storage) throw new Error('the engine started without Storage');
  const testEnv = await initializeTestEnvironment({
    projectId,
    firestore: {
      host: emulator.host,
      port: emulator.port,
      rules: readFileSync(path.join(ROOT, 'firestore.rules'), 'utf8'),
    },
    storage: { host: storage.host, port: storage.port, rules: readFileSync(path.join(ROOT, 'storage.rules'), 'utf8') },
  });
  return {
    testEnv,
    emulator,
    as: (uid, claims = {}) => modularDb(testEnv.authenticatedContext(uid, claims)),
    anon: () => modularDb(testEnv.unauthenticatedContext()),
    storageAs: (uid, claims = {}) => modularStorage(testEnv.authenticatedContext(uid, claims)),
    anonStorage: () => modularStorage(testEnv.unauthenticatedContext()),
    admin: (fn) => testEnv.withSecurityRulesDisabled((ctx) => fn(modularDb(ctx), modularStorage(ctx))),
    async close() {
      await testEnv.cleanup();
      await emulator.close();
    },
  };
}
