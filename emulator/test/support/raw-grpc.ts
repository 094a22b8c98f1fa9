/**
 * Raw google.firestore.v1 gRPC calls to the engine, for messages no SDK would build (a filter or a value that sets two
 * members of a oneof). Messages are the gRPC objects of the protos @google-cloud/firestore ships (camelCase, enums as
 * strings), encoded by protobufjs as given: both members of a oneof reach the wire if both are set.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

type Message = Record<string, unknown>;

type FirestoreClient = grpc.Client & {
  runQuery(request: Message, metadata: grpc.Metadata): grpc.ClientReadableStream<Message>;
  commit(request: Message, metadata: grpc.Metadata, callback: (err: grpc.ServiceError | null, res?: Message) => void): void;
  listen(metadata: grpc.Metadata): grpc.ClientDuplexStream<Message, Message>;
};
type FirestoreClientClass = new (address: string, credentials: grpc.ChannelCredentials) => FirestoreClient;

let clientClass: FirestoreClientClass | undefined;

function firestoreClass(): FirestoreClientClass {
  if (clientClass) return clientClass;
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
  const pkg = grpc.loadPackageDefinition(def) as unknown as { google: { firestore: { v1: { Firestore: FirestoreClientClass } } } };
  clientClass = pkg.google.firestore.v1.Firestore;
  return clientClass;
}

/** The outcome of a call: the messages received, then the status code it ended with (0 for OK). */
export interface CallOutcome {
  messages: Message[];
  code: number;
  details: string;
}

/** A raw client bound to one engine and one caller. */
export interface RawGrpc {
  runQuery(request: Message): Promise<CallOutcome>;
  commit(request: Message): Promise<CallOutcome>;
  /** Opens a Listen stream, sends `request`, and resolves with the first response `until` accepts. */
  listenUntil(request: Message, until: (m: Message) => boolean): Promise<Message>;
  close(): void;
}

/**
 * Connects a raw client.
 * @param host - host:port of the engine
 * @param authorization - the Authorization header value (`Bearer <token>`)
 */
export function rawGrpc(host: string, authorization: string): RawGrpc {
  const Client = firestoreClass();
  const client = new Client(host, grpc.credentials.createInsecure());
  const metadata = (): grpc.Metadata => {
    const m = new grpc.Metadata();
    m.set('authorization', authorization);
    return m;
  };
  return {
    runQuery: (request) =>
      new Promise((resolve) => {
        const messages: Message[] = [];
        const call = client.runQuery(request, metadata());
        call.on('data', (m: Message) => messages.push(m));
        call.on('error', (e: grpc.ServiceError) => resolve({ messages, code: e.code, details: e.details }));
        call.on('end', () => resolve({ messages, code: 0, details: '' }));
      }),
    commit: (request) =>
      new Promise((resolve) => {
        client.commit(request, metadata(), (err, res) =>
          resolve(err ? { messages: [], code: err.code, details: err.details } : { messages: res ? [res] : [], code: 0, details: '' }),
        );
      }),
    listenUntil: (request, until) =>
      new Promise((resolve, reject) => {
        const call = client.listen(metadata());
        call.on('data', (m: Message) => {
          if (!until(m)) return;
          resolve(m);
          call.cancel();
        });
        call.on('error', (e: grpc.ServiceError) => {
          // CANCELLED is our own cancel() after the awaited message.
          if (e.code !== grpc.status.CANCELLED) reject(e);
        });
        call.write(request);
      }),
    close: () => client.close(),
  };
}

/**
 * An unsigned emulator ID token, as connectFirestoreEmulator's mockUserToken builds one.
 * @param sub - the user id
 * @param projectId - the audience
 */
export function unsignedToken(sub: string, projectId: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, user_id: sub, aud: projectId })}.`;
}
