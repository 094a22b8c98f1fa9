/** Firebase for the app: one app, Auth, Firestore, Storage and Functions, connected to the local emulators when their hosts are set. */
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import {
  connectFirestoreEmulator,
  initializeFirestore,
  type Firestore,
  type FirestoreSettings,
} from 'firebase/firestore';
import { connectStorageEmulator, getStorage, type FirebaseStorage } from 'firebase/storage';
import { connectFunctionsEmulator, getFunctions, type Functions } from 'firebase/functions';

export interface FirebaseServices {
  readonly app: FirebaseApp;
  readonly auth: Auth;
  /** The current Firestore instance; replaced by a fresh one after sign-out clears the local cache. */
  readonly db: Firestore;
  readonly storage: FirebaseStorage;
  /** Callables, in the region functions/src/index.ts deploys them to. */
  readonly functions: Functions;
}

// Written once here so every re-created instance gets exactly the same settings.
const FIRESTORE_SETTINGS: FirestoreSettings = {};

let services: FirebaseServices | undefined;
let db: Firestore | undefined;

function hostPort(value: string): [string, number] {
  const [host = '127.0.0.1', port = '0'] = value.split(':');
  return [host, Number(port)];
}

function createFirestore(app: FirebaseApp): Firestore {
  const created = initializeFirestore(app, FIRESTORE_SETTINGS);
  const host = import.meta.env.VITE_FIRESTORE_EMULATOR_HOST;
  if (host) connectFirestoreEmulator(created, ...hostPort(host));
  return created;
}

/** Initialises Firebase once from the Vite environment. */
export function installFirebase(): FirebaseServices {
  if (services) return services;
  const env = import.meta.env;
  const projectId = env.VITE_FIREBASE_PROJECT_ID ?? 'demo-telesalud';
  const app = initializeApp({
    projectId,
    apiKey: env.VITE_FIREBASE_API_KEY ?? 'demo-api-key',
    authDomain: `${projectId}.firebaseapp.com`,
    storageBucket: env.VITE_STORAGE_BUCKET ?? `${projectId}.appspot.com`,
  });
  const auth = getAuth(app);
  const storage = getStorage(app);
  const functions = getFunctions(app, 'us-central1');
  if (env.VITE_AUTH_EMULATOR_HOST)
    connectAuthEmulator(auth, `http://${env.VITE_AUTH_EMULATOR_HOST}`, { disableWarnings: true });
  if (env.VITE_STORAGE_EMULATOR_HOST) connectStorageEmulator(storage, ...hostPort(env.VITE_STORAGE_EMULATOR_HOST));
  if (env.VITE_FUNCTIONS_EMULATOR_HOST) connectFunctionsEmulator(functions, ...hostPort(env.VITE_FUNCTIONS_EMULATOR_HOST));
  db = createFirestore(app);
  services = {
    app,
    auth,
    storage,
    functions,
    // A getter, so callers that read `firebase().db` at the moment of use always get the live instance.
    get db(): Firestore {
      db ??= createFirestore(app);
      return db;
    },
  };
  return services;
}

/** The app's Firebase services, initialising them on first use. */
export function firebase(): FirebaseServices {
  return services ?? installFirebase();
}

/**
 * Lets go of a terminated Firestore instance, so the next `firebase().db` initialises a fresh one (with the same
 * settings and emulator connection). Does nothing if `terminated` is no longer the current instance.
 * @param terminated - the instance that `terminate()` has shut down
 */
export function forgetFirestore(terminated: Firestore): void {
  if (db === terminated) db = undefined;
}
