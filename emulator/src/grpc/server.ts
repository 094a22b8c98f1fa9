/**
 * The gRPC face of the engine (google.firestore.v1.Firestore) for firebase-admin and the Node build of the web SDK.
 * Messages are decoded with the protos @google-cloud/firestore ships and translated to the engine's proto3-JSON
 * shapes: Timestamps become RFC 3339 strings, Int32Value wrappers plain numbers, NullValue null.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {
  Code,
  FirestoreError,
  type Engine,
  type ListenRequestLike,
  type RequestContext,
} from '../firestore/types';
import { contextFromAuthorization } from '../auth';
import { formatTimestamp, parseTimestamp } from '../firestore/values';
import { autoId } from '../firestore/paths';
import { checkListenRequest } from '../firestore/validate';

const require = createRequire(import.meta.url);

/**
 * The google.firestore.v1 protos @google-cloud/firestore ships, loaded as the gRPC messages are read and written on
 * both sides (camelCase fields, enums as strings, longs and bytes as strings, no defaults filled in, oneof members as
 * plain fields): the server here, and the tests' raw client, which must encode a message exactly as given.
 */
export function loadFirestoreProto(): grpc.GrpcObject {
  const root = path.join(path.dirname(require.resolve('@google-cloud/firestore/package.json')), 'build', 'protos');
  const def = protoLoader.loadSync('google/firestore/v1/firestore.proto', {
    includeDirs: [root],
    keepCase: false,
    longs: String,
    enums: String,
    bytes: String,
    defaults: false,
    oneofs: false,
  });
  return grpc.loadPackageDefinition(def);
}

const TIMESTAMP_KEYS = new Set(['timestampValue', 'updateTime', 'readTime', 'createTime', 'commitTime']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** gRPC object → engine shape. */
export function fromGrpc(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => fromGrpc(x));
  if (v === null || typeof v !== 'object') {
    if (key === 'nullValue') return null;
    return v;
  }
  const o = v as Record<string, unknown>;
  if (TIMESTAMP_KEYS.has(key) && ('seconds' in o || 'nanos' in o || Object.keys(o).length === 0)) {
    return formatTimestamp(Number(o.seconds ?? 0), Number(o.nanos ?? 0), 9);
  }
  if (key === 'limit' && 'value' in o) return Number(o.value);
  if (key === 'upTo' && 'value' in o) return String(o.value);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = fromGrpc(x, k);
  return out;
}

/** Engine shape → gRPC object. */
export function toGrpc(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => toGrpc(x));
  if (key === 'nullValue') return 'NULL_VALUE';
  if (typeof v === 'string' && TIMESTAMP_KEYS.has(key)) {
    if (v === '') return undefined;
    const [seconds, nanos] = parseTimestamp(v);
    return { seconds: String(seconds), nanos };
  }
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const c = toGrpc(x, k);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

function contextOf(metadata: grpc.Metadata): RequestContext {
  const auth = metadata.get('authorization')[0];
  return contextFromAuthorization(typeof auth === 'string' ? auth : auth?.toString());
}

function toServiceError(e: unknown): grpc.ServiceError {
  const err = e instanceof FirestoreError ? e : new FirestoreError(Code.INTERNAL, e instanceof Error ? e.message : String(e));
  const se = Object.assign(new Error(err.message), { code: err.code, details: err.message, metadata: new grpc.Metadata() });
  return se;
}

/**
 * Ends a server stream with an error status. grpc-js sends the status from the stream's 'error' handler; destroy()
 * would tear the stream down before that status is written, and the client would wait for it forever.
 */
function fail(call: grpc.ServerWritableStream<Json, Json> | grpc.ServerDuplexStream<Json, Json>, e: unknown): void {
  if (call.writableEnded || call.destroyed) return;
  call.emit('error', toServiceError(e));
}

type Unary = (call: grpc.ServerUnaryCall<Json, Json>, cb: grpc.sendUnaryData<Json>) => void;
type ServerStream = (call: grpc.ServerWritableStream<Json, Json>) => void;
type Duplex = (call: grpc.ServerDuplexStream<Json, Json>) => void;

