/**
 * Raw google.firestore.v1 gRPC calls to the engine, for messages no SDK would build (a filter or a value that sets two
 * members of a oneof, a listen target whose cursor does not fit its order), and the unsigned ID tokens the emulators
 * accept. Messages are the gRPC objects of the protos @google-cloud/firestore ships (camelCase, enums as strings),
 * loaded as the engine's own gRPC server loads them and encoded by protobufjs as given: both members of a oneof reach
 * the wire if both are set.
 */
import * as grpc from '@grpc/grpc-js';
import { loadFirestoreProto } from '../../src/grpc/server';

type Message = Record<string, unknown>;

/** One message the server sent on a Listen stream, in the few shapes the tests look at. */
export interface ListenMessage {
  targetChange?: { targetChangeType?: string; targetIds?: number[]; cause?: { code?: number; message?: string } };
  documentChange?: { document?: { name?: string }; targetIds?: number[] };
}

/** An open Listen stream. */
export interface RawListen {
  /** Every message received so far, in order. */
  readonly received: ListenMessage[];
  send(message: Message): void;
  /**
   * Resolves with the first received message (past or future) that `test` accepts.
   * @throws the stream's error, when it ends with one (other than its own close) before such a message came
   */
  until(test: (m: ListenMessage) => boolean): Promise<ListenMessage>;
  close(): void;
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
  /** Opens a Listen stream. */
  listen(): RawListen;
  /** Opens a Listen stream, sends `request`, resolves with the first response `until` accepts, and closes it. */
  listenUntil(request: Message, until: (m: ListenMessage) => boolean): Promise<ListenMessage>;
  close(): void;
}

type FirestoreClient = grpc.Client & {
  runQuery(request: Message, metadata: grpc.Metadata): grpc.ClientReadableStream<Message>;
  commit(request: Message, metadata: grpc.Metadata, callback: (err: grpc.ServiceError | null, res?: Message) => void): void;
  listen(metadata: grpc.Metadata): grpc.ClientDuplexStream<Message, ListenMessage>;
};
type FirestoreClientClass = new (address: string, credentials: grpc.ChannelCredentials) => FirestoreClient;

let clientClass: FirestoreClientClass | undefined;

function firestoreClass(): FirestoreClientClass {
  if (clientClass) return clientClass;
  const pkg = loadFirestoreProto() as unknown as { google: { firestore: { v1: { Firestore: FirestoreClientClass } } } };
  clientClass = pkg.google.firestore.v1.Firestore;
  return clientClass;
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
  const listen = (): RawListen => {
    const call = client.listen(metadata());
    const received: ListenMessage[] = [];
    const waiters: { test: (m: ListenMessage) => boolean; resolve: (m: ListenMessage) => void; reject: (e: Error) => void }[] = [];
    let failed: Error | undefined;
    call.on('data', (m: ListenMessage) => {
      received.push(m);
      for (const w of [...waiters]) {
        if (!w.test(m)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    });
    call.on('error', (e: grpc.ServiceError) => {
      // CANCELLED is our own close().
      if (e.code === grpc.status.CANCELLED) return;
      failed = e;
      for (const w of waiters.splice(0)) w.reject(e);
    });
    return {
      received,
      send: (message) => call.write(message),
      until: (test) =>
        new Promise((resolve, reject) => {
          const seen = received.find(test);
          if (seen) resolve(seen);
          else if (failed) reject(failed);
          else waiters.push({ test, resolve, reject });
        }),
      close: () => call.cancel(),
    };
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
    listen,
    listenUntil: async (request, until) => {
      const stream = listen();
      try {
        stream.send(request);
        return await stream.until(until);
      } finally {
        stream.close();
      }
    },
    close: () => client.close(),
  };
}

/**
 * An unsigned emulator ID token, as connectFirestoreEmulator's mockUserToken builds one; the engine and Storage
 * believe it (they run on loopback only, for that reason).
 * @param sub - the user id
 * @param projectId - the audience
 */
export function unsignedToken(sub: string, projectId: string): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, user_id: sub, aud: projectId })}.`;
}
