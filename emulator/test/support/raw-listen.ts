/**
 * A raw gRPC Listen stream to the engine, for what no SDK would send (a hostile target), and the unsigned ID tokens
 * the emulators accept. Messages are the gRPC objects of google.firestore.v1 (camelCase, enums as strings).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** One message the server sent on a Listen stream, in the few shapes the tests look at. */
export interface ListenMessage {
  targetChange?: { targetChangeType?: string; targetIds?: number[]; cause?: { code?: number; message?: string } };
  documentChange?: { document?: { name?: string }; targetIds?: number[] };
}

export interface RawListen {
  /** Every message received so far, in order. */
  readonly received: ListenMessage[];
  send(message: Record<string, unknown>): void;
  /** Resolves with the first received message (past or future) that `test` accepts. */
  until(test: (m: ListenMessage) => boolean): Promise<ListenMessage>;
  close(): void;
}

type FirestoreClient = new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & {
  Listen(metadata: grpc.Metadata): grpc.ClientDuplexStream<Record<string, unknown>, ListenMessage>;
};

let clientClass: FirestoreClient | undefined;

function firestoreClient(): FirestoreClient {
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
  const pkg = grpc.loadPackageDefinition(def) as unknown as { google: { firestore: { v1: { Firestore: FirestoreClient } } } };
  clientClass = pkg.google.firestore.v1.Firestore;
  return clientClass;
}

/**
 * Opens a Listen stream.
 * @param host - host:port of the engine
 * @param authorization - the Authorization header value (`Bearer <token>`)
 */
export function openRawListen(host: string, authorization: string): RawListen {
  const Client = firestoreClient();
  const client = new Client(host, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('authorization', authorization);
  const call = client.Listen(metadata);
  const received: ListenMessage[] = [];
  const waiters: { test: (m: ListenMessage) => boolean; resolve: (m: ListenMessage) => void }[] = [];
  call.on('data', (m: ListenMessage) => {
    received.push(m);
    for (const w of [...waiters]) {
      if (!w.test(m)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  // The stream ends with CANCELLED when the test closes it, or when the server goes away first: either is expected.
  call.on('error', () => undefined);
  return {
    received,
    send: (message) => call.write(message),
    until: (test) =>
      new Promise((resolve) => {
        const seen = received.find(test);
        if (seen) resolve(seen);
        else waiters.push({ test, resolve });
      }),
    close() {
      call.cancel();
      client.close();
    },
  };
}

/**
 * An unsigned emulator ID token, as connectFirestoreEmulator's mockUserToken builds one.
 * @param sub - the user id
 * @param projectId - the audience
 */
export function fakeJwt(sub: string, projectId: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, user_id: sub, aud: projectId })}.`;
}
