/**
 * The browser's local Firestore cache. Emptied at every sign-out so that the next person on this browser finds
 * nothing of the previous one (health data must not outlive the session on a shared computer).
 */
import { clearIndexedDbPersistence, terminate, type Firestore } from 'firebase/firestore';
import { firebase, forgetFirestore } from '../plugins/firebase';

/** How often clearing is retried while another tab still holds the cache open, and the pause between tries. */
const CLEAR_ATTEMPTS = 5;
const CLEAR_RETRY_MS = 200;

let inFlight: Promise<void> | undefined;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function clearPersistence(db: Firestore): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await clearIndexedDbPersistence(db);
      return;
    } catch (e) {
      // With a multi-tab persistent cache another tab may still have the database open for a moment; the
      // sign-out broadcast makes every tab terminate its own instance, so waiting briefly is enough.
      // (Matched by code: the SDK's errors are not `instanceof FirestoreError`, their prototype is FirebaseError's.)
      const retryable = typeof e === 'object' && e !== null && 'code' in e && e.code === 'failed-precondition';
      if (!retryable || attempt >= CLEAR_ATTEMPTS) throw e;
      await pause(CLEAR_RETRY_MS * attempt);
    }
  }
}

async function clear(): Promise<void> {
  const db = firebase().db;
  try {
    // terminate() drops listeners, the memory cache and pending writes; only then may persistence be deleted.
    await terminate(db);
    await clearPersistence(db);
  } finally {
    // Even if deleting failed, a terminated instance is useless: the next user must get a fresh one.
    forgetFirestore(db);
  }
}

/**
 * Terminates the current Firestore instance, deletes its IndexedDB persistence (if any) and lets the next
 * `firebase().db` start a fresh instance for the next user. Concurrent calls share one run.
 * @returns a promise that rejects if the persisted cache could not be deleted
 */
export function clearLocalCache(): Promise<void> {
  inFlight ??= clear().finally(() => {
    inFlight = undefined;
  });
  return inFlight;
}
