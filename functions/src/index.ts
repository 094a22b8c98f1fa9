/** Wiring only: every export is a deployed function; logic lives in the files it imports. */
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { setGlobalOptions } from 'firebase-functions/v2';
import { handleUserCreated } from './users/on-user-created';

setGlobalOptions({ region: 'us-central1' });
initializeApp();

export const usersOnCreated = onDocumentCreated('users/{uid}', async (event) => {
  const data = event.data?.data();
  if (!data) return;
  await handleUserCreated(event.params.uid, data, { auth: getAuth(), db: getFirestore() });
});
