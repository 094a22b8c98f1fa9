/**
 * Cloud Storage for Firebase, emulated over HTTP/1.1 on one port:
 * - the Firebase API (`/v0/b/{bucket}/o...`) spoken by the web SDK (`firebase/storage` 12) and by
 *   @firebase/rules-unit-testing, with every non-admin request judged by `authorize` (the storage rules);
 * - the GCS JSON API (`/storage/v1`, `/upload/storage/v1`, `/download/storage/v1`, and the bare `/b/...` paths that
 *   @google-cloud/storage uses when `STORAGE_EMULATOR_HOST` is set) for firebase-admin: admin, no rules, as in the
 *   official emulator;
 * - the emulator endpoints: `PUT /internal/setRules`, `POST|DELETE /internal/reset`, `GET /` health.
 * Answers follow firebase-tools' own Storage emulator (lib/emulator/storage) where the SDKs depend on them.
 * Each API has its module (firebase-api.ts, gcs-api.ts, emulator-api.ts); rules and writes are shared in service.ts,
 * resumable sessions in uploads.ts, wire formats and HTTP helpers in common.ts. This file routes and listens.
 */
import http from 'node:http';
import { assertLoopback } from '../loopback';
import { cors, errorBody, preflight, sendJson, StorageHttpError, type StorageAuthRequest } from './common';
import { createEmulatorApi } from './emulator-api';
import { createFirebaseApi } from './firebase-api';
import { createGcsApi } from './gcs-api';
import { createStorageService } from './service';
import { ObjectStore } from './store';
import { createTriggerQueue } from './triggers';
import { UploadSessions } from './uploads';

export {
  firebaseResource,
  gcsResource,
  StorageHttpError,
  type StorageAuthRequest,
  type StorageRequestContext,
} from './common';

/** One rules file of a `setRules` request. */
export interface StorageRulesFile {
  source: string;
  fileName: string;
  /** The bucket the file is for; absent, it is for every bucket that has no rules of its own. */
  bucket?: string;
}

export interface StorageServerOptions {
  /**
   * Loopback only (default 127.0.0.1): Storage trusts unsigned tokens and `owner`, as the official emulator does.
   * Another address throws unless `allowNonLoopback` (or TELESALUD_ALLOW_NON_LOOPBACK=1).
   */
  host?: string;
  /** Allows a non-loopback `host` (with a loud warning). */
  allowNonLoopback?: boolean;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Objects are kept under `<dataDir>/storage/`; in memory without it. */
  dataDir?: string;
  /** The project whose Functions emulator gets the triggers (default: GCLOUD_PROJECT, else demo-project). */
  projectId?: string;
  /**
   * Judges every non-admin request (never admin): true or `{ allowed: true }` allows; a reason given with a denial is
   * passed to the client. Default: deny all with a clear 403 message "no storage.rules loaded".
   */
  authorize?: (req: StorageAuthRequest) => Promise<boolean | { allowed: boolean; reason?: string }>;
  /**
   * Called by PUT /internal/setRules with every file it carries; throw to refuse them all (answer 400 with the error
   * message, keep the old rules).
   */
  onRulesUpdate?: (files: StorageRulesFile[]) => void | Promise<void>;
  /** Base URL of the firebase-tools Functions emulator (e.g. http://127.0.0.1:5001) for onObjectFinalized/onObjectDeleted/metadataUpdated triggers; absent = no triggers. */
  functionsUrl?: string | (() => string | undefined);
  /** Trigger delivery retries while the Functions emulator is not up (defaults: 8 attempts, 250 ms doubling). */
  triggerRetry?: { maxAttempts?: number; initialDelayMs?: number };
  log?: (event: string, detail?: Record<string, unknown>) => void;
}

export interface RunningStorage {
  host: string;
  port: number;
  /** "host:port": FIREBASE_STORAGE_EMULATOR_HOST and connectStorageEmulator; STORAGE_EMULATOR_HOST is `http://` + this. */
  address: string;
  store: ObjectStore;
  /** Resolves when every queued trigger was delivered (or given up). */
  whenTriggersIdle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the Storage emulator.
 * @param opts - address, data folder, rules hook and Functions emulator
 */
export async function startStorageEmulator(opts: StorageServerOptions = {}): Promise<RunningStorage> {
  const host = opts.host ?? '127.0.0.1';
  assertLoopback(host, 'Storage emulator', opts.allowNonLoopback);
  const projectId = opts.projectId ?? process.env.GCLOUD_PROJECT ?? 'demo-project';
  const store = new ObjectStore(opts.dataDir);
  const triggers = createTriggerQueue({
    functionsUrl: opts.functionsUrl ?? (() => undefined),
    projectId,
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.triggerRetry?.maxAttempts !== undefined ? { maxAttempts: opts.triggerRetry.maxAttempts } : {}),
    ...(opts.triggerRetry?.initialDelayMs !== undefined ? { initialDelayMs: opts.triggerRetry.initialDelayMs } : {}),
  });
  // Known once listening; only read while answering requests.
  let origin = '';
  const service = createStorageService(opts, store, triggers, () => origin);
  const uploads = new UploadSessions(service);
  const firebaseApi = createFirebaseApi(service, uploads);
  const gcsApi = createGcsApi(service, uploads);
  const emulatorApi = createEmulatorApi(opts, service, uploads, projectId);

  const route = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    cors(req, res);
    if (req.method === 'OPTIONS') return preflight(req, res);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://storage');
    } catch {
      // A request target the URL parser refuses (`//x:99999/`, `http://[`) is the caller's fault, not ours.
      throw new StorageHttpError(400, 'Malformed request URL');
    }
    const p = url.pathname;
    if (p === '/' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('Ok');
      return;
    }
    if (await emulatorApi(req, res, url)) return;
    if (p === '/v0' || p.startsWith('/v0/')) return firebaseApi(req, res, url);
    if (await gcsApi(req, res, url)) return;
    throw new StorageHttpError(404, `No such endpoint: ${req.method ?? ''} ${p}`);
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      const status = e instanceof StorageHttpError ? e.status : 500;
      const message = e instanceof Error ? e.message : String(e);
      opts.log?.('storage-http-error', { method: req.method, url: req.url, status, error: message });
      if (res.headersSent) {
        res.end();
        return;
      }
      // The body is drained so the client can read the answer before the connection is reused.
      req.resume();
      sendJson(res, status, errorBody(status, message));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  origin = `http://${host}:${port}`;

  return {
    host,
    port,
    address: `${host}:${port}`,
    store,
    whenTriggersIdle: () => triggers.whenIdle(),
    async close() {
      triggers.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
