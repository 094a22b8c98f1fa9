/**
 * The setup every stack suite shares: a whole local stack started once per file in its own temporary folder on the
 * file's own ports, an admin app on it for arranging test data and reading outcomes, and the file's web SDK clients;
 * all stopped and deleted after the file. `useStack` registers those hooks; the handles it returns are read inside
 * tests and hooks, once the stack is up.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { startStack, PROJECT_ID, type Stack, type StackPorts } from '../../../scripts/stack';
import { stackClients } from './clients';

/** How long starting and seeding a stack may take (the Functions emulator loads every function first). */
const START_TIMEOUT_MS = 240_000;

/** What one suite's stack is. */
export interface StackSuiteOptions {
  /** Names the temporary folder (`stack-<name>-…`), the admin app (`<name>-admin`) and the clients' apps. */
  name: string;
  /**
   * The file's own ports: files may run in parallel, so no two files share one (see StackPorts in scripts/stack.ts
   * for why they stay below 32768).
   */
  ports: Omit<StackPorts, 'web'>;
  /** Run scheduled functions on their schedules (default true); false leaves them to `stack.runJob`. */
  schedules?: boolean;
}

/** The handles of a started suite; reading one before the stack is up throws. */
export interface StackSuite {
  readonly stack: Stack;
  /** Admin SDK app on the stack, with the project's default bucket. */
  readonly adminApp: App;
  readonly adminDb: Firestore;
  readonly adminAuth: Auth;
  /** The suite's web SDK clients (closed after the file). */
  readonly people: ReturnType<typeof stackClients>;
}

interface Started {
  stack: Stack;
  adminApp: App;
  people: ReturnType<typeof stackClients>;
}

/**
 * Starts a seeded stack for the calling file (beforeAll) and stops it with everything made on it (afterAll). The
 * start waits for the triggers the seed queued, so no test sees the seed still settling.
 * @param opts - the suite's name, ports and whether schedules run
 * @returns the suite's handles, readable from inside tests and hooks
 */
export function useStack(opts: StackSuiteOptions): StackSuite {
  let started: Partial<Started> = {};

  beforeAll(async () => {
    started.stack = await startStack({
      dataDir: mkdtempSync(path.join(os.tmpdir(), `stack-${opts.name}-`)),
      seed: true,
      quiet: true,
      ports: opts.ports,
      ...(opts.schedules === undefined ? {} : { schedules: opts.schedules }),
    });
    // The seed put the stack's emulator hosts into process.env, which firebase-admin reads.
    started.adminApp = initializeApp({ projectId: PROJECT_ID, storageBucket: `${PROJECT_ID}.appspot.com` }, `${opts.name}-admin`);
    started.people = stackClients(started.stack, opts.name);
    await started.stack.whenTriggersIdle();
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    const { people, adminApp, stack } = started;
    started = {};
    // Each step runs even if an earlier one failed (a stack that did not start still has ports to free).
    const results = await Promise.allSettled([people?.close(), adminApp ? deleteApp(adminApp) : undefined]);
    await stack?.stop();
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    if (failed.length) throw new AggregateError(failed, `closing the ${opts.name} suite's clients failed`);
  });

  function need<K extends keyof Started>(key: K): Started[K] {
    const value = started[key];
    if (!value) throw new Error(`the ${opts.name} stack is not running: read its handles inside tests and hooks`);
    return value;
  }

  return {
    get stack() {
      return need('stack');
    },
    get adminApp() {
      return need('adminApp');
    },
    get adminDb() {
      return getFirestore(need('adminApp'));
    },
    get adminAuth() {
      return getAuth(need('adminApp'));
    },
    get people() {
      return need('people');
    },
  };
}
