/**
 * The local stack, used by `npm start` and the browser journeys: our Firestore engine in this process, the
 * firebase-tools Auth and Functions emulators (plain Node) as a child, optionally the Vite dev server and the seed.
 * stop() ends every child's whole process group, so nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { assertLoopback } from '../emulator/src/loopback';
import { startEmulator, type RunningEmulator } from '../emulator/src/server';
import { startTriggerDispatcher, type TriggerDispatcher } from '../emulator/src/triggers/dispatcher';
import { startScheduler, type JobRun, type Scheduler } from './scheduler';
import { startLocalServices, type LocalServices } from './local-services';

export const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
export const PROJECT_ID = 'demo-telesalud';

type SeedEnvVars = Record<string, string> & {
  FIRESTORE_EMULATOR_HOST: string;
  FIREBASE_AUTH_EMULATOR_HOST: string;
  GCLOUD_PROJECT: string;
};

/**
 * The ports of one stack. Stacks started by tests and benches use their own, all below 32768: Linux gives the ports
 * from 32768 up to outgoing connections, and a port one of them holds at that moment cannot be listened on (a test
 * stack on 46080 once failed to start that way in the middle of a full run).
 */
export interface StackPorts {
  firestore: number;
  storage: number;
  auth: number;
  functions: number;
  web: number;
  hub: number;
  logging: number;
}

export const DEFAULT_PORTS: StackPorts = {
  firestore: 8080,
  storage: 9199,
  auth: 9099,
  functions: 5001,
  web: 5173,
  hub: 4400,
  logging: 4500,
};

export interface StackOptions {
  /**
   * Where every part listens (default 127.0.0.1). Loopback only: the stack trusts unsigned ID tokens and `owner`, as
   * the official emulators do; another address throws unless `allowNonLoopback` (or TELESALUD_ALLOW_NON_LOOPBACK=1).
   */
  host?: string;
  /** Allows a non-loopback `host`, with a loud warning. */
  allowNonLoopback?: boolean;
  /** Folder for the engine's data and the emulators' logs; absent keeps data in memory. */
  dataDir?: string;
  ports?: Partial<StackPorts>;
  web?: boolean;
  seed?: boolean;
  quiet?: boolean;
  /**
   * Run the scheduled functions on their schedules (default true). false: they run only through runJob, so a test
   * decides when a job runs.
   */
  schedules?: boolean;
  /** Ports of the mail catcher (SMTP, web inbox) and the Twilio-compatible server; default 0, any free port. */
  localServicePorts?: { smtp: number; mail: number; sms: number };
}

export interface Stack {
  urls: Record<'web' | 'firestore' | 'storage' | 'auth' | 'functions', string>;
  /** Environment for admin SDK clients (scripts, tests) talking to this stack. */
  env: Record<string, string>;
  engine: RunningEmulator;
  /** Resolves when every Cloud Functions trigger queued so far has run. */
  whenTriggersIdle(): Promise<void>;
  /**
   * Runs one scheduled function now (scripts/scheduler.ts), resolving when it has finished.
   * @param name - its exported name, e.g. "bookingsExpireUnpaid"
   */
  runJob(name: string): Promise<JobRun>;
  /** MailDev and the Twilio-compatible server (scripts/local-services): their URLs and what the SMS server got. */
  services: LocalServices;
  stop(): Promise<void>;
}

async function assertFree(host: string, port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', () =>
      reject(new Error(`Port ${port} (${what}) is busy. Stop whatever uses it, or pick other ports.`)),
    );
    s.listen(port, host, () => s.close(() => resolve()));
  });
}

async function waitFor(url: string, what: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`${what} exited early (code ${child.exitCode}); see its log`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs / 1000}s (${url})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function killGroup(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    // Generous: the Auth emulator exports its users on the way out.
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-(child.pid as number), 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

/**
 * Reloads a rules file when it changes. A file that does not compile is reported with line and column and the last
 * good rules stay in force, as in the Firebase emulators.
 */
function watchRules(file: string, load: (source: string) => void, say: (m: string) => void): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  let last = readFileSync(file, 'utf8');
  const w = watch(file, () => {
    clearTimeout(timer);
    // Editors write in several steps: settle first.
    timer = setTimeout(() => {
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch {
        return;
      }
      if (source === last) return;
      last = source;
      try {
        load(source);
        say(`  rules reloaded    ${path.basename(file)}`);
      } catch (e) {
        say(
          `  rules NOT loaded  ${e instanceof Error ? e.message : String(e)}\n                    (the last good ${path.basename(file)} stays in force)`,
        );
      }
    }, 150);
  });
  w.on('error', () => w.close());
  return w;
}

const FUNCTIONS_BUNDLE = path.join(ROOT, 'functions', 'lib', 'index.js');
// Outside functions/: the Functions emulator watches that folder.
const BUILD_LOCK = path.join(ROOT, '.out', 'functions-build.lock');

