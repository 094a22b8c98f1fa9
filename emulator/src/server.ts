import net from 'node:net';
import http from 'node:http';
import { ServerCredentials } from '@grpc/grpc-js';
import type { Engine } from './firestore/types';
import { createEngine, type EngineOptions } from './firestore/engine';
import { createHttpHandler } from './http/handler';
import type { WebChannelStats } from './http/webchannel';
import { createGrpcServer } from './grpc/server';
import { assertLoopback } from './loopback';
import { RulesCompileError } from './rules/parser';
import { FirestoreRulesByProject, StorageRulesByProject } from './rules/projects';
import { startStorageEmulator, StorageHttpError, type RunningStorage } from './storage/server';
import { Code, FirestoreError } from './firestore/types';

export interface EmulatorOptions extends EngineOptions {
  /**
   * Loopback only (127.0.0.0/8, ::1, localhost; default 127.0.0.1): the engine trusts unsigned tokens and `owner`,
   * as the official emulators do. Another address throws unless `allowNonLoopback` (or TELESALUD_ALLOW_NON_LOOPBACK=1).
   */
  host?: string;
  /** Allows a non-loopback `host` (with a loud warning). */
  allowNonLoopback?: boolean;
  /** 0 picks a free port. */
  port?: number;
  /** The project `rules` (and Storage's rules) belong to (default: GCLOUD_PROJECT, else demo-project). */
  projectId?: string;
  /**
   * Security rules for client (non-admin) requests to `projectId`. Rules are kept per project: a project without
   * rules denies every client request until rules are loaded for it with
   * `PUT /emulator/v1/projects/{p}:securityRules` (as @firebase/rules-unit-testing does), which changes only `p`.
   */
  rules?: { source: string; fileName?: string };
  /**
   * Also serve Cloud Storage on its own port (as Firebase's emulators do), judged by storage.rules whose
   * firestore.get()/exists() read this engine.
   */
  storage?: {
    /** 0 (the default) picks a free port. */
    port?: number;
    /** Objects are kept under `<dataDir>/storage/`; in memory without it. */
    dataDir?: string;
    /** Rules for the buckets of `projectId`; other projects' buckets are judged by rules loaded for them. */
    rules?: { source: string; fileName?: string };
    /**
     * The project of `rules` and whose Functions emulator gets the triggers (default: the engine's `projectId`).
     * firestore.get() in a bucket's rules reads the Firestore of the bucket's own project.
     */
    projectId?: string;
    /** Base URL of the Functions emulator for onObjectFinalized/onObjectDeleted/onObjectMetadataUpdated. */
    functionsUrl?: string | (() => string | undefined);
  };
}

export interface RunningStorageWithRules extends RunningStorage {
  /** The storage rules per project; load() replaces one project's (a bad file throws and keeps the last good rules). */
  rules: StorageRulesByProject;
}

export interface RunningEmulator {
  engine: Engine;
  /** The Firestore rules per project; load() replaces one project's (a bad file throws and keeps the last good rules). */
  rules: FirestoreRulesByProject;
  host: string;
  port: number;
  /** "host:port", the value for FIRESTORE_EMULATOR_HOST. */
  address: string;
  /** Present when started with `storage`. */
  storage?: RunningStorageWithRules;
  /** What the browser SDK's WebChannel sessions hold now: sessions, listen targets, unacknowledged bytes. */
  webChannelStats(): WebChannelStats;
  close(): Promise<void>;
}

