/** Wiring only: every export is a deployed function; logic lives in the files it imports. */
import { initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { setGlobalOptions } from 'firebase-functions/v2';
import { onObjectDeleted, onObjectFinalized } from 'firebase-functions/v2/storage';
import { getDownloadURL, getStorage } from 'firebase-admin/storage';
import { handleUserCreated } from './users/on-user-created';
import { handleSpecialistPhotoDeleted, handleSpecialistPhotoFinalized } from './storage/on-specialist-photo';

setGlobalOptions({ region: 'us-central1' });
initializeApp();

export const usersOnCreated = onDocumentCreated('users/{uid}', async (event) => {
  const data = event.data?.data();
  if (!data) return;
  await handleUserCreated(event.params.uid, data, { auth: getAuth(), db: getFirestore() });
});

export const storageOnObjectFinalized = onObjectFinalized(async (event) => {
  await handleSpecialistPhotoFinalized(event.data, {
    db: getFirestore(),
    downloadUrl: (o) => getDownloadURL(getStorage().bucket(o.bucket).file(o.name)),
  });
});

export const storageOnObjectDeleted = onObjectDeleted(async (event) => {
  await handleSpecialistPhotoDeleted(event.data, { db: getFirestore() });
});