/** The newest modification time of the files a functions bundle is built from. */
function newestSource(): number {
  let newest = 0;
  const visit = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['functions/src', 'domain/src', 'functions/package.json', 'domain/package.json']) visit(path.join(ROOT, p));
  return newest;
}

/**
 * Builds the functions bundle only when a source is newer than it. Every running Functions emulator watches the
 * bundle and reloads when it is rewritten, failing the requests in flight: stacks that run side by side (the test
 * suites, `npm start`) must not rebuild an unchanged bundle under each other. A lock folder keeps two starts from
 * building at once.
 */
async function buildFunctionsIfStale(env: NodeJS.ProcessEnv): Promise<void> {
  mkdirSync(path.dirname(BUILD_LOCK), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch {
      // Another start is building; a lock older than two minutes was left by a killed build.
      const lockedAt = statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > 120_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Another stack has been building the functions for two minutes (${BUILD_LOCK})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const built = statSync(FUNCTIONS_BUNDLE, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (built > newestSource()) return;
    const build = spawn('npm', ['run', 'build', '-w', '@telesalud/functions'], { cwd: ROOT, env, stdio: 'ignore' });
    await new Promise<void>((resolve, reject) =>
      build.on('exit', (c) => (c === 0 ? resolve() : reject(new Error('functions build failed')))),
    );
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/** Starts the stack. Throws with a clear message when a port is busy or a part fails to start. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const host = opts.host ?? '127.0.0.1';
  // First of all: a refused address must leave nothing started.
  assertLoopback(host, 'local stack', opts.allowNonLoopback);
  const ports: StackPorts = { ...DEFAULT_PORTS, ...opts.ports };
  const logDir = path.join(opts.dataDir ?? path.join(ROOT, '.out'), 'logs');
  mkdirSync(logDir, { recursive: true });
  const say = (m: string) => {
    if (!opts.quiet) console.log(m);
  };

  for (const [what, port] of Object.entries(ports) as [keyof StackPorts, number][]) {
    if (what === 'web' && !opts.web) continue;
    await assertFree(host, port, what);
  }

  const rulesFile = path.join(ROOT, 'firestore.rules');
  const storageRulesFile = path.join(ROOT, 'storage.rules');
  const functionsUrl = `http://${host}:${ports.functions}`;
  const engine = await startEmulator({
    host,
    // The address was judged above, with the same permission.
    ...(opts.allowNonLoopback !== undefined ? { allowNonLoopback: opts.allowNonLoopback } : {}),
    port: ports.firestore,
    // The rules below are the app's project's; a rules-unit-testing run for another project loads its own.
    projectId: PROJECT_ID,
    rules: { source: readFileSync(rulesFile, 'utf8'), fileName: 'firestore.rules' },
    ...(opts.dataDir ? { dataDir: path.join(opts.dataDir, 'firestore') } : {}),
    storage: {
      port: ports.storage,
      projectId: PROJECT_ID,
      rules: { source: readFileSync(storageRulesFile, 'utf8'), fileName: 'storage.rules' },
      functionsUrl,
      // The store keeps its objects in <dataDir>/storage/.
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    },
  });
  const storage = engine.storage;
  if (!storage) throw new Error('the engine started without Storage');
  say(`  firestore engine  http://${engine.address} (enforcing firestore.rules)`);
  say(`  storage           http://${storage.address} (enforcing storage.rules)`);
  const watchers: FSWatcher[] = [
    watchRules(rulesFile, (source) => engine.rules.load(source, 'firestore.rules'), say),
    watchRules(storageRulesFile, (source) => storage.rules.load(source, 'storage.rules'), say),
  ];

  const env: SeedEnvVars = {
    FIRESTORE_EMULATOR_HOST: engine.address,
    FIREBASE_AUTH_EMULATOR_HOST: `${host}:${ports.auth}`,
    // firebase-admin's bucket API (@google-cloud/storage) reads STORAGE_EMULATOR_HOST, the web SDK the other one.
    FIREBASE_STORAGE_EMULATOR_HOST: storage.address,
    STORAGE_EMULATOR_HOST: `http://${storage.address}`,
    GCLOUD_PROJECT: PROJECT_ID,
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    // No metadata-server probing from the admin SDK: there is no Google Cloud here.
    METADATA_SERVER_DETECTION: 'none',
  };
  const childEnv = { ...process.env, ...env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` };

  // firebase-tools reads ports from a config file: write one for these ports beside firebase.json (the folder
  // it resolves the functions source from), named by port so that two stacks never share one.
  const config = path.join(ROOT, `.firebase.local.${ports.auth}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      functions: [{ source: 'functions', codebase: 'default', runtime: 'nodejs22' }],
      emulators: {
        singleProjectMode: true,
        auth: { host, port: ports.auth },
        functions: { host, port: ports.functions },
        hub: { host, port: ports.hub },
        logging: { host, port: ports.logging },
        ui: { enabled: false },
      },
    }),
  );
  const children: ChildProcess[] = [];
  let dispatcher: TriggerDispatcher | undefined;
  let scheduler: Scheduler | undefined;
  let services: LocalServices | undefined;
  const stop = async () => {
    for (const w of watchers) w.close();
    dispatcher?.close();
    scheduler?.close();
    await Promise.all(children.map(killGroup));
    await services?.close();
    rmSync(config, { force: true });
    await engine.close();
  };

  try {
    await buildFunctionsIfStale(childEnv);
    // Before the Functions emulator: its functions read the services' addresses from their environment.
    services = await startLocalServices({
      host,
      ports: opts.localServicePorts ?? { smtp: 0, mail: 0, sms: 0 },
      ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
      appUrl: `http://${host}:${ports.web}`,
    });
    say(`  mail (MailDev)    ${services.urls.mailInbox} (SMTP ${services.urls.smtp})`);
    say(`  sms (Twilio test) ${services.urls.sms}`);

    const fbLog = openSync(path.join(logDir, 'firebase-emulators.log'), 'a');
    // Auth users live in the Auth emulator's memory: export them on exit and import them on the next start.
    const authData = opts.dataDir ? path.join(opts.dataDir, 'auth') : undefined;
    const persistAuth = authData
      ? [
          ...(existsSync(path.join(authData, 'firebase-export-metadata.json')) ? ['--import', authData] : []),
          '--export-on-exit',
          authData,
        ]
      : [];
    const fb = spawn(
      path.join(BIN, 'firebase'),
      ['emulators:start', '--only', 'auth,functions', '--project', PROJECT_ID, '--config', config, ...persistAuth],
      { cwd: ROOT, env: { ...childEnv, ...services.env }, stdio: ['ignore', fbLog, fbLog], detached: true },
    );
    children.push(fb);
    await waitFor(`http://${host}:${ports.auth}/`, 'Auth emulator', 90_000, fb);
    await waitFor(`http://${host}:${ports.functions}/backends`, 'Functions emulator', 90_000, fb);
    say(`  auth emulator     http://${host}:${ports.auth}`);
    say(`  functions         http://${host}:${ports.functions}`);

    dispatcher = startTriggerDispatcher(engine.engine, {
      functionsUrl,
      projectId: PROJECT_ID,
      log: (event, fields) => say(`  [triggers] ${event} ${JSON.stringify(fields ?? {})}`),
    });
    // Functions load asynchronously after the emulator answers: wait until their triggers are listed.
    const deadline = Date.now() + 60_000;
    while ((await dispatcher.refresh()).length === 0) {
      if (Date.now() > deadline) throw new Error('The Functions emulator loaded no Firestore triggers; see its log');
      await new Promise((r) => setTimeout(r, 500));
    }
    // The Functions emulator loads scheduled functions but cannot run them (Pub/Sub): our scheduler does.
    scheduler = await startScheduler({
      functionsUrl,
      projectId: PROJECT_ID,
      auto: opts.schedules ?? true,
      log: (event, fields) => say(`  [scheduler] ${event} ${JSON.stringify(fields ?? {})}`),
    });
    say(`  scheduler         ${scheduler.jobs().map((j) => `${j.name} (${j.schedule})`).join(', ') || 'no scheduled functions'}`);

    if (opts.seed) {
      const { seed } = await import('./seed');
      const summary = await seed(env);
      say(`  seeded            ${JSON.stringify(summary)}`);
    }

    if (opts.web) {
      const webLog = openSync(path.join(logDir, 'vite.log'), 'a');
      const vite = spawn(path.join(BIN, 'vite'), ['--port', String(ports.web), '--strictPort', '--host', host], {
        cwd: path.join(ROOT, 'web'),
        env: {
          ...childEnv,
          VITE_FIREBASE_PROJECT_ID: PROJECT_ID,
          VITE_FIRESTORE_EMULATOR_HOST: engine.address,
          VITE_STORAGE_EMULATOR_HOST: storage.address,
          VITE_AUTH_EMULATOR_HOST: `${host}:${ports.auth}`,
          VITE_FUNCTIONS_EMULATOR_HOST: `${host}:${ports.functions}`,
        },
        stdio: ['ignore', webLog, webLog],
        detached: true,
      });
      children.push(vite);
      await waitFor(`http://${host}:${ports.web}/`, 'Vite dev server', 60_000, vite);
    }
  } catch (e) {
    await stop();
    throw e;
  }

  if (!services) throw new Error('the stack started without its local services');
  return {
    services,
    urls: {
      web: `http://${host}:${ports.web}/`,
      firestore: `http://${engine.address}`,
      storage: `http://${storage.address}`,
      auth: `http://${host}:${ports.auth}`,
      functions: `http://${host}:${ports.functions}`,
    },
    env,
    engine,
    whenTriggersIdle: () => dispatcher?.whenIdle() ?? Promise.resolve(),
    runJob: (name) => {
      if (!scheduler) throw new Error('the stack has no scheduler');
      return scheduler.runJob(name);
    },
    stop,
  };
}