function unary(fn: (req: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>): Unary {
  return (call, cb) => {
    Promise.resolve()
      .then(() => fn(fromGrpc(call.request) as Record<string, unknown>, contextOf(call.metadata)))
      .then((r) => cb(null, toGrpc(r) as Json))
      .catch((e: unknown) => cb(toServiceError(e)));
  };
}

function stream(fn: (req: Record<string, unknown>, ctx: RequestContext) => Promise<unknown[]>): ServerStream {
  return (call) => {
    Promise.resolve()
      .then(() => fn(fromGrpc(call.request) as Record<string, unknown>, contextOf(call.metadata)))
      .then((rows) => {
        for (const r of rows) call.write(toGrpc(r) as Json);
        call.end();
      })
      .catch((e: unknown) => fail(call, e));
  };
}

/** The caller of a bidi stream, or undefined after ending the call with UNAUTHENTICATED. */
function streamContext(call: grpc.ServerDuplexStream<Json, Json>): RequestContext | undefined {
  try {
    return contextOf(call.metadata);
  } catch (e) {
    fail(call, e);
    return undefined;
  }
}

function databaseOf(req: Record<string, unknown>, key: string): string {
  const v = req[key];
  if (typeof v !== 'string') throw new FirestoreError(Code.INVALID_ARGUMENT, `${key} is required`);
  return v;
}

/** Creates the gRPC server (not bound: startEmulator injects connections into it). */
export function createGrpcServer(engine: Engine, opts: { log?: (event: string, fields?: Record<string, unknown>) => void } = {}): { server: grpc.Server } {
  const pkg = loadFirestoreProto() as unknown as {
    google: { firestore: { v1: { Firestore: { service: grpc.ServiceDefinition } } } };
  };
  const service = pkg.google.firestore.v1.Firestore.service;
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 32 * 1024 * 1024 });

  const listen: Duplex = (call) => {
    const ctx = streamContext(call);
    if (!ctx) return;
    let session: ReturnType<Engine['listen']> | undefined;
    call.on('data', (raw: Json) => {
      try {
        const req = fromGrpc(raw) as ListenRequestLike;
        // addTarget and removeTarget are one oneof: a request setting both is refused before either is acted on.
        checkListenRequest(req);
        session ??= engine.listen(ctx, req.database, (r) => {
          if (!call.cancelled && !call.writableEnded) call.write(toGrpc(r) as Json);
        });
        if (req.addTarget) session.addTarget(req.addTarget);
        if (typeof req.removeTarget === 'number') session.removeTarget(req.removeTarget);
      } catch (e) {
        fail(call, e);
      }
    });
    const end = () => session?.close();
    call.on('end', () => {
      end();
      call.end();
    });
    call.on('cancelled', end);
    call.on('error', end);
    call.on('close', end);
  };

  const write: Duplex = (call) => {
    const ctx = streamContext(call);
    if (!ctx) return;
    let writer: ReturnType<Engine['openWriteStream']> | undefined;
    let chain = Promise.resolve();
    call.on('data', (raw: Json) => {
      const req = fromGrpc(raw) as { database: string; writes?: []; streamToken?: string };
      chain = chain.then(async () => {
        try {
          if (!writer) {
            writer = engine.openWriteStream(ctx, req.database);
            call.write(toGrpc({ streamId: writer.streamId, streamToken: Buffer.from('0').toString('base64') }) as Json);
            if (!req.writes?.length) return;
          }
          call.write(toGrpc(await writer.write({ writes: req.writes ?? [] })) as Json);
        } catch (e) {
          fail(call, e);
        }
      });
    });
    call.on('end', () => {
      void chain.then(() => call.end());
    });
  };

  const impl: Record<string, Unary | ServerStream | Duplex> = {
    getDocument: unary((r, ctx) =>
      engine.getDocument(ctx, String(r.name), (r.mask as { fieldPaths?: string[] } | undefined)?.fieldPaths),
    ),
    listDocuments: unary((r, ctx) =>
      engine.listDocuments(ctx, String(r.parent), String(r.collectionId), {
        ...(r.pageSize ? { pageSize: Number(r.pageSize) } : {}),
        ...(r.pageToken ? { pageToken: String(r.pageToken) } : {}),
        showMissing: r.showMissing === true,
        ...((r.mask as { fieldPaths?: string[] } | undefined)?.fieldPaths ? { mask: (r.mask as { fieldPaths: string[] }).fieldPaths } : {}),
      }),
    ),
    batchGetDocuments: stream(async (r, ctx) => engine.batchGet(ctx, databaseOf(r, 'database'), r as never)),
    runQuery: stream(async (r, ctx) => engine.runQuery(ctx, r as never)),
    runAggregationQuery: stream(async (r, ctx) => engine.runAggregationQuery(ctx, r as never)),
    beginTransaction: unary((r, ctx) => engine.beginTransaction(ctx, databaseOf(r, 'database'), r.options as never)),
    commit: unary((r, ctx) => engine.commit(ctx, databaseOf(r, 'database'), r as never)),
    rollback: unary(async (r, ctx) => {
      await engine.rollback(ctx, databaseOf(r, 'database'), String(r.transaction));
      return {};
    }),
    listCollectionIds: unary(async (r, ctx) => ({ collectionIds: await engine.listCollectionIds(ctx, String(r.parent)) })),
    batchWrite: unary(async (r, ctx) => {
      const database = databaseOf(r, 'database');
      const writes = (r.writes as never[] | undefined) ?? [];
      const writeResults: unknown[] = [];
      const status: unknown[] = [];
      // BatchWrite applies each write on its own, not atomically.
      for (const w of writes) {
        try {
          const res = await engine.commit(ctx, database, { writes: [w] });
          writeResults.push(res.writeResults[0] ?? {});
          status.push({ code: 0 });
        } catch (e) {
          const err = e instanceof FirestoreError ? e : new FirestoreError(Code.INTERNAL, String(e));
          writeResults.push({});
          status.push({ code: err.code, message: err.message });
        }
      }
      return { writeResults, status };
    }),
    createDocument: unary(async (r, ctx) => {
      const parent = String(r.parent);
      const id = typeof r.documentId === 'string' && r.documentId ? r.documentId : autoId();
      const name = `${parent}/${String(r.collectionId)}/${id}`;
      const doc = (r.document as { fields?: never } | undefined) ?? {};
      const database = name.slice(0, name.indexOf('/documents'));
      await engine.commit(ctx, database, { writes: [{ update: { name, fields: doc.fields ?? {} }, currentDocument: { exists: false } }] });
      return engine.getDocument({ ...ctx, admin: true }, name);
    }),
    updateDocument: unary(async (r, ctx) => {
      const doc = r.document as { name: string; fields?: never };
      const database = doc.name.slice(0, doc.name.indexOf('/documents'));
      await engine.commit(ctx, database, {
        writes: [
          {
            update: { name: doc.name, fields: doc.fields ?? {} },
            ...(r.updateMask ? { updateMask: r.updateMask as never } : {}),
            ...(r.currentDocument ? { currentDocument: r.currentDocument as never } : {}),
          },
        ],
      });
      return engine.getDocument({ ...ctx, admin: true }, doc.name);
    }),
    deleteDocument: unary(async (r, ctx) => {
      const name = String(r.name);
      const database = name.slice(0, name.indexOf('/documents'));
      await engine.commit(ctx, database, {
        writes: [{ delete: name, ...(r.currentDocument ? { currentDocument: r.currentDocument as never } : {}) }],
      });
      return {};
    }),
    listen,
    write,
  };

  // Methods we do not serve answer UNIMPLEMENTED instead of hanging.
  const full: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(service)) {
    const key = (method as { originalName?: string }).originalName ?? name;
    full[key] =
      impl[key] ??
      ((_call: unknown, cb?: grpc.sendUnaryData<Json>) => {
        const err = toServiceError(new FirestoreError(Code.UNIMPLEMENTED, `${name} is not implemented by this emulator`));
        if (typeof cb === 'function') cb(err);
        else (_call as { destroy(e: Error): void }).destroy(err);
      });
  }
  server.addService(service, full);
  opts.log?.('grpc-ready');
  return { server };
}
