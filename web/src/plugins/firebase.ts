/** Firebase for the app: one app, Auth, Firestore and Storage, connected to the local emulators when their hosts are set. */
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import { connectFirestoreEmulator, initializeFirestore, type Firestore } from 'firebase/firestore';
import { connectStorageEmulator, getStorage, type FirebaseStorage } from 'firebase/storage';

export interface FirebaseServices {
  app: FirebaseApp;
  auth: Auth;
  db: Firestore;
  storage: FirebaseStorage;
}

let services: FirebaseServices | undefined;

function hostPort(value: string): [string, number] {
  const [host = '127.0.0.1', port = '0'] = value.split(':');
  return [host, Number(port)];
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
  const db = initializeFirestore(app, {});
  const storage = getStorage(app);
  if (env.VITE_AUTH_EMULATOR_HOST)
    connectAuthEmulator(auth, `http://${env.VITE_AUTH_EMULATOR_HOST}`, { disableWarnings: true });
  if (env.VITE_FIRESTORE_EMULATOR_HOST) connectFirestoreEmulator(db, ...hostPort(env.VITE_FIRESTORE_EMULATOR_HOST));
  if (env.VITE_STORAGE_EMULATOR_HOST) connectStorageEmulator(storage, ...hostPort(env.VITE_STORAGE_EMULATOR_HOST));
  services = { app, auth, db, storage };
  return services;
}

export function firebase(): FirebaseServices {
  return services ?? installFirebase();
}