/** The first bytes of every HTTP/2 prior-knowledge connection (gRPC clients speak h2c with no upgrade). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/**
 * Starts the engine behind one TCP port, as the official emulator does: gRPC (HTTP/2) for firebase-admin and the
 * Node web SDK, and HTTP/1.1 for the browser SDK's WebChannel and REST calls and the emulator endpoints.
 * Each connection is routed by its first bytes.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  // Before anything is opened: a refused address leaves nothing to clean up.
  assertLoopback(host, 'Firestore engine', options.allowNonLoopback);
  const projectId = options.projectId ?? process.env.GCLOUD_PROJECT ?? 'demo-project';
  const engine = await createEngine(options);
  const rules = new FirestoreRulesByProject(
    { read: (name) => engine.peek(name), ...(options.log ? { log: options.log } : {}) },
    projectId,
  );
  if (options.rules) rules.load(options.rules.source, options.rules.fileName);
  engine.setAuthorizer(rules.authorizer());
  const httpHandler = createHttpHandler(engine, {
    onRulesUpdate: (source, _service, project) => {
      try {
        rules.load(source, 'firestore.rules', project);
      } catch (e) {
        if (e instanceof RulesCompileError)
          throw new FirestoreError(
            Code.INVALID_ARGUMENT,
            `Rules did not compile; the last good rules stay in force.\n${e.message}`,
          );
        throw e;
      }
    },
    ...(options.log ? { log: options.log } : {}),
  });
  const httpServer = http.createServer(httpHandler);
  httpServer.keepAliveTimeout = 65_000;
  const grpc = createGrpcServer(engine);
  const injector = grpc.server.createConnectionInjector(ServerCredentials.createInsecure());
  const sockets = new Set<net.Socket>();

  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Route by the first bytes: "PRI" starts the HTTP/2 preface, every HTTP/1.1 method differs by the 2nd or 3rd byte,
    // so gather at least 3 bytes (or one that rules HTTP/2 out) before deciding.
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const head = Buffer.concat(chunks);
      const prefix = head.subarray(0, H2_PREFACE.length);
      const looksH2 = H2_PREFACE.subarray(0, prefix.length).equals(prefix);
      if (looksH2 && head.length < 3) return;
      // Handing over is synchronous, so no chunk is emitted between our listener leaving and the new owner's arriving.
      socket.off('data', onData);
      if (looksH2) {
        // HTTP/2 takes over the socket's handle and first drains what is buffered: stop flowing so nothing is lost.
        socket.pause();
        socket.unshift(head);
        injector.injectConnection(socket);
      } else {
        socket.unshift(head);
        httpServer.emit('connection', socket);
      }
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });

  const storage = options.storage
    ? await startStorage(engine, { projectId, ...options.storage }, host, options.allowNonLoopback, options.log)
    : undefined;

  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port ?? 0, host, () => resolve());
  });
  const addr = tcp.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;

  return {
    engine,
    rules,
    host,
    port,
    address: `${host}:${port}`,
    ...(storage ? { storage } : {}),
    webChannelStats: () => httpHandler.webChannelStats(),
    async close() {
      await storage?.close();
      await new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      injector.destroy();
      grpc.server.forceShutdown();
      httpServer.closeAllConnections();
      httpHandler.close();
      await engine.close();
    },
  };
}

async function startStorage(
  engine: Engine,
  opts: NonNullable<EmulatorOptions['storage']> & { projectId: string },
  host: string,
  allowNonLoopback: boolean | undefined,
  log: EmulatorOptions['log'],
): Promise<RunningStorageWithRules> {
  const { projectId } = opts;
  const rules = new StorageRulesByProject(
    { readDocument: (name) => engine.peek(name), ...(log ? { log } : {}) },
    projectId,
  );
  if (opts.rules) rules.load(opts.rules.source, opts.rules.fileName);
  const running = await startStorageEmulator({
    host,
    ...(allowNonLoopback !== undefined ? { allowNonLoopback } : {}),
    port: opts.port ?? 0,
    projectId,
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.functionsUrl ? { functionsUrl: opts.functionsUrl } : {}),
    ...(log ? { log } : {}),
    authorize: async (q) => rules.judge(q),
    onRulesUpdate: (files) => {
      try {
        rules.replace(files);
      } catch (e) {
        if (e instanceof RulesCompileError)
          throw new StorageHttpError(400, `Rules did not compile; the last good rules stay in force.\n${e.message}`);
        throw e;
      }
    },
  });
  return Object.assign(running, { rules });
}
