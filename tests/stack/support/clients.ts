/**
 * Web SDK clients of a local stack, as the app is one: an app per person, connected to the stack's Auth, Firestore,
 * Storage and Functions emulators; plus a raw POST to a callable for what the SDK would not send, and the code a
 * callable settles with. Every stack suite talks to the stack through these.
 */
import { deleteApp, initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword, type User } from 'firebase/auth';
import { connectFirestoreEmulator, getFirestore, type Firestore } from 'firebase/firestore';
import { connectStorageEmulator, getStorage, type FirebaseStorage } from 'firebase/storage';
import { connectFunctionsEmulator, getFunctions, httpsCallable } from 'firebase/functions';
import { PROJECT_ID, type Stack } from '../../../scripts/stack';
import { DEMO_PASSWORD } from '../../../scripts/seed-data';

/** One person's app on the stack; `user` is absent for someone who never signed in. */
export interface StackClient {
  app: FirebaseApp;
  user?: User;
  db: Firestore;
  storage: FirebaseStorage;
  call(name: string, data: unknown): Promise<unknown>;
}
export type SignedInClient = StackClient & { user: User };

function hostPort(address: string): [string, number] {
  const u = new URL(address.includes('://') ? address : `http://${address}`);
  return [u.hostname, Number(u.port)];
}

/**
 * The clients of one suite: `anonymous()` and `signIn()` make them, `close()` deletes every app they made.
 * @param stack - the running stack
 * @param prefix - app names' prefix, unique per suite
 */
export function stackClients(stack: Stack, prefix: string) {
  const apps: FirebaseApp[] = [];

  function client(user?: User, app = newApp()): StackClient {
    const db = getFirestore(app);
    connectFirestoreEmulator(db, ...hostPort(stack.urls.firestore));
    const storage = getStorage(app);
    connectStorageEmulator(storage, ...hostPort(stack.urls.storage));
    const functions = getFunctions(app, 'us-central1');
    connectFunctionsEmulator(functions, ...hostPort(stack.urls.functions));
    return { app, ...(user ? { user } : {}), db, storage, call: async (name, data) => (await httpsCallable(functions, name)(data)).data };
  }

  function newApp(): FirebaseApp {
    const app = initializeApp({ projectId: PROJECT_ID, apiKey: 'demo-api-key', storageBucket: `${PROJECT_ID}.appspot.com` }, `${prefix}-${apps.length}`);
    apps.push(app);
    return app;
  }

  return {
    /** A client that never signed in. */
    anonymous: (): StackClient => client(),
    /**
     * A client signed in with email and password (the demo password by default).
     * @param email - a seeded or created account
     */
    async signIn(email: string, password = DEMO_PASSWORD): Promise<SignedInClient> {
      const app = newApp();
      const auth = getAuth(app);
      connectAuthEmulator(auth, stack.urls.auth, { disableWarnings: true });
      const { user } = await signInWithEmailAndPassword(auth, email, password);
      return { ...client(user, app), user };
    },
    close: () => Promise.all(apps.splice(0).map((a) => deleteApp(a))),
  };
}

/**
 * The code a callable settles with: 'ok', or the HttpsError code without its 'functions/' prefix.
 * @param p - the call
 */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? code.replace(/^functions\//, '') : `not-a-callable-error: ${String(e)}`;
  }
}

/**
 * Posts a hand-written JSON body to a callable, as a hostile client would: the web SDK rebuilds payloads by
 * assignment, which drops own `__proto__` keys before they are sent.
 * @returns the callable error code ('invalid-argument'…), or 'ok'
 */
export async function callRaw(stack: Stack, name: string, rawJson: string, idToken?: string): Promise<string> {
  const r = await fetch(`${stack.urls.functions}/${PROJECT_ID}/us-central1/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(idToken ? { Authorization: `Bearer ${idToken}` } : {}) },
    body: rawJson,
  });
  const body = (await r.json()) as { error?: { status?: string } };
  return body.error?.status ? body.error.status.toLowerCase().replace(/_/g, '-') : 'ok';
}
